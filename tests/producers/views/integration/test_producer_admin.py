"""Data-repair admin of the producers app (superusers only)."""

import pytest

from ocop.producers.services import record_financial_year
from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def admin_client(client, units):
    client.force_login(make_user_with_role("system-admin", units.country, is_staff=True, is_superuser=True))
    return client


def test_producer_admin_search_is_diacritics_insensitive_and_shows_the_history(admin_client, units, document):
    producer = document.producer
    record_financial_year(producer, year=2025, revenue=1_000_000)
    ProducerFactory(name="HTX Chè Bố Hạ", address_unit=units.bo_ha)
    response = admin_client.get("/admin/producers/producer/", {"q": "Gà Đồi"})
    assert [p.name for p in response.context["cl"].result_list] == ["HTX Gà đồi Yên Thế"]
    change = admin_client.get(f"/admin/producers/producer/{producer.pk}/change/")
    content = change.content.decode()
    assert change.status_code == 200
    assert "VG-2025-017" in content and "Chứng nhận VietGAP.pdf" in content and "2025" in content


@pytest.mark.parametrize("model", ["ethnicity", "documenttype", "enterprisesizethreshold"])
def test_reference_data_is_read_only_in_the_admin(admin_client, model):
    listing = admin_client.get(f"/admin/producers/{model}/")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count > 0
    assert admin_client.get(f"/admin/producers/{model}/add/").status_code == 403
