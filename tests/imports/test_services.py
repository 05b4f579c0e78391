"""Import jobs end to end with real .xlsx files: dry run, confirm, all-or-nothing write.

Tasks run immediately in tests (huey immediate mode) but only when the transaction commits, so
every upload and confirmation runs inside ``django_capture_on_commit_callbacks(execute=True)``.
"""

import datetime as dt
import itertools
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ocop.core.exceptions import ApplicationError
from ocop.core.models import ActivityLog, ObjectChange
from ocop.imports.enums import ALLOWED_TRANSITIONS, ImportState
from ocop.imports.models import ImportJob, progress_key
from ocop.imports.selectors import job_progress
from ocop.imports.services import (
    cancel_import_job,
    check_import,
    confirm_import,
    create_import_job,
    fail_stuck_job,
    run_import,
    transition_import_job,
)
from ocop.producers.importers import ProducerImporter
from ocop.producers.models import Producer
from ocop.products.importers import ProductImporter
from ocop.products.models import Product
from tests.factories.producers import ProducerFactory
from tests.imports.files import filled_template, upload
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def officer(units):
    return make_user_with_role("province-agency", units.bac_ninh, username="tinh_bacninh")


def _producer_row(n: int, **values) -> dict:
    return {
        "name": f"HTX Nông nghiệp số {n}",
        "legal_form": "Hợp tác xã (HTX)",
        "province": "Bắc Ninh",
        "commune": "Xã Bố Hạ" if n % 2 else "Xã Yên Thế",
        "labour_total": 10,
        "labour_local": 8,
        **values,
    }


GOOD_TAX_CODES = ["2400871238", "0100109106", "4300123458"]


def _producers_file(officer, rows) -> bytes:
    return filled_template(ProducerImporter(officer).columns, rows)


def _submit(django_capture_on_commit_callbacks, officer, content, *, kind="producers", name="chu-the.xlsx"):
    with django_capture_on_commit_callbacks(execute=True):
        job = create_import_job(kind=kind, upload=upload(content, name), actor=officer)
    job.refresh_from_db()
    return job


def _confirm(django_capture_on_commit_callbacks, job, officer, *, valid_only=False):
    with django_capture_on_commit_callbacks(execute=True):
        confirm_import(job, valid_only=valid_only, actor=officer)
    job.refresh_from_db()
    return job


def _events(job) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(ImportJob)
    return [
        (a.action_type, a.actor.username if a.actor else None, a.data)
        for a in ActivityLog.objects.filter(content_type=content_type, object_id=str(job.pk)).order_by("pk")
    ]


# Upload -----------------------------------------------------------------------------------------


def test_upload_stores_the_file_and_runs_the_dry_run_after_commit(english, officer, django_capture_on_commit_callbacks):
    content = _producers_file(officer, [_producer_row(1, tax_code=GOOD_TAX_CODES[0])])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = create_import_job(kind="producers", upload=upload(content, "Danh sách chủ thể.xlsx"), actor=officer)
    assert (job.state, job.original_filename, job.file_size, job.created_by) == (
        "queued",
        "Danh sách chủ thể.xlsx",
        len(content),
        officer,
    )
    assert job.file.name.startswith("imports/producers/") and job.file.name.endswith(".xlsx")
    with job.file.open("rb") as handle:
        assert handle.read() == content
    assert len(callbacks) == 1
    callbacks[0]()

    job.refresh_from_db()
    assert (job.state, job.total_rows, job.processed_rows, job.valid_row_count, job.error_count) == (
        "checked",
        1,
        1,
        1,
        0,
    )
    assert (job.errors, job.error_rows, job.message) == ([], [], "")
    assert job.started_at <= job.finished_at
    assert not Producer.objects.exists()  # a dry run writes nothing but the job
    assert _events(job) == [
        ("imports.job.create", "tinh_bacninh", {"kind": "producers", "file": "Danh sách chủ thể.xlsx"})
    ]


@pytest.mark.parametrize("name", ["chu-the.xls", "chu-the.pdf", "chu-the", "chu-the.ods"])
def test_other_file_types_are_refused_at_upload(english, officer, name):
    with pytest.raises(ValidationError) as info:
        create_import_job(kind="producers", upload=upload(b"PK\x03\x04", name), actor=officer)
    assert info.value.message_dict == {"file": [f"Upload an Excel workbook (.xlsx) or a CSV file, not “{name}”."]}
    assert not ImportJob.objects.exists()


