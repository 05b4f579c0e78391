import pytest
from django.urls import reverse

from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def registry(units):
    yen_the = ProducerFactory(name="HTX Yên Thế", address_unit=units.yen_the)
    ProductFactory(producer=yen_the, name="Gà đồi")
    ProductFactory(producer=yen_the, name="Chả gà")
    bo_ha = ProducerFactory(name="HTX Bố Hạ", address_unit=units.bo_ha)
    ha_tinh = ProducerFactory(name="HTX Hồng Lĩnh", address_unit=units.nam_hong_linh)
    return {"yen_the": yen_the, "bo_ha": bo_ha, "ha_tinh": ha_tinh}


def test_public_home_for_anonymous(client):
    response = client.get(reverse("dashboard:home"))
    assert response.templates[0].name == "dashboard/home_public.html"
    assert (response.context["province_count"], response.context["commune_count"]) == (34, 3321)
    assert "3.321" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "unit_name", "template", "producers", "products"),
    [
        ("system-admin", "country", "home_system_admin", 3, 2),
        ("ministry-office", "country", "home_ministry_office", 3, 2),
        ("province-agency", "bac_ninh", "home_province_agency", 2, 2),
        ("province-agency", "ha_tinh", "home_province_agency", 1, 0),
        ("council-member", "bac_ninh", "home_council_member", 2, 2),
        ("advisory-member", "bac_ninh", "home_advisory_member", 2, 2),
        ("commune-officer", "yen_the", "home_commune_officer", 1, 2),
        ("commune-officer", "son_ha", "home_commune_officer", 0, 0),
    ],
)
def test_home_per_role_counts_only_its_scope(client, units, registry, role, unit_name, template, producers, products):
    client.force_login(make_user_with_role(role, getattr(units, unit_name)))
    response = client.get(reverse("dashboard:home"))
    assert response.templates[0].name == f"dashboard/{template}.html"
    assert (response.context["producer_count"], response.context["product_count"]) == (producers, products)


def test_producer_home_shows_its_own_producer_and_products(client, units, registry):
    client.force_login(make_user_with_role("producer", units.yen_the, producer=registry["yen_the"]))
    response = client.get(reverse("dashboard:home"))
    assert [p.name for p in response.context["my_producers"]] == ["HTX Yên Thế"]
    assert [p.name for p in response.context["my_products"]] == ["Chả gà", "Gà đồi"]
    nav = [str(item["label"]) for item in response.context["nav_items"]]
    assert nav == [
        "Trang chủ",
        "Chủ thể của tôi",
        "Sản phẩm của tôi",
        "Hồ sơ đánh giá",
        "Bộ tiêu chí",
        "Đơn vị hành chính",
    ]


def test_province_home_breaks_producers_down_by_commune(client, units, registry):
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    response = client.get(reverse("dashboard:home"))
    assert response.context["by_commune_rows"] == [
        {"name": "Xã Bố Hạ", "total": 1},
        {"name": "Xã Yên Thế", "total": 1},
    ]


def test_user_without_role_is_told_to_ask_for_one(client):
    client.force_login(make_user_with_role(None))
    response = client.get(reverse("dashboard:home"))
    assert response.templates[0].name == "dashboard/home_no_role.html"
    assert [str(item["label"]) for item in response.context["nav_items"]] == [
        "Trang chủ",
        "Bộ tiêu chí",
        "Đơn vị hành chính",
    ]


def test_admin_navigation_has_accounts_and_audit(client, units):
    client.force_login(make_user_with_role("system-admin", units.country))
    response = client.get(reverse("dashboard:home"))
    urls = [item["url"] for item in response.context["nav_items"]]
    assert reverse("accounts:user_list") in urls
    assert reverse("core:audit_log") in urls
