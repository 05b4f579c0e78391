"""The criteria engine on the 26 sheets of 26/2026: star bands, bad input, knock-outs, plans, council.

Pure functions, no database. The sheets come from the data files with the errata applied, the
rules from the 26/2026 entry of ``legal_bases.json`` (read directly). Expected values come from
the law (Art. 3.3 bands, the sheets' markers) and from the data, not from the engine.
"""

import copy
import functools
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import ocop.legal
from ocop.evaluation import engine
from ocop.evaluation.engine import (
    CouncilRules,
    MemberSheet,
    ScoringError,
    StarRules,
    aggregate,
    answers_from_options,
    answers_from_points,
    next_star_plan,
    score,
)
from ocop.evaluation.rubric_io import apply_errata, basis_directory, load_errata, read_yaml, sheet_from_data

pytestmark = [pytest.mark.unit]

BASIS = "26/2026/QĐ-TTg"
SHEET_NUMBERS = list(range(1, 27))
LEGAL_BASES_FILE = Path(ocop.legal.__file__).resolve().parent / "data" / "legal_bases.json"


# ---------------------------------------------------------------------------------------------
# Helpers shared by the evaluation test modules
# ---------------------------------------------------------------------------------------------


@functools.cache
def _parameters_json(code: str) -> str:
    bases = json.loads(LEGAL_BASES_FILE.read_text(encoding="utf-8"))["legal_bases"]
    return json.dumps(next(basis["parameters"] for basis in bases if basis["code"] == code))


def parameters(code: str = BASIS) -> dict:
    """A fresh copy of a legal basis' parameters, read from the JSON file."""
    return json.loads(_parameters_json(code))


def star_rules(**overrides) -> StarRules:
    return StarRules.from_parameters({**parameters(), **overrides})


def council_rules(**overrides) -> CouncilRules:
    return CouncilRules.from_parameters(parameters(), **overrides)


def sheet_path(number: int) -> Path:
    return basis_directory(BASIS) / f"sheet-{number:02d}.yaml"


@functools.cache
def _raw_sheet(number: int) -> dict:
    return read_yaml(sheet_path(number).read_text(encoding="utf-8"))


def raw_sheet(number: int) -> dict:
    """Sheet ``number`` as printed (a fresh copy: tests may change it)."""
    return copy.deepcopy(_raw_sheet(number))


@functools.cache
def load_sheet(number: int) -> engine.Sheet:
    """Sheet ``number`` of 26/2026 as printed, with the errata applied."""
    return sheet_from_data(apply_errata(raw_sheet(number), load_errata(BASIS))[0])


def option_with(sheet: engine.Sheet, code: str, points, case: int | None = None) -> str:
    """The key of the option of ``code`` worth ``points`` (in ``case`` if the criterion has cases)."""
    wanted = Decimal(str(points))
    keys = [
        option.key
        for option in sheet.leaf(code).options
        if option.points == wanted and (case is None or option.case == case)
    ]
    assert len(keys) == 1, f"{code}: {len(keys)} options worth {points} (case {case})"
    return keys[0]


def case_options(node: engine.Node, case: int = 1) -> list[engine.Option]:
    """The options of one case (all options when the criterion has no cases), lowest first."""
    options = [option for option in node.options if option.case in (None, case)]
    return sorted(options, key=lambda option: option.points)


def all_max(sheet: engine.Sheet, case: int = 1) -> dict[str, str]:
    return {node.code: case_options(node, case)[-1].key for node in sheet.leaves()}


def points_of(sheet: engine.Sheet, answers) -> dict[str, Decimal]:
    return {code: sheet.option(key)[1].points for code, key in answers.items()}


def apply_plan(sheet: engine.Sheet, answers, plan) -> dict[str, str]:
    """The answers after every step of a plan (a step names the option by label and points)."""
    result = dict(answers)
    for step in plan.steps:
        node = sheet.leaf(step.criterion)
        chosen = sheet.option(answers[step.criterion])[1] if step.criterion in answers else None
        matches = [
            option
            for option in node.options
            if option.label == step.option_label
            and option.points == step.to_points
            and (chosen is None or chosen.case is None or option.case == chosen.case)
        ]
        assert len(matches) == 1, f"step on {step.criterion} is not one option of its case: {step}"
        result[step.criterion] = matches[0].key
    return result


