import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from ocop.accounts.enums import Capability
from ocop.producers.models import EnterpriseSizeThreshold, Producer
from ocop.producers.selectors import (
    duplicate_producers,
    ethnicity_index,
    latest_financial_year,
    producers_for_user,
    search_producers,
    size_thresholds_on,
)
from ocop.producers.services import record_financial_year, update_producer
from ocop.producers.sizing import SizeThreshold, load_thresholds
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def producers(units):
    """Producers in two communes of Bắc Ninh, two places of Hà Tĩnh (one recorded on the old map,
    one known only at district level) and one commune of Quảng Ngãi."""
    return {
        "yen_the": ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the, tax_code="2400871238"),
        "bo_ha": ProducerFactory(name="HTX Vải thiều Bố Hạ", address_unit=units.bo_ha),
        "thuan_loc": ProducerFactory(name="Tổ hợp tác Mật ong Hồng Lĩnh", address_unit=units.legacy_thuan_loc),
        "hong_linh": ProducerFactory(name="Hộ kinh doanh Cam Hồng Lĩnh", address_unit=units.legacy_hong_linh_town),
        "son_ha": ProducerFactory(name="HTX Thân Trường", address_unit=units.son_ha, tax_code="4300123458"),
    }


EVERYONE = {"yen_the", "bo_ha", "thuan_loc", "hong_linh", "son_ha"}

# (role, unit, include_descendants, producer acted for) → visible producers
CASES = [
    ("system-admin", "country", True, None, EVERYONE),
    ("ministry-office", "country", True, None, EVERYONE),
    ("ministry-office", "country", False, None, set()),
    ("province-agency", "bac_ninh", True, None, {"yen_the", "bo_ha"}),
    ("province-agency", "ha_tinh", True, None, {"thuan_loc", "hong_linh"}),
    ("province-agency", "ha_tinh", False, None, {"hong_linh"}),  # only rows without a commune
    ("council-member", "bac_ninh", True, None, {"yen_the", "bo_ha"}),
    ("advisory-member", "quang_ngai", True, None, {"son_ha"}),
    ("commune-officer", "yen_the", True, None, {"yen_the"}),
    ("commune-officer", "nam_hong_linh", True, None, {"thuan_loc"}),
    ("commune-officer", "bac_hong_linh", True, None, set()),  # another commune sees none
    ("producer", "yen_the", True, "yen_the", {"yen_the"}),
    ("producer", "son_ha", True, "son_ha", {"son_ha"}),
]


def _ids(case):
    role, unit, descendants, producer, _expected = case
    return f"{role}@{unit}" + ("" if descendants else "-only") + (f"-for-{producer}" if producer else "")


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_producers_for_user_by_role(case, units, producers):
    role, unit, descendants, producer, expected = case
    user = make_user_with_role(
        role, getattr(units, unit), producer=producers[producer] if producer else None, include_descendants=descendants
    )
    assert set(producers_for_user(user)) == {producers[name] for name in expected}


@pytest.mark.parametrize(
    ("role", "unit", "producer", "expected"),
    [
        ("ministry-office", "country", None, set()),  # views but does not edit the registry
        ("council-member", "bac_ninh", None, set()),
        ("province-agency", "bac_ninh", None, {"yen_the", "bo_ha"}),
        ("commune-officer", "yen_the", None, {"yen_the"}),
        ("producer", "yen_the", "yen_the", {"yen_the"}),
    ],
)
def test_producers_for_user_with_another_capability(role, unit, producer, expected, units, producers):
    user = make_user_with_role(role, getattr(units, unit), producer=producers[producer] if producer else None)
    visible = producers_for_user(user, capability=Capability.MANAGE_REGISTRY)
    assert set(visible) == {producers[name] for name in expected}


def test_producers_for_nobody(producers):
    assert list(producers_for_user(AnonymousUser())) == []
    assert list(producers_for_user(make_user_with_role(None))) == []
    assert set(producers_for_user(UserFactory(is_superuser=True))) == set(producers.values())


def test_producers_for_user_are_ordered_by_folded_name(units, producers):
    user = make_user_with_role("ministry-office", units.country)
    assert [p.name for p in producers_for_user(user)] == [
        "Hộ kinh doanh Cam Hồng Lĩnh",
        "HTX Gà đồi Yên Thế",
        "HTX Thân Trường",
        "HTX Vải thiều Bố Hạ",
        "Tổ hợp tác Mật ong Hồng Lĩnh",
    ]


def test_producers_for_user_loads_the_units(units, producers, django_assert_num_queries):
    user = make_user_with_role("ministry-office", units.country)
    user.refresh_from_db()
    with django_assert_num_queries(2):  # the user's grants, then the producers
        rows = [
            (p.province.code, p.commune.code if p.commune else None, p.address_unit.code, p.address_unit.province.code)
            for p in producers_for_user(user)
        ]
    assert rows == [
        ("42", None, "437", "42"),
        ("24", "07288", "07288", "24"),
        ("51", "21289", "21289", "51"),
        ("24", "07294", "07294", "24"),
        ("42", "18118", "18130", "42"),
    ]


