"""Page tests of the evaluation app, and answer sets shared by the evaluation tests.

The answer sets are built from the loaded sheet itself (its options and star markers), never
from points typed into a test, so they follow the data of the legal basis.
"""

from __future__ import annotations

from decimal import Decimal

from ocop.evaluation.engine import Sheet, minimums
from ocop.evaluation.models import RubricVersion

BASIS_2026 = "26/2026/QĐ-TTg"


def active_version(number: int, basis: str = BASIS_2026) -> RubricVersion:
    return RubricVersion.objects.select_related("legal_basis").get(
        legal_basis__code=basis, sheet_number=number, status="active"
    )


def option_key(sheet: Sheet, code: str, points: int | Decimal) -> str:
    """The key of the option of criterion ``code`` worth ``points`` (exactly one must exist)."""
    (key,) = [option.key for option in sheet.leaf(code).options if option.points == Decimal(points)]
    return key


def max_answers(sheet: Sheet) -> dict[str, str]:
    """Criterion code → its highest option: 100 points on a sheet without cases."""
    return {leaf.code: max(leaf.options, key=lambda option: option.points).key for leaf in sheet.leaves()}


def answers_worth(sheet: Sheet, total: int | Decimal, star: int) -> dict[str, str]:
    """Answers that total exactly ``total`` and meet every minimum of ``star`` (no option at 0 where avoidable)."""
    required = {code: minimum.required for code, minimum in minimums(sheet).get(star, {}).items()}
    chosen = {}
    for leaf in sheet.leaves():
        options = sorted(leaf.options, key=lambda option: option.points)
        if leaf.applies_if:
            chosen[leaf.code] = options[0]
            continue
        eligible = [option for option in options if option.points >= required.get(leaf.code, 0)]
        chosen[leaf.code] = ([option for option in eligible if option.points > 0] or eligible)[0]
    gap = Decimal(total) - sum(option.points for option in chosen.values())
    assert gap >= 0, f"the {star}★ minimums alone exceed {total}"
    for leaf in sheet.leaves():
        if gap == 0:
            break
        if leaf.applies_if:
            continue
        current = chosen[leaf.code]
        better = [option for option in leaf.options if current.points < option.points <= current.points + gap]
        if better:
            best = max(better, key=lambda option: option.points)
            gap -= best.points - current.points
            chosen[leaf.code] = best
    assert gap == 0, f"no answer set worth {total}"
    return {code: option.key for code, option in chosen.items()}


def post_data(answers: dict[str, str], **extra) -> dict[str, str]:
    """The self-assessment form's fields (``c-<criterion code>``) for ``answers``."""
    return {f"c-{code}": key for code, key in answers.items()} | extra
