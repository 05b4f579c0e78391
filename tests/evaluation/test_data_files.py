"""The 26 criteria sheets of 26/2026 as data files: loading, errata, consistency checks, differences."""

import copy
import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ocop.evaluation.rubric_io import (
    RubricDataError,
    apply_errata,
    check_sheet,
    diff_sheets,
    load_errata,
    read_yaml,
    sheet_files,
    sheet_from_data,
)
from tests.evaluation.test_engine import BASIS, SHEET_NUMBERS, load_sheet, parameters, raw_sheet, sheet_path

pytestmark = [pytest.mark.unit]

SUMMARY_CSV = Path("/work/shared/domain/qd26_2026_sheet_summary.csv")
PART_MAXIMA = parameters()["part_maxima"]
ERRATA = load_errata(BASIS)
# sheets the printed text gets wrong (domain brief §3.6; errata.yaml)
MISPRINTED = {4, 7, 10, 11, 23}


def corrected(number: int) -> dict:
    return apply_errata(raw_sheet(number), ERRATA)[0]


def problems_of(data: dict) -> list[str]:
    """What is wrong with a data dict: structural errors, else arithmetic ones."""
    try:
        sheet = sheet_from_data(data)
    except RubricDataError as error:
        return error.problems
    return check_sheet(sheet, PART_MAXIMA)


def find(data: dict, code: str) -> dict:
    stack = list(data["parts"])
    while stack:
        node = stack.pop()
        if str(node["code"]) == code:
            return node
        stack.extend(node.get("children", []))
    raise AssertionError(f"no node {code}")


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def test_there_are_26_sheet_files():
    assert [path.name for path in sheet_files(BASIS)] == [f"sheet-{number:02d}.yaml" for number in SHEET_NUMBERS]


def test_part_maxima_of_the_legal_basis():
    assert PART_MAXIMA == {"A": 40, "B": 25, "C": 35}


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_sheet_file_loads(number):
    data = read_yaml(sheet_path(number).read_text(encoding="utf-8"))
    assert data["legal_basis"] == BASIS
    assert data["sheet_number"] == number
    sheet = load_sheet(number)
    assert sheet.sheet_number == number
    assert sheet.key == f"{BASIS}#{number}"
    assert [part.code for part in sheet.parts] == ["A", "B", "C"]
    assert 25 <= len(sheet.leaves()) <= 34  # domain brief §3.5
    codes = [node.code for node in sheet.nodes()]
    assert len(codes) == len(set(codes))
    for node in sheet.leaves():
        assert node.options, node.code
        assert len({option.key for option in node.options}) == len(node.options)
        assert all(option.key.startswith(f"{node.code}#") for option in node.options)


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_sheet_groups_match_the_parsed_summary(number):
    expected = {}
    with SUMMARY_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if int(row["sheet_no"]) == number:
                expected[row["group_code"]] = (row["part"], Decimal(row["group_max"]), int(row["n_leaf_criteria"]))
    sheet = load_sheet(number)
    found = {
        group.code: (part.code, group.max_points, sum(1 for node in group.walk() if node.is_leaf))
        for part in sheet.parts
        for group in part.children
    }
    assert found == expected


def test_binary_criterion_has_no_and_yes():
    node = load_sheet(1).leaf("2.4")
    assert node.binary
    assert [(option.key, option.points) for option in node.options] == [("2.4#1", 0), ("2.4#2", 1)]


def test_invalid_yaml_is_a_data_error():
    with pytest.raises(RubricDataError):
        read_yaml("parts: [a, b\n  - c: ]")
    with pytest.raises(RubricDataError):
        read_yaml("- just a list")


def test_structure_errors_name_the_criterion(english):
    data = corrected(1)
    find(data, "1.3")["options"][0]["points"] = "abc"
    find(data, "2.2")["options"][1]["star"] = 6
    del find(data, "6.3")["options"]
    with pytest.raises(RubricDataError) as caught:
        sheet_from_data(data)
    assert caught.value.problems == [
        "Criterion 1.3, option 1: “abc” is not a number.",
        "Criterion 2.2, option 2: the star marker must be 3, 4 or 5, not “6”.",
        "Criterion 6.3 has neither options nor sub-criteria.",
    ]


# ---------------------------------------------------------------------------------------------
# Errata
# ---------------------------------------------------------------------------------------------


def test_every_erratum_applies_exactly_once():
    applied = Counter()
    for number in SHEET_NUMBERS:
        _data, used = apply_errata(raw_sheet(number), ERRATA)
        assert all(int(erratum["sheet"]) == number for erratum in used)
        applied.update(erratum["id"] for erratum in used)
    assert len(ERRATA) == 10
    assert applied == Counter({erratum["id"]: 1 for erratum in ERRATA})


