"""The criteria pages: the public list and sheets, drafts for managers only, import with a diff,
activation, and the PDF / XLSX / YAML files of a sheet."""

from __future__ import annotations

import copy
import html
import importlib.util
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ocop.evaluation.enums import RubricStatus
from ocop.evaluation.models import RubricVersion
from ocop.evaluation.rubric_io import dump_yaml, read_yaml
from ocop.evaluation.services import create_rubric_version
from ocop.legal.selectors import get_legal_basis
from tests.evaluation.views import BASIS_2026, active_version
from tests.utils import PermissionCase, assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HAS_PDF = importlib.util.find_spec("ocop.evaluation.pdf") is not None
HAS_XLSX = importlib.util.find_spec("ocop.evaluation.rubric_xlsx") is not None


def _vi(message: str, **params) -> str:
    """A message as the (Vietnamese by default) pages show it, whatever the catalogue holds today."""
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _section(content: str, testid: str) -> str:
    start = content.index(f'data-testid="{testid}"')
    return content[start:]


def _options(data: dict, code: str) -> list[dict]:
    stack = list(data["parts"])
    while stack:
        node = stack.pop()
        if str(node["code"]) == code:
            return node["options"]
        stack.extend(node.get("children", []))
    raise AssertionError(code)


def _sheet_1_with_1_1_option_1_at_0() -> dict:
    data = copy.deepcopy(active_version(1).data)
    _options(data, "1.1")[0]["points"] = 0
    return data


@pytest.fixture
def admin_client(units):
    client = Client()
    client.force_login(make_user_with_role("system-admin", units.country))
    return client


@pytest.fixture
def draft():
    basis = get_legal_basis(BASIS_2026)
    return create_rubric_version(basis, _sheet_1_with_1_1_option_1_at_0(), change_note="1.1: 0 điểm")


# ---------------------------------------------------------------------------------------------
# List and detail
# ---------------------------------------------------------------------------------------------


def test_criteria_list_is_public_and_lists_the_26_sheets_of_26_2026(client):
    response = client.get(reverse("evaluation:rubric_list"))
    assert response.status_code == 200
    bases = {item["basis"].code: item for item in response.context["bases"]}
    assert list(bases) == ["26/2026/QĐ-TTg", "148/QĐ-TTg", "1048/QĐ-TTg"]
    assert [version.sheet_number for version in bases["26/2026/QĐ-TTg"]["sheets"]] == list(range(1, 27))
    assert bases["148/QĐ-TTg"]["sheets"] == bases["1048/QĐ-TTg"]["sheets"] == []

    content = response.content.decode()
    assert content.count('data-testid="sheet-link"') == 26
    v1 = active_version(1)
    assert f'href="{reverse("evaluation:rubric_detail", args=[v1.pk])}"' in content
    notes = [
        html.unescape(part.split(">", 1)[1].split("</div>")[0]).strip()
        for part in content.split('data-testid="no-official-text"')[1:]
    ]
    assert notes == [
        get_legal_basis("148/QĐ-TTg").parameters["rubric_note"],
        get_legal_basis("1048/QĐ-TTg").parameters["rubric_note"],
    ]
    assert content.count('data-testid="rule-period"') == 5
    assert not response.context["can_manage"]
    assert 'data-testid="rubric-import"' not in content


def test_criteria_list_shows_the_rules_of_each_period(client):
    content = client.get(reverse("evaluation:rubric_list")).content.decode()
    rows = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row.split("</tr>")[0])).split())
        for row in content.split('data-testid="rule-period"')[1:]
    ]
    assert [row.split(" QĐ ")[0] for row in rows] == [
        "> 21/08/2019 – 07/06/2020",
        "> 08/06/2020 – 23/02/2023",
        "> 24/02/2023 – 05/07/2025",
        "> 06/07/2025 – 21/07/2026",
        "> 22/05/2026 – " + _vi("today"),
    ]
    enacted, amended, current = rows[2], rows[3], rows[4]
    # 148 as enacted: 3★ at the district and forwarded from 70; with 1489: 3★ at the province.
    assert "QĐ 148/2023 1★ 0–<30" in enacted
    assert "3★: " + _vi("district") + " ;" in enacted
    assert "huyện → tỉnh/thành phố: ≥ 70" in enacted
    assert "QĐ 148/2023 + QĐ 1489/2025 " in amended
    assert "3★: " + _vi("province") + " ;" in amended
    assert "huyện →" not in amended
    assert "4★ 70–<90" in current
    assert _vi("Commune review") + ": 15 " + _vi("working days") in current


