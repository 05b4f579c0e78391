import pytest
from django.contrib.auth.models import AnonymousUser

from ocop.accounts.enums import Capability
from ocop.products.models import Product
from ocop.products.selectors import products_for_user, search_products
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def producers(units):
    return {
        "yen_the": ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the),
        "bo_ha": ProducerFactory(name="HTX Vải thiều Bố Hạ", address_unit=units.bo_ha),
        "thuan_loc": ProducerFactory(name="Tổ hợp tác Mật ong Hồng Lĩnh", address_unit=units.legacy_thuan_loc),
        "hong_linh": ProducerFactory(name="Hộ kinh doanh Cam Hồng Lĩnh", address_unit=units.legacy_hong_linh_town),
        "son_ha": ProducerFactory(name="HTX Thân Trường", address_unit=units.son_ha),
    }


@pytest.fixture
def products(producers):
    return {
        "ga_doi": ProductFactory(producer=producers["yen_the"], name="Gà đồi Yên Thế", code="24-07288-001-2025"),
        "gio_ga": ProductFactory(producer=producers["yen_the"], name="Giò gà Yên Thế", code="24-07288-002-2025"),
        "vai": ProductFactory(producer=producers["bo_ha"], name="Vải thiều sấy Bố Hạ"),
        "mat_ong": ProductFactory(
            producer=producers["thuan_loc"], name="Mật ong rừng Hồng Lĩnh", code="42-437-18130-1-2022"
        ),
        "cam": ProductFactory(producer=producers["hong_linh"], name="Cam bù Hồng Lĩnh"),
        "che": ProductFactory(producer=producers["son_ha"], name="Chè xanh Bản Ven", code="51-21289-001-2025"),
    }


EVERYTHING = {"ga_doi", "gio_ga", "vai", "mat_ong", "cam", "che"}

CASES = [
    ("system-admin", "country", True, None, EVERYTHING),
    ("ministry-office", "country", True, None, EVERYTHING),
    ("ministry-office", "country", False, None, set()),
    ("province-agency", "bac_ninh", True, None, {"ga_doi", "gio_ga", "vai"}),
    ("province-agency", "ha_tinh", True, None, {"mat_ong", "cam"}),
    ("province-agency", "ha_tinh", False, None, {"cam"}),
    ("council-member", "ha_tinh", True, None, {"mat_ong", "cam"}),
    ("advisory-member", "quang_ngai", True, None, {"che"}),
    ("commune-officer", "yen_the", True, None, {"ga_doi", "gio_ga"}),
    ("commune-officer", "nam_hong_linh", True, None, {"mat_ong"}),
    ("commune-officer", "bac_hong_linh", True, None, set()),
    ("producer", "yen_the", True, "yen_the", {"ga_doi", "gio_ga"}),
    ("producer", "yen_the", True, "bo_ha", {"vai"}),
]


def _ids(case):
    role, unit, descendants, producer, _expected = case
    return f"{role}@{unit}" + ("" if descendants else "-only") + (f"-for-{producer}" if producer else "")


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_products_for_user_by_role(case, units, producers, products):
    role, unit, descendants, producer, expected = case
    user = make_user_with_role(
        role, getattr(units, unit), producer=producers[producer] if producer else None, include_descendants=descendants
    )
    assert set(products_for_user(user)) == {products[name] for name in expected}


@pytest.mark.parametrize(
    ("role", "unit", "producer", "expected"),
    [
        ("ministry-office", "country", None, set()),
        ("council-member", "ha_tinh", None, set()),
        ("commune-officer", "yen_the", None, {"ga_doi", "gio_ga"}),
        ("producer", "son_ha", "son_ha", {"che"}),
    ],
)
def test_products_for_user_with_another_capability(role, unit, producer, expected, units, producers, products):
    user = make_user_with_role(role, getattr(units, unit), producer=producers[producer] if producer else None)
    visible = products_for_user(user, capability=Capability.MANAGE_REGISTRY)
    assert set(visible) == {products[name] for name in expected}


def test_products_for_nobody(products):
    assert list(products_for_user(AnonymousUser())) == []
    assert list(products_for_user(make_user_with_role(None))) == []
    assert set(products_for_user(UserFactory(is_superuser=True))) == set(products.values())


def test_products_for_user_are_ordered_and_load_related_rows(units, products, django_assert_num_queries):
    user = make_user_with_role("province-agency", units.ha_tinh)
    user.refresh_from_db()
    with django_assert_num_queries(2):  # the user's grants, then the products
        rows = [
            (p.name, p.producer.name, p.producer.province.code, p.producer.commune.code if p.producer.commune else None)
            for p in products_for_user(user)
        ]
    assert rows == [
        ("Cam bù Hồng Lĩnh", "Hộ kinh doanh Cam Hồng Lĩnh", "42", None),
        ("Mật ong rừng Hồng Lĩnh", "Tổ hợp tác Mật ong Hồng Lĩnh", "42", "18118"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ga", ["ga_doi", "gio_ga"]),
        ("GÀ ĐỒI", ["ga_doi"]),
        ("ga yen the", ["ga_doi", "gio_ga"]),
        ("gio ga", ["gio_ga"]),
        ("hong linh", ["cam", "mat_ong"]),
        ("mat ong rung", ["mat_ong"]),
        ("24-07288-002-2025", ["gio_ga"]),
        ("24-07288", []),  # a code matches exactly only
        ("24-07288-1-2025", ["ga_doi"]),  # codes are stored canonically: "001" was typed, "1" is stored
        ("ga 24-07288-1-2025", ["ga_doi"]),  # a code among other words matches in its stored spelling
        ("chè bản vén", ["che"]),
        ("ca phe", []),
        ("", ["cam", "che", "ga_doi", "gio_ga", "mat_ong", "vai"]),
        (None, ["cam", "che", "ga_doi", "gio_ga", "mat_ong", "vai"]),
    ],
)
def test_search_products(query, expected, products):
    found = search_products(Product.objects.filter(pk__in=[p.pk for p in products.values()]), query)
    assert list(found) == [products[name] for name in expected]


def test_search_products_keeps_the_scope(units, products):
    user = make_user_with_role("commune-officer", units.yen_the)
    assert list(search_products(products_for_user(user), "hong linh")) == []
    assert list(search_products(products_for_user(user), "gio")) == [products["gio_ga"]]