@override_settings(OCOP_MAX_IMPORT_MB=1)
def test_files_over_the_limit_are_refused_at_upload(english, officer):
    with pytest.raises(ValidationError) as info:
        create_import_job(kind="producers", upload=upload(b"x" * 1_572_864), actor=officer)
    assert info.value.message_dict == {"file": ["The file is 1.5\xa0MB; the limit is 1.0\xa0MB."]}
    assert not ImportJob.objects.exists()


# Dry run ----------------------------------------------------------------------------------------


def test_dry_run_records_row_column_value_and_message(english, officer, django_capture_on_commit_callbacks):
    rows = [
        _producer_row(1, tax_code="2400871238"),
        _producer_row(2, tax_code="2400871239", representative_ethnicity="Xyz"),
        _producer_row(3, commune="Xã Sơn Hà", labour_local=12),
        _producer_row(4, name=None),
    ]

    job = _submit(django_capture_on_commit_callbacks, officer, _producers_file(officer, rows))

    assert (job.state, job.total_rows, job.processed_rows, job.valid_row_count, job.error_count) == (
        "checked",
        4,
        4,
        1,
        5,
    )
    assert job.errors == [
        {
            "row": 3,
            "column": "Dân tộc người đại diện",
            "value": "Xyz",
            "message": "“Xyz” is not one of the 54 ethnic groups of Vietnam.",
        },
        {
            "row": 3,
            "column": "Mã số thuế",
            "value": "2400871239",
            "message": "The check digit of this tax code is wrong: please look for a typing mistake.",
        },
        {
            "row": 4,
            "column": "Xã/phường",
            "value": "Xã Sơn Hà",
            "message": "“Xã Sơn Hà” is not a commune of Thành phố Bắc Ninh on today's map. Did you mean: Xã Sơn Hải?",
        },
        {
            "row": 4,
            "column": "Lao động địa phương",
            "value": "12",
            "message": "Local workers (12) cannot be more than the total number of workers (10).",
        },
        {"row": 5, "column": "Tên chủ thể", "value": "", "message": "The producer's name is required."},
    ]
    assert job.error_rows == [3, 4, 5]
    assert not Producer.objects.exists()


def test_dry_run_reports_duplicates_within_the_file(english, officer, django_capture_on_commit_callbacks):
    rows = [_producer_row(n, tax_code="0100109106") for n in (1, 2)] + [_producer_row(3)]

    job = _submit(django_capture_on_commit_callbacks, officer, _producers_file(officer, rows))

    assert [(e["row"], e["column"], e["value"], e["message"]) for e in job.errors] == [
        (2, "Mã số thuế", "0100109106", "The same value is also on row(s) 3 of this file."),
        (3, "Mã số thuế", "0100109106", "The same value is also on row(s) 2 of this file."),
    ]
    assert (job.error_count, job.valid_row_count, job.error_rows) == (2, 1, [2, 3])


def test_a_file_that_is_not_a_workbook_fails_the_job_and_writes_nothing(
    english, officer, django_capture_on_commit_callbacks
):
    job = _submit(
        django_capture_on_commit_callbacks, officer, b"%PDF-1.7\n1 0 obj <<>> endobj\n", name="danh-sach.xlsx"
    )

    assert (job.state, job.message, job.total_rows, job.error_count) == (
        "failed",
        "The file “danh-sach.xlsx” is not an Excel workbook (.xlsx) or a CSV file. "
        "Upload the import template, filled in and saved as .xlsx.",
        0,
        0,
    )
    assert job.finished_at is not None
    assert not Producer.objects.exists()
    with pytest.raises(ApplicationError):
        confirm_import(job, valid_only=True, actor=officer)


def test_a_template_without_data_rows_fails_the_job(english, officer, django_capture_on_commit_callbacks):
    job = _submit(django_capture_on_commit_callbacks, officer, _producers_file(officer, []))
    assert (job.state, job.message) == ("failed", "The file has a header row but no data rows.")


def test_a_csv_file_is_imported_too(officer, units, django_capture_on_commit_callbacks):
    content = "Tên chủ thể,Loại hình,Tỉnh/thành phố,Xã/phường\nHộ Nguyễn Văn An,household,Bắc Ninh,Yên Thế\n"
    job = _submit(django_capture_on_commit_callbacks, officer, content.encode("utf-8-sig"), name="chu-the.csv")
    assert (job.state, job.valid_row_count) == ("checked", 1)

    job = _confirm(django_capture_on_commit_callbacks, job, officer)

    assert (job.state, job.created_count) == ("done", 1)
    assert [(p.name, p.legal_form, p.commune) for p in Producer.objects.all()] == [
        ("Hộ Nguyễn Văn An", "household", units.yen_the)
    ]