def band_from_law(total: Decimal) -> int:
    """Art. 3.3 of 26/2026 as the JSON states it: half-open bands, the top one closed."""
    for band in parameters()["star_bands"]:
        low, high = Decimal(str(band["from"])), Decimal(str(band["to"]))
        if low <= total < high or (band.get("to_inclusive") and total == high):
            return band["stars"]
    raise AssertionError(f"{total} is in no band")


# ---------------------------------------------------------------------------------------------
# Star bands
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_star_rules_band_edges_follow_art_3_3(total, stars):
    assert star_rules().band_star(Decimal(total)) == stars


@pytest.mark.parametrize("total", ["100.01", "101", "-0.01", "-5"])
def test_star_rules_total_outside_0_100_raises(total):
    with pytest.raises(ScoringError) as caught:
        star_rules().band_star(Decimal(total))
    assert caught.value.code == "total_out_of_range"


def test_star_rules_from_parameters_reads_recognition_and_policy():
    rules = star_rules()
    assert [band.stars for band in rules.bands] == [1, 2, 3, 4, 5]
    assert rules.recognised_from == 3
    assert rules.top_star == 5
    assert rules.below_minimum_policy == "downgrade"


def test_star_rules_from_incomplete_parameters_raises_value_error():
    incomplete = parameters()
    del incomplete["recognition"]
    with pytest.raises(ValueError, match="incomplete star rules"):
        StarRules.from_parameters(incomplete)


def test_score_rejects_a_total_outside_the_bands():
    # a malformed sheet whose part is worth 120: the total 120 is in no band
    option = engine.Option("1#1", "all", Decimal(120))
    leaf = engine.Node("1", "one", "group", Decimal(120), options=(option,))
    part = engine.Node("A", "A", "part", Decimal(120), children=(leaf,))
    sheet = engine.Sheet("synthetic", "synthetic", (part,))
    with pytest.raises(ScoringError) as caught:
        score(sheet, {"1": "1#1"}, star_rules())
    assert caught.value.code == "total_out_of_range"


# ---------------------------------------------------------------------------------------------
# Bad input: the exact criterion and the reason
# ---------------------------------------------------------------------------------------------


def test_answers_from_options_with_an_option_of_another_sheet():
    # sheet 7's 2.1 has four options; sheet 1's only three
    foreign = load_sheet(7).leaf("2.1").options[3].key
    assert foreign == "2.1#4"
    with pytest.raises(ScoringError) as caught:
        answers_from_options(load_sheet(1), [foreign])
    assert (caught.value.code, caught.value.criterion) == ("unknown_option", "2.1")


def test_answers_from_options_with_a_criterion_only_another_sheet_has():
    foreign = load_sheet(11).leaf("6.1.1").options[1].key
    with pytest.raises(ScoringError) as caught:
        answers_from_options(load_sheet(1), ["2.2#1", foreign])
    assert (caught.value.code, caught.value.criterion) == ("unknown_option", "6.1.1")


def test_score_with_an_option_of_another_sheet():
    with pytest.raises(ScoringError) as caught:
        score(load_sheet(1), {"2.1": "2.1#4"}, star_rules())
    assert (caught.value.code, caught.value.criterion) == ("unknown_option", "2.1")


def test_score_with_the_option_of_another_criterion(english):
    with pytest.raises(ScoringError) as caught:
        score(load_sheet(1), {"2.2": "2.3#1"}, star_rules())
    assert (caught.value.code, caught.value.criterion) == ("option_of_other_criterion", "2.2")
    assert caught.value.message == "Criterion 2.2: the option chosen belongs to criterion 2.3."


def test_answers_from_options_with_two_options_for_one_criterion(english):
    with pytest.raises(ScoringError) as caught:
        answers_from_options(load_sheet(1), ["1.1#1", "2.2#1", "2.2#3"])
    assert (caught.value.code, caught.value.criterion) == ("two_options", "2.2")
    assert caught.value.message == "Criterion 2.2 has two options chosen; choose exactly one."


def test_answers_from_options_accepts_the_same_option_twice():
    assert answers_from_options(load_sheet(1), ["2.2#3", "2.2#3", "1.1#2"]) == {"2.2": "2.2#3", "1.1": "1.1#2"}


