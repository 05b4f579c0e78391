"""Excel import in the browser, as a commune officer does it: template → fill → check → import.

The real runserver and the real background worker (``ocop run_huey``) run, as with ``make run``;
the page polls the job until the check and the import finish.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.e2e import login, vi

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_writes]

JOB_TIMEOUT = 60_000


def _filled_template(page: Page, rows: list[dict[str, object]]) -> bytes:
    """Download the template through the page and fill ``rows`` (header text → value)."""
    with page.expect_download() as download_info:
        page.get_by_test_id("template-link").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    sheet = workbook["Dữ liệu"]
    headers = [str(cell.value).removesuffix(" *") for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page: Page, name: str, content: bytes) -> None:
    page.get_by_test_id("import-form").locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )
    page.get_by_test_id("import-form").locator("button[type=submit]").click()


def test_commune_officer_imports_producers_after_a_dry_run(page: Page, shot) -> None:
    login(page, "xa_yenthe")
    page.goto("/imports/producers/new/")
    expect(page.get_by_test_id("import-columns")).to_contain_text("Mã số thuế")
    content = _filled_template(
        page,
        [
            {
                "Tên chủ thể": "Hộ Nhập Thử Một",
                "Loại hình": "Hộ sản xuất",
                "Tỉnh/thành phố": "Bắc Ninh",
                "Xã/phường": "Yên Thế",
                "Tổng số lao động": 4,
                "Lao động địa phương": 4,
            },
            {
                "Tên chủ thể": "Hộ Nhập Thử Hai",
                "Loại hình": "hộ sản xuất",
                "Tỉnh/thành phố": "bac ninh",
                "Xã/phường": "xa yen the",
                "Mã số thuế": "0100109107",
            },
            {
                "Tên chủ thể": "Hộ Nhập Thử Ba",
                "Loại hình": "Hộ sản xuất",
                "Tỉnh/thành phố": "Bắc Ninh",
                "Xã/phường": "Bố Hạ",
            },
        ],
    )
    _upload(page, "ho-san-xuat.xlsx", content)

    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-state", "checked", timeout=JOB_TIMEOUT)
    expect(page.get_by_test_id("valid-rows")).to_have_text("1")
    expect(page.get_by_test_id("error-count")).to_have_text("2")
    problems = page.get_by_test_id("problem-table").locator("tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("3")
    expect(problems.nth(0)).to_contain_text("Mã số thuế")
    expect(problems.nth(0)).to_contain_text("0100109107")
    expect(problems.nth(1)).to_contain_text("Xã/phường")
    expect(problems.nth(1)).to_contain_text("Bố Hạ")
    shot("checked")

    # Without ticking "only the valid rows" nothing is imported.
    page.get_by_test_id("confirm-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("job-state")).to_have_text(vi("Checked", "import state"))
    page.goto("/producers/?q=nhap+thu")
    expect(page.get_by_test_id("producer-results")).not_to_contain_text("Hộ Nhập Thử")

    page.go_back()
    page.get_by_test_id("confirm-form").locator("input[name=valid_only]").check()
    page.get_by_test_id("confirm-form").locator("button[type=submit]").click()
    expect(status).to_have_attribute("data-state", "done", timeout=JOB_TIMEOUT)
    shot("done")

    page.goto("/producers/?q=nhap+thu")
    results = page.get_by_test_id("producer-results")
    expect(results).to_contain_text("Hộ Nhập Thử Một")
    expect(results).not_to_contain_text("Hộ Nhập Thử Hai")
    expect(results).not_to_contain_text("Hộ Nhập Thử Ba")


def test_a_file_that_is_not_a_workbook_fails_with_a_message(page: Page) -> None:
    login(page, "tinh_bacninh")
    page.goto("/imports/products/new/")
    _upload(page, "san-pham.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-state", "failed", timeout=JOB_TIMEOUT)
    expect(page.get_by_test_id("job-message")).to_contain_text("san-pham.xlsx")


def test_upload_of_another_file_type_is_refused_on_the_form(page: Page) -> None:
    login(page, "tinh_bacninh")
    page.goto("/imports/producers/new/")
    _upload(page, "danh-sach.pdf", b"%PDF-1.7\n")
    expect(page.get_by_test_id("error-summary")).to_contain_text("danh-sach.pdf")
