import csv
import datetime as dt
import io
import random
import unicodedata
import zipfile
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from ocop.core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    SpreadsheetError,
    as_text,
    attachment_header,
    build_template,
    csv_response,
    iter_csv,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    read_rows,
    write_xlsx,
    xlsx_response,
)

pytestmark = [pytest.mark.unit]

FORMS = ("Hợp tác xã", "Hộ kinh doanh", "Doanh nghiệp")
COLUMNS = [
    Column("name", "Tên chủ thể", required=True, help="Tên đầy đủ theo giấy đăng ký.", example="HTX Gà đồi Yên Thế"),
    Column("tax_code", "Mã số thuế", help="10 hoặc 13 chữ số.", example="0101234567"),
    Column("legal_form", "Loại hình", required=True, choices=FORMS, example="Hợp tác xã"),
    Column("founded_on", "Ngày thành lập", kind="date", example="15/03/2019"),
    Column("members", "Số thành viên", kind="int", example="12"),
    Column("capital", "Vốn điều lệ", kind="decimal", example="1.500.000.000"),
]
HEADERS = [column.header for column in COLUMNS]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx_bytes(*rows, title="Trang 1", extra_sheets=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for name, sheet_rows in extra_sheets:
        other = workbook.create_sheet(name)
        for row in sheet_rows:
            other.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data, filename="data.xlsx", columns=COLUMNS, **kwargs):
    return read_rows(io.BytesIO(data), filename=filename, columns=columns, **kwargs)


def error_of(data, filename="data.xlsx", **kwargs) -> str:
    with pytest.raises(SpreadsheetError) as info:
        read(data, filename, **kwargs)
    return info.value.message


