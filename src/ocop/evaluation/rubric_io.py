"""Criteria sheets as data: read, correct (errata), check, compare and write (no database).

The data format is the YAML of ``data/rubrics/<basis>/sheet-NN.yaml`` (see the README of this
app): a dict with ``legal_basis``, ``sheet_number``, ``title``, ``classification``, ``source``,
``knockouts`` (dossier-level) and ``parts`` → ``children`` → … → ``options``. The files keep the
official text *as printed*; ``errata.yaml`` next to them lists each correction (printed value,
corrected value, reason, clause) and :func:`apply_errata` applies it when loading.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from ocop.evaluation.engine import Knockout, Node, Option, Sheet, format_points

DATA_DIR = Path(__file__).resolve().parent / "data" / "rubrics"
KINDS = ("part", "group", "criterion", "subcriterion")
KNOCKOUT_KINDS = ("dossier", "criterion", "requirement", "gate")
STAR_LEVELS = (3, 4, 5)


class RubricDataError(ValueError):
    """A data file that cannot be read as a criteria sheet; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def basis_directory(basis_code: str) -> Path:
    """``26/2026/QĐ-TTg`` → data/rubrics/26-2026 (the folder name is the number and year)."""
    number = basis_code.split("/")[0]
    year = basis_code.split("/")[1] if basis_code.count("/") >= 2 else ""
    return DATA_DIR / (f"{number}-{year}" if year.isdigit() else number)


def read_yaml(content: bytes | str) -> dict:
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)s)") % {"line": mark.line + 1} if mark else ""
        raise RubricDataError([_("The file is not valid YAML%(where)s.") % {"where": where}]) from error
    if not isinstance(data, dict):
        raise RubricDataError([_("The file does not describe a criteria sheet (expected a mapping at the top).")])
    return data


def dump_yaml(data: Mapping) -> str:
    return yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=100)


def _plain(value):
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def sheet_files(basis_code: str) -> list[Path]:
    return sorted(basis_directory(basis_code).glob("sheet-*.yaml"))


def load_errata(basis_code: str) -> list[dict]:
    path = basis_directory(basis_code) / "errata.yaml"
    if not path.exists():
        return []
    return read_yaml(path.read_text(encoding="utf-8")).get("errata", [])


def content_hash(data: Mapping) -> str:
    return hashlib.sha256(json.dumps(_plain(data), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Errata
# ---------------------------------------------------------------------------------------------


def _find_node(data: Mapping, code: str) -> dict | None:
    stack = list(data.get("parts", []))
    while stack:
        node = stack.pop()
        if str(node.get("code")) == str(code):
            return node
        stack.extend(node.get("children", []))
    return None


def apply_errata(data: Mapping, errata: Iterable[Mapping]) -> tuple[dict, list[dict]]:
    """Return a corrected copy and the corrections that applied to this sheet.

    An erratum whose printed value no longer matches the file is an error (the file or the errata
    changed): it is never silently skipped.
    """
    data = copy.deepcopy(dict(data))
    applied = []
    problems = []
    for erratum in errata:
        if int(erratum["sheet"]) != int(data.get("sheet_number", 0)):
            continue
        node = _find_node(data, str(erratum["node"]))
        if node is None:
            problems.append(f"{erratum['id']}: node {erratum['node']} not found")
            continue
        target = node
        field_name = erratum["field"]
        if field_name == "note":
            notes = node.get("notes", [])
            position = int(erratum.get("note") or 0)
            if not 1 <= position <= len(notes) or notes[position - 1] != erratum["printed"]:
                problems.append(f"{erratum['id']}: note {position} of {erratum['node']} does not match")
                continue
            notes[position - 1] = erratum["corrected"]
            applied.append(dict(erratum))
            continue
        if erratum.get("option"):
            options = node.get("options", [])
            position = int(erratum["option"])
            if not 1 <= position <= len(options):
                problems.append(f"{erratum['id']}: option {position} not found on {erratum['node']}")
                continue
            target = options[position - 1]
        key = {"star": "star", "points": "points", "label": "label", "title": "title", "max": "max"}[field_name]
        current = target.get(key)
        if current != erratum["printed"]:
            problems.append(
                f"{erratum['id']}: {erratum['node']} {field_name} is {current!r}, "
                f"the erratum expects {erratum['printed']!r}"
            )
            continue
        target[key] = erratum["corrected"]
        applied.append(dict(erratum))
    if problems:
        raise RubricDataError(problems)
    return data, applied


# ---------------------------------------------------------------------------------------------
# Data → engine sheet
# ---------------------------------------------------------------------------------------------


def _decimal(value, where: str, problems: list[str]) -> Decimal | None:
    if value is None or isinstance(value, bool):
        problems.append(_("%(where)s: points are missing.") % {"where": where})
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        problems.append(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value})
        return None
    if not number.is_finite():
        problems.append(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value})
        return None
    return number


