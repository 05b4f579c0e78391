import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from ocop.core.models import ActivityLog
from ocop.geography.enums import DivisionType, UnitLevel
from ocop.geography.models import AdminCodeSet, AdminUnit, AdminUnitSuccession
from ocop.geography.services import CURRENT_SET, LEGACY_SET, SUCCESSION_BASIS, LoadReport, load_admin_units

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _load_events() -> list[ActivityLog]:
    return list(ActivityLog.objects.filter(action_type="geography.codeset.load"))


def test_second_load_changes_nothing():
    events = _load_events()
    units = AdminUnit.objects.count()
    successions = AdminUnitSuccession.objects.count()

    report = load_admin_units(force=True)

    assert (report.created, report.updated, report.successions_created) == (0, 0, 0)
    assert str(report) == "0 units created, 0 updated, 0 successions created"
    assert (AdminUnit.objects.count(), AdminUnitSuccession.objects.count()) == (units, successions)
    assert _load_events() == events


def test_first_load_was_logged_once_per_code_set():
    events = _load_events()
    assert sorted(e.object_repr for e in events) == sorted(s.name for s in AdminCodeSet.objects.all())
    assert {e.data["units"] for e in events} == {1 + 34 + 3321, 63 + 696 + 10051}
    assert {(e.data["created"], e.data["updated"]) for e in events} == {(14166, 0)}
    assert {e.data["successions_created"] for e in events} == {AdminUnitSuccession.objects.count()}


def test_load_report_str():
    assert str(LoadReport(3, 2, 1)) == "3 units created, 2 updated, 1 successions created"


@pytest.mark.parametrize(
    ("code_set", "level", "count"),
    [
        (CURRENT_SET, UnitLevel.COUNTRY, 1),
        (CURRENT_SET, UnitLevel.PROVINCE, 34),
        (CURRENT_SET, UnitLevel.DISTRICT, 0),
        (CURRENT_SET, UnitLevel.COMMUNE, 3321),
        (LEGACY_SET, UnitLevel.COUNTRY, 0),
        (LEGACY_SET, UnitLevel.PROVINCE, 63),
        (LEGACY_SET, UnitLevel.DISTRICT, 696),
        (LEGACY_SET, UnitLevel.COMMUNE, 10051),
    ],
)
def test_unit_counts_per_code_set_and_level(code_set, level, count):
    assert AdminUnit.objects.filter(code_set__slug=code_set, level=level).count() == count


def test_code_sets_are_dated_around_the_reform():
    current, legacy = AdminCodeSet.objects.get(slug=CURRENT_SET), AdminCodeSet.objects.get(slug=LEGACY_SET)
    assert (current.valid_from, current.valid_to) == (dt.date(2025, 7, 1), None)
    assert (legacy.valid_from, legacy.valid_to) == (None, dt.date(2025, 6, 30))
    assert current.legal_basis == "QĐ 19/2025/QĐ-TTg; NQ 202/2025/QH15"
    assert current.source.startswith("vietnam-provinces ")
    assert legacy.source.endswith(" (legacy)")
    assert str(current) == "Danh mục ĐVHC theo QĐ 19/2025/QĐ-TTg (34 tỉnh, thành phố)"


def test_units_carry_the_validity_of_their_code_set():
    assert set(AdminUnit.objects.filter(code_set__slug=CURRENT_SET).values_list("valid_from", "valid_to")) == {
        (dt.date(2025, 7, 1), None)
    }
    assert set(AdminUnit.objects.filter(code_set__slug=LEGACY_SET).values_list("valid_from", "valid_to")) == {
        (None, dt.date(2025, 6, 30))
    }


def test_every_province_is_its_own_province():
    provinces = AdminUnit.objects.filter(level=UnitLevel.PROVINCE)
    assert provinces.count() == 34 + 63
    assert [p.code for p in provinces if p.province_id != p.pk] == []


