"""Which criteria decision governs new evaluations on a day.

The data (legal/data/legal_bases.json) overlaps on purpose: 26/2026/QĐ-TTg is in force from
22/05/2026 while 148/QĐ-TTg still governs until 21/07/2026 (26/2026 Art. 11, transition). The
documented rule of ``legal_basis_in_force`` is "the newest decision in force wins", so during the
overlap the answer is 26/2026; 148 is the answer only up to 21/05/2026.
"""

import datetime as dt

import pytest

from ocop.legal.models import LegalBasis
from ocop.legal.selectors import criteria_legal_bases, get_legal_basis, legal_basis_in_force

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2018, 1, 1), None),  # before the first criteria decision
        (dt.date(2019, 8, 20), None),
        (dt.date(2019, 8, 21), "1048/QĐ-TTg"),  # first day of 1048
        (dt.date(2020, 6, 8), "1048/QĐ-TTg"),  # 781/2020 amends 1048; amendments are never the answer
        (dt.date(2023, 2, 23), "1048/QĐ-TTg"),  # last day of 1048
        (dt.date(2023, 2, 24), "148/QĐ-TTg"),  # first day of 148
        (dt.date(2025, 7, 6), "148/QĐ-TTg"),  # 1489/2025 amends 148
        (dt.date(2026, 5, 21), "148/QĐ-TTg"),  # the day before 26/2026
        (dt.date(2026, 5, 22), "26/2026/QĐ-TTg"),  # overlap starts: the newer decision wins
        (dt.date(2026, 7, 21), "26/2026/QĐ-TTg"),  # last day of 148, still the overlap: 26/2026
        (dt.date(2026, 7, 22), "26/2026/QĐ-TTg"),
        (dt.date(2035, 1, 1), "26/2026/QĐ-TTg"),  # open-ended
    ],
)
def test_legal_basis_in_force(day, expected):
    basis = legal_basis_in_force(day)
    assert (basis.code if basis else None) == expected


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("148/QĐ-TTg", dt.date(2023, 2, 23), False),
        ("148/QĐ-TTg", dt.date(2023, 2, 24), True),
        ("148/QĐ-TTg", dt.date(2026, 5, 22), True),  # both decisions are in force during the overlap
        ("148/QĐ-TTg", dt.date(2026, 7, 21), True),
        ("148/QĐ-TTg", dt.date(2026, 7, 22), False),
        ("26/2026/QĐ-TTg", dt.date(2026, 5, 21), False),
        ("26/2026/QĐ-TTg", dt.date(2026, 5, 22), True),
        ("26/2026/QĐ-TTg", dt.date(2099, 12, 31), True),
        ("1048/QĐ-TTg", dt.date(2019, 8, 21), True),
        ("1048/QĐ-TTg", dt.date(2023, 2, 24), False),
    ],
)
def test_is_in_force_on(code, day, expected):
    assert LegalBasis.objects.get(code=code).is_in_force_on(day) is expected


def test_only_criteria_decisions_are_in_force_never_amendments():
    # 1489/2025 is newer than 148 and in force on this day, but it only amends 148.
    day = dt.date(2025, 8, 1)
    assert LegalBasis.objects.get(code="1489/QĐ-TTg").is_in_force_on(day)
    assert legal_basis_in_force(day).code == "148/QĐ-TTg"


def test_an_open_ended_newer_decision_takes_over_from_its_start(django_assert_num_queries):
    LegalBasis.objects.create(
        code="1/2030/QĐ-TTg",
        kind="ocop_criteria",
        short_name="QĐ 1/2030",
        title="Quyết định thử nghiệm",
        signed_on=dt.date(2030, 1, 1),
        effective_from=dt.date(2030, 1, 1),
    )
    with django_assert_num_queries(1):
        assert legal_basis_in_force(dt.date(2030, 1, 1)).code == "1/2030/QĐ-TTg"
    assert legal_basis_in_force(dt.date(2029, 12, 31)).code == "26/2026/QĐ-TTg"


def test_criteria_legal_bases_are_newest_first_without_amendments():
    assert [b.code for b in criteria_legal_bases()] == ["26/2026/QĐ-TTg", "148/QĐ-TTg", "1048/QĐ-TTg"]


def test_get_legal_basis():
    assert get_legal_basis("148/QĐ-TTg").short_name == "QĐ 148/2023"
    with pytest.raises(LegalBasis.DoesNotExist):
        get_legal_basis("148/2023")
