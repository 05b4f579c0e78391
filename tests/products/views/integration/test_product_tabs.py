"""The product detail tabs: overview (code parts, classifications, current stars) and star history."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.products.services import classify_product, record_star, update_product
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.products.views.integration.helpers import BASIS_1048, BASIS_2026, category, view_cases
from tests.utils import assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(content: str, testid: str) -> str:
    start = content.index(f'data-testid="{testid}"')
    return content[start : content.index("</dd>", start)] if "</dd>" in content[start:] else content[start:]


def test_star_history_permission_matrix(units, product):
    assert_permission_matrix(reverse("products:product_stars", args=[product.pk]), view_cases(units, product))


def test_overview_shows_the_parts_of_a_current_code(client, units, product):
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    content = client.get(product.get_absolute_url()).content.decode()
    parts = _text(_section(content, "code-parts"))
    assert "24-07288-1-2025" in parts
    assert "24 (Thành phố Bắc Ninh)" in parts
    assert "07288 (Xã Yên Thế)" in parts
    assert ": 1 " in parts and ": 2025" in parts
    assert f'text-bg-success" data-testid="code-format">{product.get_code_format_display()}</span>' in content


def test_overview_shows_the_parts_of_a_legacy_code(client, units):
    producer = ProducerFactory(name="Tổ hợp tác Mật ong", address_unit=units.legacy_thuan_loc)
    product = ProductFactory(producer=producer, name="Mật ong rừng Hồng Lĩnh", code="42-437-18130-1-2022")
    client.force_login(make_user_with_role("province-agency", units.ha_tinh))
    response = client.get(product.get_absolute_url())
    parts = _text(_section(response.content.decode(), "code-parts"))
    assert "42 (Tỉnh Hà Tĩnh)" in parts
    assert "437 (Thị xã Hồng Lĩnh)" in parts
    assert "18130 (Xã Thuận Lộc)" in parts
    assert ": 2022" in parts
    badge = f'text-bg-secondary" data-testid="code-format">{product.get_code_format_display()}</span>'
    assert badge in response.content.decode()
    assert {k: u.name if u else None for k, u in response.context["code_units"].items()} == {
        "province": "Tỉnh Hà Tĩnh",
        "district": "Thị xã Hồng Lĩnh",
        "commune": "Xã Thuận Lộc",
    }


def test_overview_lists_classifications_per_basis_with_ministries_and_sheet(client, units, product):
    classify_product(product, category=category(BASIS_2026, "I.1.b"))
    classify_product(product, category=category(BASIS_1048, "I"))
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(product.get_absolute_url())
    rows = [
        (c.legal_basis.short_name, c.category.code, c.category.sheet_number, c.category.ministries)
        for c in response.context["classifications"]
    ]
    assert rows == [
        ("QĐ 26/2026", "I.1.b", 2, ["Bộ Nông nghiệp và Môi trường"]),
        ("QĐ 1048/2019", "I", None, []),
    ]
    table = _text(response.content.decode().split('data-testid="classifications"')[1].split("</table>")[0])
    assert "QĐ 26/2026 I.1.b Thịt, thủy sản, trứng, sữa tươi Sản phẩm thực phẩm › Thực phẩm tươi sống" in table
    assert "Bộ Nông nghiệp và Môi trường" in table
    assert "QĐ 1048/2019 I Thực phẩm" in table


def test_overview_shows_current_stars_and_validity(client, units, product, basis_2026):
    today = timezone.localdate()
    record_star(product, stars=4, recognised_on=today - dt.timedelta(days=30), valid_until=dt.date(2029, 3, 31))
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(product.get_absolute_url())
    stars = _text(_section(response.content.decode(), "current-stars"))
    assert "★★★★" in stars and "★★★★★" not in stars
    assert "31/03/2029" in stars
    assert response.context["certificate_status"] == "valid"


def test_overview_marks_an_expired_certificate(client, units, product):
    record_star(product, stars=3, recognised_on=dt.date(2021, 5, 4), valid_until=dt.date(2024, 5, 4))
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(product.get_absolute_url())
    assert response.context["certificate_status"] == "expired"
    assert "04/05/2024" in _text(_section(response.content.decode(), "current-stars"))


def test_overview_shows_the_descriptive_fields(client, units, product):
    update_product(product, packaging="Túi hút chân không 1 kg", quality_standard="TCCS 01:2025")
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(product.get_absolute_url())
    assert [value for _label, value in response.context["text_fields"]] == [
        "",
        "",
        "",
        "Túi hút chân không 1 kg",
        "",
        "TCCS 01:2025",
    ]
    assert "TCCS 01:2025" in response.content.decode()


def test_star_history_lists_records_newest_first(client, units, product, basis_148, basis_2026):
    record_star(
        product,
        stars=3,
        recognised_on=dt.date(2021, 6, 1),
        valid_until=dt.date(2024, 6, 1),
        decision_number="1234/QĐ-UBND",
        decision_authority="UBND tỉnh Bắc Giang",
        certificate_number="GCN-2021-07",
        source="import",
    )
    record_star(
        product,
        stars=4,
        legal_basis=basis_148,
        recognised_on=dt.date(2024, 9, 10),
        valid_until=dt.date(2027, 9, 10),
        score="78.50",
        decision_number="2201/QĐ-UBND",
        decision_authority="UBND tỉnh Bắc Giang",
    )
    client.force_login(make_user_with_role("commune-officer", units.yen_the))

    response = client.get(reverse("products:product_stars", args=[product.pk]))

    records = response.context["star_records"]
    assert [(r.stars, r.recognised_on, r.valid_until, r.decision_number) for r in records] == [
        (4, dt.date(2024, 9, 10), dt.date(2027, 9, 10), "2201/QĐ-UBND"),
        (3, dt.date(2021, 6, 1), dt.date(2024, 6, 1), "1234/QĐ-UBND"),
    ]
    content = response.content.decode()
    rows = [_text(row) for row in content.split('data-testid="star-record"')[1:]]
    assert rows[0].startswith("> ★★★★ 78,50 10/09/2024 10/09/2027 2201/QĐ-UBND UBND tỉnh Bắc Giang — QĐ 148/2023")
    assert rows[1].startswith("> ★★★ — 01/06/2021 01/06/2024 1234/QĐ-UBND UBND tỉnh Bắc Giang GCN-2021-07 —")
    assert 'data-testid="stars-tab"' in content and 'aria-current="page" href="/products/' in content


def test_history_tab_keeps_the_product_tabs(client, units, product):
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    content = client.get(reverse("products:product_history", args=[product.pk])).content.decode()
    assert 'data-testid="product-tabs"' in content
    assert 'data-testid="history"' in content
    assert "products.product.create" in content
