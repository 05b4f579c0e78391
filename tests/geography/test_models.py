import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ocop.core.scope import Scope
from ocop.geography.enums import DivisionType, UnitLevel
from ocop.geography.models import AdminCodeSet, AdminUnit, AdminUnitSuccession
from tests.utils import CURRENT, LEGACY

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_unit_properties(units):
    ward, province, town = units.nam_hong_linh, units.ha_tinh, units.legacy_hong_linh_town
    assert (str(ward), ward.key, province.key, town.key, units.country.key) == (
        "Phường Nam Hồng Lĩnh",
        "C18118",
        "P42",
        "D437",
        "NVN",
    )
    assert (ward.is_current, town.is_current, units.legacy_thuan_loc.is_current) == (True, False, False)
    assert (ward.valid_on(CURRENT), ward.valid_on(LEGACY), town.valid_on(LEGACY), town.valid_on(CURRENT)) == (
        True,
        False,
        True,
        False,
    )
    assert ward.get_absolute_url() == f"/units/{ward.pk}/"


def test_unit_scope(units):
    assert units.ha_tinh.scope == Scope(province_id=units.ha_tinh.pk)
    assert units.nam_hong_linh.scope == Scope(province_id=units.ha_tinh.pk, commune_id=units.nam_hong_linh.pk)
    assert units.legacy_hong_linh_town.scope == Scope(province_id=units.legacy_ha_tinh.pk)
    assert units.country.scope == Scope()


def test_queryset_helpers():
    assert AdminUnit.objects.valid_on(LEGACY).provinces().count() == 63
    assert AdminUnit.objects.valid_on(LEGACY).communes().count() == 10051
    assert AdminUnit.objects.current().provinces().count() == 34
    assert AdminUnit.objects.valid_on(dt.date(2025, 7, 1)).communes().count() == 3321


def test_open_bounds_are_unlimited():
    code_set = AdminCodeSet.objects.create(slug="open", name="Mở", legal_basis="-")
    unit = AdminUnit.objects.create(
        code_set=code_set, level=UnitLevel.PROVINCE, code="99", name="Tỉnh Thử", name_folded="tinh thu"
    )
    assert unit.valid_on(dt.date(1900, 1, 1)) and unit.valid_on(dt.date(2100, 1, 1)) and unit.is_current
    assert unit in AdminUnit.objects.valid_on(dt.date(1900, 1, 1))
    assert str(code_set) == "Mở"


def test_constraints(units):
    code_set = AdminCodeSet.objects.get(slug="qd19-2025")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnit.objects.create(
            code_set=code_set, level=UnitLevel.COMMUNE, code="18118", name="Trùng", name_folded="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminCodeSet.objects.create(
            slug="backwards",
            name="Ngược",
            legal_basis="-",
            valid_from=dt.date(2025, 1, 2),
            valid_to=dt.date(2025, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnit.objects.create(
            code_set=code_set,
            level=UnitLevel.COMMUNE,
            code="99999",
            name="Ngược",
            name_folded="nguoc",
            division_type=DivisionType.COMMUNE,
            valid_from=dt.date(2025, 1, 2),
            valid_to=dt.date(2025, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnitSuccession.objects.create(
            predecessor=units.yen_the, successor=units.yen_the, effective_on=dt.date(2025, 7, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnitSuccession.objects.create(
            predecessor=units.legacy_thuan_loc, successor=units.nam_hong_linh, effective_on=dt.date(2025, 7, 1)
        )
