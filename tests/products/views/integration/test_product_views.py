import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.products.views.integration.helpers import view_cases
from tests.utils import assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_product_detail_permission_matrix(units, product):
    assert_permission_matrix(reverse("products:product_detail", kwargs={"pk": product.pk}), view_cases(units, product))


def test_product_history_permission_matrix(units, product):
    assert_permission_matrix(reverse("products:product_history", kwargs={"pk": product.pk}), view_cases(units, product))


def test_product_list_permission_matrix(units, product):
    assert_permission_matrix(reverse("products:product_list"), view_cases(units, product, list_view=True))


def test_product_list_rows_for_producer_account_are_its_own(client, units, product):
    other = ProducerFactory(name="HTX Khác", address_unit=units.yen_the)
    ProductFactory(producer=other, name="Chè khác")
    client.force_login(make_user_with_role("producer", units.yen_the, producer=product.producer))
    response = client.get(reverse("products:product_list"))
    assert [row.record.name for row in response.context["table"].page.object_list] == ["Gà đồi Yên Thế đóng gói"]


def test_product_list_search_by_folded_name_and_code(client, units, product):
    ProductFactory(producer=product.producer, name="Chả gà")
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    url = reverse("products:product_list")
    for query, expected in [
        ("GÀ ĐỒI", ["Gà đồi Yên Thế đóng gói"]),
        ("ga", ["Chả gà", "Gà đồi Yên Thế đóng gói"]),
        ("24-07288-001-2025", ["Gà đồi Yên Thế đóng gói"]),
        ("không có", []),
    ]:
        response = client.get(url, {"q": query})
        assert [row.record.name for row in response.context["table"].page.object_list] == expected, query


@pytest.mark.parametrize("item_count", [1, 3])
def test_product_list_query_count_is_constant(client, units, django_assert_num_queries, item_count):
    producer = ProducerFactory(address_unit=units.yen_the)
    for index in range(item_count):
        ProductFactory(producer=producer, name=f"Sản phẩm {index}")
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    with django_assert_num_queries(11):
        response = client.get(reverse("products:product_list"))
    assert len(response.context["table"].page.object_list) == item_count


def test_legacy_record_shows_original_unit_and_today_unit(client, units):
    producer = ProducerFactory(name="Tổ hợp tác Mật ong", address_unit=units.legacy_thuan_loc)
    product = ProductFactory(
        producer=producer,
        name="Mật ong rừng Hồng Lĩnh",
        code="42-437-18130-1-2022",
        recorded_unit=units.legacy_hong_linh_town,
        recorded_on=dt.date(2022, 10, 20),
    )
    client.force_login(make_user_with_role("province-agency", units.ha_tinh))
    response = client.get(reverse("products:product_detail", kwargs={"pk": product.pk}))
    assert [u.name for u in response.context["recorded_rollup"]] == ["Phường Bắc Hồng Lĩnh", "Phường Nam Hồng Lĩnh"]
    content = response.content.decode()
    assert "Thị xã Hồng Lĩnh, Tỉnh Hà Tĩnh (20/10/2022)" in content
