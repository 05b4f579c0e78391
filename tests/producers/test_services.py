import datetime as dt
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import translation

from ocop.core.context import change_context
from ocop.core.exceptions import ApplicationError
from ocop.core.models import ActivityLog, ObjectChange
from ocop.geography.selectors import resolve_unit
from ocop.producers.models import (
    DocumentType,
    EnterpriseSizeThreshold,
    Ethnicity,
    FinancialYear,
    LegalFormPeriod,
    Producer,
    ProducerDocument,
)
from ocop.producers.selectors import latest_financial_year
from ocop.producers.services import (
    EDITABLE_FIELDS,
    add_document,
    change_legal_form,
    create_producer,
    delete_document,
    load_producer_reference_data,
    record_financial_year,
    refresh_size_class,
    size_class_for,
    update_document,
    update_producer,
)
from tests.factories.accounts import UserFactory
from tests.factories.products import ProductFactory
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


def test_duplicate_tax_code_is_refused(english, units):
    existing = _create(units.yen_the, tax_code="2400871238")

    with pytest.raises(ValidationError) as info:
        _create(units.son_ha, name="HTX Thân Trường", tax_code="2400 871 238")
    assert info.value.message_dict == {"tax_code": ["Already registered to HTX Gà đồi Yên Thế."]}
    [error] = info.value.error_dict["tax_code"]
    assert (error.code, error.params) == ("duplicate", {"name": "HTX Gà đồi Yên Thế", "existing": existing})
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


def test_update_to_a_taken_tax_code_is_refused(english, units):
    _create(units.yen_the, tax_code="2400871238")
    other = _create(units.son_ha, name="HTX Thân Trường", tax_code="4300123458")

    with pytest.raises(ValidationError) as info:
        update_producer(other, tax_code="2400871238")
    assert info.value.message_dict == {"tax_code": ["Already registered to HTX Gà đồi Yên Thế."]}
    [error] = info.value.error_dict["tax_code"]
    assert (error.code, error.params["existing"].name) == ("duplicate", "HTX Gà đồi Yên Thế")
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


def test_create_producer_with_every_field(english, units):
    ede = Ethnicity.objects.get(code="12")

    producer = create_producer(
        name="Công ty TNHH  Cà phê Yên Thế",
        legal_form="enterprise",
        address_unit=units.yen_the,
        tax_code=" 0100.109.106 013 ",
        registration_number=" 2407a0123 ",
        registration_issued_on=dt.date(2016, 5, 12),
        registration_issuer="Sở Tài chính   tỉnh Bắc Ninh",
        established_on=dt.date(2016, 5, 1),
        main_sector="agriculture_industry",
        representative_name=" H'Nga  Byă ",
        representative_position=" Giám   đốc ",
        representative_gender="female",
        representative_ethnicity=ede,
        representative_has_disability=True,
        address=" 45  Lê Duẩn ",
        phone="+84 912 345 678",
        email="caphe@yenthe.vn",
        website="https://caphe-yenthe.vn",
        social_url="https://facebook.com/caphe.yenthe",
        labour_total=30,
        labour_local=24,
        labour_insured=8,
        member_count=5,
        cooperative_rating="good",
        cooperative_rated_year=2025,
    )

    fresh = Producer.objects.get(pk=producer.pk)
    assert {field: getattr(fresh, field) for field in sorted(EDITABLE_FIELDS)} == {
        "address": "45 Lê Duẩn",
        "address_unit": units.yen_the,
        "cooperative_rated_year": 2025,
        "cooperative_rating": "good",
        "email": "caphe@yenthe.vn",
        "established_on": dt.date(2016, 5, 1),
        "labour_insured": 8,
        "labour_local": 24,
        "labour_total": 30,
        "main_sector": "agriculture_industry",
        "member_count": 5,
        "name": "Công ty TNHH Cà phê Yên Thế",
        "phone": "0912345678",
        "registration_issued_on": dt.date(2016, 5, 12),
        "registration_issuer": "Sở Tài chính tỉnh Bắc Ninh",
        "registration_number": "2407A0123",
        "representative_ethnicity": ede,
        "representative_gender": "female",
        "representative_has_disability": True,
        "representative_name": "H'Nga Byă",
        "representative_position": "Giám đốc",
        "social_url": "https://facebook.com/caphe.yenthe",
        "tax_code": "0100109106-013",
        "website": "https://caphe-yenthe.vn",
    }
    assert (fresh.name_folded, fresh.province, fresh.commune) == (
        "cong ty tnhh ca phe yen the",
        units.bac_ninh,
        units.yen_the,
    )
    # No yearly figures yet: the insured labour is known, revenue and capital are not.
    assert size_class_for(fresh) == (
        "unknown",
        "Revenue and total capital are both missing, so the size class cannot be determined.",
    )
    assert fresh.size_class == "unknown"
    assert _periods(fresh) == [
        ("enterprise", "Công ty TNHH Cà phê Yên Thế", "2407A0123", dt.date(2016, 5, 1), None, "")
    ]


