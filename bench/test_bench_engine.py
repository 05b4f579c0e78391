"""Speed of the criteria engine (run with `make bench`; disabled in the normal test run).

A province round scores about 70 products by 7–9 members (domain brief §5.4: Phú Thọ 71
products); a live self-assessment re-scores on every click.

Goals (2-core machine): scoring one full sheet plus its next-star plan under 5 ms (a click in the
self-assessment answers well under 100 ms); a council of 9 members under 20 ms; building all 26
sheets from their data files with errata and consistency checks under 2 s.
Measured 2026-11-23 (busy machine): score + plan median 2.0 ms; council of 9 median 6.6 ms; load and
check all 26 sheets median 1.45 s. The printable PDF of sheet 1 (8 pages) renders in 2.2–2.8 s
(tests/evaluation/test_pdf.py prints it).
"""

import json
from pathlib import Path

import pytest

from ocop.evaluation.engine import CouncilRules, MemberSheet, StarRules, aggregate, next_star_plan, score
from ocop.evaluation.rubric_io import apply_errata, check_sheet, load_errata, read_yaml, sheet_files, sheet_from_data

pytestmark = [pytest.mark.unit]

BASIS = "26/2026/QĐ-TTg"
LEGAL = Path(__file__).resolve().parents[1] / "src/ocop/legal/data/legal_bases.json"


def parameters():
    rows = json.loads(LEGAL.read_text(encoding="utf-8"))["legal_bases"]
    return next(row["parameters"] for row in rows if row["code"] == BASIS)


def load_all():
    errata = load_errata(BASIS)
    sheets = []
    for path in sheet_files(BASIS):
        data, _applied = apply_errata(read_yaml(path.read_text(encoding="utf-8")), errata)
        sheet = sheet_from_data(data)
        assert check_sheet(sheet, parameters()["part_maxima"]) == []
        sheets.append(sheet)
    return sheets


def middle_answers(sheet):
    """The middle option of every criterion (a typical 3★ product)."""
    answers = {}
    for node in sheet.leaves():
        options = sorted(node.options, key=lambda option: option.points)
        answers[node.code] = options[len(options) // 2].key
    return answers


def test_load_and_check_all_sheets(benchmark):
    sheets = benchmark(load_all)
    assert len(sheets) == 26


def test_score_and_plan_one_sheet(benchmark):
    sheet = load_all()[0]
    rules = StarRules.from_parameters(parameters())
    answers = middle_answers(sheet)

    def run():
        result = score(sheet, answers, rules)
        return result, next_star_plan(sheet, answers, rules)

    result, plan = benchmark(run)
    assert result.total > 0 and plan.target_star is not None


def test_council_of_nine(benchmark):
    sheet = load_all()[6]
    rules = StarRules.from_parameters(parameters())
    council = CouncilRules.from_parameters(parameters())
    answers = middle_answers(sheet)
    members = [MemberSheet(f"m{index}", answers, is_chair=index == 0) for index in range(9)]
    result = benchmark(aggregate, sheet, members, rules, council)
    assert result.quorum_met and result.scoring == 9