def test_errata_sheets_are_the_misprinted_ones_and_two_text_fixes():
    points_errata = {int(erratum["sheet"]) for erratum in ERRATA if erratum["field"] == "points"}
    assert points_errata == MISPRINTED
    assert sorted((erratum["sheet"], erratum["field"]) for erratum in ERRATA if erratum["field"] != "points") == [
        (5, "note"),
        (26, "title"),
    ]


def test_apply_errata_returns_a_copy():
    raw = raw_sheet(4)
    before = copy.deepcopy(raw)
    data, _used = apply_errata(raw, ERRATA)
    assert raw == before
    assert find(data, "7")["options"][2]["points"] == 3
    assert find(raw, "7")["options"][2]["points"] == 13


def test_text_errata_are_applied():
    assert "(40 Điểm)" in load_sheet(26).parts[0].title
    assert "(35 Điểm)" in raw_sheet(26)["parts"][0]["title"]
    assert load_sheet(5).leaf("8").notes[0].startswith("Ghi chú: Bản Tiêu chuẩn")


@pytest.mark.parametrize("erratum_id", [f"E{index}" for index in range(1, 11)])
def test_an_erratum_whose_printed_value_does_not_match_stops_the_load(erratum_id):
    erratum = copy.deepcopy(next(item for item in ERRATA if item["id"] == erratum_id))
    erratum["printed"] = "something else"
    with pytest.raises(RubricDataError) as caught:
        apply_errata(raw_sheet(int(erratum["sheet"])), [erratum])
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{erratum_id}: ")


def test_an_erratum_on_a_missing_node_or_option_stops_the_load():
    erratum = copy.deepcopy(next(item for item in ERRATA if item["id"] == "E1"))
    with pytest.raises(RubricDataError, match="E1: node 99 not found"):
        apply_errata(raw_sheet(4), [erratum | {"node": "99"}])
    with pytest.raises(RubricDataError, match="E1: option 9 not found on 7"):
        apply_errata(raw_sheet(4), [erratum | {"option": 9}])


def test_errata_of_other_sheets_are_ignored():
    data, used = apply_errata(raw_sheet(1), ERRATA)
    assert used == []
    assert data == raw_sheet(1)


# ---------------------------------------------------------------------------------------------
# Consistency: as printed, corrected, and after breaking a sheet on purpose
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_sheets_as_printed_are_inconsistent_exactly_where_the_errata_say(number):
    problems = problems_of(raw_sheet(number))
    assert bool(problems) == (number in MISPRINTED), problems


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_corrected_sheets_are_consistent(number):
    assert check_sheet(load_sheet(number), PART_MAXIMA) == []
    assert load_sheet(number).max_total == 100


@pytest.mark.parametrize(
    ("erratum_id", "expected"),
    [
        (
            "E1",
            [
                "7, option 3: 13 points exceed the criterion maximum 3.",
                "7: no option reaches the criterion maximum 3 (highest 13).",
            ],
        ),
        (
            "E2",
            [
                "6.1.1, option 2: 11 points exceed the criterion maximum 2.",
                "6.1.1: no option reaches the criterion maximum 2 (highest 11).",
            ],
        ),
        ("E3", ["3.1: two options give the same points (1, 1, 3)."]),
        ("E4", ["6.2: two options give the same points (1, 1, 3, 5)."]),
        ("E5", ["Criterion 1.2, option 1: points are missing."]),
        ("E6", ["Criterion 1.2, option 1: points are missing."]),
        ("E7", ["Criterion 1.2, option 1: points are missing."]),
        ("E8", ["Criterion 1.2, option 1: points are missing."]),
    ],
)
def test_each_points_erratum_fixes_the_problem_it_names(english, erratum_id, expected):
    erratum = next(item for item in ERRATA if item["id"] == erratum_id)
    others = [item for item in ERRATA if item["id"] != erratum_id]
    data, _used = apply_errata(raw_sheet(int(erratum["sheet"])), others)
    assert problems_of(data) == expected


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_removing_the_top_option_is_reported(english, number):
    data = corrected(number)
    sheet = load_sheet(number)
    node = next(node for node in sheet.leaves() if not node.binary and len(node.options) >= 2 and not node.case_labels)
    top = max(node.options, key=lambda option: option.points)
    raw_options = find(data, node.code)["options"]
    del raw_options[node.options.index(top)]
    problems = check_sheet(sheet_from_data(data), PART_MAXIMA)
    assert problems == [
        f"{node.code}: no option reaches the criterion maximum {node.max_points} "
        f"(highest {max(option.points for option in node.options if option is not top)})."
    ]


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_an_option_above_the_maximum_is_reported(english, number):
    data = corrected(number)
    node = load_sheet(number).leaves()[-1]
    raw_node = find(data, node.code)
    if node.binary:
        raw_node["binary"] = False
        raw_node["options"] = [{"label": "no", "points": 0}, {"label": "yes", "points": node.max_points}]
    raw_node["options"][-1]["points"] = node.max_points + 1
    problems = check_sheet(sheet_from_data(data), PART_MAXIMA)
    position = len(raw_node["options"])
    assert f"{node.code}, option {position}: {node.max_points + 1} points exceed the criterion maximum " in problems[0]
    assert all(node.code in problem for problem in problems)


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_parts_not_adding_up_to_100_are_reported(english, number):
    data = corrected(number)
    data["parts"][0]["max"] = 41
    problems = check_sheet(sheet_from_data(data), PART_MAXIMA)
    assert problems == [
        "Part A has a maximum of 41; this legal basis sets 40.",
        "A: its parts add up to 40, its maximum is 41.",
        "The sheet totals 101 points.",
    ]