@pytest.mark.parametrize("points", ["4", "2.5", "-1", "abc", None])
def test_answers_from_points_outside_the_options(english, points):
    # 2.1 on sheet 1 offers 0, 1 and 3
    with pytest.raises(ScoringError) as caught:
        answers_from_points(load_sheet(1), {"1.1": 3, "2.1": points})
    assert (caught.value.code, caught.value.criterion) == ("points_not_an_option", "2.1")
    assert caught.value.message == f"Criterion 2.1: {points} points is not one of its options (0; 1; 3)."


def test_answers_from_points_accepts_a_decimal_comma():
    sheet = load_sheet(1)
    assert answers_from_points(sheet, {"2.1": "3,0", "1.1": Decimal(2)}) == {"2.1": "2.1#3", "1.1": "1.1#2"}


@pytest.mark.parametrize("call", ["score", "points"])
def test_unknown_criterion(english, call):
    sheet = load_sheet(1)
    with pytest.raises(ScoringError) as caught:
        if call == "score":
            score(sheet, {"2.2": "2.2#1", "13": "13#1"}, star_rules())
        else:
            answers_from_points(sheet, {"13": 1})
    assert (caught.value.code, caught.value.criterion) == ("unknown_criterion", "13")
    assert caught.value.message == "Criterion 13 is not on the sheet “Rau, củ, quả, hạt tươi”."


@pytest.mark.parametrize("story", [None, "5.1#1"])
def test_story_structure_is_refused_without_a_story(english, story):
    sheet = load_sheet(1)
    answers = {"5.2": "5.2#2"} | ({"5.1": story} if story else {})
    with pytest.raises(ScoringError) as caught:
        score(sheet, answers, star_rules())
    assert (caught.value.code, caught.value.criterion) == ("not_applicable", "5.2")
    assert caught.value.message == "Criterion 5.2 is scored only when Chỉ áp dụng khi có câu chuyện sản phẩm."


@pytest.mark.parametrize("number", range(1, 26))  # the tourism sheet has no conditional criterion
def test_conditional_criteria_count_zero_without_their_condition(number):
    sheet = load_sheet(number)
    conditional = [node for node in sheet.leaves() if node.applies_if]
    assert conditional
    answers = all_max(sheet)
    for node in conditional:
        condition = sheet.leaf(node.applies_if[0])
        answers[condition.code] = case_options(condition)[0].key  # below the condition's minimum
        assert case_options(condition)[0].points < node.applies_if[1]
        answers[node.code] = option_with(sheet, node.code, 0)  # the 0-point option is allowed
    result = score(sheet, answers, star_rules())
    assert result.not_applicable == [node.code for node in conditional]
    assert all(result.points[node.code] == 0 for node in conditional)
    del answers[conditional[0].code]  # leaving it out is allowed as well, and it is not missing
    result = score(sheet, answers, star_rules(), require_complete=True)
    assert result.missing == []
    assert result.points[conditional[0].code] == 0


def test_require_complete_names_the_first_missing_criterion(english):
    sheet = load_sheet(1)
    answers = all_max(sheet)
    del answers["3.2"], answers["1.4"]
    with pytest.raises(ScoringError) as caught:
        score(sheet, answers, star_rules(), require_complete=True)
    assert (caught.value.code, caught.value.criterion) == ("missing_answers", "1.4")
    assert caught.value.message == "Choose an option for every criterion; missing: 1.4, 3.2."


def test_missing_answers_count_zero_in_a_self_assessment_in_progress():
    sheet = load_sheet(1)
    answers = all_max(sheet)
    del answers["3.2"], answers["4.3"]
    result = score(sheet, answers, star_rules())
    assert result.missing == ["3.2", "4.3"]
    assert not result.complete
    assert result.total == 100 - 1 - 5
    assert result.part_totals == {"A": 39, "B": 20, "C": 35}


def test_unknown_knockout_key(english):
    with pytest.raises(ScoringError) as caught:
        score(load_sheet(1), all_max(load_sheet(1)), star_rules(), knockouts_hit=["HS9"])
    assert caught.value.code == "unknown_knockout"
    assert caught.value.message == "The knock-out “HS9” is not on the sheet “Rau, củ, quả, hạt tươi”."