def test_the_first_period_starts_at_registration_when_the_founding_date_is_unknown(units):
    producer = _create(units.yen_the, registration_issued_on=dt.date(2019, 3, 1))
    assert _periods(producer) == [("cooperative", "HTX Gà đồi Yên Thế", "", dt.date(2019, 3, 1), None, "")]
    other = _create(units.son_ha, name="HTX Thân Trường")
    assert _periods(other) == [("cooperative", "HTX Thân Trường", "", None, None, "")]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2400871238", "2400871238"),
        (" 2400 871 238 ", "2400871238"),
        ("2400.871.238", "2400871238"),
        ("0100109106013", "0100109106-013"),
        ("0100109106 – 013", "0100109106-013"),
        ("0100109106-013", "0100109106-013"),
        ("042 190 012 345", "042190012345"),  # a 12-digit personal identification number
        ("", ""),
    ],
)
def test_tax_codes_are_stored_normalised(units, typed, stored):
    producer = _create(units.yen_the, tax_code=typed)
    assert Producer.objects.get(pk=producer.pk).tax_code == stored


@pytest.mark.parametrize(
    ("tax_code", "message"),
    [
        ("2400871239", "The check digit of this tax code is wrong: please look for a typing mistake."),
        (
            "24008712",
            "Enter a tax code of 10 digits, a 13-digit branch code (10 digits, a dash and 3 digits) "
            "or a 12-digit personal identification number.",
        ),
        (
            "999190012345",
            "999 is not a province code: the first three digits of a personal identification number are the "
            "code of the province where the birth was registered.",
        ),
    ],
)
def test_invalid_tax_codes_are_refused_with_a_message(english, units, tax_code, message):
    with pytest.raises(ValidationError) as info:
        _create(units.yen_the, tax_code=tax_code)
    assert info.value.message_dict == {"tax_code": [message]}
    assert not Producer.objects.exists()


def test_duplicate_registration_number_is_refused_whatever_the_case(english, units):
    existing = _create(units.yen_the, registration_number="2407A0123")

    with pytest.raises(ValidationError) as info:
        _create(units.son_ha, name="HTX Thân Trường", registration_number=" 2407a0123")

    assert info.value.message_dict == {"registration_number": ["Already registered to HTX Gà đồi Yên Thế."]}
    [error] = info.value.error_dict["registration_number"]
    assert (error.code, error.params) == ("duplicate", {"name": "HTX Gà đồi Yên Thế", "existing": existing})
    assert Producer.objects.count() == 1


def test_both_duplicates_are_reported_at_once(english, units):
    existing = _create(units.yen_the, tax_code="2400871238", registration_number="2407A0123")
    with pytest.raises(ValidationError) as info:
        _create(units.son_ha, name="HTX Thân Trường", tax_code="2400871238", registration_number="2407A0123")
    assert info.value.message_dict == {
        "tax_code": ["Already registered to HTX Gà đồi Yên Thế."],
        "registration_number": ["Already registered to HTX Gà đồi Yên Thế."],
    }
    assert {f: e[0].params["existing"] for f, e in info.value.error_dict.items()} == {
        "tax_code": existing,
        "registration_number": existing,
    }