def sheet_from_data(data: Mapping, key: str = "") -> Sheet:
    """Build the engine's sheet from a data dict; raises :class:`RubricDataError` on bad structure.

    Structure only (types, nesting, required keys); arithmetic consistency is :func:`check_sheet`.
    """
    problems: list[str] = []
    knockouts: list[Knockout] = []
    for index, item in enumerate(data.get("knockouts") or [], start=1):
        knockouts.append(_knockout(item, f"HS{index}", None, problems))

    def build(raw, depth: int) -> Node | None:
        if not isinstance(raw, Mapping) or "code" not in raw:
            problems.append(_("A criterion without a code (level %(depth)s).") % {"depth": depth + 1})
            return None
        code = str(raw["code"]).strip()
        where = _("Criterion %(code)s") % {"code": code}
        max_points = _decimal(raw.get("max"), where + " " + _("(maximum)"), problems)
        children = tuple(filter(None, (build(child, depth + 1) for child in raw.get("children") or [])))
        if depth >= len(KINDS):
            problems.append(_("%(where)s: the sheet allows at most three levels under a part.") % {"where": where})
        options: list[Option] = []
        binary = bool(raw.get("binary"))
        if not children and depth > 0:
            raw_options = raw.get("options") or []
            if binary and not raw_options and max_points is not None:
                options = [
                    Option(f"{code}#1", "Không", Decimal(0)),  # data, like every printed label
                    Option(f"{code}#2", "Có", max_points),
                ]
            elif not raw_options:
                problems.append(_("%(where)s has neither options nor sub-criteria.") % {"where": where})
            for position, option in enumerate(raw_options, start=1):
                option_where = _("%(where)s, option %(position)s") % {"where": where, "position": position}
                points = _decimal(option.get("points"), option_where, problems)
                star = option.get("star")
                if star is not None and star not in STAR_LEVELS:
                    problems.append(
                        _("%(where)s: the star marker must be 3, 4 or 5, not “%(star)s”.")
                        % {"where": option_where, "star": star}
                    )
                    star = None
                case = option.get("case")
                options.append(
                    Option(
                        key=f"{code}#{position}",
                        label=str(option.get("label") or "").strip(),
                        points=points if points is not None else Decimal(0),
                        min_star=star,
                        case=int(case) if case else None,
                    )
                )
        elif raw.get("options"):
            problems.append(_("%(where)s has both options and sub-criteria.") % {"where": where})
        applies_if = None
        condition = raw.get("applies_if")
        if condition:
            minimum = _decimal(condition.get("min_points", 1), where, problems) or Decimal(1)
            applies_if = (str(condition.get("criterion")), minimum)
        for index, item in enumerate(raw.get("knockouts") or [], start=1):
            knockouts.append(_knockout(item, f"{code}-K{index}", code, problems))
        if raw.get("requirement"):
            knockouts.append(
                Knockout(
                    f"{code}-YC",
                    "requirement",
                    # data in the sheet's language (stored rows must not depend on the UI language)
                    "Không đáp ứng yêu cầu: " + str(raw["requirement"]).strip(),
                    code,
                )
            )
        return Node(
            code=code,
            title=str(raw.get("title") or "").strip(),
            kind=KINDS[min(depth, len(KINDS) - 1)],
            max_points=max_points if max_points is not None else Decimal(0),
            children=children,
            options=tuple(options),
            notes=tuple(str(note) for note in raw.get("notes") or []),
            requirement=str(raw.get("requirement") or ""),
            applies_if=applies_if,
            applies_if_text=str((condition or {}).get("text") or ""),
            case_labels={int(case): str(label) for case, label in (raw.get("case_labels") or {}).items()},
            binary=binary,
        )

    parts = tuple(filter(None, (build(part, 0) for part in data.get("parts") or [])))
    if not parts:
        problems.append(_("The sheet has no parts."))
    if problems:
        raise RubricDataError(problems)
    return Sheet(
        key=key or f"{data.get('legal_basis')}#{data.get('sheet_number')}",
        title=str(data.get("title") or ""),
        parts=parts,
        knockouts=tuple(knockouts),
        sheet_number=data.get("sheet_number"),
    )


