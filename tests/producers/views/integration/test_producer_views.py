import pytest
from django.urls import reverse

from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import PermissionCase, assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def yen_the_producer(units):
    return ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the)


def _matrix(units, producer, *, own_status, list_view=False):
    other = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    outside = 403 if list_view else 404
    return [
        PermissionCase("anonymous", None, None, 302, anonymous=True),
        PermissionCase("no role", None, None, outside),
        PermissionCase("commune officer, same commune", "commune-officer", units.yen_the, own_status),
        PermissionCase("commune officer, other commune", "commune-officer", units.bo_ha, 200 if list_view else 404),
        PermissionCase("province agency, same province", "province-agency", units.bac_ninh, own_status),
        PermissionCase("province agency, other province", "province-agency", units.ha_tinh, 200 if list_view else 404),
        PermissionCase("ministry office", "ministry-office", units.country, own_status),
        PermissionCase("council member, same province", "council-member", units.bac_ninh, own_status),
        PermissionCase("producer account, own", "producer", units.yen_the, own_status, producer=producer),
        PermissionCase("producer account, other", "producer", units.bo_ha, 200 if list_view else 404, producer=other),
    ]


def test_producer_detail_permission_matrix(units, yen_the_producer):
    url = reverse("producers:producer_detail", kwargs={"pk": yen_the_producer.pk})
    assert_permission_matrix(url, _matrix(units, yen_the_producer, own_status=200))


def test_producer_history_permission_matrix(units, yen_the_producer):
    url = reverse("producers:producer_history", kwargs={"pk": yen_the_producer.pk})
    assert_permission_matrix(url, _matrix(units, yen_the_producer, own_status=200))


def test_producer_list_permission_matrix(units, yen_the_producer):
    url = reverse("producers:producer_list")
    assert_permission_matrix(url, _matrix(units, yen_the_producer, own_status=200, list_view=True))


def test_producer_list_shows_only_rows_in_scope(client, units, yen_the_producer):
    ProducerFactory(name="HTX Bố Hạ", address_unit=units.bo_ha)
    ProducerFactory(name="HTX Hồng Lĩnh", address_unit=units.nam_hong_linh)
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(reverse("producers:producer_list"))
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["HTX Gà đồi Yên Thế"]

    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    response = client.get(reverse("producers:producer_list"))
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["HTX Bố Hạ", "HTX Gà đồi Yên Thế"]


def test_producer_list_search_is_diacritics_insensitive(client, units, yen_the_producer):
    ProducerFactory(name="HTX Chè Bố Hạ", address_unit=units.bo_ha)
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    for query in ("ga doi", "GÀ ĐỒI", "gà  đồi yên"):
        response = client.get(reverse("producers:producer_list"), {"q": query})
        names = [row.record.name for row in response.context["table"].page.object_list]
        assert names == ["HTX Gà đồi Yên Thế"], query


def test_producer_list_htmx_returns_only_the_results_fragment(client, units, yen_the_producer):
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    response = client.get(reverse("producers:producer_list"), {"q": "ga"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results"')
    assert "<html" not in content
    assert "HTX Gà đồi Yên Thế" in content


@pytest.mark.parametrize("item_count", [1, 3])
def test_producer_list_query_count_is_constant(client, units, django_assert_num_queries, item_count):
    for index in range(item_count):
        producer = ProducerFactory(name=f"HTX số {index}", address_unit=units.yen_the)
        ProductFactory(producer=producer, name=f"Sản phẩm {index}")
    user = make_user_with_role("province-agency", units.bac_ninh)
    client.force_login(user)
    # session, user, savepoint, memberships, count, page rows (annotated), province options, release
    with django_assert_num_queries(9):
        response = client.get(reverse("producers:producer_list"))
    assert len(response.context["table"].page.object_list) == item_count


def test_producer_detail_shows_original_and_current_unit(client, units):
    producer = ProducerFactory(name="Tổ hợp tác Mật ong", address_unit=units.legacy_thuan_loc)
    client.force_login(make_user_with_role("province-agency", units.ha_tinh))
    response = client.get(reverse("producers:producer_detail", kwargs={"pk": producer.pk}))
    content = response.content.decode()
    assert "Xã Thuận Lộc, Thị xã Hồng Lĩnh, Tỉnh Hà Tĩnh" in content
    assert "Phường Nam Hồng Lĩnh, Tỉnh Hà Tĩnh" in content


def test_history_tab_hides_audit_rows_without_audit_capability(client, units, yen_the_producer):
    url = reverse("producers:producer_history", kwargs={"pk": yen_the_producer.pk})
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(url)
    assert response.context["can_view_audit"] is False
    assert response.context["changes"] == []
    assert [a.action_type for a in response.context["activities"]] == ["producers.producer.create"]

    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    response = client.get(url)
    assert response.context["can_view_audit"] is True
    assert [c.action for c in response.context["changes"]] == ["create"]
    assert "producers.producer.create" in response.content.decode()


def test_history_page_is_a_full_page_with_readable_audit_rows(client, units, yen_the_producer):
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    url = reverse("producers:producer_history", kwargs={"pk": yen_the_producer.pk})
    response = client.get(url)
    assert "<html" in response.content.decode()
    rows = {str(label): (before, after) for label, before, after in response.context["changes"][0].rows}
    assert rows["tên"] == ("—", "HTX Gà đồi Yên Thế")
    assert rows["xã/phường (hiện nay)"][1] == str(units.yen_the.pk)
    assert "<html" not in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_history_rows_leave_out_bookkeeping_and_show_local_times(client, units, yen_the_producer):
    from ocop.producers.services import update_producer

    update_producer(yen_the_producer, phone="0204 3876 999")
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    response = client.get(reverse("producers:producer_history", kwargs={"pk": yen_the_producer.pk}))
    update, create = response.context["changes"]
    assert [(str(label), before, after) for label, before, after in update.rows] == [("điện thoại", "—", "02043876999")]
    labels = {str(label) for label, _, _ in create.rows}
    assert labels.isdisjoint({"ID", "created at", "updated at", "tên dùng để tìm kiếm"})
