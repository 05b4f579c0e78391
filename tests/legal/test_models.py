import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ocop.legal.models import LegalBasis

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _basis(**fields) -> LegalBasis:
    values = {
        "code": "5/2030/QĐ-TTg",
        "kind": "ocop_criteria",
        "short_name": "QĐ 5/2030",
        "title": "Quyết định thử nghiệm",
        "signed_on": dt.date(2030, 1, 1),
        "effective_from": dt.date(2030, 1, 1),
        **fields,
    }
    return LegalBasis(**values)


def test_str_is_the_short_name():
    assert str(LegalBasis.objects.get(code="26/2026/QĐ-TTg")) == "QĐ 26/2026"


def test_default_ordering_is_newest_first():
    assert list(LegalBasis.objects.values_list("code", flat=True)) == [
        "26/2026/QĐ-TTg",
        "1489/QĐ-TTg",
        "148/QĐ-TTg",
        "781/QĐ-TTg",
        "1048/QĐ-TTg",
    ]


def test_end_before_start_is_refused_by_validation_and_by_the_database(english):
    basis = _basis(effective_to=dt.date(2029, 12, 31))
    with pytest.raises(ValidationError) as info:
        basis.full_clean()
    assert info.value.message_dict == {"__all__": ["The end date must not be before the start date."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        basis.save()


def test_a_one_day_period_is_allowed():
    basis = _basis(effective_to=dt.date(2030, 1, 1))
    basis.full_clean()
    basis.save()
    assert basis.is_in_force_on(dt.date(2030, 1, 1))
    assert not basis.is_in_force_on(dt.date(2030, 1, 2))


def test_codes_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        _basis(code="148/QĐ-TTg").save()


def test_an_amended_decision_cannot_be_deleted():
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        LegalBasis.objects.get(code="148/QĐ-TTg").delete()
