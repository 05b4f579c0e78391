import datetime as dt

import pytest

from ocop.geography.enums import DivisionType, UnitLevel
from ocop.geography.models import AdminCodeSet, AdminUnit, AdminUnitSuccession
from ocop.geography.selectors import (
    CurrentUnitIndex,
    ancestors_of,
    current_province_for,
    current_units_for,
    get_country,
    resolve_unit,
    search_units,
    units_below,
)
from tests.utils import CURRENT, LEGACY

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _keys(units) -> list[str]:
    return [u.key for u in units]


def _legacy(level: str, code: str) -> AdminUnit:
    unit = resolve_unit(level, code, on_date=LEGACY)
    assert unit is not None
    return unit


def test_current_map_has_34_provinces_and_3321_communes():
    assert AdminUnit.objects.current().provinces().count() == 34
    assert AdminUnit.objects.current().communes().count() == 3321


def test_legacy_hong_linh_town_rolls_up_to_two_wards_of_ha_tinh(units):
    rolled = current_units_for(units.legacy_hong_linh_town)
    assert [u.name for u in rolled] == ["Phường Bắc Hồng Lĩnh", "Phường Nam Hồng Lĩnh"]
    assert current_province_for(units.legacy_hong_linh_town) == units.ha_tinh


def test_search_son_ha_finds_commune_without_diacritics(units):
    names = [u.name for u in search_units("son ha", level="commune")]
    assert "Xã Sơn Hà" in names


# get_country / resolve_unit -----------------------------------------------------------------------


def test_get_country():
    country = get_country()
    assert (country.level, country.code, country.name, country.division_type) == (
        UnitLevel.COUNTRY,
        "VN",
        "Việt Nam",
        DivisionType.COUNTRY,
    )


def test_resolve_unit_depends_on_the_date():
    today = resolve_unit("commune", "00004", on_date=CURRENT)
    before = resolve_unit("commune", "00004", on_date=LEGACY)

    assert (today.name, today.code_set.slug, today.province.name) == ("Phường Ba Đình", "qd19-2025", "Thành phố Hà Nội")
    assert (before.name, before.code_set.slug, before.province.name) == (
        "Phường Trúc Bạch",
        "legacy-2004",
        "Thành phố Hà Nội",
    )
    assert today.pk != before.pk
    assert today.province.code_set.slug == "qd19-2025"
    assert before.province.code_set.slug == "legacy-2004"


def test_resolve_unit_defaults_to_today():
    assert resolve_unit("commune", "00004") == resolve_unit("commune", "00004", on_date=CURRENT)


@pytest.mark.parametrize(
    ("day", "code_set"),
    [(dt.date(2025, 6, 30), "legacy-2004"), (dt.date(2025, 7, 1), "qd19-2025"), (dt.date(1990, 1, 1), "legacy-2004")],
)
def test_resolve_unit_on_the_reform_boundary(day, code_set):
    assert resolve_unit("commune", "00004", on_date=day).code_set.slug == code_set


def test_resolve_unit_needs_the_level():
    province = resolve_unit("province", "04", on_date=CURRENT)
    ward = resolve_unit("commune", "00004", on_date=CURRENT)
    assert (province.name, province.level) == ("Tỉnh Cao Bằng", UnitLevel.PROVINCE)
    assert (ward.name, ward.level) == ("Phường Ba Đình", UnitLevel.COMMUNE)
    assert resolve_unit("province", "04", on_date=LEGACY).name == "Tỉnh Cao Bằng"
    assert resolve_unit("province", "04", on_date=LEGACY).pk != province.pk


@pytest.mark.parametrize(
    ("level", "code", "day"),
    [
        ("commune", "99999", CURRENT),
        ("province", "4", CURRENT),  # codes are zero-padded
        ("province", "00004", CURRENT),
        ("district", "437", CURRENT),  # districts were abolished on 01/07/2025
        ("commune", "18130", CURRENT),  # Xã Thuận Lộc was merged
    ],
)
def test_resolve_unit_returns_none_when_nothing_matches(level, code, day):
    assert resolve_unit(level, code, on_date=day) is None


