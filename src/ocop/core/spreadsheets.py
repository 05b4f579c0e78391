"""Excel (.xlsx) and CSV import and export, shared by the registry's importers and list exports.

No database access and no models: importers describe their file with :class:`Column`, read it with
:func:`read_rows`, turn each raw cell into a value with the ``parse_*`` helpers, and report the
problems by row number and column header. Exports go through :func:`write_xlsx` / :func:`iter_csv`
and the two response helpers; import templates through :func:`build_template`.

Files are Vietnamese: ``Column.header`` is the Vietnamese header text, the data sheet is called
"Dữ liệu". Messages for the user are English msgids (the ``vi`` catalogue translates them).

Reading
    The format is decided by content, never by the file name: a zip holding ``xl/workbook.xml`` is
    an Excel workbook, text is CSV, and everything else is refused with a message that says what
    to do (an old .xls, a password-protected workbook, an .ods, a web page saved as .xls, a PDF or a
    picture). Headers are matched without regard to case, diacritics, spacing or a trailing ``*``
    (the required marker of the templates), and the column key is accepted as a header too.

Numbers written by people
    Vietnamese writes ``1.500.000,5`` where English writes ``1,500,000.5``. :func:`parse_decimal`
    accepts both by pattern, see its docstring for the rule.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath, PureWindowsPath
from typing import BinaryIO
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ocop.core.text import fold_vi

__all__ = [
    "CSV_CONTENT_TYPE",
    "DATA_SHEET",
    "LISTS_SHEET",
    "MAX_ROWS",
    "XLSX_CONTENT_TYPE",
    "Column",
    "ReadResult",
    "SpreadsheetError",
    "as_text",
    "attachment_header",
    "build_template",
    "csv_response",
    "iter_csv",
    "parse_choice",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "read_rows",
    "write_xlsx",
    "xlsx_response",
]

DATA_SHEET = "Dữ liệu"
INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
MAX_ROWS = 20_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
FRACTION_FORMAT = "#,##0.###"
TEXT_FORMAT = "@"
KINDS = ("text", "int", "decimal", "date")

HEADER_SEARCH_ROWS = 5
# Every row of a filled-in template that may need a drop-down (the default import limit).
TEMPLATE_ROWS = MAX_ROWS
# A genuine 20,000-row workbook unpacks to a few tens of MB; anything far beyond is a zip bomb.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
CSV_CHUNK_CHARS = 64 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML_MARKER = "EncryptedPackage".encode("utf-16-le")
_BINARY_MAGICS = (
    b"%PDF",  # PDF
    b"\x89PNG",  # PNG
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WebP, AVI, WAV
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"{\\rtf",
)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|table|\?xml)", re.IGNORECASE)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_REQUIRED_MARK = re.compile(r"\s*(?:\(\s*\*\s*\)|\*)\s*$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------------------------------
# Description of a file


@dataclass(frozen=True)
class Column:
    """One column of an import or export file.

    ``header`` is the Vietnamese text in the file ("Tên chủ thể"); ``key`` names the value in the
    row dicts and is accepted as a header too. ``choices`` are the labels offered in the template's
    drop-down. ``kind`` drives formatting only (text columns of a template are formatted as text so
    Excel keeps leading zeros; int and decimal columns of an export get thousands separators); the
    importer still parses every cell with a ``parse_*`` helper.
    """

    key: str
    header: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    example: str = ""
    kind: str = "text"  # "text" | "int" | "decimal" | "date"
    width: int = 20

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.key!r}: kind must be one of {KINDS}, not {self.kind!r}")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read. ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ReadResult:
    """What :func:`read_rows` found.

    ``rows`` holds ``(row_number, values)`` pairs: the row number as Excel shows it (1-based, the
    header row counted) and a dict from column key to the raw cell value (``str``, ``int``,
    ``float``, ``bool``, ``datetime.date`` or ``None`` for an empty cell). Each dict has exactly
    the keys in ``keys``: the columns present in the file, in file order. A column absent from the
    file is absent from the dicts, so an importer can tell "not supplied" from "left blank".
    """

    rows: list[tuple[int, dict[str, object]]]
    unknown_headers: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    header_row: int = 1


# --------------------------------------------------------------------------------------------------
# Reading


def read_rows(
    fileobj: BinaryIO | bytes,
    *,
    filename: str,
    columns: list[Column],
    max_rows: int = MAX_ROWS,
) -> ReadResult:
    """Read an uploaded .xlsx or .csv file into row dicts keyed by ``Column.key``.

    Workbooks: the sheet named "Dữ liệu" if there is one, else the first worksheet; formulas give
    their last computed value; date cells come back as ``datetime.date``. CSV: UTF-8 with or
    without a BOM (or UTF-16 with a BOM, Excel's "Unicode text"), else Windows-1258 or
    Windows-1252; the delimiter (comma, semicolon or tab) is the one whose header row matches best.

    The header row is the one among the first five rows that matches the most columns; rows above
    it (a title) are ignored. Fully blank rows are skipped. Strings are NFC-normalised and stripped;
    tabs and non-breaking spaces become spaces, other control and zero-width characters are removed
    (line breaks inside a cell are kept as ``\\n``); an empty string becomes ``None``.

    Raises :class:`SpreadsheetError` when the file is not a readable spreadsheet, is empty, has no
    header row, lacks a required column, repeats a column, has no data rows or has more than
    ``max_rows`` of them.
    """
    data = _read_bytes(fileobj)
    name = _base_name(filename)
    if not data.strip():
        # vi: "Tệp không có dữ liệu."
        raise SpreadsheetError(gettext("The file is empty."))
    lookup = _header_lookup(columns)
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, name=name, columns=columns, lookup=lookup, max_rows=max_rows)
    _refuse_binary(data, name=name)
    return _read_csv(data, name=name, columns=columns, lookup=lookup, max_rows=max_rows)


def _read_bytes(fileobj: BinaryIO | bytes) -> bytes:
    if isinstance(fileobj, bytes | bytearray | memoryview):
        return bytes(fileobj)
    if hasattr(fileobj, "seek"):
        with contextlib.suppress(OSError, ValueError):  # a stream that cannot rewind: read what is left
            fileobj.seek(0)
    data = fileobj.read()
    if isinstance(data, str):  # a text-mode file: treat as CSV text
        return data.encode("utf-8")
    return data


def _base_name(filename: str) -> str:
    return PureWindowsPath(PurePosixPath(filename or "").name).name


def _not_a_spreadsheet(name: str) -> SpreadsheetError:
    # vi: "Tệp “%(filename)s” không phải là bảng tính Excel (.xlsx) hoặc tệp CSV. Hãy tải lên mẫu nhập
    #     liệu đã điền và lưu dưới dạng .xlsx."
    return SpreadsheetError(
        gettext(
            "The file “%(filename)s” is not an Excel workbook (.xlsx) or a CSV file. "
            "Upload the import template, filled in and saved as .xlsx."
        )
        % {"filename": name}
    )


def _refuse_binary(data: bytes, *, name: str) -> None:
    """Refuse the formats people upload by mistake, with advice where there is some."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OOXML_MARKER in data:
            raise SpreadsheetError(
                # vi: "Bảng tính đang được đặt mật khẩu. Hãy gỡ mật khẩu trong Excel (Tệp → Thông tin → Bảo vệ
                #     sổ làm việc), lưu lại rồi tải lên lần nữa."
                gettext(
                    "The workbook is protected with a password. Remove the password in Excel "
                    "(File → Info → Protect Workbook), save it and upload it again."
                )
            )
        raise SpreadsheetError(
            # vi: "Đây là tệp Excel định dạng cũ (.xls). Hãy mở tệp trong Excel, chọn Lưu thành → “Sổ làm việc
            #     Excel (*.xlsx)” rồi tải lên tệp .xlsx."
            gettext(
                "This is an old-format Excel file (.xls). Open it in Excel, choose Save As → "
                "“Excel Workbook (*.xlsx)” and upload the .xlsx file."
            )
        )
    if _HTML_START.match(data[:1024]):
        raise SpreadsheetError(
            # vi: "Tệp này là trang web (HTML) hoặc XML mang tên tệp Excel, không phải bảng tính thật. Hãy mở
            #     tệp trong Excel, chọn Lưu thành → “Sổ làm việc Excel (*.xlsx)” rồi tải lên tệp .xlsx."
            gettext(
                "This file is a web page (HTML) or XML with an Excel file name, not a real workbook. "
                "Open it in Excel, choose Save As → “Excel Workbook (*.xlsx)” and upload the .xlsx file."
            )
        )
    if data.startswith(_BINARY_MAGICS):
        raise _not_a_spreadsheet(name)


# --- xlsx ---


def _read_xlsx(data: bytes, *, name: str, columns, lookup, max_rows: int) -> ReadResult:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            mimetype = archive.read("mimetype")[:200] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged_workbook() from exc
    if "xl/workbook.xml" not in names:
        if b"opendocument.spreadsheet" in mimetype:
            raise SpreadsheetError(
                # vi: "Đây là bảng tính OpenDocument (.ods). Hãy lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)”
                #     rồi tải lên tệp .xlsx."
                gettext(
                    "This is an OpenDocument spreadsheet (.ods). Save it as “Excel Workbook (.xlsx)” "
                    "and upload the .xlsx file."
                )
            )
        raise _not_a_spreadsheet(name)
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        # vi: "Tệp quá lớn để nhập. Hãy chia thành nhiều tệp nhỏ hơn."
        raise SpreadsheetError(gettext("The file is too large to import. Split it into several smaller files."))
    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style" and similar notices about files from other tools.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to TypeError on a broken file
        raise _damaged_workbook() from exc
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise _damaged_workbook()
        sheet = next((ws for ws in sheets if fold_vi(ws.title) == fold_vi(DATA_SHEET)), sheets[0])
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
        try:
            rows = enumerate(sheet.iter_rows(values_only=True), start=1)
            return _read_table(rows, columns=columns, lookup=lookup, max_rows=max_rows)
        except SpreadsheetError:
            raise
        except Exception as exc:  # a damaged sheet part fails only while it is read
            raise _damaged_workbook() from exc
    finally:
        workbook.close()


def _damaged_workbook() -> SpreadsheetError:
    # vi: "Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx. Hãy mở tệp trong Excel,
    #     lưu lại dưới dạng .xlsx rồi tải lên lần nữa."
    return SpreadsheetError(
        gettext(
            "The Excel file could not be read: it is damaged or not a real .xlsx workbook. "
            "Open it in Excel, save it again as .xlsx and upload it again."
        )
    )


# --- csv ---


def _decode_text(data: bytes, *, name: str) -> str:
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    encodings = ("utf-16",) if utf16 else ("utf-8-sig", "cp1258", "windows-1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.removeprefix("\ufeff")
    raise _not_a_spreadsheet(name)


def _read_csv(data: bytes, *, name: str, columns, lookup, max_rows: int) -> ReadResult:
    text = _decode_text(data, name=name)
    # Other binary files either fail to decode or decode to text full of control characters; a few
    # stray ones (a NUL pasted into a cell) are only removed from the values.
    sample = text[:65536]
    controls = sum(1 for char in sample if unicodedata.category(char) == "Cc" and char not in "\t\r\n")
    if controls > 2 and controls * 20 > len(sample):
        raise _not_a_spreadsheet(name)
    delimiter = _sniff_delimiter(text, lookup)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = ((number, [_unescape_formula(v) for v in record]) for number, record in enumerate(reader, start=1))
    try:
        return _read_table(rows, columns=columns, lookup=lookup, max_rows=max_rows)
    except csv.Error as exc:  # a field over the size limit, a NUL in a quoted field
        raise _not_a_spreadsheet(name) from exc


def _sniff_delimiter(text: str, lookup: dict[str, str]) -> str:
    """The delimiter whose split of the first rows matches the most headers (then: most fields)."""
    head = "\n".join(text[:65536].splitlines()[: HEADER_SEARCH_ROWS * 4])
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        try:
            records = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))[:HEADER_SEARCH_ROWS]
        except csv.Error:
            continue
        matches = max((len(_match_headers(record, lookup)[0]) for record in records), default=0)
        fields = max((len(record) for record in records), default=0)
        if (matches, fields) > best_score:
            best, best_score = delimiter, (matches, fields)
    return best


