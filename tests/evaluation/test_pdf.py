"""The printable criteria sheet (bộ tiêu chí kiêm phiếu đánh giá) as PDF."""

import io
import re
import time

import pytest
from pypdf import PdfReader

from ocop.evaluation.models import RubricVersion
from ocop.evaluation.pdf import render_blank_sheet_pdf, sheet_rows
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BASIS = "26/2026/QĐ-TTg"


def _version(number: int) -> RubricVersion:
    return RubricVersion.objects.select_related("legal_basis").get(
        legal_basis__code=BASIS, sheet_number=number, status="active"
    )


def _text(pdf: bytes) -> str:
    """The PDF's text with white space collapsed (lines wrap anywhere in a table cell)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("number", [1, 16, 26])
def test_blank_sheet_has_title_every_criterion_and_the_footer(number):
    version = _version(number)
    sheet = version.to_sheet()
    pdf = render_blank_sheet_pdf(version)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)

    assert "BỘ TIÊU CHÍ ĐÁNH GIÁ SẢN PHẨM OCOP" in text
    assert f"Bộ số {number}: {version.title}" in text
    assert "26/2026/QĐ-TTg" in text
    for label in ("Tên sản phẩm", "Mã số sản phẩm", "Tên chủ thể sản xuất", "Số điện thoại", "Địa chỉ"):
        assert label in text
    for leaf in sheet.leaves():
        assert re.search(rf"(?<![\d.]){re.escape(leaf.code)}\. ", text), leaf.code
    if any(knockout.kind == "dossier" for knockout in sheet.knockouts):
        assert "Hồ sơ bị loại khi" in text
    if number == 26:
        assert "Trường hợp 1" in text
        assert "Trường hợp 2" in text
    assert "TỔNG ĐIỂM 100" in text
    assert "Ý kiến của người đánh giá" in text
    assert "Người đánh giá" in text
    assert "(Ký và ghi rõ họ tên)" in text
    assert f"Trang 1/{_pages(pdf)}" in text


def test_sheet_with_a_dossier_knockout_prints_it_and_sheet_26_has_none():
    assert "Hồ sơ bị loại khi" in _text(render_blank_sheet_pdf(_version(1)))
    assert not [knockout for knockout in _version(26).to_sheet().knockouts if knockout.kind == "dossier"]


def test_rows_carry_star_markers_binary_choices_and_cases():
    rows = sheet_rows(_version(1).to_sheet())
    assert {row.stars for row in rows if row.kind == "option"} >= {"***", "****", "*****"}
    assert any(row.kind == "binary" for row in rows)
    assert next(row.text for row in rows if row.kind == "part").startswith("Phần A: ")
    requirement = next(row for row in rows if row.kind == "note" and row.text.startswith("Yêu cầu:"))
    assert "100% sản phẩm" in requirement.text

    cases = [row.text for row in sheet_rows(_version(26).to_sheet()) if row.kind == "case"]
    assert cases[:2] == [
        "a. Trường hợp 1: Dịch vụ du lịch do cộng đồng cung cấp",
        "b. Trường hợp 2: Điểm dịch vụ du lịch",
    ]


def test_product_prefills_the_header(units):
    producer = ProducerFactory(
        name="HTX Rau sạch Yên Thế", address_unit=units.yen_the, address="Thôn Hố Cát", phone="0912345678"
    )
    product = ProductFactory(producer=producer, name="Bưởi Yên Thế", code="24-07288-1-2026")
    text = _text(render_blank_sheet_pdf(_version(1), product=product))
    assert "Bưởi Yên Thế" in text
    assert "24-07288-1-2026" in text
    assert "HTX Rau sạch Yên Thế" in text
    assert "0912345678" in text
    assert "Thôn Hố Cát" in text


def test_blank_sheet_render_time_sheet_1(capsys):
    """Reports how long sheet 1 takes (no assertion on time: machines differ)."""
    version = _version(1)
    started = time.perf_counter()
    pdf = render_blank_sheet_pdf(version)
    first = time.perf_counter() - started
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        render_blank_sheet_pdf(version)
        timings.append(time.perf_counter() - started)
    with capsys.disabled():
        print(
            f"\nsheet 1: first {first:.2f} s, then best {min(timings):.2f} s of 3;"
            f" {_pages(pdf)} pages, {len(pdf) // 1024} KiB"
        )
