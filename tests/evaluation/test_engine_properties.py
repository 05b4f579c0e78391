"""Properties of the engine over random valid answer sets, on the 26 sheets and on synthetic sheets.

The oracle for the proposed star is the law read directly: the band of Art. 3.3 (from the JSON
parameters) and the cumulative markers of the sheet's legend (*** / **** / ***** = minimum for
3★ / 4★ / 5★; a level needs every marker at or below it).
"""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop.evaluation import engine
from ocop.evaluation.engine import Knockout, Node, Option, Sheet, next_star_plan, score
from ocop.evaluation.rubric_io import check_sheet
from tests.evaluation.test_engine import apply_plan, band_from_law, load_sheet, parameters, star_rules

pytestmark = [pytest.mark.unit]

PROPERTY_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOWNGRADE = star_rules()
NOT_RECOGNISED = star_rules(below_minimum_policy="not_recognised")
PART_MAXIMA = {code: Decimal(value) for code, value in parameters()["part_maxima"].items()}


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------


@st.composite
def synthetic_sheets(draw) -> Sheet:
    """A consistent sheet like the law's: parts A/B/C with the legal maxima split over criteria of
    1–10 points (the printed ones have 1–5), options from 0 or more up to the maximum, increasing
    markers, maybe a conditional criterion (unmarked, as on every printed sheet) and a zero gate."""
    parts = []
    leaves_by_part = {}
    for part_code, part_max in PART_MAXIMA.items():
        maxima, remaining = [], int(part_max)
        while remaining:
            maxima.append(draw(st.integers(1, min(10, remaining))))
            remaining -= maxima[-1]
        leaves = []
        for index, maximum in enumerate(maxima, start=1):
            code = f"{part_code.lower()}{index}"
            lower = draw(st.sets(st.integers(0, maximum - 1), min_size=1 if maximum > 1 else 0, max_size=4))
            points = sorted(lower | {maximum})
            levels = sorted(draw(st.sets(st.sampled_from([3, 4, 5]), max_size=min(3, len(points)))))
            indices = st.integers(0, len(points) - 1)
            positions = sorted(draw(st.sets(indices, min_size=len(levels), max_size=len(levels))))
            stars = dict(zip(positions, levels, strict=True))
            options = tuple(
                Option(f"{code}#{position}", f"{code} {value}", Decimal(value), stars.get(position - 1))
                for position, value in enumerate(points, start=1)
            )
            leaves.append(Node(code, code, "criterion", Decimal(maximum), options=options))
        leaves_by_part[part_code] = leaves
    # a conditional criterion: the second criterion of part B counts only when the first scores
    part_b = leaves_by_part["B"]
    if len(part_b) >= 2 and part_b[1].options[0].points == 0 and draw(st.booleans()):
        unmarked = tuple(Option(option.key, option.label, option.points) for option in part_b[1].options)
        part_b[1] = Node(
            part_b[1].code, part_b[1].code, "criterion", part_b[1].max_points, options=unmarked,
            applies_if=(part_b[0].code, Decimal(1)), applies_if_text="the first scores",
        )  # fmt: skip
    for part_code, part_max in PART_MAXIMA.items():
        group = Node(f"{part_code}g", "group", "group", part_max, children=tuple(leaves_by_part[part_code]))
        parts.append(Node(part_code, part_code, "part", part_max, children=(group,)))
    knockouts = [Knockout("HS1", "dossier", "forged dossier")]
    part_c_codes = [leaf.code for leaf in leaves_by_part["C"]]
    if draw(st.booleans()):
        gated = draw(st.sets(st.sampled_from(part_c_codes), min_size=1))
        knockouts.append(Knockout("C-K1", "gate", "zero stops", zero_in=tuple(sorted(gated))))
    sheet = Sheet("synthetic", "synthetic", tuple(parts), tuple(knockouts))
    assert check_sheet(sheet, PART_MAXIMA) == []
    return sheet


def real_sheets():
    return st.integers(1, 26).map(load_sheet)


any_sheet = st.one_of(real_sheets(), synthetic_sheets())


@st.composite
def answer_sets(draw, sheets=any_sheet, complete: bool = False):
    """A sheet and valid answers: one option per criterion (or left out), one case per criterion,
    0 points on a criterion whose condition does not hold."""
    sheet = draw(sheets)
    answers, points = {}, {}
    for node in sheet.leaves():
        if not complete and draw(st.integers(0, 9)) == 0:
            continue
        options = list(node.options)
        if node.applies_if and points.get(node.applies_if[0], Decimal(0)) < node.applies_if[1]:
            options = [option for option in options if option.points == 0]
            if not options:
                continue
        option = draw(st.sampled_from(options))
        answers[node.code] = option.key
        points[node.code] = option.points
    manual = [knockout.key for knockout in sheet.knockouts if not knockout.automatic]
    hit = draw(st.lists(st.sampled_from(manual), max_size=1, unique=True)) if manual else []
    hit = hit if draw(st.integers(0, 4)) == 0 else []
    return sheet, answers, tuple(hit)


