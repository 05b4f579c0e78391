"""Create, edit, classify and allocate a code: the forms call the services and show their refusals."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ocop.products.codes import parse_product_code
from ocop.products.models import Product
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.products.views.integration.helpers import (
    BASIS_1048,
    BASIS_2026,
    category,
    change_cases,
)
from tests.utils import PermissionCase, assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _vi(message: str, **params) -> str:
    """A message as the (Vietnamese by default) pages show it, whatever the catalogue holds today."""
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _officer(client, units):
    user = make_user_with_role("commune-officer", units.yen_the)
    client.force_login(user)
    return user


def _create_data(producer, basis, set_, **extra):
    return {
        "producer": producer.pk,
        "name": "Gà đồi Yên Thế",
        "legal_basis": basis.pk,
        "category": set_.pk,
        "code": "",
        "description": "Gà thả đồi, đóng gói hút chân không.",
        "story": "",
        "specification": "",
        "packaging": "Túi 1 kg",
        "shelf_life": "12 tháng",
        "quality_standard": "TCCS 01:2025/HTX",
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# Permission matrices
# ---------------------------------------------------------------------------------------------
def test_product_create_permission_matrix(units):
    assert_permission_matrix(
        reverse("products:product_create"),
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 403),
            PermissionCase("ministry office (view only)", "ministry-office", units.country, 403),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 200),
            PermissionCase("province agency", "province-agency", units.bac_ninh, 200),
        ],
    )


def test_product_create_from_producer_page_permission_matrix(units, product):
    other_producer = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    assert_permission_matrix(
        reverse("products:product_create") + f"?producer={product.producer.pk}",
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 403),
            PermissionCase("ministry office (view only)", "ministry-office", units.country, 403),
            PermissionCase("commune officer, same commune", "commune-officer", units.yen_the, 200),
            PermissionCase("commune officer, other commune", "commune-officer", units.bo_ha, 404),
            PermissionCase("province agency, same province", "province-agency", units.bac_ninh, 200),
            PermissionCase("province agency, other province", "province-agency", units.ha_tinh, 404),
            PermissionCase("producer account, own", "producer", units.yen_the, 200, producer=product.producer),
            PermissionCase("producer account, other", "producer", units.bo_ha, 404, producer=other_producer),
        ],
    )


def test_product_update_permission_matrix(units, product):
    assert_permission_matrix(reverse("products:product_update", args=[product.pk]), change_cases(units, product))


def test_product_classify_permission_matrix(units, product):
    assert_permission_matrix(reverse("products:product_classify", args=[product.pk]), change_cases(units, product))


def test_product_assign_code_permission_matrix(units, producer):
    product = ProductFactory(producer=producer, name="Chưa có mã")
    assert_permission_matrix(
        reverse("products:product_assign_code", args=[product.pk]),
        change_cases(units, product, allowed=302),
        method="post",
    )


def test_product_assign_code_refuses_get(client, units, product):
    _officer(client, units)
    assert client.get(reverse("products:product_assign_code", args=[product.pk])).status_code == 405


def test_category_options_permission_matrix(units, product):
    assert_permission_matrix(
        reverse("products:category_options"),
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 403),
            PermissionCase("ministry office (view only)", "ministry-office", units.country, 403),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 200),
            PermissionCase("producer account", "producer", units.yen_the, 200, producer=product.producer),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Create
# ---------------------------------------------------------------------------------------------
def test_create_page_offers_the_26_2026_sets_grouped_by_sector_and_group(client, units, producer, basis_2026):
    _officer(client, units)
    response = client.get(reverse("products:product_create"))
    form = response.context["form"]
    assert form["legal_basis"].value() == basis_2026.pk
    choices = form.fields["category"].widget.choices
    groups = [label for label, options in choices if isinstance(options, list)]
    assert groups[:3] == [
        "I Sản phẩm thực phẩm › I.1 Thực phẩm tươi sống",
        "I Sản phẩm thực phẩm › I.2 Thực phẩm thô, sơ chế",
        "I Sản phẩm thực phẩm › I.3 Thực phẩm chế biến",
    ]
    first_group = dict(choices)[groups[0]]
    assert [label for _pk, label in first_group] == [
        "I.1.a Rau, củ, quả, hạt tươi",
        "I.1.b Thịt, thủy sản, trứng, sữa tươi",
    ]
    assert sum(len(options) for _label, options in choices if isinstance(options, list)) == 26
    content = response.content.decode()
    assert '<optgroup label="I Sản phẩm thực phẩm › I.1 Thực phẩm tươi sống">' in content
    assert f'hx-get="{reverse("products:category_options")}"' in content
    # The only producer in scope is preselected.
    assert form["producer"].value() == producer.pk


def test_create_product_with_a_set_under_26_2026(client, units, producer, basis_2026):
    user = _officer(client, units)
    set_ = category(BASIS_2026, "I.1.b")

    response = client.post(reverse("products:product_create"), _create_data(producer, basis_2026, set_))

    product = Product.objects.get(name="Gà đồi Yên Thế")
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert (product.producer, product.code, product.packaging, product.shelf_life, product.quality_standard) == (
        producer,
        "",
        "Túi 1 kg",
        "12 tháng",
        "TCCS 01:2025/HTX",
    )
    assert product.created_by == user
    assert [(c.legal_basis.code, c.category.code) for c in product.classifications.all()] == [(BASIS_2026, "I.1.b")]


def test_create_refuses_a_set_of_another_legal_basis(client, units, producer, basis_2026):
    _officer(client, units)
    sector_1048 = category(BASIS_1048, "I")

    response = client.post(reverse("products:product_create"), _create_data(producer, basis_2026, sector_1048))

    assert response.status_code == 200
    expected = _vi("“%(category)s” is not a product set under %(basis)s.", category="Thực phẩm", basis="QĐ 26/2026")
    assert response.context["form"].errors == {"category": [expected]}
    assert expected in response.content.decode()
    assert not Product.objects.filter(name="Gà đồi Yên Thế").exists()


def test_create_refuses_a_heading_of_the_taxonomy(client, units, producer, basis_2026):
    _officer(client, units)
    group = category(BASIS_2026, "I.1")

    response = client.post(reverse("products:product_create"), _create_data(producer, basis_2026, group))

    expected = _vi("“%(category)s” is a heading; choose a product set under it.", category="Thực phẩm tươi sống")
    assert response.context["form"].errors == {"category": [expected]}
    assert not Product.objects.filter(name="Gà đồi Yên Thế").exists()


def test_create_under_1048_shows_its_sectors_after_a_refused_post(client, units, producer, basis_1048):
    _officer(client, units)
    data = _create_data(producer, basis_1048, category(BASIS_1048, "I"), name="")
    response = client.post(reverse("products:product_create"), data)
    choices = response.context["form"].fields["category"].widget.choices
    assert [label for _pk, label in choices[1:]] == [
        "I Thực phẩm",
        "II Đồ uống",
        "III Thảo dược",
        "IV Vải và may mặc",
        "V Lưu niệm - nội thất - trang trí",
        "VI Dịch vụ du lịch nông thôn, bán hàng",
    ]


def test_create_with_an_existing_code_stores_it_canonically(client, units, producer, basis_2026):
    _officer(client, units)
    data = _create_data(producer, basis_2026, category(BASIS_2026, "I.1.b"), code=" 24-07288-007-2024 ")
    client.post(reverse("products:product_create"), data)
    product = Product.objects.get(name="Gà đồi Yên Thế")
    assert (product.code, product.code_format, product.code_sequence, product.code_year) == (
        "24-07288-7-2024",
        "current",
        7,
        2024,
    )


def test_create_shows_the_code_parse_error_on_the_field(client, units, producer, basis_2026):
    _officer(client, units)
    data = _create_data(producer, basis_2026, category(BASIS_2026, "I.1.b"), code="24-7288-1-2025")

    response = client.post(reverse("products:product_create"), data)

    with translation.override("vi"), pytest.raises(ValidationError) as refusal:
        parse_product_code("24-7288-1-2025")
    expected = refusal.value.messages
    assert response.context["form"].errors == {"code": expected}
    assert not Product.objects.filter(name="Gà đồi Yên Thế").exists()


def test_create_refuses_a_duplicate_code(client, units, product, basis_2026):
    _officer(client, units)
    data = _create_data(product.producer, basis_2026, category(BASIS_2026, "I.1.b"), code="24-07288-1-2025")
    response = client.post(reverse("products:product_create"), data)
    assert response.context["form"].errors == {"code": [_vi("A product with this code already exists.")]}


def test_create_with_allocate_code_gives_the_next_code_of_the_commune(client, units, producer, basis_2026):
    _officer(client, units)
    year = timezone.localdate().year
    data = _create_data(producer, basis_2026, category(BASIS_2026, "I.1.b"), allocate_code="on")

    response = client.post(reverse("products:product_create"), data)

    product = Product.objects.get(name="Gà đồi Yên Thế")
    assert product.code == f"24-07288-1-{year}"
    assert f"24-07288-1-{year}" in _messages(response)[0]


def test_create_refuses_a_code_and_allocation_together(client, units, producer, basis_2026):
    _officer(client, units)
    data = _create_data(producer, basis_2026, category(BASIS_2026, "I.1.b"), code="24-07288-3-2025", allocate_code="on")
    response = client.post(reverse("products:product_create"), data)
    assert list(response.context["form"].errors) == ["allocate_code"]
    assert not Product.objects.filter(name="Gà đồi Yên Thế").exists()


def test_create_from_a_producer_page_fixes_the_producer(client, units, producer, basis_2026):
    ProducerFactory(name="HTX Khác cùng xã", address_unit=units.yen_the)
    _officer(client, units)
    url = reverse("products:product_create") + f"?producer={producer.pk}"

    page = client.get(url)
    field = page.context["form"].fields["producer"]
    assert field.disabled
    assert list(field.queryset) == [producer]

    data = _create_data(producer, basis_2026, category(BASIS_2026, "I.1.a"))
    data.pop("producer")
    response = client.post(url, data)
    assert response.status_code == 302
    assert Product.objects.get(name="Gà đồi Yên Thế").producer == producer


def test_create_only_offers_producers_the_user_may_manage(client, units, producer):
    ProducerFactory(name="HTX Bố Hạ", address_unit=units.bo_ha)
    _officer(client, units)
    response = client.get(reverse("products:product_create"))
    assert [p.name for p in response.context["form"].fields["producer"].queryset] == ["HTX Gà đồi Yên Thế"]


def test_create_refuses_a_producer_outside_scope(client, units, basis_2026):
    other = ProducerFactory(name="HTX Bố Hạ", address_unit=units.bo_ha)
    _officer(client, units)
    data = _create_data(other, basis_2026, category(BASIS_2026, "I.1.a"))
    response = client.post(reverse("products:product_create"), data)
    assert list(response.context["form"].errors) == ["producer"]
    assert not Product.objects.filter(name="Gà đồi Yên Thế").exists()


# ---------------------------------------------------------------------------------------------
# Product set options (htmx)
# ---------------------------------------------------------------------------------------------
def test_category_options_follow_the_legal_basis(client, units, basis_2026, basis_1048):
    _officer(client, units)
    url = reverse("products:category_options")

    sets = client.get(url, {"legal_basis": basis_2026.pk}).content.decode()
    sectors = client.get(url, {"legal_basis": basis_1048.pk}).content.decode()

    assert sets.count("<optgroup") == 12
    assert sets.count('<option value="') == 27  # the empty choice and the 26 sets
    assert f'<option value="{category(BASIS_2026, "II.1.a").pk}">II.1.a Rượu trắng</option>' in sets
    assert "<optgroup" not in sectors
    assert f'<option value="{category(BASIS_1048, "III").pk}">III Thảo dược</option>' in sectors
    empty = client.get(url, {"legal_basis": "x"}).content.decode().strip()
    assert empty == '<option value="" selected>---------</option>'


# ---------------------------------------------------------------------------------------------
# Edit and classify
# ---------------------------------------------------------------------------------------------
def test_update_product_texts_and_code(client, units, product):
    _officer(client, units)
    url = reverse("products:product_update", args=[product.pk])
    assert client.get(url).context["form"].initial["code"] == "24-07288-1-2025"

    response = client.post(
        url,
        {
            "name": "Gà đồi Yên Thế  hút chân không",
            "code": "24-07288-02-2025",
            "description": "Mô tả mới",
            "story": "Câu chuyện",
            "specification": "",
            "packaging": "Hộp",
            "shelf_life": "",
            "quality_standard": "",
        },
    )

    product.refresh_from_db()
    assert response.status_code == 302
    assert (product.name, product.code, product.description, product.story, product.packaging) == (
        "Gà đồi Yên Thế hút chân không",
        "24-07288-2-2025",
        "Mô tả mới",
        "Câu chuyện",
        "Hộp",
    )


def test_update_shows_the_code_error_and_keeps_the_product(client, units, product):
    ProductFactory(producer=product.producer, name="Chả gà", code="24-07288-5-2025")
    _officer(client, units)
    response = client.post(
        reverse("products:product_update", args=[product.pk]), {"name": "Gà đồi", "code": "24-07288-5-2025"}
    )
    assert response.context["form"].errors == {"code": [_vi("A product with this code already exists.")]}
    product.refresh_from_db()
    assert (product.name, product.code) == ("Gà đồi Yên Thế đóng gói", "24-07288-1-2025")


def test_classify_under_a_second_basis_keeps_the_first(client, units, product, basis_2026, basis_1048):
    _officer(client, units)
    url = reverse("products:product_classify", args=[product.pk])
    client.post(url, {"legal_basis": basis_2026.pk, "category": category(BASIS_2026, "I.1.b").pk})

    response = client.post(url, {"legal_basis": basis_1048.pk, "category": category(BASIS_1048, "I").pk})

    assert response.status_code == 302
    assert sorted((c.legal_basis.code, c.category.code) for c in product.classifications.all()) == [
        (BASIS_1048, "I"),
        (BASIS_2026, "I.1.b"),
    ]


def test_classify_replaces_the_set_of_the_same_basis(client, units, product, basis_2026):
    _officer(client, units)
    url = reverse("products:product_classify", args=[product.pk])
    client.post(url, {"legal_basis": basis_2026.pk, "category": category(BASIS_2026, "I.1.b").pk})

    page = client.get(url, {"legal_basis": basis_2026.pk})
    assert page.context["form"]["category"].value() == category(BASIS_2026, "I.1.b").pk
    client.post(url, {"legal_basis": basis_2026.pk, "category": category(BASIS_2026, "I.3.d").pk})

    assert [(c.legal_basis.code, c.category.code) for c in product.classifications.all()] == [(BASIS_2026, "I.3.d")]


def test_classify_refuses_a_set_of_another_basis(client, units, product, basis_2026):
    _officer(client, units)
    response = client.post(
        reverse("products:product_classify", args=[product.pk]),
        {"legal_basis": basis_2026.pk, "category": category(BASIS_1048, "II").pk},
    )
    expected = _vi("“%(category)s” is not a product set under %(basis)s.", category="Đồ uống", basis="QĐ 26/2026")
    assert response.context["form"].errors == {"category": [expected]}
    assert not product.classifications.exists()


# ---------------------------------------------------------------------------------------------
# Allocate a code
# ---------------------------------------------------------------------------------------------
def test_allocating_codes_twice_in_a_commune_gives_consecutive_sequences(client, units, producer):
    other_producer_same_commune = ProducerFactory(name="Hộ Nguyễn Văn A", address_unit=units.yen_the)
    first = ProductFactory(producer=producer, name="Gà đồi")
    second = ProductFactory(producer=other_producer_same_commune, name="Mật ong")
    _officer(client, units)
    year = timezone.localdate().year

    r1 = client.post(reverse("products:product_assign_code", args=[first.pk]))
    r2 = client.post(reverse("products:product_assign_code", args=[second.pk]))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.code, second.code) == (f"24-07288-1-{year}", f"24-07288-2-{year}")
    assert (first.code_sequence, second.code_sequence) == (1, 2)
    assert r1["Location"] == first.get_absolute_url()
    assert _messages(r2) == [
        _vi("The code %(code)s has been allocated.", code=f"24-07288-1-{year}"),
        _vi("The code %(code)s has been allocated.", code=f"24-07288-2-{year}"),
    ]


def test_allocating_a_code_follows_an_imported_one(client, units, producer):
    ProductFactory(producer=producer, name="Đã có mã", code=f"24-07288-7-{timezone.localdate().year}")
    product = ProductFactory(producer=producer, name="Chưa có mã")
    _officer(client, units)
    client.post(reverse("products:product_assign_code", args=[product.pk]))
    product.refresh_from_db()
    assert product.code_sequence == 8


def test_allocating_a_code_twice_shows_the_service_message(client, units, product):
    _officer(client, units)
    response = client.post(reverse("products:product_assign_code", args=[product.pk]), follow=True)
    expected = _vi("The product already has the code %(code)s.", code="24-07288-1-2025")
    assert _messages(response) == [expected]
    assert expected in response.content.decode()
    product.refresh_from_db()
    assert product.code == "24-07288-1-2025"


def test_allocate_button_only_without_a_code_and_with_the_change_permission(client, units, producer, product):
    without = ProductFactory(producer=producer, name="Chưa có mã")
    _officer(client, units)
    assert 'data-testid="assign-code"' in client.get(without.get_absolute_url()).content.decode()
    assert 'data-testid="assign-code"' not in client.get(product.get_absolute_url()).content.decode()
    client.force_login(make_user_with_role("ministry-office", units.country))
    page = client.get(without.get_absolute_url()).content.decode()
    assert 'data-testid="assign-code"' not in page
    assert 'data-testid="edit-product"' not in page
