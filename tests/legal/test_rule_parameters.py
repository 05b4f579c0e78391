"""Rule values as data of their legal basis: amendments in force, periods, and the star bands the
engine reads (nothing in the code knows 50, 70 or 90)."""

import datetime as dt
from decimal import Decimal

import pytest

from ocop.evaluation.engine import score
from ocop.evaluation.services import star_rules_for
from ocop.legal.selectors import effective_parameters, get_legal_basis, rule_periods, rules_in_force
from tests.evaluation.views import active_version, answers_worth

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_148_as_enacted_recognises_3_stars_at_district_and_forwards_from_70():
    parameters = effective_parameters(get_legal_basis("148/QĐ-TTg"), dt.date(2024, 1, 1))
    assert parameters["recognition"] == {"3": "district", "4": "province", "5": "central"}
    assert parameters["forwarding"] == [
        {"from": "district", "to": "province", "min_total": 70},
        {"from": "province", "to": "central", "min_total": 90},
    ]
    assert "commune_pre_review" not in parameters


def test_148_with_1489_in_force_recognises_3_stars_at_province():
    parameters = effective_parameters(get_legal_basis("148/QĐ-TTg"), dt.date(2025, 8, 1))
    assert parameters["recognition"] == {"3": "province", "4": "province", "5": "central"}
    assert parameters["forwarding"] == [{"from": "province", "to": "central", "min_total": 90}]
    assert parameters["commune_pre_review"] is True
    # What 1489 does not touch stays 148's own.
    assert parameters["part_maxima"] == {"A": 40, "B": 25, "C": 35}


def test_the_day_before_1489_still_reads_148_as_enacted():
    parameters = effective_parameters(get_legal_basis("148/QĐ-TTg"), dt.date(2025, 7, 5))
    assert parameters["recognition"]["3"] == "district"


def test_rules_in_force_today_are_those_of_26_2026():
    basis, parameters = rules_in_force(dt.date(2026, 11, 23))
    assert basis.code == "26/2026/QĐ-TTg"
    assert parameters["commune_review_working_days"] == 15
    assert parameters["certificate_validity_months"] == 36
    band_4 = next(band for band in parameters["star_bands"] if band["stars"] == 4)
    assert (band_4["from"], band_4["to"]) == (70, 90)


def test_rules_in_force_before_the_first_decision_is_none():
    assert rules_in_force(dt.date(2019, 1, 1)) is None


def test_rule_periods_split_each_decision_at_its_amendments():
    rows = [
        (
            period["basis"].code,
            [amendment.code for amendment in period["amendments"]],
            period["start"],
            period["end"],
        )
        for period in rule_periods()
    ]
    assert rows == [
        ("1048/QĐ-TTg", [], dt.date(2019, 8, 21), dt.date(2020, 6, 7)),
        ("1048/QĐ-TTg", ["781/QĐ-TTg"], dt.date(2020, 6, 8), dt.date(2023, 2, 23)),
        ("148/QĐ-TTg", [], dt.date(2023, 2, 24), dt.date(2025, 7, 5)),
        ("148/QĐ-TTg", ["1489/QĐ-TTg"], dt.date(2025, 7, 6), dt.date(2026, 7, 21)),
        ("26/2026/QĐ-TTg", [], dt.date(2026, 5, 22), None),
    ]


def test_rule_periods_carry_the_parameters_of_each_period():
    periods = {(period["basis"].code, bool(period["amendments"])): period["parameters"] for period in rule_periods()}
    assert periods[("148/QĐ-TTg", False)]["recognition"]["3"] == "district"
    assert periods[("148/QĐ-TTg", True)]["recognition"]["3"] == "province"
    assert periods[("1048/QĐ-TTg", False)]["part_maxima"] == {"A": 35, "B": 25, "C": 40}


def test_star_bands_are_read_from_the_legal_basis_not_the_code():
    version = active_version(1)
    sheet = version.to_sheet()
    answers = answers_worth(sheet, 72, star=4)

    before = score(sheet, answers, star_rules_for(version.legal_basis))
    assert (before.total, before.band_star, before.proposed_star) == (Decimal(72), 4, 4)

    basis = get_legal_basis("26/2026/QĐ-TTg")
    bands = basis.parameters["star_bands"]
    for band in bands:
        if band["stars"] == 3:
            band["to"] = 75
        if band["stars"] == 4:
            band["from"] = 75
    basis.save()

    basis = get_legal_basis("26/2026/QĐ-TTg")
    after = score(sheet, answers, star_rules_for(basis))
    assert (after.total, after.band_star, after.proposed_star) == (Decimal(72), 3, 3)