def test_resolve_unit_loads_the_province(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert resolve_unit("commune", "07288", on_date=CURRENT).province.code == "24"


# ancestors_of -----------------------------------------------------------------------------------


def test_ancestors_of_a_legacy_commune(units):
    assert [u.name for u in ancestors_of(units.legacy_thuan_loc)] == [
        "Xã Thuận Lộc",
        "Thị xã Hồng Lĩnh",
        "Tỉnh Hà Tĩnh",
        "Việt Nam",
    ]
    assert ancestors_of(units.legacy_thuan_loc)[2] == units.legacy_ha_tinh


def test_ancestors_of_current_units(units):
    assert ancestors_of(units.nam_hong_linh) == [units.nam_hong_linh, units.ha_tinh, units.country]
    assert ancestors_of(units.ha_tinh) == [units.ha_tinh, units.country]
    assert ancestors_of(units.country) == [units.country]


# units_below ------------------------------------------------------------------------------------


def test_units_below_the_country_is_every_unit(units):
    assert units_below(units.country).count() == 1 + 34 + 3321 + 63 + 696 + 10051
    assert units_below(units.country, include_self=False).count() == 34 + 3321 + 63 + 696 + 10051
    assert not units_below(units.country, include_self=False).filter(pk=units.country.pk).exists()


def test_units_below_a_current_province(units):
    below = units_below(units.ha_tinh, include_self=False)
    assert set(below) == set(AdminUnit.objects.filter(parent=units.ha_tinh))
    assert set(below.values_list("level", flat=True)) == {UnitLevel.COMMUNE}
    assert {units.bac_hong_linh, units.nam_hong_linh} < set(below)
    assert set(units_below(units.ha_tinh)) == {units.ha_tinh, *below}
    assert units.son_ha not in set(units_below(units.ha_tinh))


def test_units_below_a_legacy_province_covers_districts_and_communes(units):
    below = units_below(units.legacy_ha_tinh, include_self=False)
    assert set(below.values_list("level", flat=True)) == {UnitLevel.DISTRICT, UnitLevel.COMMUNE}
    assert {units.legacy_hong_linh_town, units.legacy_thuan_loc} < set(below)
    assert units.nam_hong_linh not in set(below)


def test_units_below_a_legacy_district(units):
    town = units.legacy_hong_linh_town
    communes = set(AdminUnit.objects.filter(parent=town))
    assert units.legacy_thuan_loc in communes
    assert set(units_below(town)) == {town, *communes}
    assert set(units_below(town, include_self=False)) == communes


def test_units_below_a_commune_is_itself(units):
    assert list(units_below(units.yen_the)) == [units.yen_the]
    assert list(units_below(units.yen_the, include_self=False)) == []


# current_units_for ------------------------------------------------------------------------------


def test_a_current_unit_is_its_own_current_unit(units):
    assert current_units_for(units.yen_the) == [units.yen_the]
    assert current_units_for(units.ha_tinh) == [units.ha_tinh]
    assert current_units_for(units.country) == [units.country]


def test_a_legacy_unit_is_its_own_current_unit_on_an_old_date(units):
    assert current_units_for(units.legacy_thuan_loc, on_date=LEGACY) == [units.legacy_thuan_loc]


def test_legacy_thuan_loc_rolls_up_to_nam_hong_linh(units):
    assert current_units_for(units.legacy_thuan_loc) == [units.nam_hong_linh]


def test_legacy_phon_xuong_rolls_up_to_yen_the(units):
    assert current_units_for(units.legacy_phon_xuong) == [units.yen_the]


def test_legacy_yen_the_district_rolls_up_to_its_current_communes(units):
    rolled = current_units_for(units.legacy_yen_the_district)
    assert [(u.code, u.name) for u in rolled] == [
        ("07246", "Xã Xuân Lương"),
        ("07264", "Xã Tam Tiến"),
        ("07282", "Xã Đồng Kỳ"),
        ("07288", "Xã Yên Thế"),
        ("07294", "Xã Bố Hạ"),
    ]
    assert {u.province for u in rolled} == {units.bac_ninh}


def test_legacy_provinces_roll_up_to_current_provinces(units):
    assert current_units_for(units.legacy_bac_giang) == [units.bac_ninh]
    assert current_units_for(units.legacy_ha_tinh) == [units.ha_tinh]
    assert _keys(current_units_for(_legacy("province", "82"))) == ["P80", "P82"]


def test_a_legacy_commune_without_successor_falls_back_to_its_district():
    my_hung = _legacy("commune", "01651")  # Xã Mỹ Hưng, Huyện Quảng Hòa (Cao Bằng)
    assert not my_hung.successions.exists()
    rolled = current_units_for(my_hung)
    assert rolled == current_units_for(my_hung.parent)
    assert my_hung.parent.name == "Huyện Quảng Hòa"
    assert [u.name for u in rolled] == [
        "Xã Trà Lĩnh",
        "Xã Quảng Uyên",
        "Xã Độc Lập",
        "Xã Hạnh Phúc",
        "Xã Bế Văn Đàn",
        "Xã Phục Hòa",
        "Xã Thạch An",
    ]


def test_a_legacy_district_without_successor_falls_back_to_its_province():
    con_dao = _legacy("district", "755")  # Huyện Côn Đảo had no communes
    assert (con_dao.name, con_dao.successions.exists(), con_dao.children.exists()) == ("Huyện Côn Đảo", False, False)
    assert [u.name for u in current_units_for(con_dao)] == ["Thành phố Hồ Chí Minh"]


@pytest.fixture
def chain():
    """A made-up map edited twice (2021 and 2023), with a link pointing back to the first edition."""
    code_set = AdminCodeSet.objects.create(slug="test-chain", name="Chain", legal_basis="-")

    def unit(code, valid_from, valid_to):
        return AdminUnit.objects.create(
            code_set=code_set,
            level=UnitLevel.COMMUNE,
            code=code,
            name=f"Xã {code}",
            name_folded=f"xa {code}",
            division_type=DivisionType.COMMUNE,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    first = unit("90001", None, dt.date(2020, 12, 31))
    second = unit("90002", dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    third = unit("90003", dt.date(2023, 1, 1), None)
    for old, new in [(first, second), (second, third), (second, first)]:
        AdminUnitSuccession.objects.create(predecessor=old, successor=new, effective_on=new.valid_from or dt.date.min)
    return first, second, third


def test_current_units_for_follows_chains_of_successions(chain):
    first, second, third = chain
    assert current_units_for(first) == [third]
    assert current_units_for(first, on_date=dt.date(2021, 6, 1)) == [second]
    assert current_units_for(first, on_date=dt.date(2020, 6, 1)) == [first]


def test_current_units_for_a_unit_without_any_successor_or_parent(chain):
    first, _second, third = chain
    AdminUnitSuccession.objects.filter(predecessor=third).delete()
    third.valid_to = dt.date(2024, 12, 31)
    third.save()
    assert current_units_for(first) == []


# current_province_for ---------------------------------------------------------------------------


def test_current_province_for_current_units(units):
    assert current_province_for(units.ha_tinh) == units.ha_tinh
    assert current_province_for(units.nam_hong_linh) == units.ha_tinh
    assert current_province_for(units.yen_the) == units.bac_ninh


def test_current_province_for_the_country_is_none(units):
    assert current_province_for(units.country) is None


def test_legacy_bac_giang_is_today_in_bac_ninh(units):
    assert current_province_for(units.legacy_bac_giang) == units.bac_ninh
    assert current_province_for(units.legacy_yen_the_district) == units.bac_ninh
    assert current_province_for(units.legacy_phon_xuong) == units.bac_ninh


def test_legacy_hong_linh_town_is_today_in_ha_tinh(units):
    assert current_province_for(units.legacy_hong_linh_town) == units.ha_tinh
    assert current_province_for(units.legacy_thuan_loc) == units.ha_tinh


def test_current_province_for_a_legacy_unit_on_an_old_date_is_its_old_province(units):
    assert current_province_for(units.legacy_thuan_loc, on_date=LEGACY) == units.legacy_ha_tinh
    assert current_province_for(units.legacy_hong_linh_town, on_date=LEGACY) == units.legacy_ha_tinh


def test_a_split_legacy_province_has_no_single_current_province():
    assert current_province_for(_legacy("province", "82")) is None


@pytest.mark.parametrize(("level", "code"), [("district", "815"), ("district", "825"), ("commune", "28249")])
def test_units_of_a_split_province_follow_their_own_successors(level, code):
    # Thành phố Mỹ Tho, Huyện Tân Phú Đông and Phường 1 (Mỹ Tho) of Tiền Giang all went to Đồng Tháp.
    unit = _legacy(level, code)
    assert unit.province.name == "Tỉnh Tiền Giang"
    assert current_province_for(unit).name == "Tỉnh Đồng Tháp"


def test_a_commune_split_across_provinces_falls_back_to_its_old_province(units):
    AdminUnitSuccession.objects.create(
        predecessor=units.legacy_thuan_loc, successor=units.son_ha, effective_on=dt.date(2025, 7, 1), is_partial=True
    )
    assert current_units_for(units.legacy_thuan_loc) == [units.nam_hong_linh, units.son_ha]
    assert current_province_for(units.legacy_thuan_loc) == units.ha_tinh


# search_units -----------------------------------------------------------------------------------

SON_HA_CURRENT = ["C21289", "C21292", "C20285", "C06724", "C24895", "C20857", "C07543", "C30811", "C21343"]


def test_search_ignores_diacritics_and_case():
    assert _keys(search_units("son ha")) == SON_HA_CURRENT
    assert _keys(search_units("SƠN HÀ")) == SON_HA_CURRENT
    assert _keys(search_units("  Sơn   Hà ")) == SON_HA_CURRENT


def test_search_ranks_names_ending_with_the_query_first():
    found = search_units("son ha")
    assert [u.name for u in found][:2] == ["Xã Sơn Hà", "Xã Sơn Hạ"]
    assert [u.match_rank for u in found] == [0, 0] + [1] * (len(SON_HA_CURRENT) - 2)


def test_search_tokens_match_the_start_of_a_word():
    names = [u.name for u in search_units("ha tinh")]
    assert names == ["Tỉnh Hà Tĩnh"]
    assert "Thị trấn Tịnh Hà" not in names


def test_search_by_code(units):
    assert list(search_units("21289")) == [units.son_ha]
    assert _keys(search_units("4", level=UnitLevel.PROVINCE)) == ["P04"]
    # A number matches the code (zero-padded) and also a word of the name ("Xã A Lưới 4").
    assert [(u.key, u.name) for u in search_units("4", level=UnitLevel.COMMUNE)] == [
        ("C20101", "Xã A Lưới 4"),
        ("C25063", "Xã Bảo Lâm 4"),
        ("C24853", "Xã Đam Rông 4"),
        ("C00004", "Phường Ba Đình"),
    ]
    assert _keys(search_units("437", include_legacy=True, level=UnitLevel.DISTRICT)) == ["D437"]


def test_search_including_legacy_units_finds_huyen_son_ha():
    found = search_units("Sơn Hà", include_legacy=True)
    assert [(u.key, u.name, u.code_set.slug) for u in found[:8]] == [
        ("C21289", "Xã Sơn Hà", "qd19-2025"),
        ("C21292", "Xã Sơn Hạ", "qd19-2025"),
        ("C02938", "Xã Sơn Hà", "legacy-2004"),
        ("C12925", "Xã Sơn Hà", "legacy-2004"),
        ("C15004", "Xã Sơn Hà", "legacy-2004"),
        ("C21292", "Xã Sơn Hạ", "legacy-2004"),
        ("C22201", "Xã Sơn Hà", "legacy-2004"),
        ("D529", "Huyện Sơn Hà", "legacy-2004"),
    ]
    assert found.count() == 27
    assert "Huyện Sơn Hà" not in [u.name for u in search_units("Sơn Hà")]


def test_search_level_filter():
    assert [(u.key, u.name) for u in search_units("son ha", level=UnitLevel.DISTRICT, include_legacy=True)] == [
        ("D529", "Huyện Sơn Hà"),
        ("D494", "Quận Ngũ Hành Sơn"),
    ]
    assert list(search_units("son ha", level=UnitLevel.DISTRICT)) == []
    assert list(search_units("son ha", level=UnitLevel.PROVINCE, include_legacy=True)) == []


def test_search_province_filter(units):
    assert list(search_units("yen the", province=units.bac_ninh)) == [units.yen_the]
    assert list(search_units("son ha", province=units.ha_tinh)) == []


def test_search_on_an_old_date_uses_the_legacy_map(units):
    assert _keys(search_units("hong linh")) == ["C18115", "C18118"]
    assert [u.name for u in search_units("hong linh", on_date=LEGACY)] == ["Xã Hồng Lĩnh", "Thị xã Hồng Lĩnh"]


def test_empty_search_lists_every_current_unit_but_the_country():
    assert search_units("").count() == 34 + 3321
    assert search_units(None).count() == 34 + 3321
    assert search_units().count() == 34 + 3321
    assert search_units("", include_legacy=True).count() == 34 + 3321 + 63 + 696 + 10051


def test_search_ordering_is_deterministic_current_units_first():
    found = list(search_units("ba dinh", include_legacy=True))
    assert found == list(search_units("ba dinh", include_legacy=True))
    assert [(u.key, u.code_set.slug) for u in found] == [
        ("C00004", "qd19-2025"),
        ("C16171", "qd19-2025"),
        ("C21499", "qd19-2025"),
        ("C14776", "legacy-2004"),
        ("C14812", "legacy-2004"),
        ("C16096", "legacy-2004"),
        ("C21499", "legacy-2004"),
        ("D001", "legacy-2004"),
        ("C09394", "legacy-2004"),
        ("C30922", "legacy-2004"),
        ("C18595", "legacy-2004"),
    ]
    unranked = list(search_units("", include_legacy=True)[:3]) + list(search_units("", include_legacy=True)[14000:])
    assert [u.code_set.slug for u in unranked] == ["qd19-2025"] * 3 + ["legacy-2004"] * 165


def test_search_loads_related_units(django_assert_num_queries):
    with django_assert_num_queries(1):
        labels = [(u.province.name, u.parent.name, u.code_set.slug) for u in search_units("yen the")]
    assert labels == [("Thành phố Bắc Ninh", "Thành phố Bắc Ninh", "qd19-2025")]


# CurrentUnitIndex (names and codes typed in spreadsheets) -------------------------------------


@pytest.fixture
def index():
    return CurrentUnitIndex(on_date=CURRENT)


def test_unit_index_is_built_with_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        index = CurrentUnitIndex(on_date=CURRENT)
    assert len({u.pk for u in index.provinces.values()}) == 34
    assert len(index.communes_by_code) == 3321


@pytest.mark.parametrize(
    "text",
    ["Bắc Ninh", "bac ninh", "  BẮC   NINH ", "Thành phố Bắc Ninh", "thanh pho bac ninh", "24", " 24 "],
)
def test_unit_index_finds_a_province_by_name_with_or_without_prefix_or_by_code(index, units, text):
    assert index.province(text) == units.bac_ninh


@pytest.mark.parametrize(
    ("text", "expected"), [("Hà Tĩnh", "42"), ("tỉnh ha tinh", "42"), ("1", "01"), ("Hà Nội", "01")]
)
def test_unit_index_other_provinces(index, text, expected):
    assert index.province(text).code == expected


@pytest.mark.parametrize("text", ["Bắc Giang", "Tỉnh Bắc Giang", "99", "Ninh", ""])
def test_unit_index_does_not_find_a_province_of_the_old_map_or_a_partial_name(index, text):
    # Bắc Giang was merged into Bắc Ninh in 2025: it is not a province on today's map.
    assert index.province(text) is None


@pytest.mark.parametrize(
    "text",
    ["Xã Bố Hạ", "Bố Hạ", "bo ha", "XA BO HA", " xã  bố   hạ ", "07294", "7294"],
)
def test_unit_index_finds_a_commune_by_name_with_or_without_prefix_diacritics_or_by_code(index, units, text):
    assert index.communes_named(units.bac_ninh, text) == [units.bo_ha]


@pytest.mark.parametrize("text", ["Xã Sơn Hà", "21289", "Bố", "99999", "Bắc Ninh"])
def test_unit_index_finds_a_commune_only_inside_the_given_province(index, units, text):
    # Sơn Hà (21289) is in Quảng Ngãi; "Bố" is only part of a name; 99999 is no commune.
    assert index.communes_named(units.bac_ninh, text) == []


def test_unit_index_a_wrong_prefix_falls_back_to_the_bare_name(index, units):
    assert index.communes_named(units.bac_ninh, "Phường Bố Hạ") == [units.bo_ha]


def test_unit_index_a_name_without_diacritics_can_match_several_communes(index, units):
    # Quảng Ngãi has both Xã Sơn Hà (21289) and Xã Sơn Hạ (21292).
    assert [u.name for u in index.communes_named(units.quang_ngai, "son ha")] == ["Xã Sơn Hà", "Xã Sơn Hạ"]
    assert [u.name for u in index.communes_named(units.quang_ngai, "Xã Son Ha")] == ["Xã Sơn Hà", "Xã Sơn Hạ"]


@pytest.mark.parametrize(("text", "expected"), [("Xã Sơn Hà", "21289"), ("Sơn Hà", "21289"), ("xã sơn hạ", "21292")])
def test_unit_index_a_name_with_its_diacritics_picks_its_own_commune(index, units, text, expected):
    assert [u.code for u in index.communes_named(units.quang_ngai, text)] == [expected]


def test_unit_index_a_bare_name_shared_by_a_xa_and_a_phuong_needs_the_prefix(index):
    thanh_hoa = index.province("Thanh Hóa")
    # Xã Đồng Tiến and Phường Đông Tiến fold to the same bare name.
    assert sorted(u.name for u in index.communes_named(thanh_hoa, "dong tien")) == ["Phường Đông Tiến", "Xã Đồng Tiến"]
    assert [u.name for u in index.communes_named(thanh_hoa, "Xã Đồng Tiến")] == ["Xã Đồng Tiến"]
    assert [u.name for u in index.communes_named(thanh_hoa, "phuong dong tien")] == ["Phường Đông Tiến"]
    assert [u.name for u in index.communes_named(thanh_hoa, "Đông Tiến")] == ["Phường Đông Tiến"]


def test_unit_index_suggests_communes_containing_the_typed_words(index, units):
    # Folded names that contain every typed word (also inside a word: "nguyen"), by folded name.
    assert [u.name for u in index.suggest(units.bac_ninh, "Yên")] == [
        "Phường Đồng Nguyên",
        "Phường Việt Yên",
        "Phường Yên Dũng",
        "Xã Tân Yên",
        "Xã Tây Yên Tử",
    ]
    assert [u.name for u in index.suggest(units.bac_ninh, "yen", limit=2)] == ["Phường Đồng Nguyên", "Phường Việt Yên"]
    assert [u.name for u in index.suggest(units.bac_ninh, "the yen")] == ["Xã Yên Thế"]
    assert index.suggest(units.bac_ninh, "  ") == []
    assert [u.name for u in index.suggest(units.bac_ninh, "son ha")] == ["Xã Sơn Hải"]
    assert index.suggest(units.bac_ninh, "pho xua") == []


def test_unit_index_on_an_old_date_uses_the_legacy_map(units):
    legacy = CurrentUnitIndex(on_date=LEGACY)
    assert legacy.province("Bắc Giang") == units.legacy_bac_giang
    assert legacy.communes_named(units.legacy_bac_giang, "Thị trấn Phồn Xương") == [units.legacy_phon_xuong]