def test_dry_run_progress_is_written_every_100_rows(officer, django_capture_on_commit_callbacks):
    rows = [_producer_row(n) for n in range(250)]
    content = _producers_file(officer, rows)
    with django_capture_on_commit_callbacks(execute=False):
        job = create_import_job(kind="producers", upload=upload(content), actor=officer)

    with CaptureQueriesContext(connection) as queries:
        check_import(job)

    # One UPDATE of the counter per 100 rows (the rest of the job row is written at the end).
    progress = re.compile(r'^UPDATE "imports_importjob" SET "processed_rows" = (\d+) WHERE')
    counts = [m[1] for q in queries.captured_queries if (m := progress.match(q["sql"]))]
    assert counts == ["100", "200"]
    assert job_progress(ImportJob.objects.get(pk=job.pk)) == (250, 250)


# Confirm and write ------------------------------------------------------------------------------


def test_import_with_one_bad_row_writes_nothing_until_the_user_chooses_valid_rows(
    english, officer, units, django_capture_on_commit_callbacks
):
    rows = [
        _producer_row(1, tax_code=GOOD_TAX_CODES[0]),
        _producer_row(2, tax_code="2400871239"),  # wrong check digit
        _producer_row(3, tax_code=GOOD_TAX_CODES[1]),
    ]
    before = (Producer.objects.count(), ObjectChange.objects.count())

    job = _submit(django_capture_on_commit_callbacks, officer, _producers_file(officer, rows))

    assert (job.state, job.error_count, job.valid_row_count, job.error_rows) == ("checked", 1, 2, [3])
    assert Producer.objects.count() == before[0]
    with pytest.raises(ApplicationError) as info:
        confirm_import(job, valid_only=False, actor=officer)
    assert info.value.message == (
        "The file has 1 problem(s). Correct them and upload it again, or choose to import only the valid rows."
    )
    job.refresh_from_db()
    assert job.state == "checked"
    assert Producer.objects.count() == before[0]

    job = _confirm(django_capture_on_commit_callbacks, job, officer, valid_only=True)

    assert (job.state, job.import_valid_only, job.created_count, job.processed_rows) == ("done", True, 2, 2)
    assert [(p.name, p.tax_code, p.commune, p.created_by) for p in Producer.objects.order_by("pk")] == [
        ("HTX Nông nghiệp số 1", "2400871238", units.bo_ha, officer),
        ("HTX Nông nghiệp số 3", "0100109106", units.bo_ha, officer),
    ]
    # The write ran in the importing user's change context.
    content_type = ContentType.objects.get_for_model(Producer)
    assert {(c.user, c.source) for c in ObjectChange.objects.filter(changed_object_type=content_type)} == {
        (officer, "import")
    }
    assert _events(job) == [
        ("imports.job.create", "tinh_bacninh", {"kind": "producers", "file": "chu-the.xlsx"}),
        ("imports.job.confirm", "tinh_bacninh", {"valid_only": True}),
        ("imports.job.done", "tinh_bacninh", {"created": 2}),
    ]


def test_a_clean_file_is_imported_whole(officer, django_capture_on_commit_callbacks):
    rows = [_producer_row(n, tax_code=code) for n, code in enumerate(GOOD_TAX_CODES)]
    job = _submit(django_capture_on_commit_callbacks, officer, _producers_file(officer, rows))
    assert (job.state, job.error_count, job.valid_row_count) == ("checked", 0, 3)

    job = _confirm(django_capture_on_commit_callbacks, job, officer)

    assert (job.state, job.import_valid_only, job.created_count, job.processed_rows, job.message) == (
        "done",
        False,
        3,
        3,
        "",
    )
    assert sorted(Producer.objects.values_list("tax_code", flat=True)) == sorted(GOOD_TAX_CODES)
    assert job_progress(job) == (3, 3)
    assert cache.get(progress_key(job.pk)) is None


