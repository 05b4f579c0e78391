import datetime as dt
import json

import pytest

from ocop.legal.models import LegalBasis
from ocop.legal.services import DATA_FILE, load_legal_bases

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _rows() -> list[tuple]:
    return [
        (
            b.code,
            b.kind,
            b.short_name,
            b.signed_on,
            b.effective_from,
            b.effective_to,
            b.amends.code if b.amends else None,
        )
        for b in LegalBasis.objects.order_by("effective_from", "code")
    ]


EXPECTED = [
    (
        "1048/QĐ-TTg",
        "ocop_criteria",
        "QĐ 1048/2019",
        dt.date(2019, 8, 21),
        dt.date(2019, 8, 21),
        dt.date(2023, 2, 23),
        None,
    ),
    (
        "781/QĐ-TTg",
        "ocop_amendment",
        "QĐ 781/2020",
        dt.date(2020, 6, 8),
        dt.date(2020, 6, 8),
        dt.date(2023, 2, 23),
        "1048/QĐ-TTg",
    ),
    (
        "148/QĐ-TTg",
        "ocop_criteria",
        "QĐ 148/2023",
        dt.date(2023, 2, 24),
        dt.date(2023, 2, 24),
        dt.date(2026, 7, 21),
        None,
    ),
    (
        "1489/QĐ-TTg",
        "ocop_amendment",
        "QĐ 1489/2025",
        dt.date(2025, 7, 6),
        dt.date(2025, 7, 6),
        dt.date(2026, 7, 21),
        "148/QĐ-TTg",
    ),
    ("26/2026/QĐ-TTg", "ocop_criteria", "QĐ 26/2026", dt.date(2026, 5, 22), dt.date(2026, 5, 22), None, None),
]


def test_the_test_database_holds_the_five_legal_bases():
    assert _rows() == EXPECTED


def test_parameters_are_loaded():
    """Spot checks of the rule values each decision carries (the legal-basis page lists them all)."""
    parameters = {b.code: b.parameters for b in LegalBasis.objects.all()}
    assert parameters["781/QĐ-TTg"] == {}
    assert parameters["1489/QĐ-TTg"]["recognition"] == {"3": "province", "4": "province", "5": "central"}
    assert parameters["1048/QĐ-TTg"]["part_maxima"] == {"A": 35, "B": 25, "C": 40}
    assert parameters["148/QĐ-TTg"]["recognition"]["3"] == "district"
    current = parameters["26/2026/QĐ-TTg"]
    assert current["certificate_validity_months"] == 36
    assert current["rerating_window_opens_days_before_expiry"] == 180
    assert current["rerating_window_closes_days_before_expiry"] == 120
    assert current["commune_review_working_days"] == 15
    assert current["revocation_deadline_days"] == 15
    assert [band["from"] for band in current["star_bands"]] == [0, 30, 50, 70, 90]
    assert current["part_maxima"] == {"A": 40, "B": 25, "C": 35}


def test_loading_again_is_idempotent_and_returns_the_row_count():
    pks = dict(LegalBasis.objects.values_list("code", "pk"))

    assert load_legal_bases() == 5

    assert dict(LegalBasis.objects.values_list("code", "pk")) == pks
    assert _rows() == EXPECTED


def test_loading_restores_edited_rows():
    LegalBasis.objects.filter(code="148/QĐ-TTg").update(effective_to=None, short_name="Sửa tay", parameters={})

    load_legal_bases()

    basis = LegalBasis.objects.get(code="148/QĐ-TTg")
    assert (basis.short_name, basis.effective_to) == ("QĐ 148/2023", dt.date(2026, 7, 21))
    assert basis.parameters["certificate_validity_months"] == 36
    assert basis.parameters["part_maxima"] == {"A": 40, "B": 25, "C": 35}


def test_loading_a_new_file_adds_rows_and_links_amendments_in_file_order(tmp_path):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["legal_bases"].append(
        {
            "code": "99/2027/QĐ-TTg",
            "kind": "ocop_amendment",
            "short_name": "QĐ 99/2027",
            "title": "Quyết định sửa đổi (thử nghiệm)",
            "signed_on": "2027-01-05",
            "effective_from": "2027-02-01",
            "effective_to": None,
            "amends": "26/2026/QĐ-TTg",
        }
    )
    path = tmp_path / "legal_bases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert load_legal_bases(path) == 6

    added = LegalBasis.objects.get(code="99/2027/QĐ-TTg")
    assert (added.amends.code, added.parameters, added.effective_to, str(added)) == (
        "26/2026/QĐ-TTg",
        {},
        None,
        "QĐ 99/2027",
    )
    assert [b.code for b in LegalBasis.objects.get(code="26/2026/QĐ-TTg").amendments.all()] == ["99/2027/QĐ-TTg"]


def test_amendments_point_at_the_decision_they_amend():
    assert {b.code: [a.code for a in b.amendments.all()] for b in LegalBasis.objects.filter(kind="ocop_criteria")} == {
        "1048/QĐ-TTg": ["781/QĐ-TTg"],
        "148/QĐ-TTg": ["1489/QĐ-TTg"],
        "26/2026/QĐ-TTg": [],
    }