def test_a_group_maximum_that_disagrees_with_its_criteria_is_reported(english):
    data = corrected(1)
    find(data, "2")["max"] = 11
    problems = check_sheet(sheet_from_data(data), PART_MAXIMA)
    assert problems == [
        "A: its parts add up to 41, its maximum is 40.",
        "2: its parts add up to 10, its maximum is 11.",
    ]


def test_a_star_marker_lower_for_a_higher_star_is_reported(english):
    data = corrected(1)
    options = find(data, "2.3")["options"]  # 1 ★3, 2, 3 ★4
    options[0]["star"] = 4
    options[2]["star"] = 3
    assert check_sheet(sheet_from_data(data), PART_MAXIMA) == [
        "2.3: the 4★ minimum (1 points) is below the 3★ minimum (3)."
    ]


def test_a_condition_on_a_missing_criterion_and_a_gate_on_a_missing_criterion_are_reported(english):
    data = corrected(16)
    find(data, "5.2")["applies_if"]["criterion"] = "5.9"
    find(data, "6")["knockouts"][0]["zero_in"].append("6.9")
    assert check_sheet(sheet_from_data(data), PART_MAXIMA) == [
        "5.2 applies only if criterion 5.9, which is not on the sheet.",
        "Knock-out 6-K1 refers to criterion 6.9, which is not on the sheet.",
    ]


def test_tourism_case_without_a_label_is_reported(english):
    data = corrected(26)
    del find(data, "9")["case_labels"][2]
    assert check_sheet(sheet_from_data(data), PART_MAXIMA) == ["9: case 2 has no label."]


# ---------------------------------------------------------------------------------------------
# Differences between versions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_diff_of_a_sheet_with_itself_is_empty(number):
    assert diff_sheets(load_sheet(number), sheet_from_data(corrected(number))) == []


def test_diff_reports_a_changed_option_points():
    data = corrected(1)
    find(data, "2.1")["options"][1]["points"] = 2
    changes = diff_sheets(load_sheet(1), sheet_from_data(data))
    assert [(change.kind, change.where) for change in changes] == [("changed", "2.1 · 2")]
    assert changes[0].before.endswith("→ 1")
    assert changes[0].after.endswith("→ 2")


def test_diff_reports_added_and_removed_options_and_markers():
    data = corrected(1)
    find(data, "2.3")["options"][1]["star"] = 4  # 2 points now the 4★ minimum
    del find(data, "6.2")["options"][4]
    changes = diff_sheets(load_sheet(1), sheet_from_data(data))
    assert [(change.kind, change.where) for change in changes] == [("changed", "2.3 · 2"), ("removed", "6.2 · 5")]
    assert changes[0].after.endswith("→ 2 ****")
    assert changes[1].before.endswith("→ 4")


def test_diff_of_the_printed_and_corrected_sheet_lists_the_errata():
    changes = diff_sheets(sheet_from_data(raw_sheet(23)), load_sheet(23))
    assert [(change.kind, change.where) for change in changes] == [("changed", "6.2 · 1")]
    assert changes[0].before.endswith("→ 1")
    assert changes[0].after.endswith("→ 0")


def test_diff_against_nothing_adds_everything():
    sheet = load_sheet(1)
    changes = diff_sheets(None, sheet)
    assert {change.kind for change in changes} == {"added"}
    options = sum(len(node.options) for node in sheet.nodes())
    assert len(changes) == len(list(sheet.nodes())) + options + len(sheet.knockouts) + 1 + 1  # requirement, condition