def test_parents_and_provinces_are_linked_within_the_map():
    country = AdminUnit.objects.get(level=UnitLevel.COUNTRY)
    assert (country.code, country.name, country.parent_id, country.province_id) == ("VN", "Việt Nam", None, None)
    assert set(AdminUnit.objects.filter(level=UnitLevel.PROVINCE).values_list("parent_id", flat=True)) == {country.pk}
    # A current commune hangs directly under its province; a legacy commune under its district.
    assert (
        not AdminUnit.objects.filter(code_set__slug=CURRENT_SET, level=UnitLevel.COMMUNE)
        .exclude(parent_id=F("province_id"))
        .exists()
    )
    legacy_communes = AdminUnit.objects.filter(code_set__slug=LEGACY_SET, level=UnitLevel.COMMUNE)
    assert set(legacy_communes.values_list("parent__level", flat=True)) == {UnitLevel.DISTRICT}
    assert not legacy_communes.exclude(province_id=F("parent__province_id")).exists()
    assert (
        not AdminUnit.objects.exclude(level=UnitLevel.COUNTRY)
        .exclude(code_set=F("parent__code_set"))
        .filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE])
        .exists()
    )


@pytest.mark.parametrize(
    ("code_set", "level", "code", "name", "division_type", "key"),
    [
        (CURRENT_SET, UnitLevel.PROVINCE, "42", "Tỉnh Hà Tĩnh", DivisionType.PROVINCE, "P42"),
        (CURRENT_SET, UnitLevel.PROVINCE, "04", "Tỉnh Cao Bằng", DivisionType.PROVINCE, "P04"),
        (CURRENT_SET, UnitLevel.PROVINCE, "01", "Thành phố Hà Nội", DivisionType.CENTRAL_CITY, "P01"),
        (CURRENT_SET, UnitLevel.COMMUNE, "07288", "Xã Yên Thế", DivisionType.COMMUNE, "C07288"),
        (CURRENT_SET, UnitLevel.COMMUNE, "00004", "Phường Ba Đình", DivisionType.WARD, "C00004"),
        (CURRENT_SET, UnitLevel.COMMUNE, "18118", "Phường Nam Hồng Lĩnh", DivisionType.WARD, "C18118"),
        (LEGACY_SET, UnitLevel.PROVINCE, "24", "Tỉnh Bắc Giang", DivisionType.PROVINCE, "P24"),
        (LEGACY_SET, UnitLevel.DISTRICT, "437", "Thị xã Hồng Lĩnh", DivisionType.DISTRICT_TOWN, "D437"),
        (LEGACY_SET, UnitLevel.DISTRICT, "215", "Huyện Yên Thế", DivisionType.RURAL_DISTRICT, "D215"),
        (LEGACY_SET, UnitLevel.COMMUNE, "07288", "Thị trấn Phồn Xương", DivisionType.TOWNSHIP, "C07288"),
        (LEGACY_SET, UnitLevel.COMMUNE, "18130", "Xã Thuận Lộc", DivisionType.COMMUNE, "C18130"),
        (LEGACY_SET, UnitLevel.COMMUNE, "00004", "Phường Trúc Bạch", DivisionType.WARD, "C00004"),
    ],
)
def test_key_units_have_zero_padded_codes(code_set, level, code, name, division_type, key):
    unit = AdminUnit.objects.get(code_set__slug=code_set, level=level, code=code)
    assert (unit.name, unit.division_type, unit.key) == (name, division_type, key)


def test_codes_have_the_official_width():
    codes = AdminUnit.objects.exclude(level=UnitLevel.COUNTRY).values_list("level", "code")
    widths = {(level, len(code)) for level, code in codes}
    assert widths == {(UnitLevel.PROVINCE, 2), (UnitLevel.DISTRICT, 3), (UnitLevel.COMMUNE, 5)}


def test_name_folded_is_written():
    unit = AdminUnit.objects.get(code_set__slug=CURRENT_SET, level=UnitLevel.COMMUNE, code="18118")
    assert unit.name_folded == "phuong nam hong linh"
    assert not AdminUnit.objects.filter(name_folded="").exists()


