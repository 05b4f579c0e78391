"""Criteria sheets as Excel workbooks: exact round trips of the 26 printed sheets, and clear errors."""

import copy
import io
import zipfile

import pytest
from openpyxl import load_workbook

from ocop.evaluation.rubric_io import DATA_DIR, RubricDataError, dump_yaml, read_yaml
from ocop.evaluation.rubric_xlsx import (
    CASE_SHEET,
    CRITERIA_SHEET,
    INFO_SHEET,
    KNOCKOUT_SHEET,
    read_sheet_xlsx,
    write_sheet_xlsx,
)

pytestmark = [pytest.mark.unit]

SHEET_FILES = sorted((DATA_DIR / "26-2026").glob("sheet-*.yaml"))

# Rows of "Tiêu chí" for SMALL: 1 header, 2 part A, 3 group 1, 4 criterion 1.1, 5-6 its options,
# 7 criterion 1.2 (binary, no options).
SMALL = {
    "legal_basis": "26/2026/QĐ-TTg",
    "sheet_number": 1,
    "title": "Rau, củ, quả, hạt tươi",
    "classification": "Sản phẩm: Thực phẩm",
    "source": "Phụ lục II",
    "knockouts": [{"kind": "dossier", "text": "Giả mạo hồ sơ"}],
    "parts": [
        {
            "code": "A",
            "title": "SẢN PHẨM",
            "max": 5,
            "children": [
                {
                    "code": "1",
                    "title": "TỔ CHỨC SẢN XUẤT",
                    "max": 5,
                    "children": [
                        {
                            "code": "1.1",
                            "title": "Nguồn gốc sản phẩm",
                            "max": 3,
                            "options": [
                                {"label": "Dưới 50%", "points": 1},
                                {"label": "Từ 75% đến 100%", "points": 3, "star": 4},
                            ],
                        },
                        {"code": "1.2", "title": "Có nhãn", "max": 2, "binary": True},
                    ],
                }
            ],
        }
    ],
}


def edit(data, change) -> bytes:
    """The workbook of ``data`` after ``change(workbook)``, as an administrator would edit it."""
    workbook = load_workbook(io.BytesIO(write_sheet_xlsx(data)))
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(content: bytes) -> list[str]:
    with pytest.raises(RubricDataError) as caught:
        read_sheet_xlsx(content)
    return caught.value.problems


def set_cell(sheet: str, cell: str, value):
    def change(workbook):
        workbook[sheet][cell] = value

    return change


# --- round trips ------------------------------------------------------------------------------


def test_all_printed_sheets_are_there():
    assert len(SHEET_FILES) == 26


@pytest.mark.parametrize("path", SHEET_FILES, ids=lambda path: path.stem)
def test_xlsx_round_trip_is_exact(path):
    data = read_yaml(path.read_text(encoding="utf-8"))
    assert read_sheet_xlsx(write_sheet_xlsx(data)) == data


@pytest.mark.parametrize("path", SHEET_FILES, ids=lambda path: path.stem)
def test_yaml_round_trip_through_the_workbook(path):
    data = read_yaml(path.read_text(encoding="utf-8"))
    assert read_yaml(dump_yaml(data)) == data
    imported = read_sheet_xlsx(write_sheet_xlsx(data))
    exported = dump_yaml(imported)
    assert read_yaml(exported) == data
    assert read_sheet_xlsx(write_sheet_xlsx(read_yaml(exported))) == data


def test_printed_null_points_stay_blank_and_come_back_as_none():
    path = DATA_DIR / "26-2026" / "sheet-04.yaml"
    data = read_yaml(path.read_text(encoding="utf-8"))
    content = write_sheet_xlsx(data)
    sheet = load_workbook(io.BytesIO(content))[CRITERIA_SHEET]
    option_rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "Phương án"]
    assert any(row[4] is None for row in option_rows)
    leaves = [node for part in read_sheet_xlsx(content)["parts"] for node in _walk(part)]
    assert any(option["points"] is None for node in leaves for option in node.get("options", []))


def _walk(node):
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


def test_cases_node_knockouts_and_conditions_survive():
    data = copy.deepcopy(SMALL)
    criterion = data["parts"][0]["children"][0]["children"][0]
    criterion["case_labels"] = {1: "Do cộng đồng cung cấp", 2: "Điểm du lịch"}
    criterion["options"][0]["case"] = 1
    criterion["options"][1]["case"] = 2
    criterion["knockouts"] = [{"kind": "gate", "text": "Có tạp chất", "zero_in": ["1.1", "1.2"]}]
    criterion["requirement"] = "100% sản phẩm trồng trên địa bàn"
    criterion["notes"] = ["Ghi chú 1", "Ghi chú 2"]
    data["parts"][0]["children"][0]["children"][1]["applies_if"] = {
        "criterion": "1.1",
        "min_points": 1,
        "text": "Chỉ áp dụng khi có câu chuyện sản phẩm",
    }
    assert read_sheet_xlsx(write_sheet_xlsx(data)) == data


