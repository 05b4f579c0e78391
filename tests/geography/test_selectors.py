import pytest

from ocop.geography.selectors import current_province_for, current_units_for, search_units

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_current_map_has_34_provinces_and_3321_communes():
    from ocop.geography.models import AdminUnit

    assert AdminUnit.objects.current().provinces().count() == 34
    assert AdminUnit.objects.current().communes().count() == 3321


def test_legacy_hong_linh_town_rolls_up_to_two_wards_of_ha_tinh(units):
    rolled = current_units_for(units.legacy_hong_linh_town)
    assert [u.name for u in rolled] == ["Phường Bắc Hồng Lĩnh", "Phường Nam Hồng Lĩnh"]
    assert current_province_for(units.legacy_hong_linh_town) == units.ha_tinh


def test_search_son_ha_finds_commune_without_diacritics(units):
    names = [u.name for u in search_units("son ha", level="commune")]
    assert "Xã Sơn Hà" in names