def test_centroids_and_area_of_a_known_ward():
    ward = AdminUnit.objects.get(code_set__slug=CURRENT_SET, level=UnitLevel.COMMUNE, code="07288")
    assert (ward.latitude, ward.longitude, ward.area_km2) == (Decimal("21.471"), Decimal("106.132"), Decimal("43.67"))


def test_centroids_are_present_for_every_current_unit_below_the_country():
    current = AdminUnit.objects.filter(code_set__slug=CURRENT_SET).exclude(level=UnitLevel.COUNTRY)
    assert current.filter(latitude__isnull=True).count() == 0
    assert current.filter(longitude__isnull=True).count() == 0
    # The centroid dataset has no area for exactly two communes.
    assert sorted(current.filter(level=UnitLevel.COMMUNE, area_km2__isnull=True).values_list("name", flat=True)) == [
        "Xã Thượng Trạch",
        "Xã Đông Trạch",
    ]
    assert current.filter(level=UnitLevel.PROVINCE, area_km2__isnull=False).count() == 0


def test_a_split_legacy_province_has_two_partial_successions():
    tien_giang = AdminUnit.objects.get(code_set__slug=LEGACY_SET, level=UnitLevel.PROVINCE, code="82")
    links = AdminUnitSuccession.objects.filter(predecessor=tien_giang).order_by("successor__code")
    assert tien_giang.name == "Tỉnh Tiền Giang"
    assert [(s.successor.key, s.successor.name, s.is_partial) for s in links] == [
        ("P80", "Tỉnh Tây Ninh", True),
        ("P82", "Tỉnh Đồng Tháp", True),
    ]
    assert {(s.effective_on, s.basis) for s in links} == {(dt.date(2025, 7, 1), SUCCESSION_BASIS)}
    assert str(links[0]) == "Tỉnh Tiền Giang → Tỉnh Tây Ninh"


def test_a_merged_legacy_province_has_one_full_succession():
    bac_giang = AdminUnit.objects.get(code_set__slug=LEGACY_SET, level=UnitLevel.PROVINCE, code="24")
    assert [(s.successor.key, s.is_partial) for s in bac_giang.successions.all()] == [("P24", False)]
    assert bac_giang.successions.get().successor.code_set.slug == CURRENT_SET


def test_a_legacy_district_links_to_every_current_commune_it_went_into():
    hong_linh = AdminUnit.objects.get(code_set__slug=LEGACY_SET, level=UnitLevel.DISTRICT, code="437")
    assert [(s.successor.code, s.is_partial) for s in hong_linh.successions.order_by("successor__code")] == [
        ("18115", True),
        ("18118", True),
    ]


def test_a_legacy_commune_links_to_its_current_commune():
    thuan_loc = AdminUnit.objects.get(code_set__slug=LEGACY_SET, level=UnitLevel.COMMUNE, code="18130")
    assert [(s.successor.key, s.successor.name, s.is_partial) for s in thuan_loc.successions.all()] == [
        ("C18118", "Phường Nam Hồng Lĩnh", False)
    ]


def test_successions_only_run_from_the_legacy_to_the_current_map():
    assert set(AdminUnitSuccession.objects.values_list("predecessor__code_set__slug", "successor__code_set__slug")) == {
        (LEGACY_SET, CURRENT_SET)
    }