@pytest.mark.parametrize(
    ("labour", "errors"),
    [
        (
            {"labour_total": 10, "labour_local": 11},
            {"labour_local": ["Local workers (11) cannot be more than the total number of workers (10)."]},
        ),
        (
            {"labour_total": 10, "labour_insured": 12},
            {
                "labour_insured": [
                    "Workers with social insurance (12) cannot be more than the total number of workers (10)."
                ]
            },
        ),
        (
            {"labour_total": 5, "labour_local": 6, "labour_insured": 7},
            {
                "labour_local": ["Local workers (6) cannot be more than the total number of workers (5)."],
                "labour_insured": [
                    "Workers with social insurance (7) cannot be more than the total number of workers (5)."
                ],
            },
        ),
    ],
)
def test_labour_figures_that_do_not_add_up_are_refused_and_nothing_is_written(english, units, labour, errors):
    changes, events = ObjectChange.objects.count(), ActivityLog.objects.count()

    with pytest.raises(ValidationError) as info:
        _create(units.yen_the, **labour)

    assert info.value.message_dict == errors
    assert (Producer.objects.count(), LegalFormPeriod.objects.count()) == (0, 0)
    assert (ObjectChange.objects.count(), ActivityLog.objects.count()) == (changes, events)


def test_local_labour_equal_to_the_total_is_allowed(units):
    producer = _create(units.yen_the, labour_total=10, labour_local=10, labour_insured=10)
    assert (producer.labour_total, producer.labour_local, producer.labour_insured) == (10, 10, 10)


def test_update_refuses_labour_that_does_not_add_up_and_keeps_the_row(units):
    producer = _create(units.yen_the, labour_total=10, labour_local=8)
    with pytest.raises(ValidationError) as info:
        update_producer(producer, labour_total=5)
    assert sorted(info.value.message_dict) == ["labour_local"]
    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.labour_total, fresh.labour_local) == (10, 8)


@pytest.mark.parametrize("service", ["create", "update"])
def test_fields_that_are_not_editable_are_a_programming_error(units, service):
    if service == "create":
        with pytest.raises(TypeError, match=r"^Not editable: \['province', 'size_class'\]$"):
            _create(units.yen_the, size_class="micro", province=units.ha_tinh)
    else:
        producer = _create(units.yen_the)
        with pytest.raises(TypeError, match=r"^Not editable: \['legal_form'\]$"):
            update_producer(producer, legal_form="enterprise")


def test_update_producer_rederives_the_size_class(units):
    producer = _create(units.yen_the, name="Công ty Gà đồi", labour_insured=8)
    assert producer.size_class == ""  # a cooperative has no enterprise size class
    change_legal_form(producer, legal_form="enterprise", effective_on=dt.date(2025, 1, 1))
    record_financial_year(producer, year=2025, revenue=2_000_000_000)
    assert Producer.objects.get(pk=producer.pk).size_class == "unknown"  # no sector yet

    update_producer(producer, main_sector="agriculture_industry")

    fresh = Producer.objects.get(pk=producer.pk)
    assert fresh.size_class == "micro"


# change_legal_form ------------------------------------------------------------------------------


def _periods(producer) -> list[tuple]:
    return [
        (p.legal_form, p.name, p.registration_number, p.valid_from, p.valid_to, p.note)
        # Oldest first; an unknown start is the oldest (PostgreSQL sorts NULL last by default).
        for p in LegalFormPeriod.objects.filter(producer=producer).order_by(F("valid_from").asc(nulls_first=True), "pk")
    ]


@pytest.fixture
def household(units):
    return create_producer(
        name="Hộ Nguyễn Văn An",
        legal_form="household",
        address_unit=units.yen_the,
        established_on=dt.date(2018, 3, 15),
    )


