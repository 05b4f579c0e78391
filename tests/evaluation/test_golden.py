"""Golden cases on every product set of 26/2026, built from the data and the official minimums.

The star minimums come from ``/work/shared/domain/qd26_2026_star_minimums.csv`` (computed from the
printed sheets, independently of the engine); the answer sets are built from the sheets' options.
"""

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from ocop.evaluation import engine
from ocop.evaluation.engine import ScoringError, answers_from_points, next_star_plan, score
from tests.evaluation.test_engine import (
    SHEET_NUMBERS,
    all_max,
    apply_plan,
    band_from_law,
    case_options,
    load_sheet,
    option_with,
    parameters,
    star_rules,
)

pytestmark = [pytest.mark.unit]

MINIMUMS_CSV = Path("/work/shared/domain/qd26_2026_star_minimums.csv")


def official_minimums() -> dict[int, dict[int, dict[str, Decimal]]]:
    """Sheet → star level → criterion → minimum points, as the domain CSV lists them."""
    result: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    with MINIMUMS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            result[int(row["sheet_no"])][int(row["star_level"])][row["criterion_code"]] = Decimal(
                row["min_points_required"]
            )
    return result


OFFICIAL = official_minimums()


def test_the_csv_covers_every_sheet_and_is_cumulative():
    assert sorted(OFFICIAL) == SHEET_NUMBERS
    for number, levels in OFFICIAL.items():
        assert sorted(levels) == [3, 4, 5], number
        for lower, higher in ((3, 4), (4, 5)):
            for code, required in levels[lower].items():
                assert levels[higher][code] >= required, (number, code)


# ---------------------------------------------------------------------------------------------
# Minimums
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_minimums_equal_the_official_list(number):
    sheet = load_sheet(number)
    found = {
        level: {code: minimum.required for code, minimum in by_code.items()}
        for level, by_code in engine.minimums(sheet).items()
    }
    assert found == OFFICIAL[number]


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_minimums_are_the_points_of_marked_options_of_their_criterion(number):
    sheet = load_sheet(number)
    for level, by_code in engine.minimums(sheet).items():
        for code, minimum in by_code.items():
            node = sheet.leaf(code)
            marked = [option for option in node.options if option.min_star and option.min_star <= level]
            assert minimum.required in {option.points for option in marked}
            assert minimum.star == level
            assert minimum.required <= node.max_points


def test_tourism_5_stars_keeps_the_4_star_minimums():
    # sheet 26 marks only *** and ****; a 5★ tourism product still needs 3.4 ≥ 3 and 3.5 ≥ 2
    # (regression: the engine listed no 5★ minimums and gave 5★ to a product missing them)
    sheet = load_sheet(26)
    found = engine.minimums(sheet)
    assert {code: minimum.required for code, minimum in found[5].items()} == {"3.4": 3, "3.5": 2}
    answers = all_max(sheet) | {"3.4": option_with(sheet, "3.4", 1)}
    result = score(sheet, answers, star_rules())
    assert (result.total, result.band_star) == (98, 5)
    assert result.proposed_star == 3


# ---------------------------------------------------------------------------------------------
# Golden answer sets per product set
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_all_maximum_gives_100_points_and_5_stars(number):
    sheet = load_sheet(number)
    result = score(sheet, all_max(sheet), star_rules(), require_complete=True)
    assert result.total == 100
    assert result.part_totals == parameters()["part_maxima"]
    assert result.band_star == 5
    assert result.proposed_star == 5
    assert result.recognisable
    assert all(not unmet for unmet in result.unmet.values())
    assert result.knockouts == []
    assert result.explanation() == []


def exact_3_star_minimum(sheet: engine.Sheet, number: int) -> dict[str, str]:
    """Each 3★-marked criterion at its 3★ minimum, everything else at its lowest option.

    Criteria where 0 points stops the evaluation (sheet 16's sensory gate) get their lowest
    non-zero option instead.
    """
    gated = {code for knockout in sheet.knockouts for code in knockout.zero_in}
    answers = {
        node.code: next(option for option in case_options(node) if option.points or node.code not in gated).key
        for node in sheet.leaves()
    }
    for code, required in OFFICIAL[number][3].items():
        answers[code] = option_with(sheet, code, required)
    return answers


def raise_unmarked(sheet: engine.Sheet, number: int, answers: dict[str, str], floor: int) -> dict[str, str]:
    """Raise criteria with no 3★ minimum to their maximum, one by one, until the total reaches floor."""
    answers = dict(answers)
    for node in sheet.leaves():
        if score(sheet, answers, star_rules()).total >= floor:
            break
        if node.code in OFFICIAL[number][3] or node.applies_if:
            continue
        answers[node.code] = case_options(node)[-1].key
    return answers


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_exact_3_star_minimum_then_50_points_gives_3_stars(number):
    sheet = load_sheet(number)
    minimum = exact_3_star_minimum(sheet, number)
    base = score(sheet, minimum, star_rules(), require_complete=True)
    assert base.unmet[3] == []
    assert base.total < 50
    assert base.proposed_star == band_from_law(base.total)
    answers = raise_unmarked(sheet, number, minimum, 50)
    result = score(sheet, answers, star_rules(), require_complete=True)
    assert 50 <= result.total < 70
    assert result.band_star == 3
    assert result.proposed_star == 3
    assert result.recognisable
    for code, required in OFFICIAL[number][3].items():
        assert result.points[code] == required


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_each_3_star_minimum_is_needed(number):
    sheet = load_sheet(number)
    answers = raise_unmarked(sheet, number, exact_3_star_minimum(sheet, number), 60)
    assert score(sheet, answers, star_rules()).proposed_star == 3
    for code, required in OFFICIAL[number][3].items():
        below = [option for option in case_options(sheet.leaf(code)) if option.points < required]
        if not below:
            continue  # the lowest option already meets the minimum
        result = score(sheet, answers | {code: below[-1].key}, star_rules())
        assert result.band_star == 3, code
        assert [unmet.criterion for unmet in result.unmet[3]] == [code]
        assert result.proposed_star == 2, code
        assert not result.recognisable, code


