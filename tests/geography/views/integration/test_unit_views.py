import pytest
from django.urls import reverse

from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_unit_browser_is_public_and_lists_current_provinces_by_default(client):
    response = client.get(reverse("geography:unit_list"))
    assert response.status_code == 200
    assert response.context["paginator"].count == 34
    assert all(u.level == "province" and u.valid_to is None for u in response.context["units"])


@pytest.mark.parametrize("query", ["son ha", "SƠN HÀ", "Sơn  hà", "21289"])
def test_unit_search_finds_son_ha_without_diacritics(client, query):
    response = client.get(reverse("geography:unit_list"), {"q": query, "level": "commune"})
    assert response.context["units"][0].name == "Xã Sơn Hà"


def test_unit_search_includes_legacy_units_on_request(client):
    url = reverse("geography:unit_list")
    current = client.get(url, {"q": "son ha"})
    assert "Huyện Sơn Hà" not in [u.name for u in current.context["units"]]
    with_legacy = client.get(url, {"q": "son ha", "include_legacy": "on"})
    names = [u.name for u in with_legacy.context["units"]]
    # whole-name matches first ("Sơn Hạ" folds to the same words), current units before legacy ones
    assert names[:2] == ["Xã Sơn Hà", "Xã Sơn Hạ"]
    assert "Huyện Sơn Hà" in names
    ranks = [u.match_rank for u in with_legacy.context["units"]]
    assert ranks == sorted(ranks)


def test_unit_search_rejects_unknown_level_with_a_message(client):
    response = client.get(reverse("geography:unit_list"), {"q": "son ha", "level": "galaxy"})
    assert response.status_code == 200
    assert response.context["form"].errors["level"]
    assert response.context["paginator"].count == 34  # falls back to the province list


def test_unit_search_htmx_returns_fragment(client):
    response = client.get(reverse("geography:unit_list"), {"q": "son ha"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results">')
    assert "Xã Sơn Hà" in content
    assert "<nav" not in content.split('<div id="results">')[0]


def test_legacy_unit_detail_shows_rollup_and_successors(client, units):
    response = client.get(reverse("geography:unit_detail", kwargs={"pk": units.legacy_hong_linh_town.pk}))
    assert response.status_code == 200
    assert [u.name for u in response.context["current_units"]] == ["Phường Bắc Hồng Lĩnh", "Phường Nam Hồng Lĩnh"]
    content = response.content.decode()
    assert "Phường Bắc Hồng Lĩnh, Tỉnh Hà Tĩnh" in content
    assert "30/06/2025" in content


def test_current_unit_detail_lists_predecessors(client, units):
    response = client.get(reverse("geography:unit_detail", kwargs={"pk": units.nam_hong_linh.pk}))
    names = sorted(s.predecessor.name for s in response.context["predecessors"] if s.predecessor.level == "commune")
    assert names == ["Phường Nam Hồng", "Phường Đậu Liêu", "Xã Thuận Lộc"]
    assert response.context["current_units"] == []


def test_unit_detail_unknown_pk_is_404_in_vietnamese(client):
    response = client.get(reverse("geography:unit_detail", kwargs={"pk": 999999999}))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_unit_history_shows_audit_only_to_auditors(client, units):
    url = reverse("geography:unit_history", kwargs={"pk": units.ha_tinh.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert anonymous.context["can_view_audit"] is False
    client.force_login(make_user_with_role("system-admin", units.country))
    assert client.get(url).context["can_view_audit"] is True