def test_import_progress_goes_through_the_cache_every_100_rows(
    officer, django_capture_on_commit_callbacks, monkeypatch
):
    job = _submit(
        django_capture_on_commit_callbacks, officer, _producers_file(officer, [_producer_row(n) for n in range(230)])
    )
    assert (job.state, job.valid_row_count) == ("checked", 230)
    seen: list[tuple[str, int]] = []
    real_set = cache.set

    def spy(key, value, *args, **kwargs):
        seen.append((key, value))
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    job = _confirm(django_capture_on_commit_callbacks, job, officer)

    assert seen == [(progress_key(job.pk), 100), (progress_key(job.pk), 200)]
    assert cache.get(progress_key(job.pk)) is None  # cleared when the import ends
    assert (job.state, job.created_count, Producer.objects.count()) == ("done", 230, 230)


def test_run_import_aborts_and_writes_nothing_when_the_data_changed(
    english, officer, units, django_capture_on_commit_callbacks
):
    rows = [_producer_row(n, tax_code=code) for n, code in enumerate(GOOD_TAX_CODES)]
    job = _submit(django_capture_on_commit_callbacks, officer, _producers_file(officer, rows))
    assert (job.state, job.error_count) == ("checked", 0)
    # Someone registers one of the producers between the check and the import.
    ProducerFactory(name="HTX Đăng ký trước", address_unit=units.yen_the, tax_code="0100109106")

    job = _confirm(django_capture_on_commit_callbacks, job, officer)

    assert (job.state, job.message, job.created_count) == (
        "failed",
        "The data changed since the check; nothing was imported. Check the file again.",
        0,
    )
    assert job.errors == [
        {"row": 3, "column": "Mã số thuế", "value": "0100109106", "message": "Already registered to HTX Đăng ký trước."}
    ]
    assert (job.error_count, job.error_rows) == (1, [3])
    assert list(Producer.objects.values_list("name", flat=True)) == ["HTX Đăng ký trước"]
    assert [e[0] for e in _events(job)] == ["imports.job.create", "imports.job.confirm"]


def test_run_import_fails_and_writes_nothing_when_the_stored_file_became_unreadable(
    english, officer, django_capture_on_commit_callbacks
):
    job = _submit(django_capture_on_commit_callbacks, officer, _producers_file(officer, [_producer_row(1)]))
    storage, name = job.file.storage, job.file.name
    storage.delete(name)
    storage.save(name, ContentFile(b"PK\x03\x04 broken"))

    job = _confirm(django_capture_on_commit_callbacks, job, officer)

    assert (job.state, job.message) == (
        "failed",
        "Nothing was imported: The Excel file could not be read: it is damaged or not a real .xlsx workbook. "
        "Open it in Excel, save it again as .xlsx and upload it again.",
    )
    assert not Producer.objects.exists()


def test_products_are_imported_with_their_classification_and_stars(officer, units, django_capture_on_commit_callbacks):
    ProducerFactory(name="HTX Vải thiều Bố Hạ", address_unit=units.bo_ha, tax_code="0100109106")
    rows = [
        {"name": "Vải thiều sấy", "producer_tax_code": "0100109106", "category": "7"},
        {
            "name": "Mật ong hoa vải",
            "producer_tax_code": "0100109106",
            "legal_basis": "148/QĐ-TTg",
            "category": 4,
            "code": "24-07294-001-2024",
            "stars": 3,
            "recognised_on": dt.date(2024, 1, 15),
            "valid_until": dt.date(2099, 1, 15),
        },
    ]
    content = filled_template(ProductImporter(officer).columns, rows)

    job = _submit(django_capture_on_commit_callbacks, officer, content, kind="products", name="san-pham.xlsx")
    assert (job.state, job.error_count, job.valid_row_count) == ("checked", 0, 2)
    job = _confirm(django_capture_on_commit_callbacks, job, officer)

    assert (job.state, job.created_count) == ("done", 2)
    assert [
        (
            p.name,
            p.code,
            p.current_stars,
            [(c.legal_basis.code, c.category.sheet_number) for c in p.classifications.all()],
        )
        for p in Product.objects.order_by("pk")
    ] == [
        ("Vải thiều sấy", "", None, [("26/2026/QĐ-TTg", 7)]),
        ("Mật ong hoa vải", "24-07294-1-2024", 3, [("148/QĐ-TTg", 4)]),
    ]


# confirm_import refusals, cancel ----------------------------------------------------------------


def _job(officer, state: str, **fields) -> ImportJob:
    job = ImportJob(
        kind="producers", state=state, file="imports/producers/x.xlsx", original_filename="x.xlsx", **fields
    )
    job.created_by = officer
    job.save()
    return job