def missing_one_4_star_minimum(sheet: engine.Sheet, number: int) -> tuple[str, dict[str, str]]:
    """All maximum except one 4★ criterion just below its 4★ minimum (its 3★ minimum still met)."""
    for code, required in OFFICIAL[number][4].items():
        floor = OFFICIAL[number][3].get(code, Decimal(0))
        below = [option for option in case_options(sheet.leaf(code)) if floor <= option.points < required]
        if below:
            return code, all_max(sheet) | {code: below[-1].key}
    raise AssertionError(f"sheet {number}: no 4★ minimum can be missed alone")


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_missing_one_4_star_minimum_at_90_plus_falls_to_3_stars(number):
    sheet = load_sheet(number)
    code, answers = missing_one_4_star_minimum(sheet, number)
    result = score(sheet, answers, star_rules())
    assert result.total >= 90
    assert result.proposed_star == 3
    assert code in [unmet.criterion for unmet in result.unmet[4]]
    assert code in [unmet.criterion for unmet in result.unmet[5]]


@pytest.mark.parametrize("number", SHEET_NUMBERS)
def test_missing_one_4_star_minimum_in_the_4_star_band(english, number):
    sheet = load_sheet(number)
    code, answers = missing_one_4_star_minimum(sheet, number)
    marked = {marked_code for level in OFFICIAL[number].values() for marked_code in level}
    for node in sheet.leaves():  # take points off unmarked criteria until below 90
        if score(sheet, answers, star_rules()).total < 90:
            break
        if node.code not in marked and not node.applies_if:
            answers[node.code] = case_options(node)[0].key
    downgrade = score(sheet, answers, star_rules())
    assert 70 <= downgrade.total < 90
    assert downgrade.band_star == 4
    assert [unmet.criterion for unmet in downgrade.unmet[4]] == [code]
    assert downgrade.proposed_star == 3
    assert downgrade.recognisable
    assert f"criterion {code} needs ≥ {_fmt(OFFICIAL[number][4][code])} points" in downgrade.explanation()[0]

    strict = score(sheet, answers, star_rules(below_minimum_policy="not_recognised"))
    assert strict.band_star == 4
    assert not strict.recognisable
    assert strict.proposed_star is not None and strict.proposed_star < 3

    plan = next_star_plan(sheet, answers, star_rules())
    assert plan.target_star == 4
    assert [(step.criterion, step.mandatory) for step in plan.steps] == [(code, True)]
    assert score(sheet, apply_plan(sheet, answers, plan), star_rules()).proposed_star >= 4


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


# ---------------------------------------------------------------------------------------------
# Sheet 1 and the tourism sheet
# ---------------------------------------------------------------------------------------------


def test_sheet_1_explanation_with_labelling_at_1_point(english):
    sheet = load_sheet(1)
    answers = all_max(sheet) | {"2.3": option_with(sheet, "2.3", 1)}
    result = score(sheet, answers, star_rules())
    assert result.proposed_star == 3
    text = " ".join(result.explanation())
    assert "criterion 2.3 needs ≥ 3 points" in text
    assert "now 1" in text


@pytest.mark.parametrize("criterion", ["8", "9", "15"])
def test_tourism_case_2_options_score(criterion):
    sheet = load_sheet(26)
    node = sheet.leaf(criterion)
    assert set(node.case_labels) == {1, 2}
    for option in case_options(node, 2):
        if option.case != 2:
            continue
        answers = all_max(sheet) | {criterion: option.key}
        result = score(sheet, answers, star_rules(), require_complete=True)
        assert result.points[criterion] == option.points
        assert result.total == 100 - (node.max_points - option.points)


def test_tourism_criterion_8_case_2_top_option_gives_5_stars():
    sheet = load_sheet(26)
    top_case_2 = case_options(sheet.leaf("8"), 2)[-1]
    assert (top_case_2.case, top_case_2.points) == (2, 3)
    result = score(sheet, all_max(sheet) | {"8": top_case_2.key}, star_rules())
    assert (result.total, result.proposed_star) == (100, 5)


def test_tourism_points_shared_by_both_cases_need_the_case(english):
    sheet = load_sheet(26)
    with pytest.raises(ScoringError) as caught:
        answers_from_points(sheet, {"7": 3, "8": 1})
    assert (caught.value.code, caught.value.criterion) == ("case_required", "8")
    assert caught.value.message == "Criterion 8: say which case the 1 points belong to."
    answers = answers_from_points(sheet, {"8": 1, "9": 2}, cases={"8": 2, "9": 1})
    assert sheet.option(answers["8"])[1].case == 2
    assert sheet.option(answers["9"])[1].case == 1
    assert {sheet.option(key)[1].points for key in answers.values()} == {1, 2}