# ---------------------------------------------------------------------------------------------
# Knock-outs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [n for n in SHEET_NUMBERS if n != 26])
def test_dossier_knockout_rejects_an_otherwise_perfect_product(english, number):
    sheet = load_sheet(number)
    result = score(sheet, all_max(sheet), star_rules(), knockouts_hit=["HS1"])
    assert result.total == 100
    assert result.rejected
    assert [knockout.key for knockout in result.knockouts] == ["HS1"]
    assert result.proposed_star is None
    assert not result.recognisable
    assert result.explanation()[0].startswith("Stopped: ")
    assert next_star_plan(sheet, all_max(sheet), star_rules()).target_star is None


def test_tourism_sheet_has_no_dossier_knockout():
    # domain brief §3.3: sheet 26 prints no "Hồ sơ bị loại khi" line
    assert load_sheet(26).knockouts == ()


@pytest.mark.parametrize("code", ["6.1", "6.2", "6.3", "6.4"])
def test_sheet_16_stops_on_zero_in_any_sensory_criterion(code):
    sheet = load_sheet(16)
    answers = all_max(sheet) | {code: option_with(sheet, code, 0)}
    result = score(sheet, answers, star_rules())
    assert result.total > 90
    assert [knockout.key for knockout in result.knockouts] == ["6-K1"]
    assert result.proposed_star is None
    assert not result.recognisable
    plan = next_star_plan(sheet, answers, star_rules())
    assert (plan.target_star, plan.steps, plan.reachable) == (None, (), False)


def test_sheet_16_gate_is_not_hit_by_an_unanswered_criterion():
    sheet = load_sheet(16)
    answers = all_max(sheet)
    del answers["6.2"]
    result = score(sheet, answers, star_rules())
    assert result.missing == ["6.2"]
    assert result.knockouts == []
    assert result.proposed_star is not None


def test_sheet_1_impurities_gate_is_manual_not_triggered_by_zero_points():
    sheet = load_sheet(1)
    answers = all_max(sheet) | {"6.1": option_with(sheet, "6.1", 0)}
    assert score(sheet, answers, star_rules()).knockouts == []
    stopped = score(sheet, answers, star_rules(), knockouts_hit=["6.1-K1"])
    assert stopped.proposed_star is None
    assert [knockout.kind for knockout in stopped.knockouts] == ["gate"]


# ---------------------------------------------------------------------------------------------
# Missed minimums: downgrade and not recognised
# ---------------------------------------------------------------------------------------------


def test_sheet_1_explanation_names_the_missed_minimum(english):
    sheet = load_sheet(1)
    answers = all_max(sheet) | {"2.3": option_with(sheet, "2.3", 1)}
    result = score(sheet, answers, star_rules())
    assert (result.total, result.band_star, result.proposed_star) == (98, 5, 3)
    assert [unmet.criterion for unmet in result.unmet[4]] == ["2.3"]
    text = "\n".join(result.explanation())
    assert "criterion 2.3 needs ≥ 3 points" in text
    assert "now 1" in text
    assert text.startswith("Not 4★ yet: criterion 2.3 needs ≥ 3 points (")
    assert [line.split(":")[0] for line in result.explanation()] == ["Not 4★ yet", "Not 5★ yet"]


def test_not_recognised_policy_gives_no_star_for_a_missed_minimum_of_the_band():
    sheet = load_sheet(1)
    answers = all_max(sheet) | {"2.3": option_with(sheet, "2.3", 1)}
    result = score(sheet, answers, star_rules(below_minimum_policy="not_recognised"))
    assert result.band_star == 5
    assert not result.recognisable
    assert result.proposed_star < 3


def test_a_missed_3_star_minimum_means_no_recognition_under_downgrade():
    sheet = load_sheet(1)
    # 9 (quality declaration) carries only the 3★ marker, at 2 points: it holds for 4★ and 5★ too
    answers = all_max(sheet) | {"9": option_with(sheet, "9", 2)}
    result = score(sheet, answers, star_rules())
    assert (result.total, result.proposed_star) == (97, 5)
    # 2.2 creative packaging (2 points) is the 3★ minimum; 1 point misses it
    answers = all_max(sheet) | {"2.2": option_with(sheet, "2.2", 1)}
    result = score(sheet, answers, star_rules())
    assert result.band_star == 5
    assert result.proposed_star == 2
    assert not result.recognisable


# ---------------------------------------------------------------------------------------------
# To reach the next star
# ---------------------------------------------------------------------------------------------