def test_sheet_detail_is_public_and_shows_markers_and_knockouts(client):
    version = active_version(1)
    response = client.get(reverse("evaluation:rubric_detail", args=[version.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    knockouts = " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", _section(content, "knockouts").split("</div>")[0])).split()
    )
    assert "Giả mạo hồ sơ hoặc không tuân thủ đầy đủ" in knockouts
    assert "6.1 · Ghi chú: Không xem xét các chỉ tiêu khác nếu sản phẩm có các tạp chất" in knockouts
    assert "1.1 · Không đáp ứng yêu cầu: 100% sản phẩm được trồng trên địa bàn cấp tỉnh" in knockouts
    row = _section(content, 'criterion-row" data-code="1.3').split("</tr>")[0]
    assert "Ứng dụng công nghệ tiên tiến" in row
    assert '<span class="text-danger fw-bold"' in row and ">*****</span>" in row
    row_15 = _section(content, 'criterion-row" data-code="1.5').split("</tr>")[0]
    assert ">****</span>" in row_15 and ">*****</span>" in row_15
    minimums = dict(response.context["minimums"])
    assert minimums[3]["2.3"].required == 1
    assert minimums[4]["2.3"].required == 3
    assert 'data-testid="draft-panel"' not in content


def test_draft_is_hidden_from_everyone_but_managers(units, draft):
    assert_permission_matrix(
        reverse("evaluation:rubric_detail", args=[draft.pk]),
        [
            PermissionCase("anonymous", None, None, 404, anonymous=True),
            PermissionCase("no role", None, None, 404),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 404),
            PermissionCase("province agency", "province-agency", units.bac_ninh, 404),
            PermissionCase("ministry office", "ministry-office", units.country, 404),
            PermissionCase("system admin", "system-admin", units.country, 200),
        ],
    )


@pytest.mark.parametrize("name", ["rubric_try", "rubric_pdf"])
def test_draft_files_and_trial_are_404_for_the_public(client, draft, name):
    assert client.get(reverse(f"evaluation:{name}", args=[draft.pk])).status_code == 404
    assert client.get(reverse("evaluation:rubric_export", args=[draft.pk, "yaml"])).status_code == 404


def test_draft_is_not_in_the_public_list_but_in_the_managers_list(client, admin_client, draft):
    link = f'href="{reverse("evaluation:rubric_detail", args=[draft.pk])}"'
    assert link not in client.get(reverse("evaluation:rubric_list")).content.decode()
    response = admin_client.get(reverse("evaluation:rubric_list"))
    assert link in response.content.decode()
    assert response.context["can_manage"]


def test_draft_detail_shows_its_diff_from_the_version_in_use(admin_client, draft):
    response = admin_client.get(reverse("evaluation:rubric_detail", args=[draft.pk]))
    assert response.status_code == 200
    assert response.context["current"] == active_version(1)
    rows = [(change.kind, change.where) for change in response.context["changes"]]
    assert rows == [("changed", "1.1 · 1")]
    diff = html.unescape(_section(response.content.decode(), "diff"))
    assert "1.1 · 1" in diff
    assert "Sản phẩm được trồng trên địa bàn cấp xã, nhưng có tỷ lệ dưới 50% → 1" in diff
    assert "Sản phẩm được trồng trên địa bàn cấp xã, nhưng có tỷ lệ dưới 50% → 0" in diff
    assert 'data-testid="activate"' in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Import, activation, discard
# ---------------------------------------------------------------------------------------------


def _upload(content: bytes, name: str = "bo-tieu-chi-01.yaml", basis: str = BASIS_2026, note: str = "Sửa 1.1"):
    return {
        "legal_basis": get_legal_basis(basis).pk,
        "file": SimpleUploadedFile(name, content, content_type="application/yaml"),
        "change_note": note,
    }


def test_import_page_is_for_reference_data_managers_only(units):
    assert_permission_matrix(
        reverse("evaluation:rubric_import"),
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 403),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 403),
            PermissionCase("province agency", "province-agency", units.bac_ninh, 403),
            PermissionCase("ministry office", "ministry-office", units.country, 403),
            PermissionCase("system admin", "system-admin", units.country, 200),
        ],
    )


def test_import_post_is_refused_to_non_managers(client, units):
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    count = RubricVersion.objects.count()
    response = client.post(
        reverse("evaluation:rubric_import"), _upload(dump_yaml(_sheet_1_with_1_1_option_1_at_0()).encode())
    )
    assert response.status_code == 403
    assert RubricVersion.objects.count() == count