def to_cp1258(text: str) -> bytes:
    """Encode like Windows-1258: precomposed base letters (â, ê, ơ, đ…) plus a combining tone mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = "".join(mark for mark in decomposed if mark in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in tones))
            out += (base + tones).encode("cp1258")
    return out


# --- templates -------------------------------------------------------------------------------------


def test_template_round_trip_gives_exact_rows_and_row_numbers():
    template = build_template(COLUMNS, title="Mẫu nhập chủ thể OCOP", instructions=["Mỗi dòng một chủ thể."])
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Dữ liệu"]
    sheet.append(["HTX Gà đồi Yên Thế", "0101234567", "Hợp tác xã", dt.date(2019, 3, 15), 12, 1_500_000_000])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Hộ ông Nguyễn Văn Đức", None, "ho kinh doanh", "01/02/2020", "3", "250.000,5"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = read(buffer.getvalue(), "mau-chu-the.xlsx")

    assert result.header_row == 1
    assert result.unknown_headers == []
    assert result.keys == ["name", "tax_code", "legal_form", "founded_on", "members", "capital"]
    assert result.rows == [
        (
            2,
            {
                "name": "HTX Gà đồi Yên Thế",
                "tax_code": "0101234567",
                "legal_form": "Hợp tác xã",
                "founded_on": dt.date(2019, 3, 15),
                "members": 12,
                "capital": 1_500_000_000,
            },
        ),
        (
            4,
            {
                "name": "Hộ ông Nguyễn Văn Đức",
                "tax_code": None,
                "legal_form": "ho kinh doanh",
                "founded_on": "01/02/2020",
                "members": "3",
                "capital": "250.000,5",
            },
        ),
    ]


def test_template_data_sheet_has_marked_headers_comments_and_dropdowns_but_no_example_row():
    workbook = load_workbook(io.BytesIO(build_template(COLUMNS, title="Mẫu", instructions=[])))

    assert workbook.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    assert workbook.active.title == "Dữ liệu"
    assert workbook["Danh mục"].sheet_state == "hidden"
    data = workbook["Dữ liệu"]
    assert [cell.value for cell in data[1]] == [
        "Tên chủ thể *",
        "Mã số thuế",
        "Loại hình *",
        "Ngày thành lập",
        "Số thành viên",
        "Vốn điều lệ",
    ]
    assert data.max_row == 1  # examples belong on the instructions sheet
    assert data.freeze_panes == "A2"
    assert data["A1"].font.b
    assert data["A1"].comment.text == "Tên đầy đủ theo giấy đăng ký."
    assert data["C1"].comment is None
    assert data.column_dimensions["B"].number_format == "@"  # tax codes keep their leading zero
    assert data.column_dimensions["D"].number_format == "dd/mm/yyyy"
    (validation,) = data.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == "'Danh mục'!$A$2:$A$4"
    assert str(validation.sqref) == "C2:C20001"
    lists = workbook["Danh mục"]
    assert [lists.cell(row=row, column=1).value for row in range(1, 5)] == ["Loại hình", *FORMS]


def test_template_instructions_sheet_has_title_lines_and_a_row_per_column():
    template = build_template(
        COLUMNS, title="Mẫu nhập chủ thể", instructions=["Dòng hướng dẫn 1", "=không là công thức"]
    )
    guide = load_workbook(io.BytesIO(template))["Hướng dẫn"]
    values = [[cell.value for cell in row] for row in guide.iter_rows()]

    assert values[0][0] == "Mẫu nhập chủ thể"
    first_column = [row[0] for row in values]
    assert "Dòng hướng dẫn 1" in first_column
    assert "=không là công thức" in first_column  # text, not a formula
    assert "Columns marked with * are required." in first_column
    assert "Enter a date as dd/mm/yyyy, e.g. 31/12/2025." in first_column
    table_start = first_column.index("Column")
    assert values[table_start] == ["Column", "Required", "Description", "Example", "Allowed values"]
    table = values[table_start + 1 : table_start + 1 + len(COLUMNS)]
    assert table[0] == ["Tên chủ thể", "Yes", "Tên đầy đủ theo giấy đăng ký.", "HTX Gà đồi Yên Thế", None]
    assert table[1][:2] == ["Mã số thuế", "No"]
    assert table[1][3] == "0101234567"
    assert table[2][4] == "Hợp tác xã; Hộ kinh doanh; Doanh nghiệp"


def test_template_without_choices_has_an_empty_hidden_list_sheet():
    columns = [Column("name", "Tên", required=True)]
    workbook = load_workbook(io.BytesIO(build_template(columns, title="T", instructions=[])))
    assert workbook["Dữ liệu"].data_validations.dataValidation == []
    assert workbook["Danh mục"].sheet_state == "hidden"


# --- reading workbooks -------------------------------------------------------------------------------


def test_read_prefers_the_data_sheet_over_the_first_sheet():
    data = xlsx_bytes(
        ["Ghi chú"],
        title="Ghi chú",
        extra_sheets=[("Dữ liệu", [["Tên chủ thể", "Loại hình"], ["HTX A", "Hợp tác xã"]])],
    )
    assert read(data).rows == [(2, {"name": "HTX A", "legal_form": "Hợp tác xã"})]


def test_read_finds_the_header_below_title_rows_and_reports_unknown_headers():
    data = xlsx_bytes(
        ["DANH SÁCH CHỦ THỂ OCOP"],
        [],
        ["STT", "TEN CHU THE", "loai  hinh", "Ghi chú", None, "tax_code"],
        [1, "HTX A", "Hợp tác xã", "x", None, 101234567],
    )
    result = read(data)
    assert result.header_row == 3
    assert result.unknown_headers == ["STT", "Ghi chú"]
    assert result.keys == ["name", "legal_form", "tax_code"]
    assert result.rows == [(4, {"name": "HTX A", "legal_form": "Hợp tác xã", "tax_code": 101234567})]


@pytest.mark.parametrize(
    "header", ["Tên chủ thể", "ten chu the", "TÊN CHỦ THỂ *", "Ten  chu  the (*)", "name", " Tên chủ thể* "]
)
def test_headers_match_without_case_diacritics_spacing_or_required_marker(header):
    result = read(xlsx_bytes([header, "Loai hinh"], ["HTX A", "Hợp tác xã"]))
    assert result.rows == [(2, {"name": "HTX A", "legal_form": "Hợp tác xã"})]


def test_headers_written_in_decomposed_unicode_match():
    header = unicodedata.normalize("NFD", "Tên chủ thể")
    result = read(xlsx_bytes([header, "Loại hình"], ["HTX A", "Hợp tác xã"]))
    assert result.keys == ["name", "legal_form"]


def test_cells_are_cleaned_but_numbers_and_dates_are_kept():
    data = xlsx_bytes(
        ["Tên chủ thể", "Loại hình", "Ngày thành lập", "Số thành viên", "Vốn điều lệ"],
        ["  HTX\u00a0A\u200b ", unicodedata.normalize("NFD", "Hợp tác xã"), dt.datetime(2020, 5, 6, 7, 8), 12, 2.5],
        ["Dòng 1\nDòng 2", "   ", None, 0, None],
    )
    assert read(data).rows == [
        (
            2,
            {
                "name": "HTX A",
                "legal_form": "Hợp tác xã",
                "founded_on": dt.date(2020, 5, 6),
                "members": 12,
                "capital": 2.5,
            },
        ),
        (3, {"name": "Dòng 1\nDòng 2", "legal_form": None, "founded_on": None, "members": 0, "capital": None}),
    ]


def test_fully_blank_rows_are_skipped_and_short_rows_are_padded():
    data = xlsx_bytes(["Tên chủ thể", "Loại hình", "Ghi chú"], [None, None, "chỉ ghi chú"], ["HTX A"], [], ["HTX B"])
    assert read(data).rows == [(3, {"name": "HTX A", "legal_form": None}), (5, {"name": "HTX B", "legal_form": None})]


def test_read_accepts_bytes_uploaded_files_and_rewinds_a_read_file():
    data = xlsx_bytes(["Tên chủ thể", "Loại hình"], ["HTX A", "Hợp tác xã"])
    expected = [(2, {"name": "HTX A", "legal_form": "Hợp tác xã"})]
    assert read_rows(data, filename="a.xlsx", columns=COLUMNS).rows == expected
    upload = SimpleUploadedFile("a.xlsx", data)
    upload.read()
    assert read_rows(upload, filename=upload.name, columns=COLUMNS).rows == expected


def test_missing_required_columns_are_listed_by_header():
    message = error_of(xlsx_bytes(["Mã số thuế", "Ghi chú"], ["0101234567", "x"]))
    assert message == "Required columns are missing: “Tên chủ thể”, “Loại hình”."


def test_a_column_given_twice_is_refused():
    message = error_of(xlsx_bytes(["Tên chủ thể", "Loại hình", "TEN CHU THE"], ["A", "B", "C"]))
    assert message == "These columns appear more than once: “TEN CHU THE”. Keep one column for each header."


def test_no_header_row_in_the_first_five_rows():
    rows = [["Báo cáo"], [], [], [], [], ["Tên chủ thể", "Loại hình"], ["HTX A", "Hợp tác xã"]]
    message = error_of(xlsx_bytes(*rows))
    assert message.startswith("No header row was found in the first 5 rows.")
    assert "“Tên chủ thể”, “Mã số thuế”, “Loại hình”" in message


def test_header_without_data_rows_is_refused():
    template = build_template(COLUMNS, title="Mẫu", instructions=[])
    assert error_of(template) == "The file has a header row but no data rows."


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\t", "\ufeff".encode(), xlsx_bytes(), xlsx_bytes([None, None], [])],
    ids=["zero-bytes", "whitespace", "bom-only", "empty-workbook", "blank-cells"],
)
def test_empty_files_are_refused(data):
    assert error_of(data) == "The file is empty."


def test_more_than_max_rows_is_refused_and_exactly_max_rows_is_read():
    rows = [["Tên chủ thể", "Loại hình"]] + [[f"HTX {i}", "Hợp tác xã"] for i in range(3)]
    assert len(read(xlsx_bytes(*rows), max_rows=3).rows) == 3
    message = error_of(xlsx_bytes(*rows, ["HTX 4", "Hợp tác xã"]), max_rows=3)
    assert message == "The file has more than 3 data rows. Split it into several files of at most 3 rows each."
    default_limit = "name,legal_form\n" + "HTX,HTX\n" * 20_001
    assert "more than 20,000 data rows" in error_of(default_limit.encode(), "x.csv")


# --- refusing what is not a spreadsheet ------------------------------------------------------------------

NOT_A_SPREADSHEET = "The file “{}” is not an Excel workbook (.xlsx) or a CSV file."


def _docx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n", "ho-so.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00", "anh.png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "anh.jpg"),
        (random.Random(7).randbytes(4096), "ngau-nhien.xlsx"),
        (_docx_like(), "van-ban.docx"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(240), "setup.exe"),
        (b"SQLite format 3\x00\x10\x00\x01\x01\x00@  " + bytes(200), "db.csv"),
    ],
    ids=["pdf", "png", "jpeg", "random-bytes", "docx", "exe", "sqlite"],
)
def test_files_that_are_not_spreadsheets_are_refused_by_content(data, filename):
    message = error_of(data, filename)
    assert message.startswith(NOT_A_SPREADSHEET.format(filename))
    assert "saved as .xlsx" in message


def test_the_file_name_in_messages_has_no_directory():
    assert error_of(b"%PDF-1.4", "C:\\Users\\An\\ho so.pdf").startswith(NOT_A_SPREADSHEET.format("ho so.pdf"))


def test_old_binary_excel_is_refused_with_save_as_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00" + bytes(64)
    message = error_of(data, "bao-cao.xls")
    assert message.startswith("This is an old-format Excel file (.xls).")
    assert "Excel Workbook (*.xlsx)" in message


def test_password_protected_workbook_is_refused():
    # An encrypted .xlsx is an OLE container holding an "EncryptedPackage" stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    assert error_of(data).startswith("The workbook is protected with a password.")


def test_damaged_workbooks_are_refused():
    good = xlsx_bytes(["Tên chủ thể", "Loại hình"], ["HTX A", "Hợp tác xã"])
    truncated = good[: len(good) // 2]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "this is not xml")
    expected = "The Excel file could not be read: it is damaged or not a real .xlsx workbook."
    assert error_of(truncated).startswith(expected)
    assert error_of(buffer.getvalue()).startswith(expected)


def test_a_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr("ocop.core.spreadsheets.MAX_UNCOMPRESSED_BYTES", 1000)
    data = xlsx_bytes(["Tên chủ thể", "Loại hình"], ["HTX A", "Hợp tác xã"])
    assert error_of(data) == "The file is too large to import. Split it into several smaller files."


def test_html_saved_as_xls_and_ods_get_save_as_advice():
    html = b"\xef\xbb\xbf<html><body><table><tr><td>T\xc3\xaan</td></tr></table></body></html>"
    assert error_of(html, "export.xls").startswith("This file is a web page (HTML) or XML")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert error_of(buffer.getvalue(), "bang.ods").startswith("This is an OpenDocument spreadsheet (.ods).")


# --- reading CSV -------------------------------------------------------------------------------------

CSV_TEXT = (
    "Tên chủ thể,Loại hình,Ngày thành lập\r\n"
    "HTX Gà đồi Yên Thế,Hợp tác xã,15/03/2019\r\n"
    ",,\r\n"
    "Hộ Đức,Hộ kinh doanh,\r\n"
)
CSV_ROWS = [
    (2, {"name": "HTX Gà đồi Yên Thế", "legal_form": "Hợp tác xã", "founded_on": "15/03/2019"}),
    (4, {"name": "Hộ Đức", "legal_form": "Hộ kinh doanh", "founded_on": None}),
]


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-8-sig"),
        CSV_TEXT.encode("utf-8"),
        to_cp1258(CSV_TEXT),
        CSV_TEXT.replace(",", ";").encode("utf-8-sig"),
        CSV_TEXT.replace(",", "\t").encode("utf-16"),
        unicodedata.normalize("NFD", CSV_TEXT).encode("utf-8"),
    ],
    ids=["utf8-bom", "utf8", "cp1258", "semicolon", "utf16-tab", "nfd"],
)
def test_csv_encodings_and_delimiters(data):
    assert read(data, "chu-the.csv").rows == CSV_ROWS


def test_windows_1252_csv_falls_back_when_windows_1258_cannot_decode():
    data = "name;legal_form\nCafé Š;x\n".encode("windows-1252")  # Š is 0x8A, undefined in Windows-1258
    assert read(data, "x.csv").rows == [(2, {"name": "Café Š", "legal_form": "x"})]


def test_csv_with_quoted_delimiters_line_breaks_and_control_characters():
    data = 'ten chu the;loai hinh\n"HTX; ""Sao Mai""";"Hợp\x00 tác\nxã"\nHTX B;Doanh nghiệp\n'.encode()
    assert read(data, "x.csv").rows == [
        (2, {"name": 'HTX; "Sao Mai"', "legal_form": "Hợp tác\nxã"}),
        (3, {"name": "HTX B", "legal_form": "Doanh nghiệp"}),
    ]