def _unescape_formula(value: str) -> str:
    """Undo the apostrophe :func:`iter_csv` puts before text that Excel would take for a formula."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


# --- shared ---


def _header_lookup(columns: list[Column]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in columns:
        for text in (column.header, column.key):
            folded = _fold_header(text)
            if lookup.get(folded, column.key) != column.key:
                raise ValueError(f"Columns {lookup[folded]!r} and {column.key!r} share the header {text!r}")
            lookup[folded] = column.key
    return lookup


def _fold_header(value: object) -> str:
    text = _clean_cell(value)
    if not isinstance(text, str):
        return "" if text is None else str(text)
    return fold_vi(_REQUIRED_MARK.sub("", text))


def _match_headers(record: Sequence[object], lookup: dict[str, str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Positions of the known columns, the unknown header texts, and headers given twice."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, value in enumerate(record):
        folded = _fold_header(value)
        if not folded:
            continue
        key = lookup.get(folded)
        if key is None:
            unknown.append(str(_clean_cell(value)))
        elif key in positions:
            repeated.append(str(_clean_cell(value)))
        else:
            positions[key] = index
    return positions, unknown, repeated


def _read_table(rows: Iterator[tuple[int, Sequence[object]]], *, columns, lookup, max_rows: int) -> ReadResult:
    head = []
    for number, record in rows:
        head.append((number, record))
        if len(head) == HEADER_SEARCH_ROWS:
            break
    best = None
    for index, (number, record) in enumerate(head):
        positions, unknown, repeated = _match_headers(record, lookup)
        if positions and (best is None or len(positions) > len(best[2])):
            best = (index, number, positions, unknown, repeated)
    if best is None:
        if not any(any(_clean_cell(value) is not None for value in record) for _, record in head):
            # vi: "Tệp không có dữ liệu."
            raise SpreadsheetError(gettext("The file is empty."))
        expected = ", ".join(f"“{column.header}”" for column in columns[:3])
        raise SpreadsheetError(
            # vi: "Không tìm thấy dòng tiêu đề trong %(rows)s dòng đầu. Dòng tiêu đề phải chứa tên các cột của mẫu
            #     nhập liệu, ví dụ %(headers)s."
            gettext(
                "No header row was found in the first %(rows)s rows. The header row must contain the "
                "column names of the import template, e.g. %(headers)s."
            )
            % {"rows": HEADER_SEARCH_ROWS, "headers": expected}
        )
    head_index, header_row, positions, unknown, repeated = best
    if repeated:
        raise SpreadsheetError(
            # vi: "Các cột sau xuất hiện nhiều lần: %(columns)s. Hãy giữ lại một cột cho mỗi tiêu đề."
            gettext("These columns appear more than once: %(columns)s. Keep one column for each header.")
            % {"columns": ", ".join(f"“{header}”" for header in repeated)}
        )
    missing = [column.header for column in columns if column.required and column.key not in positions]
    if missing:
        raise SpreadsheetError(
            # vi: "Thiếu các cột bắt buộc: %(columns)s."
            gettext("Required columns are missing: %(columns)s.")
            % {"columns": ", ".join(f"“{header}”" for header in missing)}
        )

    keys = sorted(positions, key=positions.__getitem__)
    layout = [(key, positions[key]) for key in keys]
    result: list[tuple[int, dict[str, object]]] = []

    def take(number: int, record: Sequence[object]) -> None:
        width = len(record)
        values = {key: _clean_cell(record[index]) if index < width else None for key, index in layout}
        if all(value is None for value in values.values()):
            return
        if len(result) >= max_rows:
            raise SpreadsheetError(
                # vi: "Tệp có hơn %(max_rows)s dòng dữ liệu. Hãy chia thành nhiều tệp, mỗi tệp tối đa
                #     %(max_rows)s dòng."
                gettext(
                    "The file has more than %(max_rows)s data rows. "
                    "Split it into several files of at most %(max_rows)s rows each."
                )
                % {"max_rows": number_format(max_rows, force_grouping=True)}
            )
        result.append((number, values))

    for number, record in head[head_index + 1 :]:
        take(number, record)
    for number, record in rows:
        take(number, record)
    if not result:
        # vi: "Tệp có dòng tiêu đề nhưng chưa có dòng dữ liệu nào."
        raise SpreadsheetError(gettext("The file has a header row but no data rows."))
    return ReadResult(rows=result, unknown_headers=unknown, keys=keys, header_row=header_row)


def _clean_text(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # the slow path only for control, format and non-ASCII space characters
        text = text.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
        text = "".join(
            " " if char in "\t\xa0\u202f" else char
            for char in text
            if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs")
        )
    return text.strip()


def _clean_cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str):
        return _clean_text(value) or None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# --------------------------------------------------------------------------------------------------
# Cell parsing (for importers): blank cells give None, anything else a value or a ValidationError


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not _clean_text(value))


def as_text(value: object) -> str:
    """A cell as text: "" for blank, whole numbers without ".0", dates as dd/mm/yyyy.

    Use it for text columns that Excel may have turned into numbers (tax codes, phone numbers).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value)
    return str(value)


