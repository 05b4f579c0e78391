"""The criteria engine: pure functions over a criteria sheet, no database (issue 4, ADR 0011).

A :class:`Sheet` is an immutable tree part → group → criterion → sub-criterion with single-choice
options (points, star-minimum marker ``***``/``****``/``*****``, tourism case 1/2) and knock-outs.
It is built from a stored rubric version (``RubricVersion.to_sheet()``) or from a data file
(``rubric_io.sheet_from_data``). Everything numeric that the law fixes — star bands, the policy for
a missed minimum, council rounding, spread and quorum — comes in as :class:`StarRules` and
:class:`CouncilRules`, built from the legal basis' parameters; nothing here knows 50, 70 or 90.

Scoring semantics (26/2026 Art. 3 and the note on every sheet; domain brief §3.3, §4):
- single choice per leaf criterion; a binary criterion has the options 0 and its maximum;
- a criterion that applies only under a condition (5.2 "only if a story exists") counts 0 and
  refuses any other choice while the condition does not hold;
- star minimums are cumulative: for level s, a criterion needs the points of the highest-marked
  option whose marker is ≤ s;
- the proposed star is the highest star whose band holds the total and whose minimums are met
  (policy ``downgrade``, the default) — or, with ``not_recognised``, a product that misses a
  minimum of its band's star gets no recognisable star at all;
- a knock-out (dossier rejected if…, a gate such as "impurities: stop", or an automatic rule
  such as "0 on any of 6.1–6.4") stops the evaluation: no star.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

ZERO = Decimal(0)


class ScoringError(ValueError):
    """Bad input for a sheet, naming the criterion and the reason (shown to users as is)."""

    def __init__(self, code: str, message: str, criterion: str | None = None):
        super().__init__(message)
        self.code = code
        self.criterion = criterion
        self.message = message


# ---------------------------------------------------------------------------------------------
# The sheet
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    key: str  # stable within a version: "<criterion code>#<position from 1>"
    label: str
    points: Decimal
    min_star: int | None = None
    case: int | None = None


@dataclass(frozen=True)
class Knockout:
    key: str
    kind: str  # dossier | criterion | requirement | gate
    text: str
    criterion: str | None = None
    zero_in: tuple[str, ...] = ()  # automatic: hit when any of these criteria scores 0

    @property
    def automatic(self) -> bool:
        return bool(self.zero_in)


@dataclass(frozen=True)
class Node:
    code: str
    title: str
    kind: str  # part | group | criterion | subcriterion
    max_points: Decimal
    children: tuple[Node, ...] = ()
    options: tuple[Option, ...] = ()
    notes: tuple[str, ...] = ()
    requirement: str = ""
    applies_if: tuple[str, Decimal] | None = None  # (criterion code, minimum points)
    applies_if_text: str = ""
    case_labels: Mapping[int, str] = field(default_factory=dict)
    binary: bool = False

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Sheet:
    key: str  # e.g. "26/2026/QĐ-TTg#1 v1"
    title: str
    parts: tuple[Node, ...]
    knockouts: tuple[Knockout, ...] = ()
    sheet_number: int | None = None

    def nodes(self) -> Iterable[Node]:
        for part in self.parts:
            yield from part.walk()

    def leaves(self) -> list[Node]:
        return [node for node in self.nodes() if node.is_leaf and node.kind != "part"]

    def leaf(self, code: str) -> Node:
        for node in self.leaves():
            if node.code == code:
                return node
        raise ScoringError(
            "unknown_criterion",
            _("Criterion %(code)s is not on the sheet “%(sheet)s”.") % {"code": code, "sheet": self.title},
            code,
        )

    def option(self, key: str) -> tuple[Node, Option]:
        code = key.split("#", 1)[0]
        for node in self.leaves():
            if node.code == code:
                for option in node.options:
                    if option.key == key:
                        return node, option
        raise ScoringError(
            "unknown_option",
            _("The option “%(key)s” does not belong to the sheet “%(sheet)s”.") % {"key": key, "sheet": self.title},
            code if code else None,
        )

    def part_of(self) -> dict[str, str]:
        """Leaf code → part code."""
        result = {}
        for part in self.parts:
            for node in part.walk():
                if node.is_leaf and node.kind != "part":
                    result[node.code] = part.code
        return result

    @property
    def max_total(self) -> Decimal:
        return sum((part.max_points for part in self.parts), ZERO)


# ---------------------------------------------------------------------------------------------
# Rules from the legal basis
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StarBand:
    stars: int
    lower: Decimal  # inclusive
    upper: Decimal  # exclusive unless upper_inclusive
    upper_inclusive: bool = False

    def holds(self, total: Decimal) -> bool:
        if total < self.lower:
            return False
        return total <= self.upper if self.upper_inclusive else total < self.upper


class BelowMinimumPolicy:
    DOWNGRADE = "downgrade"  # falls to the highest star whose minimums are met
    NOT_RECOGNISED = "not_recognised"  # missing a minimum of the band's star: no recognisable star


@dataclass(frozen=True)
class StarRules:
    bands: tuple[StarBand, ...]
    below_minimum_policy: str
    recognised_from: int  # lowest star that gets a decision and certificate

    @classmethod
    def from_parameters(cls, parameters: Mapping) -> StarRules:
        try:
            bands = tuple(
                StarBand(
                    stars=int(band["stars"]),
                    lower=Decimal(str(band["from"])),
                    upper=Decimal(str(band["to"])),
                    upper_inclusive=bool(band.get("to_inclusive", False)),
                )
                for band in parameters["star_bands"]
            )
            recognition = parameters["recognition"]
            return cls(
                bands=tuple(sorted(bands, key=lambda band: band.stars)),
                below_minimum_policy=parameters["below_minimum_policy"],
                recognised_from=min(int(stars) for stars in recognition),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"incomplete star rules in the legal basis parameters: {error!r}") from error

    def band_star(self, total: Decimal) -> int:
        for band in self.bands:
            if band.holds(total):
                return band.stars
        raise ScoringError(
            "total_out_of_range", _("The total %(total)s is outside every star band.") % {"total": total}
        )

    def band(self, stars: int) -> StarBand:
        return next(band for band in self.bands if band.stars == stars)

    @property
    def top_star(self) -> int:
        return self.bands[-1].stars


@dataclass(frozen=True)
class CouncilRules:
    """A council's operating regulation (quy chế hoạt động); defaults come from the legal basis."""

    rounding_decimals: int
    max_spread: Decimal
    quorum: Fraction
    chair_required: bool

    @classmethod
    def from_parameters(cls, parameters: Mapping, **overrides) -> CouncilRules:
        defaults = parameters["council_defaults"]
        values = {
            "rounding_decimals": int(defaults["rounding_decimals"]),
            "max_spread": Decimal(str(defaults["max_spread"])),
            "quorum": Fraction(str(defaults["quorum"])),
            "chair_required": bool(defaults["chair_required"]),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


# ---------------------------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------------------------


def format_points(value: Decimal | int | str) -> str:
    """``3`` → ``3``; ``70.00`` → ``70``; ``0.50`` → ``0,5`` (Vietnamese decimal comma)."""
    value = Decimal(value)
    text = f"{value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize():f}"
    return text.replace(".", ",")


def two_options_error(code: str) -> ScoringError:
    return ScoringError(
        "two_options", _("Criterion %(code)s has two options chosen; choose exactly one.") % {"code": code}, code
    )


def answers_from_options(sheet: Sheet, option_keys: Iterable[str]) -> dict[str, str]:
    """Criterion code → option key from a flat list of chosen options (a form, an import)."""
    answers: dict[str, str] = {}
    for key in option_keys:
        node, option = sheet.option(key)
        if node.code in answers and answers[node.code] != key:
            raise two_options_error(node.code)
        answers[node.code] = option.key
    return answers


def answers_from_points(sheet: Sheet, points: Mapping[str, Decimal | int | str], cases=None) -> dict[str, str]:
    """Criterion code → option key from points per criterion (a legacy or imported score sheet)."""
    answers = {}
    cases = cases or {}
    for code, value in points.items():
        node = sheet.leaf(code)
        try:
            wanted = Decimal(str(value).replace(",", "."))
        except ArithmeticError:
            wanted = None
        candidates = [
            option
            for option in node.options
            if wanted is not None and option.points == wanted and (not cases.get(code) or option.case == cases[code])
        ]
        if not candidates:
            allowed = "; ".join(format_points(value) for value in sorted({option.points for option in node.options}))
            raise ScoringError(
                "points_not_an_option",
                _("Criterion %(code)s: %(value)s points is not one of its options (%(allowed)s).")
                % {"code": code, "value": value, "allowed": allowed},
                code,
            )
        if len({option.case for option in candidates}) > 1:
            raise ScoringError(
                "case_required",
                _("Criterion %(code)s: say which case the %(value)s points belong to.")
                % {"code": code, "value": value},
                code,
            )
        answers[code] = candidates[0].key
    return answers


# ---------------------------------------------------------------------------------------------
# Scoring one sheet
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Minimum:
    star: int
    criterion: str
    title: str
    required: Decimal
    option_label: str


@dataclass(frozen=True)
class Unmet:
    star: int
    criterion: str
    title: str
    required: Decimal
    actual: Decimal
    option_label: str

    def explain(self) -> str:
        return _("Not %(star)s★ yet: criterion %(code)s needs ≥ %(required)s points (%(option)s), now %(actual)s") % {
            "star": self.star,
            "code": self.criterion,
            "required": format_points(self.required),
            "option": _short(self.option_label),
            "actual": format_points(self.actual),
        }


def _short(label: str, limit: int = 90) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


TOP_MARKER = 5  # the legend of every sheet: *** = 3★, **** = 4★, ***** = 5★


def minimums(sheet: Sheet) -> dict[int, dict[str, Minimum]]:
    """Star level → criterion → minimum points, cumulative over the markers ≤ that level.

    Every level from the lowest marker up to 5★ is listed, even one no option is marked for: the
    tourism sheet marks only *** and ****, and its 5★ still needs those minimums.
    """
    marked = {option.min_star for node in sheet.leaves() for option in node.options if option.min_star}
    levels = list(range(min(marked), max(marked | {TOP_MARKER}) + 1)) if marked else []
    result: dict[int, dict[str, Minimum]] = {level: {} for level in levels}
    for node in sheet.leaves():
        marked = [option for option in node.options if option.min_star]
        for level in levels:
            eligible = [option for option in marked if option.min_star <= level]
            if not eligible:
                continue
            top = max(eligible, key=lambda option: (option.min_star, option.points))
            result[level][node.code] = Minimum(level, node.code, node.title, top.points, top.label)
    return result


@dataclass
class ScoreResult:
    points: dict[str, Decimal]
    part_totals: dict[str, Decimal]
    total: Decimal
    band_star: int
    unmet: dict[int, list[Unmet]]
    knockouts: list[Knockout]
    proposed_star: int | None
    recognisable: bool
    missing: list[str]
    not_applicable: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def rejected(self) -> bool:
        return bool(self.knockouts)

    def explanation(self) -> list[str]:
        lines = [_("Stopped: %(text)s") % {"text": _short(knockout.text, 160)} for knockout in self.knockouts]
        for star in sorted(self.unmet):
            if self.proposed_star is not None and star <= self.band_star and star > self.proposed_star:
                lines.extend(unmet.explain() for unmet in self.unmet[star])
        return lines


def _applicable(node: Node, points: Mapping[str, Decimal]) -> bool:
    if node.applies_if is None:
        return True
    code, minimum = node.applies_if
    return points.get(code, ZERO) >= minimum


def score(
    sheet: Sheet,
    answers: Mapping[str, str],
    rules: StarRules,
    knockouts_hit: Iterable[str] = (),
    require_complete: bool = False,
) -> ScoreResult:
    """Score one sheet: totals, unmet minimums, knock-outs, proposed star.

    ``answers`` maps criterion code → option key. Missing criteria count 0 (a self-assessment in
    progress) unless ``require_complete``. ``knockouts_hit`` are keys of manual knock-outs.
    """
    points: dict[str, Decimal] = {}
    leaves = sheet.leaves()
    known = {node.code for node in leaves}
    for code in answers:
        if code not in known:
            sheet.leaf(code)  # raises unknown_criterion
    for node in leaves:
        key = answers.get(node.code)
        if key is None:
            continue
        if not key.startswith(node.code + "#"):
            other_node, _option = sheet.option(key)
            raise ScoringError(
                "option_of_other_criterion",
                _("Criterion %(code)s: the option chosen belongs to criterion %(other)s.")
                % {"code": node.code, "other": other_node.code},
                node.code,
            )
        _node, option = sheet.option(key)
        points[node.code] = option.points
    missing, not_applicable = [], []
    for node in leaves:
        if not _applicable(node, points):
            not_applicable.append(node.code)
            if points.get(node.code, ZERO) > ZERO:
                raise ScoringError(
                    "not_applicable",
                    _("Criterion %(code)s is scored only when %(condition)s.")
                    % {"code": node.code, "condition": node.applies_if_text or node.applies_if[0]},
                    node.code,
                )
            points[node.code] = ZERO
        elif node.code not in points:
            missing.append(node.code)
    if require_complete and missing:
        raise ScoringError(
            "missing_answers",
            _("Choose an option for every criterion; missing: %(codes)s.") % {"codes": ", ".join(missing)},
            missing[0],
        )
    part_of = sheet.part_of()
    part_totals = {part.code: ZERO for part in sheet.parts}
    for code, value in points.items():
        part_totals[part_of[code]] += value
    total = sum(part_totals.values(), ZERO)

    unmet: dict[int, list[Unmet]] = {}
    for level, required in minimums(sheet).items():
        unmet[level] = [
            Unmet(level, m.criterion, m.title, m.required, points.get(m.criterion, ZERO), m.option_label)
            for m in required.values()
            if points.get(m.criterion, ZERO) < m.required
        ]

    hit_keys = set(knockouts_hit)
    valid_keys = {knockout.key for knockout in sheet.knockouts}
    for key in hit_keys - valid_keys:
        raise ScoringError(
            "unknown_knockout",
            _("The knock-out “%(key)s” is not on the sheet “%(sheet)s”.") % {"key": key, "sheet": sheet.title},
        )
    knockouts = []
    for knockout in sheet.knockouts:
        if knockout.key in hit_keys or (
            knockout.automatic
            and any(code in points and code not in missing and points[code] == ZERO for code in knockout.zero_in)
        ):
            knockouts.append(knockout)

    band_star = rules.band_star(total)
    proposed = None if knockouts else propose_star(band_star, unmet, rules)
    return ScoreResult(
        points=points,
        part_totals=part_totals,
        total=total,
        band_star=band_star,
        unmet=unmet,
        knockouts=knockouts,
        proposed_star=proposed,
        recognisable=proposed is not None and proposed >= rules.recognised_from,
        missing=missing,
        not_applicable=not_applicable,
    )


def propose_star(band_star: int, unmet: Mapping[int, Sequence], rules: StarRules) -> int:
    """The highest star ≤ the band's star whose minimums are all met (policy ``downgrade``)."""
    if rules.below_minimum_policy == BelowMinimumPolicy.NOT_RECOGNISED:
        if unmet.get(band_star):
            return min(band_star, rules.recognised_from - 1)
        return band_star
    star = band_star
    while star > 0 and unmet.get(star):
        star -= 1
    return star


def star_for_mean(total: Decimal, rules: StarRules) -> int:
    return rules.band_star(total)


# ---------------------------------------------------------------------------------------------
# To reach the next star
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    criterion: str
    title: str
    from_points: Decimal
    to_points: Decimal
    option_label: str
    mandatory: bool
    levels: int  # how many options up

    @property
    def gain(self) -> Decimal:
        return self.to_points - self.from_points


@dataclass(frozen=True)
class Plan:
    target_star: int | None
    steps: tuple[Step, ...]
    points_needed: Decimal  # to reach the target band after the mandatory steps
    reachable: bool


def next_star_plan(sheet: Sheet, answers: Mapping[str, str], rules: StarRules) -> Plan:
    """The cheapest way to the next star: every unmet minimum first, then the smallest upgrades.

    "Cheapest" = fewest option levels climbed; among equals, the larger gain first. The plan is
    greedy and explains itself; it never proposes a choice the sheet does not allow.
    """
    result = score(sheet, answers, rules)
    current = result.proposed_star or 0
    if result.rejected or current >= rules.top_star:
        return Plan(None, (), ZERO, False)
    target = current + 1
    if rules.below_minimum_policy == BelowMinimumPolicy.NOT_RECOGNISED and result.band_star > current:
        # the total already lies in a higher band: only that band's star can be reached
        target = result.band_star
    points = dict(result.points)
    answered = dict(result.points)
    chosen_case = {}
    for code, key in answers.items():
        _node, option = sheet.option(key)
        if option.case:
            chosen_case[code] = option.case
    steps: list[Step] = []
    minimums_for_target = minimums(sheet).get(target, {})

    def options_of(node: Node) -> list[Option]:
        case = chosen_case.get(node.code)
        return sorted(
            (option for option in node.options if not case or option.case in (None, case)),
            key=lambda option: option.points,
        )

    while True:
        for code, minimum in minimums_for_target.items():
            have = points.get(code, ZERO)
            if have >= minimum.required:
                continue
            node = sheet.leaf(code)
            ladder = options_of(node)
            target_option = next(option for option in ladder if option.points >= minimum.required)
            start = answered.get(code, ZERO)
            levels = sum(1 for option in ladder if start < option.points <= target_option.points)
            steps = [step for step in steps if step.criterion != code]
            steps.append(Step(code, node.title, start, target_option.points, target_option.label, True, levels))
            points[code] = target_option.points
        reached_band = rules.band_star(sum(points.values(), ZERO))
        if rules.below_minimum_policy != BelowMinimumPolicy.NOT_RECOGNISED or reached_band <= target:
            break
        # the mandatory steps pushed the total into a higher band, whose minimums must then be met
        target = reached_band
        minimums_for_target = minimums(sheet).get(target, {})
    floor = rules.band(target).lower
    total = sum(points.values(), ZERO)
    used = {step.criterion for step in steps}
    while total < floor:
        # one option up per criterion and pass; a further pass climbs again when one is not enough
        candidates = []
        for node in sheet.leaves():
            if not _applicable(node, points):
                continue
            have = points.get(node.code, ZERO)
            ladder = [option for option in options_of(node) if option.points > have]
            for levels, option in enumerate(ladder, start=1):
                candidates.append((levels, -(option.points - have), node, option))
        if not candidates:
            break
        candidates.sort(key=lambda item: (item[0], item[1], item[2].code))
        for levels, _neg_gain, node, option in candidates:
            if total >= floor:
                break
            if node.code in used:
                continue
            have = points.get(node.code, ZERO)
            earlier = next((index for index, step in enumerate(steps) if step.criterion == node.code), None)
            if earlier is None:
                steps.append(Step(node.code, node.title, have, option.points, option.label, False, levels))
            else:
                step = steps[earlier]
                steps[earlier] = Step(
                    node.code,
                    node.title,
                    step.from_points,
                    option.points,
                    option.label,
                    step.mandatory,
                    step.levels + levels,
                )
            if option.case:
                chosen_case[node.code] = option.case
            points[node.code] = option.points
            total += option.points - have
            used.add(node.code)
        used = set()
    needed = max(floor - total, ZERO)
    return Plan(target, tuple(steps), needed, needed == ZERO)


# ---------------------------------------------------------------------------------------------
# Council arithmetic
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSheet:
    member: str
    answers: Mapping[str, str] | None = None  # None: did not score
    is_chair: bool = False
    present: bool = True
    recused: bool = False
    knockouts_hit: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disagreement:
    criterion: str
    title: str
    low: Decimal
    high: Decimal

    @property
    def spread(self) -> Decimal:
        return self.high - self.low


@dataclass
class CouncilResult:
    members: int
    present: int
    scoring: int
    quorum_needed: int
    quorum_met: bool
    chair_present: bool
    member_results: dict[str, ScoreResult]
    mean_parts: dict[str, Decimal]
    mean_total: Decimal | None
    spread: Decimal
    spread_exceeded: bool
    disagreements: list[Disagreement]
    result: ScoreResult | None  # the council's result on the mean points per criterion

    @property
    def can_conclude(self) -> bool:
        return self.quorum_met and not self.spread_exceeded and self.mean_total is not None


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def aggregate(
    sheet: Sheet, sheets: Sequence[MemberSheet], rules: StarRules, council: CouncilRules, top_disagreements: int = 5
) -> CouncilResult:
    """Means over the members who scored (present, not recused), spread rule, quorum.

    Quorum counts members present (recused members are present) against the whole council; the
    chair must be present when the regulation says so. The council's proposed star applies the
    star rules to the rounded mean total and checks minimums on the mean points per criterion;
    knock-outs ticked by any scoring member stop the product.
    """
    members = len(sheets)
    present = [item for item in sheets if item.present]
    scoring = [item for item in present if not item.recused and item.answers is not None]
    needed = math.ceil(council.quorum * members) if members else 1
    chair_present = any(item.is_chair for item in present)
    quorum_met = len(present) >= needed and (chair_present or not council.chair_required) and bool(scoring)
    member_results = {
        item.member: score(sheet, item.answers, rules, item.knockouts_hit, require_complete=True) for item in scoring
    }
    if not member_results:
        return CouncilResult(
            members, len(present), 0, needed, False, chair_present, {}, {}, None, ZERO, False, [], None
        )
    count = Decimal(len(member_results))
    totals = [result.total for result in member_results.values()]
    spread = max(totals) - min(totals)
    mean_parts = {
        part.code: _round(
            sum((r.part_totals[part.code] for r in member_results.values()), ZERO) / count, council.rounding_decimals
        )
        for part in sheet.parts
    }
    mean_total = _round(sum(totals, ZERO) / count, council.rounding_decimals)
    disagreements = []
    for node in sheet.leaves():
        values = [result.points.get(node.code, ZERO) for result in member_results.values()]
        if max(values) != min(values):
            disagreements.append(Disagreement(node.code, node.title, min(values), max(values)))
    disagreements.sort(key=lambda item: (-item.spread, item.criterion))

    mean_points = {
        node.code: sum((r.points.get(node.code, ZERO) for r in member_results.values()), ZERO) / count
        for node in sheet.leaves()
    }
    unmet: dict[int, list[Unmet]] = {}
    for level, required in minimums(sheet).items():
        unmet[level] = [
            Unmet(level, m.criterion, m.title, m.required, _round(mean_points[m.criterion], 2), m.option_label)
            for m in required.values()
            if mean_points[m.criterion] < m.required
        ]
    knockouts: list[Knockout] = []
    for result in member_results.values():
        for knockout in result.knockouts:
            if knockout not in knockouts:
                knockouts.append(knockout)
    band_star = rules.band_star(mean_total)
    proposed = None if knockouts else propose_star(band_star, unmet, rules)
    council_result = ScoreResult(
        points=mean_points,
        part_totals=mean_parts,
        total=mean_total,
        band_star=band_star,
        unmet=unmet,
        knockouts=knockouts,
        proposed_star=proposed,
        recognisable=proposed is not None and proposed >= rules.recognised_from,
        missing=[],
        not_applicable=[],
    )
    return CouncilResult(
        members=members,
        present=len(present),
        scoring=len(member_results),
        quorum_needed=needed,
        quorum_met=quorum_met,
        chair_present=chair_present,
        member_results=member_results,
        mean_parts=mean_parts,
        mean_total=mean_total,
        spread=spread,
        spread_exceeded=spread > council.max_spread,
        disagreements=disagreements[:top_disagreements],
        result=council_result,
    )