def test_csv_missing_required_column_and_max_rows():
    assert error_of(b"Ten chu the\nHTX A\n", "x.csv") == "Required columns are missing: “Loại hình”."
    many = "name,legal_form\n" + "HTX,HTX\n" * 6
    assert error_of(many.encode(), "x.csv", max_rows=5).startswith("The file has more than 5 data rows.")


# --- cell parsing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        (12, 12),
        (12.0, 12),
        (Decimal("7"), 7),
        ("12", 12),
        (" 1.500 ", 1500),
        ("1,500", 1500),
        ("1.500.000", 1_500_000),
        ("-3", -3),
        ("2,0", 2),
    ],
)
def test_parse_int_valid(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["abc", "1.5", "2,5", 1.5, True, dt.date(2020, 1, 1), "12 người", "1.5.0"])
def test_parse_int_invalid(value):
    with pytest.raises(ValidationError) as info:
        parse_int(value)
    assert info.value.messages == ["Enter a whole number, e.g. 12."]


def test_parse_int_min_value():
    assert parse_int("0", min_value=0) == 0
    with pytest.raises(ValidationError) as info:
        parse_int(-1, min_value=0)
    assert info.value.code == "min_value"
    assert info.value.messages == ["Enter a whole number of at least 0."]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (1500000, Decimal(1500000)),
        (0.1, Decimal("0.1")),
        (Decimal("2.50"), Decimal("2.50")),
        ("1500000", Decimal(1500000)),
        ("1.500.000", Decimal(1500000)),
        ("1,500,000", Decimal(1500000)),
        ("1.5", Decimal("1.5")),
        ("1,5", Decimal("1.5")),
        # one separator followed by exactly three digits groups thousands
        ("1.500", Decimal(1500)),
        ("1,500", Decimal(1500)),
        ("250.000", Decimal(250000)),
        # … unless the whole part cannot start a thousands group
        ("0.500", Decimal("0.500")),
        ("1234.567", Decimal("1234.567")),
        ("12.50", Decimal("12.50")),
        # both separators: the last one written is the decimal separator
        ("1.500.000,5", Decimal("1500000.5")),
        ("1,500,000.25", Decimal("1500000.25")),
        ("1.234,5", Decimal("1234.5")),
        ("-1.500", Decimal(-1500)),
        ("+2,5", Decimal("2.5")),
        ("1 500 000", Decimal(1500000)),
        ("1.500.000 đ", Decimal(1500000)),
        ("1.500.000₫", Decimal(1500000)),
        ("2.000.000 VNĐ", Decimal(2000000)),
    ],
)
def test_parse_decimal_valid(value, expected):
    result = parse_decimal(value)
    assert result == expected
    if result is not None:
        assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "1.5.0",  # repeated separator must group thousands
        "1,50,000",  # Indian grouping
        "1.500,000.5",  # decimal separator written twice
        "1,5.5",  # thousands group too short
        "1500.000,5",  # first group too long
        ".5",
        "5.",
        "1e5",
        "--1",
        "đ",
        True,
        float("nan"),
        float("inf"),
        dt.date(2020, 1, 1),
    ],
)
def test_parse_decimal_invalid(value):
    with pytest.raises(ValidationError) as info:
        parse_decimal(value)
    assert info.value.messages == ["Enter a number, e.g. 1.500.000 or 2,5."]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (" ", None),
        (dt.date(2026, 2, 28), dt.date(2026, 2, 28)),
        (dt.datetime(2026, 2, 28, 13, 45), dt.date(2026, 2, 28)),
        ("31/12/2025", dt.date(2025, 12, 31)),
        ("3/4/2026", dt.date(2026, 4, 3)),
        ("03/04/2026", dt.date(2026, 4, 3)),
        ("03-04-2026", dt.date(2026, 4, 3)),
        ("03.04.2026", dt.date(2026, 4, 3)),
        ("2026-04-03", dt.date(2026, 4, 3)),
        ("2026-04-03 00:00:00", dt.date(2026, 4, 3)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        (" 31/12/2025 ", dt.date(2025, 12, 31)),
    ],
)
def test_parse_date_valid(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/12/25", "2025/12/31", "ngày 1 tháng 2", "12-31", 45000, 45000.5, dt.time(8, 0)])
def test_parse_date_wrong_format(value):
    with pytest.raises(ValidationError) as info:
        parse_date(value)
    assert info.value.messages == ["Enter a date as dd/mm/yyyy, e.g. 31/12/2025."]


@pytest.mark.parametrize("value", ["31/02/2026", "29/02/2025", "00/01/2026", "12/13/2026", "2026-02-30"])
def test_parse_date_impossible_dates(value):
    with pytest.raises(ValidationError) as info:
        parse_date(value)
    assert info.value.code == "invalid_date"
    assert info.value.messages == [f"“{value}” is not a real date (check the day and the month)."]


LEGAL_FORMS = {"cooperative": "Hợp tác xã", "household": "Hộ kinh doanh", "3": "Ba sao"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("Hợp tác xã", "cooperative"),
        ("HOP TAC XA", "cooperative"),
        ("  hộ  kinh doanh ", "household"),
        ("household", "household"),
        ("Cooperative", "cooperative"),
        (3, "3"),
        (3.0, "3"),
    ],
)
def test_parse_choice_valid(value, expected):
    assert parse_choice(value, LEGAL_FORMS) == expected


