"""Speed of spreadsheet imports (run with `make bench`; disabled in the normal test run).

A 10,000-row producers .xlsx (the size of a large province's list), communes cycling through the
99 communes of Bắc Ninh on today's map, imported by a province officer of Bắc Ninh: the dry run
(``check_import``: read, clean and check every row, nothing written) and the import
(``run_import``: the rows checked again and written in one transaction).

Measured 2026-11-23 on the 2-core machine with SQLite, busy (load 4-5: other suites running), two
runs: dry run min 24.4 s / mean 27.0-28.7 s (about 370 rows/s); import 56-77 s (one round: the
rows are checked again inside the transaction, then written with their legal-form period, audit
rows and events).
Goals: the dry run of a 10,000-row file under 60 s, the import under 120 s.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.vn import mst

from ocop.core.spreadsheets import write_xlsx
from ocop.geography.models import AdminUnit
from ocop.imports.enums import ImportState
from ocop.imports.services import check_import, create_import_job, run_import, transition_import_job
from ocop.producers.importers import ProducerImporter
from ocop.producers.models import Producer
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.django_db]

ROWS = 10_000
GENDERS = ("Nam", "Nữ")
ETHNICITIES = ("Kinh", "Tày", "Nùng", "Sán Dìu", "Hoa")
FORMS = ("Hợp tác xã (HTX)", "Tổ hợp tác", "Hộ sản xuất", "Trang trại")


def tax_code(index: int) -> str:
    """A distinct valid 10-digit tax code (mã số thuế) of Bắc Ninh, check digit included."""
    while True:
        first_nine = f"24{1_000_000 + index:07d}"
        check = mst.calc_check_digit(first_nine)
        if len(check) == 1:  # a remainder of 0 or 1 gives no valid check digit: skip that number
            return first_nine + check
        index += 500_000


def make_rows(communes: list[str]):
    start = dt.date(2010, 1, 1)
    for index in range(ROWS):
        total = 5 + index % 40
        yield {
            "name": f"HTX Nông nghiệp Đồng Tâm số {index + 1}",
            "legal_form": FORMS[index % len(FORMS)],
            "tax_code": tax_code(index),
            "province": "Bắc Ninh",
            "commune": communes[index % len(communes)],
            "address": f"Thôn {index % 20 + 1}",
            "representative_name": f"Nguyễn Văn An {index + 1}",
            "representative_gender": GENDERS[index % 2],
            "representative_ethnicity": ETHNICITIES[index % len(ETHNICITIES)],
            "phone": f"09{12_000_000 + index:08d}",
            "established_on": start + dt.timedelta(days=index % 5000),
            "labour_total": total,
            "labour_local": total - index % 5,
            "labour_insured": index % 5,
            "member_count": 7 + index % 30,
        }


@pytest.fixture
def officer(units):
    return make_user_with_role("province-agency", units.bac_ninh, username="tinh_bacninh")


@pytest.fixture
def workbook(officer, units):
    communes = list(
        AdminUnit.objects.filter(province=units.bac_ninh, level="commune")
        .valid_on(dt.date(2026, 1, 1))
        .order_by("code")
        .values_list("name", flat=True)
    )
    assert len(communes) == 99
    return write_xlsx(ProducerImporter(officer).columns, make_rows(communes))


def _new_job(officer, content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the benchmark runs the services itself
        return create_import_job(
            kind="producers", upload=SimpleUploadedFile("chu-the-bac-ninh.xlsx", content), actor=officer
        )


def _report(label: str, benchmark) -> None:
    if benchmark.stats is None:  # --benchmark-disable (the default outside `make bench`)
        return
    seconds = benchmark.stats.stats.mean
    print(f"\n{label}: {ROWS:,} rows in {seconds:.1f} s ({ROWS / seconds:,.0f} rows/s)")


def test_bench_import_dry_run_10k_producers(benchmark, officer, workbook, django_capture_on_commit_callbacks):
    def setup():
        return (_new_job(officer, workbook, django_capture_on_commit_callbacks),), {}

    job = benchmark.pedantic(check_import, setup=setup, rounds=2, iterations=1)
    _report("dry run (mean of 2)", benchmark)

    assert (job.state, job.total_rows, job.error_count, job.valid_row_count) == ("checked", ROWS, 0, ROWS)
    assert not Producer.objects.exists()


def test_bench_import_write_10k_producers(benchmark, officer, units, workbook, django_capture_on_commit_callbacks):
    job = check_import(_new_job(officer, workbook, django_capture_on_commit_callbacks))
    assert (job.state, job.error_count) == ("checked", 0)
    job = transition_import_job(job, ImportState.IMPORT_QUEUED)

    job = benchmark.pedantic(run_import, args=(job,), rounds=1, iterations=1)
    _report("import", benchmark)

    assert (job.state, job.created_count, job.message) == ("done", ROWS, "")
    assert Producer.objects.count() == ROWS
    assert Producer.objects.filter(province=units.bac_ninh).values("commune").distinct().count() == 99
