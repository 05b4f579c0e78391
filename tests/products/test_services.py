import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from ocop.core.context import change_context
from ocop.core.models import ActivityLog
from ocop.products.models import Product
from ocop.products.services import create_product
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def producer(units):
    return ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the)


def _events(product) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(Product)
    return [
        (a.action_type, a.actor, a.data)
        for a in ActivityLog.objects.filter(content_type=content_type, object_id=str(product.pk))
    ]


def test_create_product(producer):
    actor = UserFactory()

    product = create_product(
        producer=producer,
        name="  Gà đồi Yên Thế đóng gói hút chân không ",
        code=" 24-07288-001-2025 ",
        description="Gà thả đồi, đóng gói hút chân không.",
        actor=actor,
    )

    fresh = Product.objects.get(pk=product.pk)
    assert (fresh.producer, fresh.name, fresh.name_folded, fresh.code, fresh.description) == (
        producer,
        "Gà đồi Yên Thế đóng gói hút chân không",
        "ga doi yen the dong goi hut chan khong",
        "24-07288-1-2025",  # the canonical spelling: no padding on the sequence
        "Gà thả đồi, đóng gói hút chân không.",
    )
    assert (fresh.recorded_unit, fresh.recorded_on) == (None, None)
    assert _events(product) == [("products.product.create", actor, {})]
    assert str(fresh) == "Gà đồi Yên Thế đóng gói hút chân không"
    assert fresh.get_absolute_url() == f"/products/{fresh.pk}/"


def test_create_product_recorded_on_the_old_map(units, producer):
    product = create_product(
        producer=producer,
        name="Gà đồi Yên Thế (hồ sơ 2022)",
        code="24-215-07288-1-2022",
        recorded_unit=units.legacy_phon_xuong,
        recorded_on=dt.date(2022, 9, 15),
    )
    fresh = Product.objects.get(pk=product.pk)
    assert (fresh.recorded_unit, fresh.recorded_on) == (units.legacy_phon_xuong, dt.date(2022, 9, 15))
    # The scope is the producer's (today's units), not the unit the record was made in.
    assert (fresh.scope.province_id, fresh.scope.commune_id, fresh.scope.producer_id) == (
        units.bac_ninh.pk,
        units.yen_the.pk,
        producer.pk,
    )


def test_create_product_actor_defaults_to_the_context(producer):
    actor = UserFactory()
    with change_context(actor):
        product = create_product(producer=producer, name="Giò gà Yên Thế")
    assert _events(product) == [("products.product.create", actor, {})]
    assert product.created_by == actor


def test_duplicate_code_is_refused(producer, units):
    create_product(producer=producer, name="Giò gà Yên Thế", code="24-07288-002-2025")
    other = ProducerFactory(address_unit=units.son_ha)

    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            create_product(producer=other, name="Chè xanh", code=" 24-07288-002-2025")
        assert info.value.message_dict == {"__all__": ["A product with this code already exists."]}
    assert list(Product.objects.values_list("name", flat=True)) == ["Giò gà Yên Thế"]


def test_products_without_code_do_not_clash(producer):
    create_product(producer=producer, name="Giò gà Yên Thế")
    create_product(producer=producer, name="Chả gà Yên Thế", code="   ")
    assert list(Product.objects.values_list("code", flat=True)) == ["", ""]


@pytest.mark.parametrize(
    ("fields", "error_fields"),
    [({"name": "  "}, ["name"]), ({"name": "x" * 256}, ["name", "name_folded"]), ({"code": "1" * 41}, ["code"])],
)
def test_invalid_fields_are_refused(producer, fields, error_fields):
    with pytest.raises(ValidationError) as info:
        create_product(producer=producer, **{"name": "Giò gà", **fields})
    assert sorted(info.value.message_dict) == error_fields
    assert not Product.objects.exists()