def test_plain_text_knockouts_and_conditions_without_minimum_survive():
    data = copy.deepcopy(SMALL)
    data["knockouts"].append("Không đáp ứng về hồ sơ đăng ký")
    data["parts"][0]["children"][0]["children"][1]["applies_if"] = {"criterion": "1.1"}
    assert read_sheet_xlsx(write_sheet_xlsx(data)) == data


def test_text_that_looks_like_a_formula_stays_text():
    data = copy.deepcopy(SMALL)
    data["parts"][0]["children"][0]["children"][0]["options"][0]["label"] = "=SUM(A1:A2) không phải công thức"
    assert read_sheet_xlsx(write_sheet_xlsx(data)) == data


def test_fractional_points_and_numbers_typed_as_text():
    data = copy.deepcopy(SMALL)
    data["parts"][0]["children"][0]["children"][0]["options"][0]["points"] = 0.5
    assert read_sheet_xlsx(write_sheet_xlsx(data)) == data

    def change(workbook):
        sheet = workbook[CRITERIA_SHEET]
        sheet["E5"] = "1,5"  # Vietnamese decimal comma
        sheet["E6"] = "3"
        sheet["F6"] = "4"
        sheet["B4"] = 1.1  # a code Excel turned into a number

    result = read_sheet_xlsx(edit(SMALL, change))
    criterion = result["parts"][0]["children"][0]["children"][0]
    assert criterion["code"] == "1.1"
    assert criterion["options"] == [
        {"label": "Dưới 50%", "points": 1.5},
        {"label": "Từ 75% đến 100%", "points": 3, "star": 4},
    ]


def test_an_edited_sheet_is_read_with_new_rows():
    def change(workbook):
        sheet = workbook[CRITERIA_SHEET]
        sheet.insert_rows(7)
        sheet["A7"], sheet["C7"], sheet["E7"], sheet["F7"] = "Phương án", "Từ 50% đến dưới 75%", 2, None
        sheet["A9"], sheet["B9"], sheet["C9"], sheet["D9"] = "Nhóm", "2", "PHÁT TRIỂN", 0  # back up a level

    result = read_sheet_xlsx(edit(SMALL, change))
    group_1, group_2 = result["parts"][0]["children"]
    assert [option["points"] for option in group_1["children"][0]["options"]] == [1, 3, 2]
    assert group_2 == {"code": "2", "title": "PHÁT TRIỂN", "max": 0}


def test_workbook_layout():
    workbook = load_workbook(io.BytesIO(write_sheet_xlsx(SMALL)))
    assert workbook.sheetnames == [INFO_SHEET, CRITERIA_SHEET, KNOCKOUT_SHEET, CASE_SHEET]
    criteria = workbook[CRITERIA_SHEET]
    headers = [cell.value for cell in criteria[1]]
    assert headers[:8] == [
        "Cấp",
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Điểm",
        "Mức sao tối thiểu",
        "Trường hợp",
        "Có/Không",
    ]
    assert {"Yêu cầu", "Áp dụng khi", "Ghi chú"} <= set(headers)
    assert all(cell.font.bold for cell in criteria[1])
    assert criteria.freeze_panes == "A2"
    assert criteria.column_dimensions["C"].width >= 50
    assert criteria["C4"].alignment.wrap_text
    assert [row[0] for row in criteria.iter_rows(min_row=2, values_only=True)] == [
        "Phần",
        "Nhóm",
        "Tiêu chí",
        "Phương án",
        "Phương án",
        "Tiêu chí",
    ]
    assert criteria["H7"].value == "Có"
    info = {row[0]: row[1] for row in workbook[INFO_SHEET].iter_rows(min_row=2, values_only=True)}
    assert info["legal_basis"] == "26/2026/QĐ-TTg"
    assert info["sheet_number"] == 1
    knockouts = list(workbook[KNOCKOUT_SHEET].iter_rows(min_row=2, values_only=True))
    assert knockouts == [(None, "dossier", "Giả mạo hồ sơ", None)]


