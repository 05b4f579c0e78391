"""Historical part scores on star records, checked against the part maxima of their legal basis
(1048/QĐ-TTg: A 35 / B 25 / C 40; 148 and 26/2026: A 40 / B 25 / C 35)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ocop.legal.selectors import get_legal_basis
from ocop.products.models import StarRecord
from ocop.products.services import record_star
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

RECOGNISED = dt.date(2021, 12, 20)
VALID_UNTIL = dt.date(2024, 12, 20)


@pytest.fixture
def product(units):
    producer = ProducerFactory(name="HTX Mật ong Yên Thế", address_unit=units.yen_the)
    return ProductFactory(producer=producer, name="Mật ong hoa vải")


def _record(product, basis_code, parts, score, **extra):
    return record_star(
        product,
        stars=5 if score and score >= 90 else 4,
        recognised_on=RECOGNISED,
        valid_until=VALID_UNTIL,
        legal_basis=get_legal_basis(basis_code) if basis_code else None,
        score=score,
        part_scores=parts,
        **extra,
    )


def _codes(error: ValidationError) -> list[str]:
    return [item.code for item in error.error_list]


def test_part_a_above_35_under_1048_is_refused(english, product):
    with pytest.raises(ValidationError) as error:
        _record(product, "1048/QĐ-TTg", {"A": 36, "B": 25, "C": 39}, 100)
    assert _codes(error.value) == ["part_out_of_range"]
    assert error.value.messages == ["Part A under QĐ 1048/2019 is scored out of 35; 36 is outside 0–35."]
    assert not StarRecord.objects.filter(product=product).exists()


def test_the_same_part_a_is_fine_under_148(product):
    record = _record(product, "148/QĐ-TTg", {"A": 36, "B": 25, "C": 35}, 96)
    assert record.score_part_a == Decimal(36)


def test_part_c_above_35_under_148_is_refused(product):
    with pytest.raises(ValidationError) as error:
        _record(product, "148/QĐ-TTg", {"A": 35, "B": 25, "C": 40}, 100)
    assert _codes(error.value) == ["part_out_of_range"]


def test_parts_at_the_1048_maxima_are_stored(product):
    record = _record(product, "1048/QĐ-TTg", {"A": 35, "B": 25, "C": 40}, 100)
    record.refresh_from_db()
    assert (record.score_part_a, record.score_part_b, record.score_part_c, record.score) == (
        Decimal(35),
        Decimal(25),
        Decimal(40),
        Decimal(100),
    )


def test_decimal_part_scores_are_kept(product):
    record = _record(product, "1048/QĐ-TTg", {"A": "30.5", "B": Decimal("20.25"), "C": "21.5"}, Decimal("72.25"))
    record.refresh_from_db()
    assert (record.score_part_a, record.score_part_b, record.score_part_c) == (
        Decimal("30.5"),
        Decimal("20.25"),
        Decimal("21.5"),
    )


def test_parts_that_do_not_add_up_to_the_score_are_refused(english, product):
    with pytest.raises(ValidationError) as error:
        _record(product, "1048/QĐ-TTg", {"A": 30, "B": 20, "C": 30}, 85)
    assert _codes(error.value) == ["parts_do_not_add_up"]
    assert error.value.messages == ["The part scores add up to 80, not to the score 85."]
    assert not StarRecord.objects.exists()


def test_a_part_out_of_range_and_a_wrong_sum_are_both_reported(product):
    with pytest.raises(ValidationError) as error:
        _record(product, "1048/QĐ-TTg", {"A": 36, "B": 25, "C": 30}, 95)
    assert sorted(_codes(error.value)) == ["part_out_of_range", "parts_do_not_add_up"]


def test_part_scores_without_a_legal_basis_are_refused(english, product):
    with pytest.raises(ValidationError) as error:
        _record(product, None, {"A": 30, "B": 20, "C": 30}, 80)
    assert _codes(error.value) == ["basis_required"]
    assert not StarRecord.objects.exists()


def test_an_unknown_part_is_refused(product):
    with pytest.raises(ValidationError) as error:
        _record(product, "1048/QĐ-TTg", {"A": 30, "D": 20}, None)
    assert _codes(error.value) == ["unknown_part"]


def test_partial_part_scores_without_a_total_are_accepted(product):
    record = _record(product, "1048/QĐ-TTg", {"A": 30, "B": None, "C": ""}, None)
    assert (record.score_part_a, record.score_part_b, record.score_part_c) == (Decimal(30), None, None)


def test_no_part_scores_needs_no_legal_basis(product):
    record = _record(product, None, None, Decimal(80))
    assert (record.score_part_a, record.score_part_b, record.score_part_c) == (None, None, None)


def test_part_scores_are_shown_on_the_star_history(client, units, product):
    _record(product, "1048/QĐ-TTg", {"A": "30.5", "B": 20, "C": 30}, Decimal("80.5"))
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(reverse("products:product_stars", args=[product.pk]))
    assert response.status_code == 200
    cells = re.findall(r'data-testid="part-scores">([^<]+)</div>', response.content.decode())
    assert [" ".join(cell.split()) for cell in cells] == ["A 30,50 · B 20,00 · C 30,00"]


def test_star_history_without_part_scores_shows_none(client, units, product):
    _record(product, "148/QĐ-TTg", None, Decimal(80))
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(reverse("products:product_stars", args=[product.pk]))
    assert 'data-testid="part-scores"' not in response.content.decode()