_GROUPED = {sep: re.compile(rf"[1-9]\d{{0,2}}(?:{re.escape(sep)}\d{{3}})+") for sep in ".,"}
_CURRENCY_SUFFIX = re.compile(r"\s*(?:₫|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _number_text(text: str) -> str | None:
    """Rewrite a number as written by a person into Decimal syntax, or None if it is not one."""
    text = _SPACES.sub("", _CURRENCY_SUFFIX.sub("", text.strip()))
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:]
    if not re.fullmatch(r"\d[\d.,]*\d|\d", text):
        return None
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = text.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPED[thousands_sep].fullmatch(whole):
            return None
        return f"{sign}{whole.replace(thousands_sep, '')}.{fraction}"
    if not (has_dot or has_comma):
        return sign + text
    separator = "." if has_dot else ","
    parts = text.split(separator)
    if len(parts) > 2:
        return sign + text.replace(separator, "") if _GROUPED[separator].fullmatch(text) else None
    whole, fraction = parts
    if len(fraction) == 3 and _GROUPED[separator].fullmatch(text):
        return sign + whole + fraction
    return f"{sign}{whole}.{fraction}"


def parse_decimal(value: object) -> Decimal | None:
    """A number cell as a ``Decimal`` (``None`` when blank).

    Numbers stored as numbers are taken as they are. Text is read by pattern, because Vietnamese
    uses "." for thousands and "," for decimals while English does the opposite:

    - both "." and "," present: the one written last is the decimal separator, and the other must
      group thousands correctly ("1.500.000,5" and "1,500,000.5" are both 1500000.5);
    - one separator used more than once: thousands ("1.500.000" = "1,500,000" = 1500000);
    - one separator used once and followed by exactly three digits, after one to three digits that
      do not start with 0: thousands ("1.500" = "1,500" = 1500, "250.000" = 250000);
    - any other single separator: decimal ("1.5" = "1,5" = 1.5, "0.500" = 0.5, "1234.567").

    Spaces inside the number, a leading sign and a trailing "đ", "₫", "VND" or "VNĐ" are allowed.
    """
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise _invalid_number()
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        normalised = _number_text(value)
        if normalised is None:
            raise _invalid_number()
        number = Decimal(normalised)
    else:
        raise _invalid_number()
    if not number.is_finite():
        raise _invalid_number()
    return number