# search_producers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ga doi", ["yen_the"]),
        ("GÀ ĐỒI yên thế", ["yen_the"]),
        ("  gà   đồi  ", ["yen_the"]),
        ("hong linh", ["hong_linh", "thuan_loc"]),
        ("HỒNG LĨNH mật", ["thuan_loc"]),
        ("htx", ["yen_the", "son_ha", "bo_ha"]),
        ("2400871238", ["yen_the"]),
        ("240087", []),  # a tax code matches exactly only
        ("htx 4300123458", ["son_ha"]),
        ("ga doi son ha", []),  # every token must match
        ("", ["hong_linh", "yen_the", "son_ha", "bo_ha", "thuan_loc"]),
        (None, ["hong_linh", "yen_the", "son_ha", "bo_ha", "thuan_loc"]),
    ],
)
def test_search_producers(query, expected, producers):
    found = search_producers(Producer.objects.filter(pk__in=[p.pk for p in producers.values()]), query)
    assert list(found) == [producers[name] for name in expected]


def test_search_producers_keeps_the_scope(units, producers):
    user = make_user_with_role("province-agency", units.ha_tinh)
    assert list(search_producers(producers_for_user(user), "htx")) == []
    assert list(search_producers(producers_for_user(user), "cam")) == [producers["hong_linh"]]


# duplicate_producers ----------------------------------------------------------------------------


def test_duplicate_producers_by_field(producers):
    yen_the, son_ha = producers["yen_the"], producers["son_ha"]
    update_producer(son_ha, registration_number="4300A0001")

    assert duplicate_producers(tax_code="2400871238", registration_number="") == {"tax_code": yen_the}
    assert duplicate_producers(tax_code="", registration_number="4300a0001") == {"registration_number": son_ha}
    assert duplicate_producers(tax_code="2400871238", registration_number="4300A0001") == {
        "tax_code": yen_the,
        "registration_number": son_ha,
    }
    assert duplicate_producers(tax_code="0100109106", registration_number="9999") == {}


def test_duplicate_producers_ignores_blank_values_and_the_producer_itself(producers, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert duplicate_producers(tax_code="", registration_number="") == {}
    assert duplicate_producers(tax_code="2400871238", registration_number="", exclude_pk=producers["yen_the"].pk) == {}
    assert duplicate_producers(tax_code="2400871238", registration_number="", exclude_pk=producers["son_ha"].pk) == {
        "tax_code": producers["yen_the"]
    }


# latest_financial_year --------------------------------------------------------------------------


def test_latest_financial_year(producers):
    producer = producers["yen_the"]
    assert latest_financial_year(producer) is None
    record_financial_year(producer, year=2024, revenue=1)
    record_financial_year(producer, year=2025, revenue=2)
    record_financial_year(producer, year=2023, revenue=3)
    record_financial_year(producers["bo_ha"], year=2026, revenue=4)
    assert (latest_financial_year(producer).year, latest_financial_year(producer).revenue) == (2025, 2)


# size_thresholds_on -----------------------------------------------------------------------------

DECREE_80 = [
    SizeThreshold("agriculture_industry", "micro", 10, 3_000_000_000, 3_000_000_000),
    SizeThreshold("agriculture_industry", "small", 100, 50_000_000_000, 20_000_000_000),
    SizeThreshold("agriculture_industry", "medium", 200, 200_000_000_000, 100_000_000_000),
    SizeThreshold("trade_services", "micro", 10, 10_000_000_000, 3_000_000_000),
    SizeThreshold("trade_services", "small", 50, 100_000_000_000, 50_000_000_000),
    SizeThreshold("trade_services", "medium", 100, 300_000_000_000, 100_000_000_000),
]


def _by_key(thresholds):
    return sorted(thresholds, key=lambda t: (t.sector, t.max_insured_labour))


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2021, 10, 14), []), (dt.date(2021, 10, 15), DECREE_80), (dt.date(2030, 1, 1), DECREE_80)],
)
def test_size_thresholds_on(day, expected):
    assert _by_key(size_thresholds_on(day)) == expected


def test_size_thresholds_are_the_loaded_decree_file():
    assert _by_key(size_thresholds_on(dt.date(2026, 1, 1))) == _by_key(load_thresholds())


def test_size_thresholds_take_only_the_newest_table_in_force():
    EnterpriseSizeThreshold.objects.filter(valid_from=dt.date(2021, 10, 15)).update(valid_to=dt.date(2026, 12, 31))
    EnterpriseSizeThreshold.objects.create(
        legal_reference="Nghị định thử nghiệm",
        valid_from=dt.date(2027, 1, 1),
        sector="trade_services",
        size_class="micro",
        max_insured_labour=15,
        max_revenue=12_000_000_000,
        max_capital=4_000_000_000,
    )

    assert _by_key(size_thresholds_on(dt.date(2026, 12, 31))) == DECREE_80
    assert size_thresholds_on(dt.date(2027, 1, 1)) == [
        SizeThreshold("trade_services", "micro", 15, 12_000_000_000, 4_000_000_000)
    ]


# ethnicity_index --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("kinh", "01"),
        ("việt", "01"),  # other name
        ("viet", "01"),
        ("mông", "08"),
        ("mèo", "08"),
        ("h'mông", "08"),
        ("hmong", "08"),
        ("ê đê", "12"),
        ("e de", "12"),
        ("ê-đê", "12"),
        ("rhade", "12"),
        ("bru-vân kiều", "23"),
        ("van kieu", "23"),
        ("khơ me", "05"),
    ],
)
def test_ethnicity_index_by_name_folded_name_and_other_names(text, code):
    assert ethnicity_index()[text].code == code


def test_ethnicity_index_covers_the_54_groups_in_one_query(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        index = ethnicity_index()
    assert len({e.code for e in index.values()}) == 54
    assert "" not in index