def test_parse_choice_invalid_lists_the_labels():
    with pytest.raises(ValidationError) as info:
        parse_choice("Công ty", LEGAL_FORMS)
    assert info.value.code == "invalid_choice"
    assert info.value.messages == [
        "“Công ty” is not an allowed value. Choose one of: Hợp tác xã; Hộ kinh doanh; Ba sao."
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (" a\u00a0b ", "a b"),
        (101234567, "101234567"),
        (101234567.0, "101234567"),
        (2.5, "2.5"),
        (Decimal("1500.50"), "1500.5"),
        (dt.date(2026, 1, 2), "02/01/2026"),
    ],
)
def test_as_text(value, expected):
    assert as_text(value) == expected


def test_column_kind_is_checked():
    with pytest.raises(ValueError, match="kind"):
        Column("x", "X", kind="number")


# --- writing -------------------------------------------------------------------------------------------


def test_write_xlsx_reads_back_with_formats():
    rows = [
        {
            "name": "HTX Gà đồi Yên Thế",
            "tax_code": "0101234567",
            "legal_form": "Hợp tác xã",
            "founded_on": dt.date(2019, 3, 15),
            "members": 12,
            "capital": Decimal("1500000000"),
        },
        ['=HYPERLINK("http://x")', 2025, None, None, 1_234, Decimal("2.5")],
    ]
    workbook = load_workbook(io.BytesIO(write_xlsx(COLUMNS, rows, sheet_title="Chủ thể")))
    sheet = workbook.active

    assert sheet.title == "Chủ thể"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 20
    first = sheet[2]
    assert [cell.value for cell in first] == [
        "HTX Gà đồi Yên Thế",
        "0101234567",
        "Hợp tác xã",
        dt.datetime(2019, 3, 15),
        12,
        1500000000,
    ]
    assert first[3].number_format == "dd/mm/yyyy"
    assert first[4].number_format == "#,##0"
    assert first[5].number_format == "#,##0"
    second = sheet[3]
    assert second[0].value == '=HYPERLINK("http://x")'
    assert second[0].data_type == "s"  # text, never a formula
    assert second[1].value == 2025
    assert second[1].number_format == "General"  # a number in a text column is not grouped
    assert second[5].value == 2.5
    assert second[5].number_format == "#,##0.###"