def _invalid_number() -> ValidationError:
    # vi: "Hãy nhập một số, ví dụ 1.500.000 hoặc 2,5."
    return ValidationError(gettext("Enter a number, e.g. 1.500.000 or 2,5."), code="invalid")


def parse_int(value: object, *, min_value: int | None = None) -> int | None:
    """A whole-number cell as an ``int`` (``None`` when blank); text follows :func:`parse_decimal`."""
    if _is_blank(value):
        return None
    try:
        number = parse_decimal(value)
    except ValidationError:
        number = None
    if number is None or number != number.to_integral_value():
        # vi: "Hãy nhập một số nguyên, ví dụ 12."
        raise ValidationError(gettext("Enter a whole number, e.g. 12."), code="invalid")
    result = int(number)
    if min_value is not None and result < min_value:
        raise ValidationError(
            # vi: "Hãy nhập một số nguyên không nhỏ hơn %(min_value)s."
            gettext("Enter a whole number of at least %(min_value)s."),
            code="min_value",
            params={"min_value": min_value},
        )
    return result


_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def parse_date(value: object) -> dt.date | None:
    """A date cell as a ``datetime.date`` (``None`` when blank).

    Accepts date and datetime cells, and text as dd/mm/yyyy or d/m/yyyy (also with "-" or "." as
    separator) or yyyy-mm-dd, optionally followed by a time, which is dropped. Day-first is the only
    order read besides ISO: "03/04/2026" is 3 April. Impossible dates (31/02/2026) are refused.
    Numbers are refused too: a serial number means the cell was not formatted as a date.
    """
    if _is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise _invalid_date_format()
    text = _clean_text(value)
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise _invalid_date_format()
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            # vi: "“%(value)s” không phải là ngày có thật (hãy kiểm tra ngày và tháng)."
            gettext("“%(value)s” is not a real date (check the day and the month)."),
            code="invalid_date",
            params={"value": text},
        ) from None