def _knockout(item, key: str, criterion: str | None, problems: list[str]) -> Knockout:
    if isinstance(item, str):
        item = {"kind": "dossier" if criterion is None else "criterion", "text": item}
    kind = item.get("kind", "dossier")
    if kind not in KNOCKOUT_KINDS:
        problems.append(_("Unknown knock-out kind “%(kind)s”.") % {"kind": kind})
    return Knockout(
        key=key,
        kind=kind,
        text=str(item.get("text") or "").strip(),
        criterion=criterion,
        zero_in=tuple(str(code) for code in item.get("zero_in") or ()),
    )


# ---------------------------------------------------------------------------------------------
# Consistency
# ---------------------------------------------------------------------------------------------


def check_sheet(sheet: Sheet, part_maxima: Mapping[str, int | Decimal] | None = None) -> list[str]:
    """Every arithmetic inconsistency of a sheet, as Vietnamese sentences (empty: consistent)."""
    problems: list[str] = []
    if part_maxima:
        expected = {str(code): Decimal(str(value)) for code, value in part_maxima.items()}
        found = {part.code: part.max_points for part in sheet.parts}
        if set(found) != set(expected):
            problems.append(
                _("The parts are %(found)s; this legal basis has %(expected)s.")
                % {"found": ", ".join(found), "expected": ", ".join(expected)}
            )
        for code, value in expected.items():
            if code in found and found[code] != value:
                problems.append(
                    _("Part %(code)s has a maximum of %(found)s; this legal basis sets %(expected)s.")
                    % {"code": code, "found": found[code], "expected": value}
                )
    codes: set[str] = set()
    leaves = {node.code for node in sheet.leaves()}
    for node in sheet.nodes():
        if node.code in codes:
            problems.append(_("Criterion code %(code)s appears twice.") % {"code": node.code})
        codes.add(node.code)
        if node.max_points < 0:
            problems.append(_("Criterion %(code)s has a negative maximum.") % {"code": node.code})
        if node.children:
            children_sum = sum((child.max_points for child in node.children), Decimal(0))
            if children_sum != node.max_points:
                problems.append(
                    _("%(code)s: its parts add up to %(sum)s, its maximum is %(max)s.")
                    % {"code": node.code, "sum": children_sum, "max": node.max_points}
                )
            continue
        if node.kind == "part":
            continue
        points_by_case: dict[int | None, list[Decimal]] = {}
        for position, option in enumerate(node.options, start=1):
            points_by_case.setdefault(option.case, []).append(option.points)
            if option.points < 0:
                problems.append(
                    _("%(code)s, option %(position)s: negative points.") % {"code": node.code, "position": position}
                )
            if option.points > node.max_points:
                problems.append(
                    _("%(code)s, option %(position)s: %(points)s points exceed the criterion maximum %(max)s.")
                    % {"code": node.code, "position": position, "points": option.points, "max": node.max_points}
                )
        for values in points_by_case.values():
            if values and max(values) != node.max_points:
                problems.append(
                    _("%(code)s: no option reaches the criterion maximum %(max)s (highest %(top)s).")
                    % {"code": node.code, "max": node.max_points, "top": max(values)}
                )
            if len(set(values)) != len(values):
                problems.append(
                    _("%(code)s: two options give the same points (%(points)s).")
                    % {"code": node.code, "points": ", ".join(str(value) for value in values)}
                )
        cases = {option.case for option in node.options if option.case}
        if cases and None in points_by_case:
            problems.append(_("%(code)s: some options have a case and some do not.") % {"code": node.code})
        for case in cases:
            if case not in node.case_labels:
                problems.append(_("%(code)s: case %(case)s has no label.") % {"code": node.code, "case": case})
        marked = sorted((option for option in node.options if option.min_star), key=lambda option: option.min_star)
        for lower, higher in itertools.pairwise(marked):
            if higher.points < lower.points and higher.case == lower.case:
                problems.append(
                    _("%(code)s: the %(high)s★ minimum (%(hp)s points) is below the %(low)s★ minimum (%(lp)s).")
                    % {
                        "code": node.code,
                        "high": higher.min_star,
                        "hp": higher.points,
                        "low": lower.min_star,
                        "lp": lower.points,
                    }
                )
        if node.applies_if and node.applies_if[0] not in leaves:
            problems.append(
                _("%(code)s applies only if criterion %(other)s, which is not on the sheet.")
                % {"code": node.code, "other": node.applies_if[0]}
            )
    total = sum((part.max_points for part in sheet.parts), Decimal(0))
    if part_maxima and total != sum((Decimal(str(value)) for value in part_maxima.values()), Decimal(0)):
        problems.append(_("The sheet totals %(total)s points.") % {"total": total})
    for knockout in sheet.knockouts:
        if not knockout.text:
            problems.append(_("Knock-out %(key)s has no text.") % {"key": knockout.key})
        for code in knockout.zero_in:
            if code not in leaves:
                problems.append(
                    _("Knock-out %(key)s refers to criterion %(code)s, which is not on the sheet.")
                    % {"key": knockout.key, "code": code}
                )
    return problems