def test_import_of_the_yaml_export_with_a_changed_option_creates_a_draft_with_its_diff(admin_client):
    v1 = active_version(1)
    exported = admin_client.get(reverse("evaluation:rubric_export", args=[v1.pk, "yaml"])).content.decode()
    data = read_yaml(exported)
    _options(data, "1.1")[0]["points"] = 0
    response = admin_client.post(reverse("evaluation:rubric_import"), _upload(dump_yaml(data).encode()))

    draft = RubricVersion.objects.get(legal_basis=v1.legal_basis, sheet_number=1, version=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:rubric_detail", args=[draft.pk])
    assert (draft.status, draft.replaces_id, draft.change_note) == (RubricStatus.DRAFT, v1.pk, "Sửa 1.1")
    assert draft.imported_filename == "bo-tieu-chi-01.yaml"

    page = admin_client.get(response["Location"])
    diff_rows = re.findall(r'data-testid="diff-row"><td class="text-nowrap">([^<]+)</td>', page.content.decode())
    assert diff_rows == ["1.1 · 1"]
    assert _vi(
        "Version %(version)s of sheet %(number)s was created as a draft: check the differences, then put it in use.",
        version=2,
        number=1,
    ) in _text(page)


def test_activating_the_draft_puts_it_in_the_list_and_retires_v1(admin_client, draft):
    v1 = active_version(1)
    response = admin_client.post(reverse("evaluation:rubric_activate", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:rubric_detail", args=[draft.pk])
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == (RubricStatus.RETIRED, RubricStatus.ACTIVE)

    content = Client().get(reverse("evaluation:rubric_list")).content.decode()
    assert f'href="{reverse("evaluation:rubric_detail", args=[draft.pk])}"' in content
    assert f'href="{reverse("evaluation:rubric_detail", args=[v1.pk])}"' not in content
    assert content.count('data-testid="sheet-link"') == 26
    # The retired version stays readable, with its history.
    retired = Client().get(reverse("evaluation:rubric_detail", args=[v1.pk]))
    assert retired.status_code == 200
    assert [other.version for other in retired.context["history"]] == [2, 1]


def test_activating_is_refused_to_non_managers(client, units, draft):
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    assert client.post(reverse("evaluation:rubric_activate", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == RubricStatus.DRAFT


def test_activating_an_active_version_shows_the_refusal(admin_client):
    v1 = active_version(1)
    response = admin_client.post(reverse("evaluation:rubric_activate", args=[v1.pk]), follow=True)
    assert _vi("Only a draft version can be put in use.") in _text(response)
    v1.refresh_from_db()
    assert v1.status == RubricStatus.ACTIVE


def test_discarding_the_draft_deletes_it(admin_client, draft):
    response = admin_client.post(reverse("evaluation:rubric_discard", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:rubric_list")
    assert not RubricVersion.objects.filter(pk=draft.pk).exists()


def test_import_of_a_broken_file_shows_the_problems_and_creates_nothing(admin_client):
    count = RubricVersion.objects.count()
    data = _sheet_1_with_1_1_option_1_at_0()
    _options(data, "1.1")[0]["points"] = 5
    response = admin_client.post(reverse("evaluation:rubric_import"), _upload(dump_yaml(data).encode()))
    assert response.status_code == 200
    errors = [
        html.unescape(error) for error in re.findall(r'data-testid="field-error">([^<]+)<', response.content.decode())
    ]
    assert (
        _vi(
            "%(code)s, option %(position)s: %(points)s points exceed the criterion maximum %(max)s.",
            code="1.1",
            position=1,
            points=5,
            max=3,
        )
        in errors
    )
    assert RubricVersion.objects.count() == count


def test_import_of_invalid_yaml_shows_the_error(admin_client):
    response = admin_client.post(reverse("evaluation:rubric_import"), _upload(b"parts: [\n  - code: 'A\n"))
    assert response.status_code == 200
    errors = re.findall(r'data-testid="field-error">([^<]+)<', response.content.decode())
    assert len(errors) == 1
    assert html.unescape(errors[0]).startswith(_vi("The file is not valid YAML%(where)s.", where="")[:-1])


def test_import_of_a_pdf_is_refused_by_the_form(admin_client):
    response = admin_client.post(reverse("evaluation:rubric_import"), _upload(b"%PDF-1.7", name="sheet.pdf"))
    assert response.status_code == 200
    assert _vi("Upload a .yaml or .xlsx file.") in _text(response)


def test_criteria_pages_have_no_inline_styles(admin_client, draft):
    """The Content-Security-Policy allows style-src 'self' only: a style attribute is blocked."""
    v1 = active_version(1)
    urls = [
        reverse("evaluation:rubric_list"),
        reverse("evaluation:rubric_detail", args=[v1.pk]),
        reverse("evaluation:rubric_detail", args=[draft.pk]),
        reverse("evaluation:rubric_try", args=[v1.pk]),
        reverse("evaluation:rubric_import"),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert not re.findall(r"<[^>]+\sstyle=\"[^>]*>", response.content.decode()), url


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_PDF, reason="ocop.evaluation.pdf is not there yet")
def test_blank_sheet_pdf_is_public(client):
    version = active_version(1)
    response = client.get(reverse("evaluation:rubric_pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bo-tieu-chi-01-v1.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.skipif(not HAS_XLSX, reason="ocop.evaluation.rubric_xlsx is not there yet")
def test_xlsx_export_is_a_workbook(client):
    version = active_version(1)
    response = client.get(reverse("evaluation:rubric_export", args=[version.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bo-tieu-chi-01-v1.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames
    cells = {
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    }
    assert any("Ứng dụng công nghệ tiên tiến trong sơ chế" in value for value in cells)


def test_yaml_export_round_trips_to_the_version_data(client):
    version = active_version(1)
    response = client.get(reverse("evaluation:rubric_export", args=[version.pk, "yaml"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bo-tieu-chi-01-v1.yaml"'
    assert read_yaml(response.content.decode()) == version.data


def test_export_in_an_unknown_format_is_404(client):
    assert client.get(reverse("evaluation:rubric_export", args=[active_version(1).pk, "csv"])).status_code == 404
