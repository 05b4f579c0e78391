import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.core.spreadsheets import build_template
from ocop.imports.enums import ImportState
from ocop.imports.models import ImportJob
from ocop.producers.importers import ProducerImporter
from ocop.producers.models import Producer
from tests.factories.producers import ProducerFactory
from tests.utils import PermissionCase, assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _workbook(actor, rows: list[dict]) -> bytes:
    importer = ProducerImporter(actor)
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(importer.columns, title="t", instructions=[])))
    sheet = workbook["Dữ liệu"]
    keys = [column.key for column in importer.columns]
    for row in rows:
        sheet.append([row.get(key, "") for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = {"name": "Hộ Nhập Một", "legal_form": "household", "province": "Bắc Ninh", "commune": "Yên Thế"}
BAD = {
    "name": "Hộ Nhập Hai",
    "legal_form": "household",
    "province": "Bắc Ninh",
    "commune": "Yên Thế",
    "tax_code": "0100109107",
}


def test_upload_page_permission_matrix(units):
    producer = ProducerFactory(name="HTX Riêng", address_unit=units.yen_the)
    assert_permission_matrix(
        reverse("imports:job_create", kwargs={"kind": "producers"}),
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 403),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 200),
            PermissionCase("province agency", "province-agency", units.bac_ninh, 200),
            PermissionCase("council member", "council-member", units.bac_ninh, 403),
            PermissionCase("producer account", "producer", units.yen_the, 403, producer=producer),
        ],
    )


def test_unknown_kind_is_404(client, units):
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    assert client.get(reverse("imports:job_create", kwargs={"kind": "cows"})).status_code == 404


def test_template_download_is_a_workbook_with_the_headers(client, units):
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(reverse("imports:template", kwargs={"kind": "producers"}))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in workbook["Dữ liệu"][1]]
    assert headers[:3] == ["Tên chủ thể *", "Loại hình *", "Mã số thuế"]
    assert workbook.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]


def test_dry_run_then_valid_only_import(client, units, django_capture_on_commit_callbacks):
    officer = make_user_with_role("commune-officer", units.yen_the)
    client.force_login(officer)
    before = Producer.objects.count()
    upload = SimpleUploadedFile("ho.xlsx", _workbook(officer, [GOOD, BAD]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job_create", kwargs={"kind": "producers"}), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job_detail", kwargs={"pk": job.pk})
    job.refresh_from_db()
    assert (job.state, job.total_rows, job.valid_row_count, job.error_count) == (ImportState.CHECKED, 2, 1, 1)

    page = client.get(job.get_absolute_url()).content.decode()
    assert "0100109107" in page
    assert Producer.objects.count() == before

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert job.state == ImportState.CHECKED
    assert Producer.objects.count() == before

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk}), {"valid_only": "on"})
    job.refresh_from_db()
    assert (job.state, job.created_count) == (ImportState.DONE, 1)
    assert list(Producer.objects.filter(name__startswith="Hộ Nhập").values_list("name", flat=True)) == ["Hộ Nhập Một"]


def test_problems_download_lists_every_problem(client, units, django_capture_on_commit_callbacks):
    officer = make_user_with_role("commune-officer", units.yen_the)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:job_create", kwargs={"kind": "producers"}),
            {"file": SimpleUploadedFile("ho.xlsx", _workbook(officer, [BAD]))},
        )
    job = ImportJob.objects.get()
    response = client.get(reverse("imports:job_errors", kwargs={"pk": job.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == (2, "Mã số thuế", "0100109107")


def test_someone_elses_job_is_404(client, units, django_capture_on_commit_callbacks):
    officer = make_user_with_role("commune-officer", units.yen_the)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:job_create", kwargs={"kind": "producers"}),
            {"file": SimpleUploadedFile("ho.xlsx", _workbook(officer, [GOOD]))},
        )
    job = ImportJob.objects.get()
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk})).status_code == 404
    job.refresh_from_db()
    assert job.state == ImportState.CHECKED


def test_htmx_poll_returns_only_the_status_fragment(client, units, django_capture_on_commit_callbacks):
    officer = make_user_with_role("commune-officer", units.yen_the)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:job_create", kwargs={"kind": "producers"}),
            {"file": SimpleUploadedFile("ho.xlsx", _workbook(officer, [GOOD]))},
        )
    job = ImportJob.objects.get()
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"')
    assert "<html" not in fragment


def test_wrong_file_type_is_refused_on_the_form(client, units):
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.post(
        reverse("imports:job_create", kwargs={"kind": "producers"}),
        {"file": SimpleUploadedFile("ds.pdf", b"%PDF-1.7")},
    )
    assert response.status_code == 200
    (message,) = response.context["form"].errors["file"]
    assert "ds.pdf" in message
    assert ImportJob.objects.count() == 0
