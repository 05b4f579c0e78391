import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from ocop.core.context import change_context
from ocop.core.exceptions import ApplicationError
from ocop.core.models import ActivityLog
from ocop.geography.selectors import resolve_unit
from ocop.producers.models import Producer
from ocop.producers.services import create_producer, update_producer
from tests.factories.accounts import UserFactory
from tests.utils import LEGACY

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _events(producer) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(Producer)
    return [
        (a.action_type, a.actor, a.data)
        for a in ActivityLog.objects.filter(content_type=content_type, object_id=producer.pk)
    ]


def _create(unit, **fields) -> Producer:
    return create_producer(
        name=fields.pop("name", "HTX Gà đồi Yên Thế"), legal_form="cooperative", address_unit=unit, **fields
    )


# Scope derivation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "province", "commune"),
    [
        ("yen_the", "bac_ninh", "yen_the"),
        ("son_ha", "quang_ngai", "son_ha"),
        ("legacy_thuan_loc", "ha_tinh", "nam_hong_linh"),
        ("legacy_phon_xuong", "bac_ninh", "yen_the"),
        ("legacy_hong_linh_town", "ha_tinh", None),  # two wards today: no single commune
        ("legacy_yen_the_district", "bac_ninh", None),
        ("legacy_bac_giang", "bac_ninh", None),
        ("ha_tinh", "ha_tinh", None),
    ],
)
def test_create_derives_todays_province_and_commune(units, unit, province, commune):
    producer = _create(getattr(units, unit))

    producer.refresh_from_db()
    assert producer.address_unit == getattr(units, unit)
    assert producer.province == getattr(units, province)
    assert producer.commune == (getattr(units, commune) if commune else None)


def test_a_district_of_a_split_province_is_placed_in_its_current_province():
    my_tho = resolve_unit("district", "815", on_date=LEGACY)  # Thành phố Mỹ Tho, Tiền Giang
    producer = _create(my_tho)
    assert (producer.province.name, producer.commune) == ("Tỉnh Đồng Tháp", None)


@pytest.mark.parametrize("unit", ["country", "tien_giang"])
def test_create_is_refused_when_todays_province_is_unknown(units, unit):
    address_unit = units.country if unit == "country" else resolve_unit("province", "82", on_date=LEGACY)

    with pytest.raises(ApplicationError) as info:
        _create(address_unit)

    assert info.value.message == "Không xác định được tỉnh/thành phố hiện nay của địa bàn đã chọn."
    assert info.value.extra == {}
    with translation.override("en"), pytest.raises(ApplicationError) as info:
        _create(address_unit)
    assert info.value.message == "The current province of the chosen unit cannot be determined."
    assert not Producer.objects.exists()


# create_producer --------------------------------------------------------------------------------


def test_create_producer(units):
    actor = UserFactory(username="xa_yenthe")

    producer = create_producer(
        name="  HTX Nông nghiệp xanh Yên Thế ",
        legal_form="cooperative",
        address_unit=units.yen_the,
        actor=actor,
        tax_code="2400871238",
        representative_name="Nguyễn Thị Hoa",
        address="Thôn Hố Cát",
        phone="0204 3876 123",
        email="htx@yenthe.vn",
    )

    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.name, fresh.name_folded, fresh.legal_form) == (
        "HTX Nông nghiệp xanh Yên Thế",
        "htx nong nghiep xanh yen the",
        "cooperative",
    )
    assert (fresh.tax_code, fresh.representative_name, fresh.address, fresh.phone, fresh.email) == (
        "2400871238",
        "Nguyễn Thị Hoa",
        "Thôn Hố Cát",
        "02043876123",
        "htx@yenthe.vn",
    )
    assert _events(producer) == [("producers.producer.create", actor, {})]
    assert str(fresh) == "HTX Nông nghiệp xanh Yên Thế"
    assert fresh.get_absolute_url() == f"/producers/{fresh.pk}/"
    assert fresh.scope.province_id == units.bac_ninh.pk
    assert (fresh.scope.commune_id, fresh.scope.producer_id) == (units.yen_the.pk, fresh.pk)