def test_write_xlsx_datetimes_are_local_and_control_characters_dropped():
    aware = dt.datetime(2026, 1, 1, 17, 30, tzinfo=dt.UTC)
    columns = [Column("at", "Thời điểm", kind="date"), Column("note", "Ghi chú")]
    sheet = load_workbook(io.BytesIO(write_xlsx(columns, [{"at": aware, "note": "a\x00b\x1fc"}]))).active
    assert sheet["A2"].value == dt.datetime(2026, 1, 2, 0, 30)  # Asia/Ho_Chi_Minh
    assert sheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["B2"].value == "abc"
    assert sheet.title == "Dữ liệu"


def test_write_xlsx_output_reads_back_through_read_rows():
    rows = [
        {"name": f"Chủ thể {i}", "legal_form": FORMS[i % 3], "founded_on": dt.date(2020, 1, 1 + i)} for i in range(5)
    ]
    result = read(write_xlsx(COLUMNS, rows))
    assert [values["name"] for _, values in result.rows] == [f"Chủ thể {i}" for i in range(5)]
    assert result.rows[0] == (
        2,
        {
            "name": "Chủ thể 0",
            "tax_code": None,
            "legal_form": "Hợp tác xã",
            "founded_on": dt.date(2020, 1, 1),
            "members": None,
            "capital": None,
        },
    )


