import pytest

from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def admin_client(client, units):
    user = make_user_with_role("system-admin", units.country, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/role/",
        "/admin/accounts/membership/",
        "/admin/geography/adminunit/?q=son+ha",
        "/admin/geography/admincodeset/",
        "/admin/geography/adminunitsuccession/",
        "/admin/producers/producer/",
        "/admin/products/product/",
    ],
)
def test_admin_pages_render_for_the_system_administrator(admin_client, units, url):
    ProducerFactory(address_unit=units.yen_the)
    assert admin_client.get(url).status_code == 200


def test_admin_unit_search_is_diacritics_insensitive(admin_client):
    response = admin_client.get("/admin/geography/adminunit/", {"q": "Sơn Hà"})
    names = {unit.name for unit in response.context["cl"].result_list}
    assert "Xã Sơn Hà" in names


def test_admin_refuses_editing_loaded_reference_data(admin_client, units):
    assert admin_client.get("/admin/geography/adminunit/add/").status_code == 403
    assert admin_client.get("/admin/accounts/role/add/").status_code == 403


def test_staff_without_superuser_cannot_open_admin(client, units):
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    assert client.get("/admin/").status_code == 302