def test_household_becomes_a_cooperative(household):
    actor = UserFactory()

    period = change_legal_form(
        household,
        legal_form="cooperative",
        effective_on=dt.date(2024, 7, 1),
        name="HTX Nông nghiệp An Phát",
        registration_number="2407a0456",
        note="Thành lập HTX từ hộ sản xuất",
        actor=actor,
    )

    fresh = Producer.objects.get(pk=household.pk)
    assert (fresh.legal_form, fresh.name, fresh.name_folded, fresh.registration_number) == (
        "cooperative",
        "HTX Nông nghiệp An Phát",
        "htx nong nghiep an phat",
        "2407A0456",
    )
    assert _periods(fresh) == [
        ("household", "Hộ Nguyễn Văn An", "", dt.date(2018, 3, 15), dt.date(2024, 7, 1), ""),
        (
            "cooperative",
            "HTX Nông nghiệp An Phát",
            "2407A0456",
            dt.date(2024, 7, 1),
            None,
            "Thành lập HTX từ hộ sản xuất",
        ),
    ]
    assert period == LegalFormPeriod.objects.get(producer=fresh, valid_to__isnull=True)
    assert _events(fresh)[0] == (
        "producers.producer.change_legal_form",
        actor,
        {"from": "household", "to": "cooperative", "effective_on": "2024-07-01"},
    )


def test_a_second_change_closes_the_second_period(household):
    change_legal_form(household, legal_form="cooperative", effective_on=dt.date(2024, 7, 1))
    change_legal_form(household, legal_form="enterprise", effective_on=dt.date(2025, 9, 1), name="Công ty An Phát")

    assert [(p[0], p[3], p[4]) for p in _periods(household)] == [
        ("household", dt.date(2018, 3, 15), dt.date(2024, 7, 1)),
        ("cooperative", dt.date(2024, 7, 1), dt.date(2025, 9, 1)),
        ("enterprise", dt.date(2025, 9, 1), None),
    ]
    # Becoming an enterprise derives a size class (no sector recorded yet).
    assert Producer.objects.get(pk=household.pk).size_class == "unknown"


@pytest.mark.parametrize("day", [dt.date(2018, 3, 15), dt.date(2017, 1, 1)])
def test_a_change_on_or_before_the_current_period_start_is_refused(english, household, day):
    with pytest.raises(ValidationError) as info:
        change_legal_form(household, legal_form="cooperative", effective_on=day)

    assert info.value.message_dict == {
        "effective_on": ["The change must be after the start of the current period (15/03/2018)."]
    }
    assert Producer.objects.get(pk=household.pk).legal_form == "household"
    assert _periods(household) == [("household", "Hộ Nguyễn Văn An", "", dt.date(2018, 3, 15), None, "")]


def test_a_change_without_a_known_start_is_accepted_on_any_date(units):
    producer = _create(units.yen_the)
    change_legal_form(producer, legal_form="enterprise", effective_on=dt.date(2001, 1, 1))
    assert [(p[0], p[3], p[4]) for p in _periods(producer)] == [
        ("cooperative", None, dt.date(2001, 1, 1)),
        ("enterprise", dt.date(2001, 1, 1), None),
    ]


def test_the_same_legal_form_is_refused_unless_the_name_changes(english, household):
    with pytest.raises(ValidationError) as info:
        change_legal_form(household, legal_form="household", effective_on=dt.date(2024, 1, 1))
    assert info.value.message_dict == {"legal_form": ["The producer already has this legal form."]}
    with pytest.raises(ValidationError):
        change_legal_form(household, legal_form="household", effective_on=dt.date(2024, 1, 1), name="Hộ Nguyễn Văn An")

    change_legal_form(household, legal_form="household", effective_on=dt.date(2024, 1, 1), name="Hộ Nguyễn Thị Bình")
    assert [p[:2] for p in _periods(household)] == [
        ("household", "Hộ Nguyễn Văn An"),
        ("household", "Hộ Nguyễn Thị Bình"),
    ]


def test_an_unknown_legal_form_is_refused(english, household):
    with pytest.raises(ValidationError) as info:
        change_legal_form(household, legal_form="corporation", effective_on=dt.date(2024, 1, 1))
    assert info.value.message_dict == {"legal_form": ["Choose a valid legal form."]}
    assert len(_periods(household)) == 1