def test_reload_repairs_edited_units_and_restores_missing_rows():
    current = AdminCodeSet.objects.get(slug=CURRENT_SET)
    son_ha = AdminUnit.objects.get(code_set=current, level=UnitLevel.COMMUNE, code="21289")
    son_ha_links = set(AdminUnitSuccession.objects.filter(successor=son_ha).values_list("predecessor_id", "is_partial"))
    assert len(son_ha_links) > 1
    # Bulk edits (as an import script might do): a renamed ward, a lost centroid, a lost self link,
    # a lost succession and a lost unit.
    AdminUnit.objects.filter(code_set=current, code="18118").update(name="Phường Nam Hồng Lĩnh cũ", name_folded="x")
    AdminUnit.objects.filter(code_set=current, level=UnitLevel.PROVINCE, code="51").update(latitude=None)
    AdminUnit.objects.filter(code_set=current, level=UnitLevel.PROVINCE, code="42").update(province=None)
    AdminUnitSuccession.objects.filter(predecessor__code="18130", successor__code="18118").delete()
    AdminUnitSuccession.objects.filter(successor=son_ha).delete()
    AdminUnit.objects.filter(pk=son_ha.pk).delete()
    events = len(_load_events())

    report = load_admin_units(force=True)

    assert (report.created, report.updated, report.successions_created) == (1, 3, 1 + len(son_ha_links))
    nam_hong_linh = AdminUnit.objects.get(code_set=current, level=UnitLevel.COMMUNE, code="18118")
    assert (nam_hong_linh.name, nam_hong_linh.name_folded) == ("Phường Nam Hồng Lĩnh", "phuong nam hong linh")
    quang_ngai = AdminUnit.objects.get(code_set=current, level=UnitLevel.PROVINCE, code="51")
    assert quang_ngai.latitude is not None
    ha_tinh = AdminUnit.objects.get(code_set=current, level=UnitLevel.PROVINCE, code="42")
    assert ha_tinh.province_id == ha_tinh.pk
    restored = AdminUnit.objects.get(code_set=current, level=UnitLevel.COMMUNE, code="21289")
    assert (restored.name, restored.province, restored.parent) == ("Xã Sơn Hà", quang_ngai, quang_ngai)
    assert set(AdminUnitSuccession.objects.filter(successor=restored).values_list("predecessor_id", "is_partial")) == (
        son_ha_links
    )
    new_events = _load_events()[: len(_load_events()) - events]
    assert sorted((e.object_repr, e.data["units"]) for e in new_events) == sorted(
        [(str(current), 1 + 34 + 3321), (str(AdminCodeSet.objects.get(slug=LEGACY_SET)), 63 + 696 + 10051)]
    )
    assert {(e.data["created"], e.data["updated"], e.data["successions_created"]) for e in new_events} == {
        (1, 3, 1 + len(son_ha_links))
    }
    assert {e.content_type for e in new_events} == {ContentType.objects.get_for_model(AdminCodeSet)}


def test_conversion_entries_naming_unknown_units_are_skipped(monkeypatch):
    from vietnam_provinces import _ward_conversion_2025 as ward_map

    thuan_loc = ward_map.OLD_TO_NEW[18130]
    unknown_new = type(thuan_loc.new_wards[0])(code=99999, province_code=42)
    monkeypatch.setitem(ward_map.OLD_TO_NEW, 18130, thuan_loc._replace(new_wards=(*thuan_loc.new_wards, unknown_new)))
    unknown_old = thuan_loc.old_ward._replace(code=99998)
    monkeypatch.setitem(ward_map.OLD_TO_NEW, 99998, thuan_loc._replace(old_ward=unknown_old))

    report = load_admin_units(force=True)

    assert (report.created, report.updated, report.successions_created) == (0, 0, 0)
    assert not AdminUnit.objects.filter(code__in=["99998", "99999"]).exists()


def test_load_is_skipped_when_the_same_data_version_is_loaded():
    units = AdminUnit.objects.count()

    report = load_admin_units()

    assert report.skipped is True
    assert str(report) == "already loaded from the same data version (use --force to reload)"
    assert AdminUnit.objects.count() == units


def test_a_new_data_version_triggers_a_reload():
    AdminCodeSet.objects.filter(slug=LEGACY_SET).update(source="vietnam-provinces 2025.1.0 (legacy)")

    report = load_admin_units()

    assert report.skipped is False
    assert (report.created, report.updated, report.successions_created) == (0, 0, 0)
    assert AdminCodeSet.objects.get(slug=LEGACY_SET).source.startswith("vietnam-provinces 2026.")