# Sheet 1 at 3★: total 87, all 3★ minimums met, five 4★ minimums missed (domain brief §3.4).
SHEET_1_AT_3_STARS = {
    "1.1": 3, "1.2": 2, "1.3": 2, "1.4": 3, "1.5": 1, "1.6": 1, "1.7": 1,
    "2.1": 1, "2.2": 3, "2.3": 2, "2.4": 1,
    "3.1": 3, "3.2": 1, "3.3": 3, "3.4": 1, "3.5": 1,
    "4.1": 5, "4.2": 3, "4.3": 5,
    "5.1": 3, "5.2": 2, "5.3": 5,
    "6.1": 2, "6.2": 4, "6.3": 3, "6.4": 3,
    "7": 3, "8": 5, "9": 5, "10": 5, "11": 2, "12": 3,
}  # fmt: skip


def test_next_star_plan_on_sheet_1_lists_every_missed_4_star_minimum_first():
    sheet = load_sheet(1)
    answers = answers_from_points(sheet, SHEET_1_AT_3_STARS)
    result = score(sheet, answers, star_rules())
    assert (result.total, result.band_star, result.proposed_star) == (87, 4, 3)
    plan = next_star_plan(sheet, answers, star_rules())
    assert plan.target_star == 4
    assert plan.reachable
    assert plan.points_needed == 0
    # the 4★ minimums of the sheet (domain brief §3.4): 1.5≥2, 2.1≥3, 2.3≥3, 3.4≥2, 3.5≥2, 5.1≥5
    expected = [("1.5", 1, 2), ("2.1", 1, 3), ("2.3", 2, 3), ("3.4", 1, 2), ("3.5", 1, 2), ("5.1", 3, 5)]
    assert [(step.criterion, step.from_points, step.to_points) for step in plan.steps] == expected
    assert all(step.mandatory for step in plan.steps)
    assert [step.levels for step in plan.steps] == [1, 1, 1, 1, 1, 1]
    after = score(sheet, apply_plan(sheet, answers, plan), star_rules())
    assert after.proposed_star >= 4
    assert after.unmet[4] == []


def test_next_star_plan_adds_upgrades_after_the_minimums_when_the_total_is_short():
    sheet = load_sheet(1)
    lower = {"4.3": 0, "4.2": 0, "6.3": 0, "6.4": 0, "7": 0, "12": 1, "1.1": 1, "1.4": 1, "3.3": 1, "3.1": 1}
    answers = answers_from_points(sheet, SHEET_1_AT_3_STARS | lower)
    before = score(sheet, answers, star_rules())
    assert (before.total, before.proposed_star) == (60, 3)
    plan = next_star_plan(sheet, answers, star_rules())
    mandatory = [step.criterion for step in plan.steps if step.mandatory]
    assert mandatory == ["1.5", "2.1", "2.3", "3.4", "3.5", "5.1"]  # +8 points: 68, 2 short of 70
    assert all(step.mandatory for step in plan.steps[: len(mandatory)])
    upgrades = plan.steps[len(mandatory) :]
    assert upgrades
    assert sum(step.gain for step in upgrades) >= 2
    assert plan.reachable
    after = score(sheet, apply_plan(sheet, answers, plan), star_rules())
    assert after.proposed_star >= 4


def test_next_star_plan_fills_the_band_when_minimums_are_met():
    sheet = load_sheet(1)
    lowest = {node.code: case_options(node)[0].key for node in sheet.leaves()}
    result = score(sheet, lowest, star_rules())
    assert result.band_star == 1
    plan = next_star_plan(sheet, lowest, star_rules())
    assert plan.target_star == 2
    assert plan.reachable
    assert not any(step.mandatory for step in plan.steps)
    after = score(sheet, apply_plan(sheet, lowest, plan), star_rules())
    assert after.total >= 30
    assert after.proposed_star >= 2


def test_next_star_plan_at_5_stars_is_empty():
    sheet = load_sheet(1)
    plan = next_star_plan(sheet, all_max(sheet), star_rules())
    assert (plan.target_star, plan.steps, plan.reachable) == (None, (), False)


# Tourism sheet 26 at 4★ with a total of 70: 20 points short of 5★, more than one option up on
# every criterion gives (regression: the plan climbed one option per criterion and gave up).
SHEET_26_AT_70 = {
    "1.1": 3, "1.2": 1, "1.3": 4, "1.4": 2, "2.1": 5, "2.2": 2, "2.3": 1,
    "3.1": 3, "3.2": 0, "3.3": 1, "3.4": 3, "3.5": 3,
    "4.1": 5, "4.2": 2, "4.3": 1, "4.4": 1, "4.5": 3, "5.1": 2, "5.2": 2, "5.3": 2,
    "6": 1, "7": 3, "8": 3, "9": 1, "10": 3, "11": 1, "12": 1, "13": 4, "14": 4, "15": 1, "16": 1, "17": 1,
}  # fmt: skip