@pytest.mark.parametrize("state", sorted(set(ImportState.values) - {"checked"}))
def test_only_a_checked_job_can_be_confirmed(english, officer, state):
    job = _job(officer, state)
    with pytest.raises(ApplicationError) as info:
        confirm_import(job, valid_only=True, actor=officer)
    assert info.value.message == "Only a checked file can be imported."
    assert ImportJob.objects.get(pk=job.pk).state == state


def test_a_job_without_valid_rows_cannot_be_confirmed(english, officer):
    job = _job(officer, "checked", error_count=3, valid_row_count=0, error_rows=[2, 3])
    with pytest.raises(ApplicationError) as info:
        confirm_import(job, valid_only=True, actor=officer)
    assert info.value.message == "No row of this file can be imported."


def test_cancel_a_checked_job(officer):
    job = _job(officer, "checked")
    cancel_import_job(job, actor=officer)
    job.refresh_from_db()
    assert (job.state, job.finished_at is not None) == ("cancelled", True)
    assert _events(job) == [("imports.job.cancel", "tinh_bacninh", {})]


@pytest.mark.parametrize("state", ["done", "failed", "cancelled", "importing", "checking"])
def test_finished_or_running_jobs_cannot_be_cancelled(english, officer, state):
    job = _job(officer, state)
    with pytest.raises(ApplicationError) as info:
        cancel_import_job(job, actor=officer)
    assert info.value.message.startswith(f"This import cannot go from “{ImportState(state).label}” to ")
    assert ImportJob.objects.get(pk=job.pk).state == state


def test_a_cancelled_job_is_not_checked_by_a_late_task(officer, django_capture_on_commit_callbacks):
    content = _producers_file(officer, [_producer_row(1)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = create_import_job(kind="producers", upload=upload(content), actor=officer)
    cancel_import_job(job, actor=officer)
    for callback in callbacks:
        callback()
    assert ImportJob.objects.get(pk=job.pk).state == "cancelled"


# The state machine ------------------------------------------------------------------------------

TRANSITIONS = list(itertools.product(ImportState.values, ImportState.values))


@pytest.mark.parametrize(("source", "target"), TRANSITIONS, ids=[f"{s}->{t}" for s, t in TRANSITIONS])
def test_transitions_follow_the_table(english, officer, source, target):
    job = _job(officer, source)
    if target in ALLOWED_TRANSITIONS[source]:
        transition_import_job(job, target, message="x" * 600, processed_rows=7)
        fresh = ImportJob.objects.get(pk=job.pk)
        assert (fresh.state, fresh.message, fresh.processed_rows) == (target, "x" * 500, 7)
        assert fresh.state_changed_at is not None
    else:
        with pytest.raises(ApplicationError) as info:
            transition_import_job(job, target)
        assert info.value.message == (
            f"This import cannot go from “{ImportState(source).label}” to “{ImportState(target).label}”."
        )
        assert ImportJob.objects.get(pk=job.pk).state == source


def test_the_transition_table_covers_every_state_and_ends_in_final_states():
    assert set(ALLOWED_TRANSITIONS) == set(ImportState.values)
    assert {state for state, targets in ALLOWED_TRANSITIONS.items() if not targets} == {"done", "failed", "cancelled"}
    assert all(targets <= set(ImportState.values) for targets in ALLOWED_TRANSITIONS.values())


def test_a_transition_keeps_the_message_unless_given(officer):
    job = _job(officer, "queued", message="Đang chờ")
    transition_import_job(job, "checking")
    assert ImportJob.objects.get(pk=job.pk).message == "Đang chờ"


# Crashes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["queued", "checking", "import_queued", "importing", "checked"])
def test_fail_stuck_job_marks_an_unfinished_job_failed(english, officer, state):
    job = _job(officer, state)
    fail_stuck_job(job, reason="KeyError")
    fresh = ImportJob.objects.get(pk=job.pk)
    assert (fresh.state, fresh.message) == ("failed", "Unexpected error; nothing was imported. KeyError")
    assert fresh.finished_at is not None


@pytest.mark.parametrize("state", ["done", "failed", "cancelled"])
def test_fail_stuck_job_leaves_a_finished_job_alone(officer, state):
    job = _job(officer, state, message="Xong")
    fail_stuck_job(job, reason="KeyError")
    assert (ImportJob.objects.get(pk=job.pk).state, ImportJob.objects.get(pk=job.pk).message) == (state, "Xong")


def test_run_import_directly_on_a_checked_job_is_refused(english, officer):
    job = _job(officer, "checked")
    with pytest.raises(ApplicationError):
        run_import(job)
    assert ImportJob.objects.get(pk=job.pk).state == "checked"