# --- malformed input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        bytes(range(256)) * 4,
        b"just some text renamed to .xlsx",
    ],
    ids=["pdf", "random-bytes", "text"],
)
def test_not_a_workbook(english, content):
    assert problems_of(content) == [
        "The file is not an Excel workbook (.xlsx). Upload the .xlsx file of a criteria sheet, exported and edited."
    ]


def test_a_zip_that_is_not_a_workbook(english):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems_of(buffer.getvalue())[0].startswith("The file is not an Excel workbook (.xlsx).")


def test_a_damaged_workbook(english):
    content = write_sheet_xlsx(SMALL)
    assert problems_of(content[: len(content) // 2])[0].startswith("The Excel file could not be read")


def test_an_old_xls_file_gets_the_save_as_advice(english):
    problems = problems_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "old-format Excel file (.xls)" in problems[0]


def test_empty_file(english):
    assert problems_of(b"") == ["The file is empty."]


def test_missing_criteria_sheet(english):
    def change(workbook):
        del workbook[CRITERIA_SHEET]

    assert problems_of(edit(SMALL, change)) == ["The workbook has no sheet “Tiêu chí”."]


def test_missing_required_column(english):
    assert problems_of(edit(SMALL, set_cell(CRITERIA_SHEET, "A1", "Bậc"))) == [
        "Sheet “Tiêu chí” has no column “Cấp” in its header row (row 1)."
    ]


def test_unknown_level(english):
    assert problems_of(edit(SMALL, set_cell(CRITERIA_SHEET, "A4", "Chỉ tiêu"))) == [
        "Sheet “Tiêu chí”, row 4, column “Cấp”: unknown level “Chỉ tiêu”; the levels are "
        "“Phần”, “Nhóm”, “Tiêu chí”, “Tiêu chí con”, “Phương án”."
    ]


def test_levels_are_read_without_regard_to_case_or_diacritics():
    def change(workbook):
        workbook[CRITERIA_SHEET]["A4"] = "tieu chi"
        workbook[CRITERIA_SHEET]["A5"] = "PHƯƠNG ÁN"

    assert read_sheet_xlsx(edit(SMALL, change)) == SMALL


def test_option_row_before_any_criterion(english):
    def change(workbook):
        sheet = workbook[CRITERIA_SHEET]
        sheet.insert_rows(2)
        sheet["A2"], sheet["C2"], sheet["E2"] = "Phương án", "Không có", 0

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Tiêu chí”, row 2, column “Cấp”: an option must follow a criterion, but there is no criterion above it."
    ]


def test_option_row_under_a_part(english):
    def change(workbook):
        sheet = workbook[CRITERIA_SHEET]
        sheet.insert_rows(3)
        sheet["A3"], sheet["C3"], sheet["E3"] = "Phương án", "Không có", 0

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Tiêu chí”, row 3, column “Cấp”: an option must follow a criterion, not a part."
    ]


def test_points_that_are_not_a_number(english):
    assert problems_of(edit(SMALL, set_cell(CRITERIA_SHEET, "E5", "ba"))) == [
        "Sheet “Tiêu chí”, row 5, column “Điểm”: “ba” is not a number."
    ]


def test_maximum_that_is_not_a_number(english):
    assert problems_of(edit(SMALL, set_cell(CRITERIA_SHEET, "D4", "ba điểm"))) == [
        "Sheet “Tiêu chí”, row 4, column “Điểm tối đa”: “ba điểm” is not a number."
    ]


@pytest.mark.parametrize("star", [6, "năm", 4.5])
def test_star_marker_must_be_3_4_or_5(english, star):
    assert problems_of(edit(SMALL, set_cell(CRITERIA_SHEET, "F6", star))) == [
        f"Sheet “Tiêu chí”, row 6, column “Mức sao tối thiểu”: the star marker must be 3, 4 or 5, not “{star}”."
    ]


def test_child_level_that_skips_a_level(english):
    def change(workbook):
        workbook[CRITERIA_SHEET].delete_rows(3)  # the group: criterion 1.1 now follows the part

    message = (
        "Sheet “Tiêu chí”, row %s, column “Cấp”: a “Tiêu chí” skips a level: the criterion above is a “Phần”, "
        "so this row can be at most a “Nhóm”."
    )
    # 1.1 and 1.2 both skip; the options of 1.1 (rows 4 and 5) are not reported again.
    assert problems_of(edit(SMALL, change)) == [message % 3, message % 6]


def test_first_row_must_be_a_part(english):
    def change(workbook):
        workbook[CRITERIA_SHEET].delete_rows(2)

    problems = problems_of(edit(SMALL, change))
    assert problems[0] == ("Sheet “Tiêu chí”, row 2, column “Cấp”: the first row must be a “Phần”, not a “Nhóm”.")