def test_iter_csv_starts_with_a_bom_and_round_trips_vietnamese():
    rows = [
        {
            "name": 'HTX "Sao Mai", Đắk Lắk',
            "legal_form": "Hợp tác xã",
            "founded_on": dt.date(2019, 3, 5),
            "capital": Decimal("1.50"),
        },
        ["=1+1", "-5", "Hộ kinh doanh", None, 1500000, 2.5],
    ]
    content = b"".join(iter_csv(COLUMNS, rows))
    assert content.startswith(b"\xef\xbb\xbfT\xc3\xaan ch\xe1\xbb\xa7 th\xe1\xbb\x83,")
    records = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert records == [
        HEADERS,
        ['HTX "Sao Mai", Đắk Lắk', "", "Hợp tác xã", "05/03/2019", "", "1.5"],
        ["'=1+1", "'-5", "Hộ kinh doanh", "", "1500000", "2.5"],
    ]
    assert content.count(b"\r\n") == 3
    # the apostrophe that defuses formulas is removed again on import
    assert read(content, "x.csv").rows[1][1]["name"] == "=1+1"


def test_iter_csv_streams_in_chunks_with_a_single_bom():
    rows = ({"name": "Hợp tác xã " * 10} for _ in range(2000))
    chunks = list(iter_csv(COLUMNS, rows))
    assert len(chunks) > 2
    assert chunks[0].startswith(b"\xef\xbb\xbf")
    assert all(not chunk.startswith(b"\xef\xbb\xbf") for chunk in chunks[1:])
    assert len(b"".join(chunks).decode("utf-8-sig").splitlines()) == 2001


