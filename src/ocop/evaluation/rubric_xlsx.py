"""Criteria sheets as Excel workbooks an administrator can edit and import again (no database).

:func:`write_sheet_xlsx` turns the data dict of :mod:`ocop.evaluation.rubric_io` (the YAML of
``data/rubrics/<basis>/sheet-NN.yaml``) into a workbook; :func:`read_sheet_xlsx` reads it back into
the same dict, so ``read_sheet_xlsx(write_sheet_xlsx(data)) == data``. Four sheets:

"Thông tin"
    One row per key of the sheet: ``legal_basis``, ``sheet_number``, ``title``,
    ``classification``, ``source`` (column A the key, B the value, C a description that is not read).
"Tiêu chí"
    One row per criterion (a part, group, criterion or sub-criterion: column "Cấp" says which) in
    the order of the sheet, each followed by the rows of its options ("Cấp" = "Phương án"). A
    criterion row belongs under the nearest row above it that is one level higher.
"Loại hồ sơ"
    The knock-outs: criterion code (blank for the dossier-level ones), kind, text and the codes
    that score zero (``zero_in``, comma separated).
"Trường hợp"
    The case labels of criteria whose options are split into cases: code, case number, label.

Every problem found while reading is collected and raised together as a
:class:`~ocop.evaluation.rubric_io.RubricDataError`, each message naming the sheet, the row and
the column.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ocop.core.spreadsheets import (
    _ZIP_MAGIC,
    MAX_UNCOMPRESSED_BYTES,
    SpreadsheetError,
    _damaged_workbook,
    _not_a_spreadsheet,
    _refuse_binary,
    as_text,
    parse_decimal,
    parse_int,
)
from ocop.core.text import fold_vi
from ocop.evaluation.rubric_io import KNOCKOUT_KINDS, STAR_LEVELS, RubricDataError

INFO_SHEET = "Thông tin"
CRITERIA_SHEET = "Tiêu chí"
KNOCKOUT_SHEET = "Loại hồ sơ"
CASE_SHEET = "Trường hợp"

INFO_KEYS = ("legal_basis", "sheet_number", "title", "classification", "source")
INFO_LABELS = {
    "legal_basis": "Căn cứ pháp lý",
    "sheet_number": "Số bộ tiêu chí",
    "title": "Tên bộ tiêu chí",
    "classification": "Phân loại (ngành, nhóm sản phẩm)",
    "source": "Nguồn (phụ lục, văn bản)",
}
REQUIRED_INFO = ("legal_basis", "sheet_number", "title")

#: The "Cấp" of a criterion row by depth (0 = part), and of an option row.
LEVELS = ("Phần", "Nhóm", "Tiêu chí", "Tiêu chí con")
OPTION_LEVEL = "Phương án"
YES = "Có"

# Columns of "Tiêu chí": (key, header, width, text column).
LEVEL, CODE, TEXT, MAX, POINTS, STAR, CASE, BINARY, REQUIREMENT, APPLIES_IF, APPLIES_TEXT, NOTES = (
    "level",
    "code",
    "text",
    "max",
    "points",
    "star",
    "case",
    "binary",
    "requirement",
    "applies_if",
    "applies_if_text",
    "notes",
)
CRITERIA_COLUMNS = (
    (LEVEL, "Cấp", 13, False),
    (CODE, "Mã", 9, False),
    (TEXT, "Nội dung", 70, True),
    (MAX, "Điểm tối đa", 10, False),
    (POINTS, "Điểm", 8, False),
    (STAR, "Mức sao tối thiểu", 11, False),
    (CASE, "Trường hợp", 11, False),
    (BINARY, "Có/Không", 10, False),
    (REQUIREMENT, "Yêu cầu", 35, True),
    (APPLIES_IF, "Áp dụng khi", 13, False),
    (APPLIES_TEXT, "Diễn giải điều kiện", 35, True),
    (NOTES, "Ghi chú", 50, True),
)
CRITERIA_HEADERS = {key: header for key, header, *_rest in CRITERIA_COLUMNS}
REQUIRED_CRITERIA_COLUMNS = (LEVEL, CODE, TEXT)
NODE_ONLY = (MAX, BINARY, REQUIREMENT, APPLIES_IF, APPLIES_TEXT, NOTES)
OPTION_ONLY = (POINTS, STAR, CASE)

KNOCKOUT_COLUMNS = (
    ("code", "Mã tiêu chí", 12, False),
    ("kind", "Loại", 14, False),
    ("text", "Nội dung", 90, True),
    ("zero_in", "Tính 0 điểm cho", 20, False),
)
CASE_COLUMNS = (
    ("code", "Mã tiêu chí", 12, False),
    ("case", "Trường hợp", 12, False),
    ("label", "Tên trường hợp", 70, True),
)
INFO_COLUMNS = (
    ("key", "Khóa", 18, False),
    ("value", "Giá trị", 70, True),
    ("label", "Diễn giải", 36, True),
)

_CONDITION = re.compile(r"^(?P<criterion>[^<>=\s]+)\s*(?:>=|≥|=>)\s*(?P<minimum>.+)$")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
_PART_FILL = PatternFill("solid", start_color="FCE4D6", end_color="FCE4D6")
_NODE_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
_TOP = Alignment(vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def write_sheet_xlsx(data: Mapping) -> bytes:
    """The workbook of one criteria sheet (see the module docstring for its layout)."""
    workbook = Workbook()
    info = workbook.active
    info.title = INFO_SHEET
    _header(info, INFO_COLUMNS)
    for row, key in enumerate(INFO_KEYS, start=2):
        _put(info, row, 1, key, wrap=False)
        _put(info, row, 2, data.get(key), wrap=True)
        _put(info, row, 3, INFO_LABELS[key], wrap=True)
        info.cell(row=row, column=1).font = _HEADER_FONT

    criteria = workbook.create_sheet(CRITERIA_SHEET)
    _header(criteria, CRITERIA_COLUMNS)
    position = {key: index for index, (key, *_rest) in enumerate(CRITERIA_COLUMNS, start=1)}
    wrapped = {key for key, _header_text, _width, wrap in CRITERIA_COLUMNS if wrap}
    knockouts = workbook.create_sheet(KNOCKOUT_SHEET)
    _header(knockouts, KNOCKOUT_COLUMNS)
    cases = workbook.create_sheet(CASE_SHEET)
    _header(cases, CASE_COLUMNS)

    def write_knockout(code: str | None, item) -> None:
        row = knockouts.max_row + 1
        if isinstance(item, str):  # a bare text: the default kind (read back the same way)
            item = {"text": item}
        zero_in = item.get("zero_in")
        values = (code, item.get("kind"), item.get("text"), ", ".join(str(c) for c in zero_in) if zero_in else None)
        for column, value in enumerate(values, start=1):
            _put(knockouts, row, column, value, wrap=column == 3)

    def write_row(values: Mapping, *, fill=None, bold=False, indent=0) -> None:
        row = criteria.max_row + 1
        for key, column in position.items():
            cell = _put(criteria, row, column, values.get(key), wrap=key in wrapped)
            if fill is not None:
                cell.fill = fill
            if bold:
                cell.font = _HEADER_FONT
        if indent:
            criteria.cell(row=row, column=position[TEXT]).alignment = Alignment(
                wrap_text=True, vertical="top", indent=indent
            )

    def write_node(node: Mapping, depth: int) -> None:
        condition = node.get("applies_if")
        values = {
            LEVEL: LEVELS[depth] if depth < len(LEVELS) else f"{LEVELS[-1]} ({depth})",
            CODE: node.get("code"),
            TEXT: node.get("title"),
            MAX: node.get("max"),
            BINARY: YES if node.get("binary") else None,
            REQUIREMENT: node.get("requirement"),
            NOTES: "\n".join(str(note) for note in node.get("notes") or []) or None,
        }
        if condition:
            values[APPLIES_IF] = _condition_text(condition)
            values[APPLIES_TEXT] = condition.get("text")
        write_row(values, fill=_PART_FILL if depth == 0 else _NODE_FILL, bold=depth <= 1, indent=min(depth, 3))
        for option in node.get("options") or []:
            write_row(
                {
                    LEVEL: OPTION_LEVEL,
                    TEXT: option.get("label"),
                    POINTS: option.get("points"),
                    STAR: option.get("star"),
                    CASE: option.get("case"),
                },
                indent=min(depth + 1, 4),
            )
        for item in node.get("knockouts") or []:
            write_knockout(str(node.get("code")), item)
        for case, label in (node.get("case_labels") or {}).items():
            row = cases.max_row + 1
            _put(cases, row, 1, str(node.get("code")), wrap=False)
            _put(cases, row, 2, case, wrap=False)
            _put(cases, row, 3, label, wrap=True)
        for child in node.get("children") or []:
            write_node(child, depth + 1)

    for item in data.get("knockouts") or []:
        write_knockout(None, item)
    for part in data.get("parts") or []:
        write_node(part, 0)

    choices = [
        (LEVEL, ",".join((*LEVELS, OPTION_LEVEL))),
        (STAR, ",".join(str(level) for level in STAR_LEVELS)),
        (BINARY, YES),
    ]
    last = max(criteria.max_row, 2) + 500
    for key, listed in choices:
        validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        letter = get_column_letter(position[key])
        validation.add(f"{letter}2:{letter}{last}")
        criteria.add_data_validation(validation)
    validation = DataValidation(type="list", formula1=f'"{",".join(KNOCKOUT_KINDS)}"', allow_blank=True)
    validation.add(f"B2:B{max(knockouts.max_row, 2) + 200}")
    knockouts.add_data_validation(validation)

    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet, columns) -> None:
    for index, (_key, header, width, _wrap) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _put(sheet, row: int, column: int, value, *, wrap: bool):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    elif value is not None and not isinstance(value, int | float | str):
        value = str(value)
    cell.value = value
    if cell.data_type == "f":  # text starting with "=" stays text
        cell.data_type = "s"
    cell.alignment = _WRAP if wrap else _TOP
    return cell


def _condition_text(condition: Mapping) -> str:
    text = str(condition.get("criterion") or "")
    if "min_points" in condition:
        text += f">={_number_text(condition['min_points'])}"
    return text


def _number_text(value) -> str:
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def read_sheet_xlsx(content: bytes) -> dict:
    """The data dict of a workbook written by :func:`write_sheet_xlsx` (and edited since).

    Raises :class:`RubricDataError` listing every problem when the file is not a workbook, lacks a
    sheet or a column, or has a value that cannot be read.
    """
    workbook = _open_workbook(content)
    try:
        sheets = {fold_vi(sheet.title): sheet for sheet in workbook.worksheets}
        missing = [name for name in (INFO_SHEET, CRITERIA_SHEET) if fold_vi(name) not in sheets]
        if missing:
            raise RubricDataError(
                [
                    # vi: "Bảng tính không có trang “%(sheet)s”."
                    _("The workbook has no sheet “%(sheet)s”.") % {"sheet": name}
                    for name in missing
                ]
            )
        rows = {
            name: _sheet_rows(sheets[fold_vi(name)]) if fold_vi(name) in sheets else []
            for name in (INFO_SHEET, CRITERIA_SHEET, KNOCKOUT_SHEET, CASE_SHEET)
        }
    finally:
        workbook.close()
    reader = _Reader()
    data = reader.info(rows[INFO_SHEET])
    nodes, parts = reader.criteria(rows[CRITERIA_SHEET])
    data["knockouts"] = reader.knockouts(rows[KNOCKOUT_SHEET], nodes)
    reader.cases(rows[CASE_SHEET], nodes)
    data["parts"] = [_ordered(part) for part in parts]
    if reader.problems:
        raise RubricDataError(reader.problems)
    return data


def _open_workbook(content: bytes):
    content = bytes(content or b"")
    if not content.strip():
        raise RubricDataError([_("The file is empty.")])  # vi: "Tệp không có dữ liệu."
    if not content.startswith(_ZIP_MAGIC):
        try:  # an old .xls, a password-protected workbook or a web page: the advice of the importers
            _refuse_binary(content, name="")
        except SpreadsheetError as error:
            if error.message != _not_a_spreadsheet("").message:
                raise RubricDataError([error.message]) from error
        raise RubricDataError([_not_a_workbook()])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise RubricDataError([_damaged_workbook().message]) from error
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise RubricDataError([_not_a_workbook()])
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        # vi: "Tệp quá lớn để nhập. Hãy chia thành nhiều tệp nhỏ hơn."
        raise RubricDataError([_("The file is too large to import. Split it into several smaller files.")])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises anything from KeyError to TypeError on a broken file
        raise RubricDataError([_damaged_workbook().message]) from error


def _not_a_workbook() -> str:
    # vi: "Tệp không phải là bảng tính Excel (.xlsx). Hãy tải lên tệp .xlsx của bộ tiêu chí đã xuất ra
    #     và chỉnh sửa."
    return _(
        "The file is not an Excel workbook (.xlsx). Upload the .xlsx file of a criteria sheet, exported and edited."
    )


def _sheet_rows(sheet) -> list[tuple[int, tuple]]:
    try:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        return list(enumerate(sheet.iter_rows(values_only=True), start=1))
    except Exception as error:  # a damaged sheet part fails only while it is read
        raise RubricDataError([_damaged_workbook().message]) from error


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not as_text(value))


def _number(value):
    """A whole number as ``int``, any other as ``float`` (as YAML reads them); raises ValidationError."""
    number = parse_decimal(value)
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


class _Reader:
    def __init__(self):
        self.problems: list[str] = []

    # --- helpers ---

    def where(self, sheet: str, row: int, column: str | None = None) -> str:
        if column is None:
            # vi: "Trang “%(sheet)s”, dòng %(row)s"
            return _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": sheet, "row": row}
        # vi: "Trang “%(sheet)s”, dòng %(row)s, cột “%(column)s”"
        return _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”") % {
            "sheet": sheet,
            "row": row,
            "column": column,
        }

    def problem(self, where: str, message: str) -> None:
        self.problems.append(_("%(where)s: %(problem)s") % {"where": where, "problem": message})

    def not_a_number(self, where: str, value) -> None:
        self.problems.append(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": as_text(value)})

    def columns(self, sheet: str, rows, columns, required) -> tuple[dict[str, int], list]:
        """The position of each known column in the header row, and the data rows after it."""
        if not rows:
            return {}, []
        _row, header = rows[0]
        lookup = {fold_vi(title): key for key, title, _width, _wrap in columns}
        lookup.update({key: key for key, *_rest in columns})
        found: dict[str, int] = {}
        for index, value in enumerate(header):
            key = lookup.get(fold_vi(as_text(value)))
            if key is not None and key not in found:
                found[key] = index
        titles = {key: title for key, title, *_rest in columns}
        for key in required:
            if key not in found:
                # vi: "Trang “%(sheet)s” không có cột “%(column)s” ở dòng tiêu đề (dòng 1)."
                self.problems.append(
                    _("Sheet “%(sheet)s” has no column “%(column)s” in its header row (row 1).")
                    % {"sheet": sheet, "column": titles[key]}
                )
        return found, rows[1:]

    @staticmethod
    def values(found: dict[str, int], record) -> dict:
        return {key: (record[index] if index < len(record) else None) for key, index in found.items()}

    # --- sheets ---

    def info(self, rows) -> dict:
        keys = {key: key for key in INFO_KEYS}
        keys.update({fold_vi(label): key for key, label in INFO_LABELS.items()})
        data: dict = {}
        for row, record in rows:
            if all(_blank(value) for value in record[:2]):
                continue
            name = as_text(record[0]) if record else ""
            value = record[1] if len(record) > 1 else None
            key = keys.get(name) or keys.get(fold_vi(name))
            if key is None:
                if row == 1 and fold_vi(name) == fold_vi(INFO_COLUMNS[0][1]):
                    continue  # the header row
                # vi: "khóa “%(key)s” không có trong danh sách: %(keys)s."
                self.problem(
                    self.where(INFO_SHEET, row, INFO_COLUMNS[0][1]),
                    _("unknown key “%(key)s”; the keys are %(keys)s.") % {"key": name, "keys": ", ".join(INFO_KEYS)},
                )
                continue
            if key in data:
                # vi: "khóa “%(key)s” đã có ở dòng trên."
                self.problem(
                    self.where(INFO_SHEET, row, INFO_COLUMNS[0][1]),
                    _("the key “%(key)s” appears twice.") % {"key": key},
                )
                continue
            where = self.where(INFO_SHEET, row, INFO_COLUMNS[1][1])
            if key == "sheet_number":
                try:
                    number = parse_int(value, min_value=1)
                except ValidationError:
                    # vi: "“%(value)s” không phải là số nguyên dương."
                    self.problem(where, _("“%(value)s” is not a positive whole number.") % {"value": as_text(value)})
                    continue
                if number is not None:
                    data[key] = number
            elif not _blank(value):
                data[key] = as_text(value)
        for key in REQUIRED_INFO:
            if key not in data:
                # vi: "Trang “%(sheet)s”: thiếu giá trị của “%(key)s”."
                self.problems.append(_("Sheet “%(sheet)s”: “%(key)s” is missing.") % {"sheet": INFO_SHEET, "key": key})
        return {key: data[key] for key in INFO_KEYS if key in data}

    def criteria(self, rows) -> tuple[dict[str, dict], list[dict]]:
        found, rows = self.columns(CRITERIA_SHEET, rows, CRITERIA_COLUMNS, REQUIRED_CRITERIA_COLUMNS)
        if not found or any(key not in found for key in REQUIRED_CRITERIA_COLUMNS):
            if not rows and not found:
                self.problems.append(_("Sheet “%(sheet)s” is empty.") % {"sheet": CRITERIA_SHEET})
            return {}, []
        header = CRITERIA_HEADERS
        levels = {fold_vi(level): depth for depth, level in enumerate(LEVELS)}
        option_level = fold_vi(OPTION_LEVEL)
        parts: list[dict] = []
        nodes: dict[str, dict] = {}
        stack: list[dict] = []  # the criteria above the current row, one per depth
        broken = False  # after a criterion row that could not be placed, its options are not checked

        for row, record in rows:
            values = self.values(found, record)
            if all(_blank(value) for value in values.values()):
                continue

            def at(key: str, row=row) -> str:
                return self.where(CRITERIA_SHEET, row, header[key])

            level_text = as_text(values.get(LEVEL))
            if not level_text:
                # vi: "thiếu cấp (%(levels)s)."
                self.problem(at(LEVEL), _("the level is missing (%(levels)s).") % {"levels": _level_list()})
                broken = True
                continue
            folded = fold_vi(level_text)
            if folded == option_level:
                self.blank_columns(values, NODE_ONLY, at, node=False)
                if broken:
                    continue
                if not stack:
                    # vi: "một phương án phải nằm dưới một tiêu chí; phía trên chưa có tiêu chí nào."
                    self.problem(at(LEVEL), _("an option must follow a criterion, but there is no criterion above it."))
                    broken = True
                    continue
                if len(stack) == 1:
                    # vi: "một phương án phải nằm dưới một tiêu chí, không nằm ngay dưới một phần."
                    self.problem(at(LEVEL), _("an option must follow a criterion, not a part."))
                    continue
                stack[-1].setdefault("options", []).append(self.option(values, at))
                continue
            depth = levels.get(folded)
            if depth is None:
                # vi: "không rõ cấp “%(level)s”; các cấp là %(levels)s."
                self.problem(
                    at(LEVEL),
                    _("unknown level “%(level)s”; the levels are %(levels)s.")
                    % {"level": level_text, "levels": _level_list()},
                )
                broken = True
                continue
            if depth > len(stack):
                above = LEVELS[len(stack) - 1] if stack else None
                if above is None:
                    # vi: "dòng đầu tiên phải là một “%(first)s”, không phải “%(level)s”."
                    message = _("the first row must be a “%(first)s”, not a “%(level)s”.") % {
                        "first": LEVELS[0],
                        "level": LEVELS[depth],
                    }
                else:
                    # vi: "“%(level)s” bỏ qua một cấp: dòng trên là “%(above)s”, nên dòng này cao nhất
                    #     là “%(next)s”."
                    message = _(
                        "a “%(level)s” skips a level: the criterion above is a “%(above)s”, "
                        "so this row can be at most a “%(next)s”."
                    ) % {"level": LEVELS[depth], "above": above, "next": LEVELS[len(stack)]}
                self.problem(at(LEVEL), message)
                broken = True
                continue
            self.blank_columns(values, OPTION_ONLY, at, node=True)
            node = self.node(values, at, nodes)
            broken = False
            del stack[depth:]
            if stack:
                stack[-1].setdefault("children", []).append(node)
            else:
                parts.append(node)
            stack.append(node)

        if not parts and not self.problems:
            # vi: "Trang “%(sheet)s” không có tiêu chí nào."
            self.problems.append(_("Sheet “%(sheet)s” has no criteria.") % {"sheet": CRITERIA_SHEET})
        return nodes, parts

    def blank_columns(self, values, keys, at, *, node: bool) -> None:
        for key in keys:
            if not _blank(values.get(key)):
                if node:
                    # vi: "cột này chỉ dùng cho dòng phương án; hãy để trống ở dòng tiêu chí."
                    message = _("this column is for option rows; leave it blank on a criterion row.")
                else:
                    # vi: "cột này chỉ dùng cho dòng tiêu chí; hãy để trống ở dòng phương án."
                    message = _("this column is for criterion rows; leave it blank on an option row.")
                self.problem(at(key), message)

    def node(self, values, at, nodes: dict[str, dict]) -> dict:
        code = as_text(values.get(CODE))
        node: dict = {"code": code, "title": as_text(values.get(TEXT))}
        if not code:
            # vi: "thiếu mã tiêu chí."
            self.problem(at(CODE), _("the criterion code is missing."))
        elif code in nodes:
            # vi: "mã %(code)s đã dùng ở một dòng trên."
            self.problem(at(CODE), _("the code %(code)s is already used above.") % {"code": code})
        else:
            nodes[code] = node
        try:
            node["max"] = _number(values.get(MAX))
        except ValidationError:
            self.not_a_number(at(MAX), values.get(MAX))
            node["max"] = None
        requirement = as_text(values.get(REQUIREMENT))
        if requirement:
            node["requirement"] = requirement
        condition = as_text(values.get(APPLIES_IF))
        condition_text = as_text(values.get(APPLIES_TEXT))
        if condition:
            node["applies_if"] = self.condition(condition, condition_text, at)
        elif condition_text:
            # vi: "có diễn giải nhưng thiếu điều kiện ở cột “%(column)s” (ví dụ 5.1>=1)."
            self.problem(
                at(APPLIES_TEXT),
                _("there is an explanation but no condition in the column “%(column)s” (e.g. 5.1>=1).")
                % {"column": CRITERIA_HEADERS[APPLIES_IF]},
            )
        notes = [line.strip() for line in as_text(values.get(NOTES)).split("\n") if line.strip()]
        if notes:
            node["notes"] = notes
        binary = values.get(BINARY)
        if not _blank(binary):
            flag = _flag(binary)
            if flag is None:
                # vi: "hãy ghi “Có” hoặc để trống, không ghi “%(value)s”."
                self.problem(
                    at(BINARY),
                    _("write “%(yes)s” or leave it blank, not “%(value)s”.") % {"yes": YES, "value": as_text(binary)},
                )
            elif flag:
                node["binary"] = True
        return node

    def condition(self, text: str, explanation: str, at) -> dict:
        match = _CONDITION.match(text)
        condition: dict = {}
        if match is None:
            if re.fullmatch(r"[^<>=\s]+", text):
                condition["criterion"] = text
            else:
                # vi: "không đọc được điều kiện “%(value)s”; hãy ghi mã tiêu chí và số điểm tối thiểu,
                #     ví dụ 5.1>=1."
                self.problem(
                    at(APPLIES_IF),
                    _(
                        "the condition “%(value)s” cannot be read; "
                        "write a criterion code and the minimum points, e.g. 5.1>=1."
                    )
                    % {"value": text},
                )
                condition["criterion"] = text
        else:
            condition["criterion"] = match["criterion"]
            try:
                condition["min_points"] = _number(match["minimum"].strip())
            except ValidationError:
                self.not_a_number(at(APPLIES_IF), match["minimum"].strip())
        if explanation:
            condition["text"] = explanation
        return condition

    def option(self, values, at) -> dict:
        option: dict = {"label": as_text(values.get(TEXT))}
        try:
            option["points"] = _number(values.get(POINTS))
        except ValidationError:
            self.not_a_number(at(POINTS), values.get(POINTS))
            option["points"] = None
        star = values.get(STAR)
        if not _blank(star):
            try:
                number = parse_int(star)
            except ValidationError:
                number = None
            if number not in STAR_LEVELS:
                # vi: "mức sao phải là 3, 4 hoặc 5, không phải “%(star)s”."
                self.problem(
                    at(STAR),
                    _("the star marker must be 3, 4 or 5, not “%(star)s”.") % {"star": as_text(star)},
                )
            else:
                option["star"] = number
        case = values.get(CASE)
        if not _blank(case):
            try:
                number = parse_int(case, min_value=1)
            except ValidationError:
                # vi: "trường hợp phải là một số nguyên dương (1, 2, ...), không phải “%(value)s”."
                self.problem(
                    at(CASE),
                    _("the case must be a positive whole number (1, 2, …), not “%(value)s”.")
                    % {"value": as_text(case)},
                )
            else:
                option["case"] = number
        return option

    def knockouts(self, rows, nodes: dict[str, dict]) -> list:
        found, rows = self.columns(KNOCKOUT_SHEET, rows, KNOCKOUT_COLUMNS, ("text",))
        dossier: list = []
        if "text" not in found:
            return dossier
        header = {key: title for key, title, *_rest in KNOCKOUT_COLUMNS}
        for row, record in rows:
            values = self.values(found, record)
            if all(_blank(value) for value in values.values()):
                continue
            code = as_text(values.get("code"))
            kind = as_text(values.get("kind"))
            text = as_text(values.get("text"))
            zero_in = [item.strip() for item in as_text(values.get("zero_in")).split(",") if item.strip()]
            if kind and kind not in KNOCKOUT_KINDS:
                # vi: "không rõ loại “%(kind)s”; các loại là %(kinds)s."
                self.problem(
                    self.where(KNOCKOUT_SHEET, row, header["kind"]),
                    _("unknown kind “%(kind)s”; the kinds are %(kinds)s.")
                    % {"kind": kind, "kinds": ", ".join(KNOCKOUT_KINDS)},
                )
                continue
            if not text:
                # vi: "thiếu nội dung."
                self.problem(self.where(KNOCKOUT_SHEET, row, header["text"]), _("the text is missing."))
                continue
            for target in zero_in:
                if target not in nodes:
                    self.unknown_code(self.where(KNOCKOUT_SHEET, row, header["zero_in"]), target)
            if kind or zero_in:
                item: dict | str = {"kind": kind or ("dossier" if not code else "criterion"), "text": text}
                if zero_in:
                    item["zero_in"] = zero_in
            else:
                item = text
            if not code:
                dossier.append(item)
            elif code in nodes:
                nodes[code].setdefault("knockouts", []).append(item)
            else:
                self.unknown_code(self.where(KNOCKOUT_SHEET, row, header["code"]), code)
        return dossier

    def cases(self, rows, nodes: dict[str, dict]) -> None:
        found, rows = self.columns(CASE_SHEET, rows, CASE_COLUMNS, ("code", "case", "label"))
        if any(key not in found for key in ("code", "case", "label")):
            return
        header = {key: title for key, title, *_rest in CASE_COLUMNS}
        for row, record in rows:
            values = self.values(found, record)
            if all(_blank(value) for value in values.values()):
                continue
            code = as_text(values.get("code"))
            try:
                case = parse_int(values.get("case"), min_value=1)
            except ValidationError:
                case = None
            if case is None:
                self.problem(
                    self.where(CASE_SHEET, row, header["case"]),
                    _("the case must be a positive whole number (1, 2, …), not “%(value)s”.")
                    % {"value": as_text(values.get("case"))},
                )
                continue
            if code not in nodes:
                self.unknown_code(self.where(CASE_SHEET, row, header["code"]), code)
                continue
            labels = nodes[code].setdefault("case_labels", {})
            if case in labels:
                # vi: "trường hợp %(case)s của tiêu chí %(code)s đã có ở dòng trên."
                self.problem(
                    self.where(CASE_SHEET, row, header["case"]),
                    _("case %(case)s of criterion %(code)s is already listed above.") % {"case": case, "code": code},
                )
                continue
            labels[case] = as_text(values.get("label"))

    def unknown_code(self, where: str, code: str) -> None:
        # vi: "không có tiêu chí mã “%(code)s” trên trang “%(sheet)s”."
        self.problem(
            where,
            _("there is no criterion “%(code)s” on the sheet “%(sheet)s”.") % {"code": code, "sheet": CRITERIA_SHEET},
        )


_NODE_KEYS = (
    "code",
    "title",
    "max",
    "requirement",
    "applies_if",
    "notes",
    "knockouts",
    "binary",
    "case_labels",
    "children",
    "options",
)


def _ordered(node: dict) -> dict:
    """The keys of a criterion in the order of the YAML files (for a readable YAML export)."""
    ordered = {key: node[key] for key in _NODE_KEYS if key in node}
    if "children" in ordered:
        ordered["children"] = [_ordered(child) for child in ordered["children"]]
    return ordered


def _level_list() -> str:
    return ", ".join(f"“{level}”" for level in (*LEVELS, OPTION_LEVEL))


def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {0: False, 1: True}.get(value)
    folded = fold_vi(as_text(value))
    if folded in {"co", "x", "yes", "true", "1"}:
        return True
    if folded in {"khong", "no", "false", "0"}:
        return False
    return None