def test_a_change_to_a_taken_registration_number_writes_nothing(english, units, household):
    existing = _create(units.son_ha, name="HTX Thân Trường", registration_number="2407A0456")

    with pytest.raises(ValidationError) as info:
        change_legal_form(
            household, legal_form="cooperative", effective_on=dt.date(2024, 7, 1), registration_number="2407A0456"
        )

    assert info.value.message_dict == {"registration_number": ["Already registered to HTX Thân Trường."]}
    assert info.value.error_dict["registration_number"][0].params["existing"] == existing
    fresh = Producer.objects.get(pk=household.pk)
    assert (fresh.legal_form, fresh.registration_number) == ("household", "")
    assert _periods(fresh) == [("household", "Hộ Nguyễn Văn An", "", dt.date(2018, 3, 15), None, "")]


# record_financial_year and the size class -------------------------------------------------------


@pytest.fixture
def enterprise(units):
    return create_producer(
        name="Công ty TNHH Gà đồi Yên Thế",
        legal_form="enterprise",
        address_unit=units.yen_the,
        main_sector="agriculture_industry",
    )


@pytest.mark.parametrize(
    ("figures", "size_class", "reason"),
    [
        (
            {"average_insured_labour": 10, "revenue": 3_000_000_000},
            "micro",
            "≤ 10 insured workers and revenue ≤ 3 billion VND → micro",
        ),
        (
            {"average_insured_labour": 10, "revenue": 3_000_000_001, "total_capital": 3_000_000_000},
            "micro",
            "≤ 10 insured workers and total capital ≤ 3 billion VND → micro",
        ),
        (
            {"average_insured_labour": 11, "revenue": 1_000_000_000},
            "small",
            "≤ 100 insured workers and revenue ≤ 50 billion VND → small",
        ),
        (
            {"average_insured_labour": 101, "revenue": 3_000_000_000},
            "medium",
            "≤ 200 insured workers and revenue ≤ 200 billion VND → medium",
        ),
        (
            {"average_insured_labour": 201, "revenue": 3_000_000_000},
            "large",
            "> 200 insured workers → large",
        ),
        (
            {"average_insured_labour": 50, "revenue": 250_000_000_000, "total_capital": 150_000_000_000},
            "large",
            "revenue > 200 billion VND and total capital > 100 billion VND → large",
        ),
        (
            {"average_insured_labour": 50},
            "unknown",
            "Revenue and total capital are both missing, so the size class cannot be determined.",
        ),
        (
            {"revenue": 3_000_000_000},
            "unknown",
            "Insured labour is missing, so the size class cannot be determined.",
        ),
    ],
)
def test_record_financial_year_derives_the_size_class(english, enterprise, figures, size_class, reason):
    record_financial_year(enterprise, year=2025, **figures)

    fresh = Producer.objects.get(pk=enterprise.pk)
    assert (fresh.size_class, fresh.size_class_reason) == (size_class, reason)
    assert fresh.is_eligible_size is (size_class != "large")


def test_record_financial_year_creates_then_replaces_the_year(enterprise):
    actor = UserFactory()
    first = record_financial_year(
        enterprise,
        year=2025,
        revenue=3_000_000_000,
        profit=200_000_000,
        total_capital=1_000_000_000,
        average_insured_labour=10,
        actor=actor,
    )
    assert Producer.objects.get(pk=enterprise.pk).size_class == "micro"

    second = record_financial_year(enterprise, year=2025, revenue=40_000_000_000, average_insured_labour=60)

    assert second.pk == first.pk
    assert [
        (y.year, y.revenue, y.profit, y.total_capital, y.average_insured_labour)
        for y in FinancialYear.objects.filter(producer=enterprise)
    ] == [(2025, 40_000_000_000, None, None, 60)]
    assert Producer.objects.get(pk=enterprise.pk).size_class == "small"
    assert _events(enterprise)[:2] == [
        ("producers.producer.record_year", None, {"year": 2025, "created": False}),
        ("producers.producer.record_year", actor, {"year": 2025, "created": True}),
    ]