def test_option_columns_on_a_criterion_row_and_the_reverse(english):
    def change(workbook):
        workbook[CRITERIA_SHEET]["E4"] = 3
        workbook[CRITERIA_SHEET]["D5"] = 3

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Tiêu chí”, row 4, column “Điểm”: this column is for option rows; leave it blank on a criterion row.",
        "Sheet “Tiêu chí”, row 5, column “Điểm tối đa”: this column is for criterion rows; "
        "leave it blank on an option row.",
    ]


def test_duplicate_and_missing_codes(english):
    def change(workbook):
        workbook[CRITERIA_SHEET]["B7"] = "1.1"
        workbook[CRITERIA_SHEET]["B3"] = None

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Tiêu chí”, row 3, column “Mã”: the criterion code is missing.",
        "Sheet “Tiêu chí”, row 7, column “Mã”: the code 1.1 is already used above.",
    ]


def test_bad_condition_and_binary_flag(english):
    def change(workbook):
        workbook[CRITERIA_SHEET]["J7"] = "1.1 > một"
        workbook[CRITERIA_SHEET]["H4"] = "có lẽ"

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Tiêu chí”, row 4, column “Có/Không”: write “Có” or leave it blank, not “có lẽ”.",
        "Sheet “Tiêu chí”, row 7, column “Áp dụng khi”: the condition “1.1 > một” cannot be read; "
        "write a criterion code and the minimum points, e.g. 5.1>=1.",
    ]


def test_knockout_problems(english):
    def change(workbook):
        sheet = workbook[KNOCKOUT_SHEET]
        sheet.append(["9.9", "criterion", "Không có tiêu chí này", None])
        sheet.append(["1.1", "fatal", "Loại sai", None])
        sheet.append([None, "gate", "Tạp chất", "1.1, 7.7"])

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Loại hồ sơ”, row 3, column “Mã tiêu chí”: there is no criterion “9.9” on the sheet “Tiêu chí”.",
        "Sheet “Loại hồ sơ”, row 4, column “Loại”: unknown kind “fatal”; "
        "the kinds are dossier, criterion, requirement, gate.",
        "Sheet “Loại hồ sơ”, row 5, column “Tính 0 điểm cho”: there is no criterion “7.7” on the sheet “Tiêu chí”.",
    ]


def test_case_problems(english):
    def change(workbook):
        sheet = workbook[CASE_SHEET]
        sheet.append(["1.1", "hai", "Điểm du lịch"])
        sheet.append(["8.8", 1, "Không có tiêu chí này"])

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Trường hợp”, row 2, column “Trường hợp”: the case must be a positive whole number (1, 2, …), "
        "not “hai”.",
        "Sheet “Trường hợp”, row 3, column “Mã tiêu chí”: there is no criterion “8.8” on the sheet “Tiêu chí”.",
    ]


def test_info_problems(english):
    def change(workbook):
        sheet = workbook[INFO_SHEET]
        sheet["B3"] = "một"  # sheet_number
        sheet["B2"] = None  # legal_basis
        sheet.append(["author", "Ai đó"])

    assert problems_of(edit(SMALL, change)) == [
        "Sheet “Thông tin”, row 3, column “Giá trị”: “một” is not a positive whole number.",
        "Sheet “Thông tin”, row 7, column “Khóa”: unknown key “author”; "
        "the keys are legal_basis, sheet_number, title, classification, source.",
        "Sheet “Thông tin”: “legal_basis” is missing.",
        "Sheet “Thông tin”: “sheet_number” is missing.",
    ]


def test_every_problem_is_reported_at_once(english):
    def change(workbook):
        sheet = workbook[CRITERIA_SHEET]
        sheet["E5"] = "ba"
        sheet["F6"] = 2
        sheet["A7"] = "Mục"

    problems = problems_of(edit(SMALL, change))
    assert [problem.split(":")[0] for problem in problems] == [
        "Sheet “Tiêu chí”, row 5, column “Điểm”",
        "Sheet “Tiêu chí”, row 6, column “Mức sao tối thiểu”",
        "Sheet “Tiêu chí”, row 7, column “Cấp”",
    ]


def test_messages_format_in_vietnamese_too():
    from django.utils import translation

    with translation.override("vi"):
        problems = problems_of(edit(SMALL, set_cell(CRITERIA_SHEET, "E5", "ba")))
    assert "“ba”" in problems[0]
    assert "5" in problems[0]