def test_next_star_plan_climbs_more_than_one_option_when_needed():
    sheet = load_sheet(26)
    answers = answers_from_points(sheet, SHEET_26_AT_70, cases={"8": 2, "9": 2, "15": 2})
    result = score(sheet, answers, star_rules())
    assert (result.total, result.proposed_star) == (70, 4)
    plan = next_star_plan(sheet, answers, star_rules())
    assert plan.target_star == 5
    assert plan.reachable
    assert plan.points_needed == 0
    assert len({step.criterion for step in plan.steps}) == len(plan.steps)
    after_answers = apply_plan(sheet, answers, plan)
    # the chosen case is kept: 8, 9 and 15 stay in case 2
    assert {sheet.option(after_answers[code])[1].case for code in ("8", "9", "15")} == {2}
    after = score(sheet, after_answers, star_rules())
    assert after.total >= 90
    assert after.proposed_star == 5


def test_next_star_plan_under_not_recognised_targets_the_band_of_the_total():
    # 98 points, 2.3 at 1: under "not recognised" nothing below 5★ can be reached without losing
    # points; the plan must aim at 5★ (regression: it aimed at 3★ with no step at all)
    sheet = load_sheet(1)
    rules = star_rules(below_minimum_policy="not_recognised")
    answers = all_max(sheet) | {"2.3": option_with(sheet, "2.3", 1)}
    plan = next_star_plan(sheet, answers, rules)
    assert plan.target_star == 5
    assert [(step.criterion, step.to_points, step.mandatory) for step in plan.steps] == [("2.3", 3, True)]
    assert score(sheet, apply_plan(sheet, answers, plan), rules).proposed_star == 5


# 68 points on sheet 1, 2.2 below its 3★ minimum and 2.3 below its 4★ minimum.
SHEET_1_AT_68 = {
    "1.1": 1, "1.2": 0, "1.3": 3, "1.4": 1, "1.5": 3, "1.6": 3, "1.7": 1,
    "2.1": 3, "2.2": 0, "2.3": 1, "2.4": 1,
    "3.1": 1, "3.2": 1, "3.3": 1, "3.4": 2, "3.5": 3,
    "4.1": 5, "4.2": 0, "4.3": 0,
    "5.1": 5, "5.2": 2, "5.3": 5,
    "6.1": 2, "6.2": 4, "6.3": 0, "6.4": 0,
    "7": 0, "8": 5, "9": 5, "10": 5, "11": 2, "12": 3,
}  # fmt: skip


@pytest.mark.parametrize("policy", ["downgrade", "not_recognised"])
def test_next_star_plan_when_its_minimums_push_the_total_into_the_next_band(policy):
    # 2.2 up to its 3★ minimum brings the total to 70: 4★'s band, whose minimum 2.3 ≥ 3 is missed
    sheet = load_sheet(1)
    rules = star_rules(below_minimum_policy=policy)
    answers = answers_from_points(sheet, SHEET_1_AT_68)
    result = score(sheet, answers, rules)
    assert (result.total, result.band_star, result.proposed_star) == (68, 3, 2)
    plan = next_star_plan(sheet, answers, rules)
    assert plan.reachable
    assert plan.steps[0].criterion == "2.2"
    after = score(sheet, apply_plan(sheet, answers, plan), rules)
    assert after.proposed_star >= plan.target_star >= 3
    assert after.recognisable


# ---------------------------------------------------------------------------------------------
# Council arithmetic
# ---------------------------------------------------------------------------------------------


def lowered(sheet, answers, amount: int, skip=()) -> dict[str, str]:
    """``answers`` with ``amount`` points taken off unmarked criteria, one option at a time."""
    result = dict(answers)
    marked = {code for level in engine.minimums(sheet).values() for code in level}
    for node in sheet.leaves():
        if node.code in marked or node.code in skip or node.applies_if:
            continue
        ladder = case_options(node)
        while amount > 0:
            current = sheet.option(result[node.code])[1]
            lower = [option for option in ladder if current.points - amount <= option.points < current.points]
            if not lower:
                break
            amount -= int(current.points - lower[0].points)
            result[node.code] = lower[0].key
    assert amount == 0, "could not take the points off exactly"
    return result