def test_the_latest_year_decides_the_size_class(enterprise):
    record_financial_year(enterprise, year=2025, revenue=3_000_000_000, average_insured_labour=5)
    record_financial_year(enterprise, year=2023, revenue=100_000_000_000, average_insured_labour=150)

    assert Producer.objects.get(pk=enterprise.pk).size_class == "micro"
    assert latest_financial_year(enterprise).year == 2025


def test_the_producers_insured_labour_is_used_when_the_year_has_none(english, units):
    producer = create_producer(
        name="Công ty Cà phê",
        legal_form="enterprise",
        address_unit=units.yen_the,
        main_sector="trade_services",
        labour_total=80,
        labour_insured=60,
    )
    record_financial_year(producer, year=2025, revenue=5_000_000_000)
    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.size_class, fresh.size_class_reason) == (
        "medium",
        "≤ 100 insured workers and revenue ≤ 300 billion VND → medium",
    )


def test_an_enterprise_without_a_sector_is_unknown(english, units):
    producer = create_producer(name="Công ty Cà phê", legal_form="enterprise", address_unit=units.yen_the)
    record_financial_year(producer, year=2025, revenue=1, average_insured_labour=1)
    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.size_class, fresh.size_class_reason) == ("unknown", "The main business sector is not recorded.")


@pytest.mark.parametrize("legal_form", ["cooperative", "household", "farm", "association"])
def test_producers_that_are_not_enterprises_have_no_size_class(units, legal_form):
    producer = create_producer(
        name="HTX Cà phê", legal_form=legal_form, address_unit=units.yen_the, main_sector="agriculture_industry"
    )
    record_financial_year(producer, year=2025, revenue=500_000_000_000, average_insured_labour=500)
    fresh = Producer.objects.get(pk=producer.pk)
    assert (fresh.size_class, fresh.size_class_reason, fresh.is_eligible_size) == ("", "", True)


@pytest.mark.parametrize(
    ("figures", "errors"),
    [
        ({"year": 1989}, {"__all__": ["The year must be between 1990 and 2100."]}),
        ({"year": 2025, "revenue": -1}, {"__all__": ["Revenue cannot be negative."]}),
        ({"year": 2025, "total_capital": -5}, {"__all__": ["Capital cannot be negative."]}),
    ],
)
def test_bad_figures_are_refused(english, enterprise, figures, errors):
    with pytest.raises(ValidationError) as info:
        record_financial_year(enterprise, **figures)
    assert info.value.message_dict == errors
    assert not FinancialYear.objects.exists()


def test_refresh_size_class_follows_new_thresholds(enterprise, django_assert_num_queries):
    record_financial_year(enterprise, year=2025, revenue=3_000_000_000, average_insured_labour=10)
    updated_at = Producer.objects.get(pk=enterprise.pk).updated_at

    # Nothing changed: the row is not written again.
    refresh_size_class(enterprise)
    assert Producer.objects.get(pk=enterprise.pk).updated_at == updated_at

    # A stricter (fictitious) table from 2026: the same figures are now "small".
    for size_class, labour in (("micro", 5), ("small", 100), ("medium", 200)):
        EnterpriseSizeThreshold.objects.create(
            legal_reference="Nghị định thử nghiệm",
            valid_from=dt.date(2026, 1, 1),
            sector="agriculture_industry",
            size_class=size_class,
            max_insured_labour=labour,
            max_revenue=200_000_000_000,
            max_capital=100_000_000_000,
        )
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        refresh_size_class(enterprise)
    assert Producer.objects.get(pk=enterprise.pk).size_class == "small"


def test_size_class_for_an_unsaved_producer_uses_the_given_year(english, units):
    producer = Producer(name="Công ty", legal_form="enterprise", main_sector="trade_services", labour_insured=3)
    assert size_class_for(producer) == (
        "unknown",
        "Revenue and total capital are both missing, so the size class cannot be determined.",
    )
    year = FinancialYear(year=2025, revenue=9_000_000_000)
    assert size_class_for(producer, year=year) == (
        "micro",
        "≤ 10 insured workers and revenue ≤ 10 billion VND → micro",
    )
    assert size_class_for(producer, year=year, thresholds=[]) == (
        "unknown",
        "No size thresholds are recorded for this sector, so the size class cannot be determined.",
    )