def _invalid_date_format() -> ValidationError:
    # vi: "Hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2025."
    return ValidationError(gettext("Enter a date as dd/mm/yyyy, e.g. 31/12/2025."), code="invalid")


def parse_choice(value: object, choices: Mapping[str, str]) -> str | None:
    """The choice value (a key of ``choices``) whose label or value the cell names, or ``None`` when blank.

    ``choices`` maps value → label, e.g. ``dict(LegalForm.choices)``. Matching ignores case,
    diacritics and spacing: "ho kinh doanh" finds "Hộ kinh doanh".
    """
    if _is_blank(value):
        return None
    text = as_text(value)
    folded = fold_vi(text)
    for key, label in choices.items():
        if folded in (fold_vi(str(label)), fold_vi(str(key))):
            return key
    raise ValidationError(
        # vi: "“%(value)s” không phải là giá trị được phép. Hãy chọn một trong: %(choices)s."
        gettext("“%(value)s” is not an allowed value. Choose one of: %(choices)s."),
        code="invalid_choice",
        params={"value": text, "choices": "; ".join(str(label) for label in choices.values())},
    )


# --------------------------------------------------------------------------------------------------
# Writing


def _row_values(columns: list[Column], row: Mapping | Sequence) -> Sequence:
    if isinstance(row, Mapping):
        return [row.get(column.key) for column in columns]
    return row