def test_council_means_round_half_up_to_two_decimals():
    sheet = load_sheet(1)
    top = all_max(sheet)
    members = [
        MemberSheet("chair", top, is_chair=True),  # 100: A 40, B 25, C 35
        MemberSheet("m2", lowered(sheet, top, 2)),  # 98
        MemberSheet("m3", lowered(sheet, top, 3)),  # 97
    ]
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    totals = sorted(result.total for result in outcome.member_results.values())
    assert totals == [97, 98, 100]
    # (100 + 98 + 97) / 3 = 98.333… → 98.33
    assert outcome.mean_total == Decimal("98.33")
    for part in ("A", "B", "C"):
        values = [result.part_totals[part] for result in outcome.member_results.values()]
        exact = Fraction(sum(values)) / 3
        expected = Decimal(int(exact * 100 + Fraction(1, 2))) / 100  # half up on positive values
        assert outcome.mean_parts[part] == expected
        assert outcome.mean_parts[part].as_tuple().exponent == -2
    assert outcome.scoring == 3
    assert outcome.quorum_met
    assert not outcome.spread_exceeded
    assert outcome.spread == 3
    assert outcome.result.total == Decimal("98.33")
    assert outcome.result.proposed_star == 5
    assert outcome.can_conclude


def test_council_mean_rounds_a_half_up():
    sheet = load_sheet(1)
    top = all_max(sheet)
    # (99 + 98 + 98 + 98) / 4 = 98.25 → 98.3 at one decimal (half even would give 98.2)
    members = [
        MemberSheet("chair", lowered(sheet, top, 1), is_chair=True),
        MemberSheet("m2", lowered(sheet, top, 2)),
        MemberSheet("m3", lowered(sheet, top, 2)),
        MemberSheet("m4", lowered(sheet, top, 2)),
    ]
    outcome = aggregate(sheet, members, star_rules(), council_rules(rounding_decimals=1))
    assert outcome.mean_total == Decimal("98.3")


def test_council_spread_over_10_points_is_exceeded_and_names_the_widest_criterion_first():
    sheet = load_sheet(1)
    top = all_max(sheet)
    low = lowered(sheet, top, 11)
    members = [MemberSheet("chair", top, is_chair=True), MemberSheet("m2", low), MemberSheet("m3", top)]
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    assert outcome.spread == 11
    assert outcome.spread_exceeded
    assert not outcome.can_conclude
    widest = max(
        sheet.leaves(), key=lambda node: sheet.option(top[node.code])[1].points - sheet.option(low[node.code])[1].points
    )
    first = outcome.disagreements[0]
    assert first.criterion == widest.code
    assert first.spread == max(item.spread for item in outcome.disagreements)
    assert [item.spread for item in outcome.disagreements] == sorted(
        (item.spread for item in outcome.disagreements), reverse=True
    )
    changed = {code for code in top if top[code] != low[code]}
    assert {item.criterion for item in outcome.disagreements} <= changed
    assert (first.low, first.high) == (
        sheet.option(low[first.criterion])[1].points,
        sheet.option(top[first.criterion])[1].points,
    )


def test_council_spread_of_exactly_10_points_is_allowed():
    sheet = load_sheet(1)
    top = all_max(sheet)
    members = [MemberSheet("chair", top, is_chair=True), MemberSheet("m2", lowered(sheet, top, 10))]
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    assert outcome.spread == 10
    assert not outcome.spread_exceeded


def test_council_max_spread_override_from_the_regulation():
    sheet = load_sheet(1)
    top = all_max(sheet)
    members = [MemberSheet("chair", top, is_chair=True), MemberSheet("m2", lowered(sheet, top, 6))]
    assert not aggregate(sheet, members, star_rules(), council_rules()).spread_exceeded
    strict = CouncilRules.from_parameters(parameters(), max_spread=Decimal(5))
    assert strict.max_spread == 5
    assert strict.quorum == Fraction(3, 4)
    assert aggregate(sheet, members, star_rules(), strict).spread_exceeded