def law_minimums(sheet: Sheet) -> dict[int, dict[str, Decimal]]:
    """Star level → criterion → minimum, from the markers: the highest-marked option ≤ the level."""
    result = {3: {}, 4: {}, 5: {}}
    for node in sheet.leaves():
        for level in result:
            marked = [option for option in node.options if option.min_star and option.min_star <= level]
            if marked:
                result[level][node.code] = max(marked, key=lambda option: (option.min_star, option.points)).points
    return result


def law_star(sheet: Sheet, points: dict[str, Decimal], total: Decimal) -> int:
    """Downgrade: the highest star up to the band whose minimums are all met."""
    minimums = law_minimums(sheet)
    star = band_from_law(total)
    while star in minimums and any(points.get(code, 0) < value for code, value in minimums[star].items()):
        star -= 1
    return star


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(answer_sets())
def test_totals_add_up_and_stay_within_the_maxima(case):
    sheet, answers, hit = case
    result = score(sheet, answers, DOWNGRADE, knockouts_hit=hit)
    assert result.total <= 100
    assert result.total == sum(result.part_totals.values())
    assert result.total == sum(result.points.values())
    for part in sheet.parts:
        assert 0 <= result.part_totals[part.code] <= part.max_points
    for code, key in answers.items():
        assert result.points[code] == sheet.option(key)[1].points
    assert set(result.missing) == {node.code for node in sheet.leaves()} - set(answers) - set(result.not_applicable)


@PROPERTY_SETTINGS
@given(answer_sets())
def test_proposed_star_follows_the_band_and_the_cumulative_minimums(case):
    sheet, answers, hit = case
    result = score(sheet, answers, DOWNGRADE, knockouts_hit=hit)
    assert result.band_star == band_from_law(result.total)
    expected_knockouts = set(hit) | {
        knockout.key
        for knockout in sheet.knockouts
        if any(code in answers and result.points[code] == 0 for code in knockout.zero_in)
    }
    assert {knockout.key for knockout in result.knockouts} == expected_knockouts
    if expected_knockouts:
        assert result.proposed_star is None
        assert not result.recognisable
        return
    assert result.proposed_star <= result.band_star
    assert result.proposed_star == law_star(sheet, result.points, result.total)
    assert result.recognisable == (result.proposed_star >= 3)
    strict = score(sheet, answers, NOT_RECOGNISED, knockouts_hit=hit)
    missed_band = any(
        result.points.get(code, 0) < value for code, value in law_minimums(sheet).get(result.band_star, {}).items()
    )
    assert strict.recognisable == (result.band_star >= 3 and not missed_band)
    assert strict.proposed_star <= result.band_star


@PROPERTY_SETTINGS
@given(answer_sets(complete=True), st.data())
def test_raising_one_option_never_lowers_the_star(case, data):
    sheet, answers, hit = case
    before = score(sheet, answers, DOWNGRADE, knockouts_hit=hit)
    raisable = []
    for node in sheet.leaves():
        if node.code not in answers or node.code in before.not_applicable:
            continue
        chosen = sheet.option(answers[node.code])[1]
        higher = [option for option in node.options if option.points > chosen.points and option.case == chosen.case]
        raisable.extend((node.code, option) for option in higher)
    if not raisable:
        assert before.total == 100
        return
    code, option = data.draw(st.sampled_from(raisable))
    after = score(sheet, answers | {code: option.key}, DOWNGRADE, knockouts_hit=hit)
    assert after.total > before.total
    assert (after.proposed_star or 0) >= (before.proposed_star or 0)
    if before.proposed_star is not None:
        assert after.proposed_star is not None


@PROPERTY_SETTINGS
@given(answer_sets(), st.sampled_from([DOWNGRADE, NOT_RECOGNISED]))
def test_the_next_star_plan_reaches_its_target(case, rules):
    sheet, answers, _hit = case
    result = score(sheet, answers, rules)
    plan = next_star_plan(sheet, answers, rules)
    if result.rejected or result.proposed_star == 5:
        assert plan.target_star is None
        return
    assert plan.target_star > result.proposed_star
    # every consistent sheet reaches 100 points and every minimum with its top options
    assert plan.reachable
    assert plan.points_needed == 0
    mandatory = [step.mandatory for step in plan.steps]
    assert mandatory == sorted(mandatory, reverse=True)  # minimums first
    assert len({step.criterion for step in plan.steps}) == len(plan.steps)
    for step in plan.steps:
        assert step.to_points > step.from_points == result.points.get(step.criterion, 0)
    unmet_target = {unmet.criterion for unmet in result.unmet.get(plan.target_star, [])}
    assert unmet_target <= {step.criterion for step in plan.steps if step.mandatory}
    after = score(sheet, apply_plan(sheet, answers, plan), rules)
    assert after.proposed_star >= plan.target_star


@PROPERTY_SETTINGS
@given(synthetic_sheets())
def test_synthetic_sheet_all_maximum_is_100_and_5_stars(sheet):
    answers = {node.code: max(node.options, key=lambda option: option.points).key for node in sheet.leaves()}
    result = score(sheet, answers, DOWNGRADE, require_complete=True)
    assert (result.total, result.proposed_star) == (100, 5)
    assert {level: sorted(by_code) for level, by_code in engine.minimums(sheet).items() if by_code} == {
        level: sorted(by_code) for level, by_code in law_minimums(sheet).items() if by_code
    }