def _naive_local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _date_text(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        return _naive_local(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _excel_text(text: str) -> str:
    """Text that openpyxl accepts: no control characters, at most 32,767 characters."""
    if not text.isprintable():
        text = "".join(char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs"))
    return text[:32767]


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")
    return cleaned[:31] or DATA_SHEET


def write_xlsx(columns: list[Column], rows: Iterable[Mapping | Sequence], *, sheet_title: str = DATA_SHEET) -> bytes:
    """An .xlsx export: bold, frozen header row, then one row per item of ``rows``.

    ``rows`` yields dicts keyed by ``Column.key`` or sequences in column order, and is consumed
    once (a queryset ``.iterator()`` keeps memory flat; openpyxl's write-only mode streams rows to a
    temporary file). Dates are formatted dd/mm/yyyy (datetimes dd/mm/yyyy hh:mm, local time).
    Numbers in "int" and "decimal" columns get thousands separators ("#,##0"); numbers in "text"
    columns (years, codes) are left unformatted. Text is always text, never a formula.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_excel_text(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    numeric = [column.kind in ("int", "decimal") for column in columns]
    cells = _CellPool(sheet)

    for row in rows:
        out: list[object] = []
        for index, value in enumerate(_row_values(columns, row)):
            out.append(_xlsx_value(cells, index, value, numeric[index] if index < len(numeric) else False))
        sheet.append(out)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _CellPool:
    """Styled cells for a write-only sheet, one per column and number format, reused row after row.

    A write-only sheet serialises a row inside ``append``, so the next row may reuse the objects
    (openpyxl reuses its own unstyled cell the same way), instead of a new cell for every value.
    """

    def __init__(self, sheet):
        self.sheet = sheet
        self.cells: dict[tuple[int, str], object] = {}

    def cell(self, index: int, number_format: str, value: object):
        cell = self.cells.get((index, number_format))
        if cell is None:
            cell = self.cells[index, number_format] = WriteOnlyCell(self.sheet)
            if number_format != TEXT_FORMAT:
                cell.number_format = number_format
        cell.value = value
        if number_format == TEXT_FORMAT:
            cell.data_type = "s"  # text, even when it starts with "=" like a formula
        return cell


def _xlsx_value(cells: _CellPool, index: int, value: object, numeric: bool) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        value = _excel_text(value)
        if value.startswith("=") and len(value) > 1:
            return cells.cell(index, TEXT_FORMAT, value)
        return value
    if isinstance(value, dt.datetime):
        return cells.cell(index, DATETIME_FORMAT, _naive_local(value))
    if isinstance(value, dt.date):
        return cells.cell(index, DATE_FORMAT, value)
    if isinstance(value, int | float | Decimal):
        if not numeric:
            return value
        return cells.cell(index, INTEGER_FORMAT if _is_integral(value) else FRACTION_FORMAT, value)
    return _excel_text(str(value))


def _is_integral(value: float | Decimal) -> bool:
    try:
        return value == int(value)
    except (ValueError, OverflowError):  # NaN, infinity
        return False


def _text_cell(cell, value: str | None) -> None:
    """Put text in a cell of a normal worksheet; text starting with "=" stays text."""
    cell.value = _excel_text(value) if value else None
    if cell.data_type == "f":
        cell.data_type = "s"


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        value = _excel_text(value)
        # Excel would run text starting with = + - @ as a formula (CSV injection): prefix an apostrophe.
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, dt.date):
        return _date_text(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    return value


def iter_csv(columns: list[Column], rows: Iterable[Mapping | Sequence]) -> Iterator[bytes]:
    """A CSV export as UTF-8 chunks for ``StreamingHttpResponse``.

    The first chunk starts with a BOM so that Excel reads the Vietnamese text as UTF-8. Comma
    separated, CRLF line ends, quoted where needed; dates as dd/mm/yyyy; numbers without thousands
    separators and with "." for decimals. Text that Excel would run as a formula gets a leading
    apostrophe (which :func:`read_rows` removes again).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(column.header) for column in columns])
    first = True
    for row in rows:
        writer.writerow([_csv_value(value) for value in _row_values(columns, row)])
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield _drain(buffer, bom=first)
            first = False
    yield _drain(buffer, bom=first)


def _drain(buffer: io.StringIO, *, bom: bool) -> bytes:
    chunk = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return b"\xef\xbb\xbf" + chunk if bom else chunk


# --------------------------------------------------------------------------------------------------
# HTTP responses


def _ascii_fallback(filename: str) -> str:
    text = filename.replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    text = re.sub(r"[^A-Za-z0-9 ._()-]+", "_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text or "download"


def attachment_header(filename: str) -> str:
    """A Content-Disposition value for a download: ``filename=`` for every client, plus ``filename*``.

    Non-ASCII names get an ASCII fallback ("Danh sach chu the.xlsx") and the UTF-8 name in RFC 5987
    form; plain ASCII names are quoted as Django does.
    """
    name = _base_name(filename)
    name = "".join(char for char in name if unicodedata.category(char) != "Cc").strip() or "download"
    header = content_disposition_header(as_attachment=True, filename=name)
    if 'filename="' in header:
        return header
    fallback = _ascii_fallback(name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx file download."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    return response


def csv_response(columns: list[Column], rows: Iterable[Mapping | Sequence], filename: str) -> StreamingHttpResponse:
    """A streamed CSV download of :func:`iter_csv`."""
    response = StreamingHttpResponse(iter_csv(columns, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    return response


# --------------------------------------------------------------------------------------------------
# Import templates

_HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", start_color="FCE4D6", end_color="FCE4D6")
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_template(columns: list[Column], *, title: str, instructions: list[str]) -> bytes:
    """An .xlsx import template.

    - "Dữ liệu" (opened first): the header row only, required headers marked " *" (which
      :func:`read_rows` ignores), the column help as a cell comment, text columns formatted as text
      so Excel keeps leading zeros, date columns as dd/mm/yyyy, and a drop-down on every column
      with choices for the first ``TEMPLATE_ROWS`` data rows.
    - "Hướng dẫn": the title, the instructions, the general rules, then one line per column:
      header, required, description, example and allowed values. Examples live here, never in
      "Dữ liệu", so they cannot be imported by mistake.
    - "Danh mục" (hidden): the choice lists the drop-downs point at.
    """
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    bold = Font(bold=True)
    last_row = TEMPLATE_ROWS + 1
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index)
        _text_cell(cell, column.header + (" *" if column.required else ""))
        cell.font = Font(bold=True, color="C00000" if column.required else None)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.help:
            comment = Comment(column.help, "OCOP")
            comment.width = 320
            comment.height = max(80, 20 * (len(column.help) // 45 + 2))
            cell.comment = comment
        dimension = data.column_dimensions[letter]
        dimension.width = column.width
        if column.kind == "text":
            dimension.number_format = TEXT_FORMAT
        elif column.kind == "date":
            dimension.number_format = DATE_FORMAT
        if column.choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            _text_cell(lists.cell(row=1, column=list_column), column.header)
            lists.cell(row=1, column=list_column).font = bold
            for offset, choice in enumerate(column.choices, start=2):
                _text_cell(lists.cell(row=offset, column=list_column), choice)
            lists.column_dimensions[list_letter].width = max(column.width, 30)
            end = len(column.choices) + 1
            validation = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${end}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop",
                # vi: "Giá trị không hợp lệ"
                errorTitle=gettext("Invalid value")[:32],
                # vi: "Hãy chọn một giá trị trong danh sách thả xuống."
                error=gettext("Choose a value from the drop-down list.")[:255],
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 30

    _write_guide(guide, columns, title=title, instructions=instructions)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_guide(sheet, columns: list[Column], *, title: str, instructions: list[str]) -> None:
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 60
    sheet.column_dimensions["D"].width = 28
    sheet.column_dimensions["E"].width = 45
    _text_cell(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)

    rules = [
        # vi: "Nhập mỗi bản ghi trên một dòng của trang “%(sheet)s”, bắt đầu từ dòng 2. Giữ nguyên dòng tiêu đề."
        gettext("Enter one record per row on the sheet “%(sheet)s”, starting at row 2. Keep the header row as it is.")
        % {"sheet": DATA_SHEET},
        # vi: "Các cột có dấu * là bắt buộc."
        gettext("Columns marked with * are required."),
    ]
    if any(column.kind == "date" for column in columns):
        rules.append(gettext("Enter a date as dd/mm/yyyy, e.g. 31/12/2025."))  # vi: as in _invalid_date_format
    if any(column.choices for column in columns):
        # vi: "Với các cột có danh sách giá trị, hãy chọn một giá trị trong danh sách thả xuống."
        rules.append(gettext("For columns with a list of values, choose a value from the drop-down list."))

    row = 3
    for line in [*instructions, *rules]:
        cell = sheet.cell(row=row, column=1)
        _text_cell(cell, line)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * (len(line) // 150 + 1)
        row += 1

    row += 1
    labels = [
        gettext("Column"),  # vi: "Cột"
        gettext("Required"),  # vi: "Bắt buộc"
        gettext("Description"),  # vi: "Mô tả"
        gettext("Example"),  # vi: "Ví dụ"
        gettext("Allowed values"),  # vi: "Giá trị được phép"
    ]
    for offset, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=offset, value=label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for column in columns:
        row += 1
        values = [
            column.header,
            gettext("Yes") if column.required else gettext("No"),  # vi: "Có" / "Không"
            column.help,
            column.example,
            "; ".join(column.choices),
        ]
        for offset, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=offset)
            _text_cell(cell, value)
            cell.alignment = _WRAP
        if column.required:
            sheet.cell(row=row, column=1).font = Font(bold=True)