# --- responses -----------------------------------------------------------------------------------------


def test_attachment_header_for_a_vietnamese_filename():
    header = attachment_header("Danh sách chủ thể Đắk Lắk 2025.xlsx")
    assert header == (
        'attachment; filename="Danh sach chu the Dak Lak 2025.xlsx"; '
        "filename*=UTF-8''Danh%20s%C3%A1ch%20ch%E1%BB%A7%20th%E1%BB%83%20%C4%90%E1%BA%AFk%20L%E1%BA%AFk%202025.xlsx"
    )
    header.encode("ascii")
    assert unquote(header.split("''", 1)[1]) == "Danh sách chủ thể Đắk Lắk 2025.xlsx"


def test_attachment_header_for_ascii_and_awkward_filenames():
    assert attachment_header("san-pham.csv") == 'attachment; filename="san-pham.csv"'
    assert attachment_header('../a"b.csv') == 'attachment; filename="a\\"b.csv"'
    assert "\n" not in attachment_header("bad\r\nname.xlsx")
    assert attachment_header("Ảnh.xlsx").startswith('attachment; filename="Anh.xlsx"; ')


def test_xlsx_response():
    response = xlsx_response(b"PK\x03\x04", "Sản phẩm.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="San pham.xlsx"; filename*=UTF-8')
    assert response.content == b"PK\x03\x04"


def test_csv_response_streams_the_csv():
    response = csv_response(COLUMNS, [{"name": "Gà đồi"}], "Chủ thể.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == CSV_CONTENT_TYPE == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="Chu the.csv"; ')
    body = b"".join(response.streaming_content)
    assert body.decode("utf-8-sig").splitlines()[1] == "Gà đồi,,,,,"