def test_council_rules_from_parameters_defaults():
    rules = council_rules()
    expected = CouncilRules(rounding_decimals=2, max_spread=Decimal(10), quorum=Fraction(3, 4), chair_required=True)
    assert rules == expected
    assert council_rules(max_spread=None).max_spread == 10  # None leaves the default


def _members(count: int, present: int, chair_present: bool = True):
    sheet = load_sheet(1)
    top = all_max(sheet)
    members = [MemberSheet(f"m{index}", top, present=index < present) for index in range(count)]
    chair_index = 0 if chair_present else count - 1
    members[chair_index] = MemberSheet("chair", top, is_chair=True, present=chair_present)
    return sheet, members


@pytest.mark.parametrize(
    ("count", "present", "chair_present", "needed", "met"),
    [
        (4, 3, True, 3, True),
        (4, 3, False, 3, False),
        (4, 2, True, 3, False),
        (8, 5, True, 6, False),
        (8, 6, True, 6, True),
        (7, 6, True, 6, True),  # 3/4 of 7 = 5.25 → 6
        (7, 5, True, 6, False),
    ],
)
def test_council_quorum_is_three_quarters_including_the_chair(count, present, chair_present, needed, met):
    sheet, members = _members(count, present, chair_present)
    assert sum(member.present for member in members) == present
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    assert outcome.quorum_needed == needed
    assert outcome.chair_present == chair_present
    assert outcome.quorum_met == met
    assert outcome.can_conclude == met


def test_council_quorum_without_the_chair_rule():
    sheet, members = _members(4, 3, chair_present=False)
    outcome = aggregate(sheet, members, star_rules(), council_rules(chair_required=False))
    assert outcome.quorum_met


def test_council_recused_member_counts_as_present_but_not_in_the_means():
    sheet = load_sheet(1)
    top = all_max(sheet)
    lowest = {node.code: case_options(node)[0].key for node in sheet.leaves()}
    members = [
        MemberSheet("chair", top, is_chair=True),
        MemberSheet("m2", lowered(sheet, top, 4)),
        MemberSheet("recused", lowest, recused=True),  # their answers are ignored
        MemberSheet("absent", lowest, present=False),
    ]
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    assert (outcome.members, outcome.present, outcome.scoring) == (4, 3, 2)
    assert outcome.quorum_met  # 3 of 4 present, the chair among them
    assert set(outcome.member_results) == {"chair", "m2"}
    assert outcome.mean_total == 98
    assert outcome.spread == 4


def test_council_with_nobody_scoring_cannot_conclude():
    sheet = load_sheet(1)
    members = [MemberSheet("chair", None, is_chair=True), MemberSheet("m2", all_max(sheet), recused=True)]
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    assert outcome.scoring == 0
    assert outcome.mean_total is None
    assert not outcome.quorum_met
    assert not outcome.can_conclude


def test_council_member_with_incomplete_answers_is_refused():
    sheet = load_sheet(1)
    partial = all_max(sheet)
    del partial["7"]
    members = [MemberSheet("chair", all_max(sheet), is_chair=True), MemberSheet("m2", partial)]
    with pytest.raises(ScoringError) as caught:
        aggregate(sheet, members, star_rules(), council_rules())
    assert (caught.value.code, caught.value.criterion) == ("missing_answers", "7")


def test_council_checks_minimums_on_the_mean_points():
    # two members give 2.3 three points, one gives it one: mean 2.33 < 3, the 4★ minimum is missed
    sheet = load_sheet(1)
    top = all_max(sheet)
    members = [
        MemberSheet("chair", top, is_chair=True),
        MemberSheet("m2", top),
        MemberSheet("m3", top | {"2.3": option_with(sheet, "2.3", 1)}),
    ]
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    assert outcome.mean_total == Decimal("99.33")
    assert outcome.result.band_star == 5
    assert [(unmet.criterion, unmet.actual) for unmet in outcome.result.unmet[4]] == [("2.3", Decimal("2.33"))]
    assert outcome.result.proposed_star == 3


def test_council_knockout_of_one_member_stops_the_product():
    sheet = load_sheet(1)
    top = all_max(sheet)
    members = [MemberSheet("chair", top, is_chair=True), MemberSheet("m2", top, knockouts_hit=("HS1",))]
    outcome = aggregate(sheet, members, star_rules(), council_rules())
    assert outcome.mean_total == 100
    assert [knockout.key for knockout in outcome.result.knockouts] == ["HS1"]
    assert outcome.result.proposed_star is None