def test_create_producer_actor_defaults_to_the_context(units):
    actor = UserFactory()
    with change_context(actor):
        producer = _create(units.yen_the)
    assert _events(producer) == [("producers.producer.create", actor, {})]
    assert producer.created_by == actor


def test_duplicate_tax_code_is_refused(units):
    _create(units.yen_the, tax_code="2400871238")

    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            _create(units.son_ha, name="HTX Thân Trường", tax_code="2400871238")
        assert info.value.message_dict == {"__all__": ["A producer with this tax code already exists."]}
    assert list(Producer.objects.values_list("name", flat=True)) == ["HTX Gà đồi Yên Thế"]


def test_producers_without_tax_code_do_not_clash(units):
    _create(units.yen_the)
    _create(units.son_ha, name="HTX Thân Trường")
    assert list(Producer.objects.values_list("tax_code", flat=True)) == ["", ""]


@pytest.mark.parametrize(
    ("fields", "error_fields"),
    [
        ({"name": "   "}, ["name"]),
        ({"legal_form": "corporation"}, ["legal_form"]),
        ({"email": "not-an-email"}, ["email"]),
        ({"tax_code": "1" * 21}, ["tax_code"]),
    ],
)
def test_invalid_fields_are_refused(units, fields, error_fields):
    values = {"name": "HTX Gà đồi", "legal_form": "cooperative", "address_unit": units.yen_the, **fields}
    with pytest.raises(ValidationError) as info:
        create_producer(**values)
    assert sorted(info.value.message_dict) == error_fields
    assert not Producer.objects.exists()


# update_producer --------------------------------------------------------------------------------


def test_update_producer_refolds_the_name_and_logs_the_fields(units):
    producer = _create(units.yen_the)
    actor = UserFactory()

    result = update_producer(producer, actor=actor, name="HTX Gà Đồi Bố Hạ", phone="0204 3876 999")

    assert result is producer
    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.name, fresh.name_folded, fresh.phone) == ("HTX Gà Đồi Bố Hạ", "htx ga doi bo ha", "02043876999")
    assert _events(producer) == [
        ("producers.producer.update", actor, {"fields": ["name", "phone"]}),
        ("producers.producer.create", None, {}),
    ]


def test_update_producer_rederives_the_scope(units):
    producer = _create(units.yen_the)

    update_producer(producer, address_unit=units.legacy_thuan_loc)
    assert (producer.province, producer.commune) == (units.ha_tinh, units.nam_hong_linh)

    update_producer(producer, address_unit=units.legacy_hong_linh_town)
    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.address_unit, fresh.province, fresh.commune) == (units.legacy_hong_linh_town, units.ha_tinh, None)


def test_update_producer_without_fields_still_logs(units):
    producer = _create(units.yen_the)
    update_producer(producer)
    assert _events(producer)[0] == ("producers.producer.update", None, {"fields": []})


def test_update_to_a_taken_tax_code_is_refused(units):
    _create(units.yen_the, tax_code="2400871238")
    other = _create(units.son_ha, name="HTX Thân Trường", tax_code="4300123458")

    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            update_producer(other, tax_code="2400871238")
        assert info.value.message_dict == {"__all__": ["A producer with this tax code already exists."]}
    assert Producer.objects.get(pk=other.pk).tax_code == "4300123458"
    assert [a for a, _actor, _data in _events(other)] == ["producers.producer.create"]


def test_update_keeping_its_own_tax_code_is_allowed(units):
    producer = _create(units.yen_the, tax_code="2400871238")
    update_producer(producer, tax_code="2400871238", address="Thôn Hố Cát")
    assert Producer.objects.get(pk=producer.pk).address == "Thôn Hố Cát"


def test_update_to_an_unplaceable_unit_is_refused(units):
    producer = _create(units.yen_the)
    with pytest.raises(ApplicationError):
        update_producer(producer, address_unit=units.country)
    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.address_unit, fresh.province, fresh.commune) == (units.yen_the, units.bac_ninh, units.yen_the)