# Evidence vault ---------------------------------------------------------------------------------


def _pdf(name="giay-chung-nhan.pdf", content=b"%PDF-1.4 giay chung nhan VietGAP\n%%EOF\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def vietgap():
    return DocumentType.objects.get(slug="vietgap")


def test_add_document_stores_the_file_privately(units, vietgap):
    producer = _create(units.yen_the)
    actor = UserFactory()

    document = add_document(
        producer,
        document_type=vietgap,
        file=_pdf("Giấy chứng nhận VietGAP.PDF"),
        number=" VietGAP-CN-0456 ",
        issuer="Trung tâm  Chứng nhận   QUACERT",
        issued_on=dt.date(2023, 12, 28),
        valid_until=dt.date(2026, 12, 27),
        note="Bản sao công chứng",
        actor=actor,
    )

    fresh = ProducerDocument.objects.get(pk=document.pk)
    assert (fresh.producer, fresh.document_type, fresh.number, fresh.issuer, fresh.issued_on, fresh.valid_until) == (
        producer,
        vietgap,
        "VietGAP-CN-0456",
        "Trung tâm Chứng nhận QUACERT",
        dt.date(2023, 12, 28),
        dt.date(2026, 12, 27),
    )
    assert (fresh.original_filename, fresh.file_size, fresh.note, fresh.product) == (
        "Giấy chứng nhận VietGAP.PDF",
        39,
        "Bản sao công chứng",
        None,
    )
    assert re.fullmatch(rf"producers/{producer.pk}/documents/[0-9a-f]{{32}}\.pdf", fresh.file.name)
    with fresh.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 giay chung nhan VietGAP\n%%EOF\n"
    assert str(fresh) == f"{vietgap.name} VietGAP-CN-0456"
    assert _events(producer)[0] == (
        "producers.document.add",
        actor,
        {"document": document.pk, "type": vietgap.name},
    )


def test_add_document_without_a_file(units, vietgap):
    producer = _create(units.yen_the)
    document = add_document(producer, document_type=vietgap, number="CN-1")
    assert (document.file.name, document.original_filename, document.file_size) == ("", "", None)


def test_a_document_for_a_product_of_another_producer_is_refused_and_nothing_stored(english, units, vietgap):
    producer = _create(units.yen_the)
    other = _create(units.son_ha, name="HTX Thân Trường")
    their_product = ProductFactory(producer=other, name="Chè xanh Bản Ven")
    storage = ProducerDocument._meta.get_field("file").storage
    folder = f"producers/{producer.pk}/documents"
    before = storage.listdir(folder)[1] if storage.exists(folder) else []  # SQLite reuses primary keys

    with pytest.raises(ValidationError) as info:
        add_document(producer, document_type=vietgap, product=their_product, file=_pdf())

    assert info.value.message_dict == {"product": ["The product belongs to another producer."]}
    assert not ProducerDocument.objects.exists()
    assert (storage.listdir(folder)[1] if storage.exists(folder) else []) == before


def test_a_document_for_its_own_product_is_accepted(units):
    producer = _create(units.yen_the)
    product = ProductFactory(producer=producer, name="Gà đồi Yên Thế")
    report = DocumentType.objects.get(slug="test-report")
    document = add_document(producer, document_type=report, product=product, number="KQ-2024-0815")
    assert ProducerDocument.objects.get(pk=document.pk).product == product


def test_a_document_expiring_before_it_was_issued_is_refused(english, units, vietgap):
    producer = _create(units.yen_the)
    with pytest.raises(ValidationError) as info:
        add_document(producer, document_type=vietgap, issued_on=dt.date(2024, 1, 2), valid_until=dt.date(2024, 1, 1))
    assert info.value.message_dict == {"__all__": ["The expiry date must not be before the issue date."]}


@pytest.mark.parametrize("service", ["add", "update"])
def test_document_fields_that_are_not_editable_are_a_programming_error(units, vietgap, service):
    producer = _create(units.yen_the)
    with pytest.raises(TypeError, match=r"^Not editable: \['file_size'\]$"):
        if service == "add":
            add_document(producer, document_type=vietgap, file_size=1)
        else:
            update_document(add_document(producer, document_type=vietgap), file_size=1)


def test_update_document_replaces_the_file_and_deletes_the_old_one_after_commit(
    units, vietgap, django_capture_on_commit_callbacks
):
    producer = _create(units.yen_the)
    document = add_document(producer, document_type=vietgap, file=_pdf("cu.pdf", b"%PDF-1.4 old\n%%EOF\n"))
    old_name = document.file.name
    storage = document.file.storage

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_document(
            document, file=_pdf("moi.pdf", b"%PDF-1.4 new version\n%%EOF\n"), number="CN-2", valid_until=None
        )
    assert storage.exists(old_name)  # not before the transaction commits
    for callback in callbacks:
        callback()

    fresh = ProducerDocument.objects.get(pk=document.pk)
    assert (fresh.number, fresh.original_filename, fresh.file_size) == ("CN-2", "moi.pdf", 27)
    assert fresh.file.name != old_name
    assert not storage.exists(old_name)
    assert storage.exists(fresh.file.name)
    assert _events(producer)[0] == ("producers.document.update", None, {"document": document.pk})


def test_update_document_without_a_new_file_keeps_the_file(units, vietgap, django_capture_on_commit_callbacks):
    producer = _create(units.yen_the)
    document = add_document(producer, document_type=vietgap, file=_pdf())
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update_document(document, number="CN-3")
    assert callbacks == []
    assert ProducerDocument.objects.get(pk=document.pk).file.name == name
    assert document.file.storage.exists(name)


def test_update_document_refuses_a_product_of_another_producer(units, vietgap):
    producer = _create(units.yen_the)
    other = _create(units.son_ha, name="HTX Thân Trường")
    document = add_document(producer, document_type=vietgap, number="CN-1")
    with pytest.raises(ValidationError):
        update_document(document, product=ProductFactory(producer=other))
    assert ProducerDocument.objects.get(pk=document.pk).product is None


def test_delete_document_removes_the_file_after_commit(units, vietgap, django_capture_on_commit_callbacks):
    producer = _create(units.yen_the)
    document = add_document(producer, document_type=vietgap, file=_pdf())
    name, pk = document.file.name, document.pk
    storage = document.file.storage
    actor = UserFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_document(document, actor=actor)
    assert not ProducerDocument.objects.filter(pk=pk).exists()
    assert storage.exists(name)
    for callback in callbacks:
        callback()

    assert not storage.exists(name)
    assert _events(producer)[0] == ("producers.document.delete", actor, {"document": pk})


def test_delete_document_without_a_file(units, vietgap, django_capture_on_commit_callbacks):
    producer = _create(units.yen_the)
    document = add_document(producer, document_type=vietgap)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_document(document)
    assert callbacks == []
    assert not ProducerDocument.objects.exists()


# Reference data ---------------------------------------------------------------------------------


def test_reference_data_is_loaded_and_loading_again_changes_nothing():
    counts = (Ethnicity.objects.count(), DocumentType.objects.count(), EnterpriseSizeThreshold.objects.count())
    pks = set(Ethnicity.objects.values_list("pk", flat=True))
    Ethnicity.objects.filter(code="08").update(name="Sai tên", other_names="")

    assert load_producer_reference_data() == {"ethnicities": 54, "document_types": 41, "size_thresholds": 6}

    assert counts == (54, 41, 6)
    assert (Ethnicity.objects.count(), DocumentType.objects.count(), EnterpriseSizeThreshold.objects.count()) == counts
    assert set(Ethnicity.objects.values_list("pk", flat=True)) == pks
    hmong = Ethnicity.objects.get(code="08")
    assert (hmong.name, hmong.slug, hmong.other_names) == ("Mông", "dt-08", "HMông, H'Mông, Mèo")
    assert [
        (d.slug, d.category, d.has_expiry, d.position)
        for d in DocumentType.objects.filter(slug__in=["vietgap", "test-report"])
    ] == [
        ("vietgap", "certification", True, 2),  # position: order in document_types.json
        ("test-report", "test_report", False, 30),
    ]