# ---------------------------------------------------------------------------------------------
# Differences between two versions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    where: str
    before: str = ""
    after: str = ""


def _flatten(sheet: Sheet) -> dict[str, str]:
    items: dict[str, str] = {}
    for node in sheet.nodes():
        items[f"{node.code}"] = f"{node.title} [{format_points(node.max_points)}]"
        if node.requirement:
            items[f"{node.code} · yêu cầu"] = node.requirement
        if node.applies_if:
            items[f"{node.code} · điều kiện"] = f"{node.applies_if[0]} ≥ {format_points(node.applies_if[1])}"
        for position, option in enumerate(node.options, start=1):
            star = "*" * option.min_star if option.min_star else ""
            case = f" (TH{option.case})" if option.case else ""
            points = format_points(option.points)
            items[f"{node.code} · {position}"] = f"{option.label}{case} → {points} {star}".rstrip()
    for knockout in sheet.knockouts:
        items[f"{knockout.key}"] = f"{knockout.kind}: {knockout.text}"
    return items


def diff_sheets(before: Sheet | None, after: Sheet) -> list[Change]:
    """Line-level differences (criteria, options with points and markers, knock-outs)."""
    old = _flatten(before) if before else {}
    new = _flatten(after)
    changes = []
    for where, value in new.items():
        if where not in old:
            changes.append(Change("added", where, "", value))
        elif old[where] != value:
            changes.append(Change("changed", where, old[where], value))
    for where, value in old.items():
        if where not in new:
            changes.append(Change("removed", where, value, ""))
    return changes
