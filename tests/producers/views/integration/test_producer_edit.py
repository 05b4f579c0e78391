"""Create and edit pages: every field through the services, errors back on the fields."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ocop.core.selectors import activities_for_object
from ocop.producers.models import Ethnicity, LegalFormPeriod, Producer
from tests.factories.producers import ProducerFactory
from tests.producers.views.integration.conftest import login, vi
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CREATE = reverse("producers:producer_create")


def _data(units, **overrides):
    data = {
        "name": "  HTX Nông nghiệp   xanh Yên Thế ",
        "legal_form": "enterprise",
        "tax_code": "0100 109 106",
        "registration_number": "2400 123456".replace(" ", ""),
        "registration_issued_on": "2019-03-15",
        "registration_issuer": "Phòng Đăng ký kinh doanh tỉnh Bắc Ninh",
        "established_on": "12/03/2019",
        "main_sector": "agriculture_industry",
        "representative_name": "Nguyễn Thị Hoa",
        "representative_position": "Giám đốc",
        "representative_gender": "female",
        "representative_ethnicity": Ethnicity.objects.get(code="02").pk,
        "representative_has_disability": "on",
        "address": "Thôn Hố Cát",
        "province": units.bac_ninh.pk,
        "address_unit": units.yen_the.pk,
        "phone": "0912 345 678",
        "email": "htx@yenthe.vn",
        "website": "https://yenthe.vn",
        "social_url": "https://facebook.com/htxyenthe",
        "labour_total": "25",
        "labour_local": "20",
        "labour_insured": "8",
        "member_count": "12",
        "cooperative_rating": "good",
        "cooperative_rated_year": "2024",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _errors(response) -> dict[str, list[str]]:
    return {field: [str(e) for e in errors] for field, errors in response.context["form"].errors.items()}


# --- create --------------------------------------------------------------------------------------
def test_create_producer_saves_every_field_and_redirects_to_the_detail_page(client, units):
    user = login(client, "commune-officer", units.yen_the)
    response = client.post(CREATE, _data(units))

    producer = Producer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("producers:producer_detail", kwargs={"pk": producer.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        vi("The producer %(name)s has been registered.", name="HTX Nông nghiệp xanh Yên Thế")
    ]
    assert {
        "name": producer.name,
        "legal_form": producer.legal_form,
        "tax_code": producer.tax_code,
        "registration_number": producer.registration_number,
        "registration_issued_on": producer.registration_issued_on,
        "registration_issuer": producer.registration_issuer,
        "established_on": producer.established_on,
        "main_sector": producer.main_sector,
        "representative": (
            producer.representative_name,
            producer.representative_position,
            producer.representative_gender,
            producer.representative_ethnicity.name,
            producer.representative_has_disability,
        ),
        "address": (producer.address, producer.address_unit, producer.commune, producer.province),
        "contact": (producer.phone, producer.email, producer.website, producer.social_url),
        "labour": (producer.labour_total, producer.labour_local, producer.labour_insured, producer.member_count),
        "cooperative": (producer.cooperative_rating, producer.cooperative_rated_year),
        "created_by": producer.created_by,
    } == {
        "name": "HTX Nông nghiệp xanh Yên Thế",
        "legal_form": "enterprise",
        "tax_code": "0100109106",
        "registration_number": "2400123456",
        "registration_issued_on": dt.date(2019, 3, 15),
        "registration_issuer": "Phòng Đăng ký kinh doanh tỉnh Bắc Ninh",
        "established_on": dt.date(2019, 3, 12),
        "main_sector": "agriculture_industry",
        "representative": ("Nguyễn Thị Hoa", "Giám đốc", "female", "Tày", True),
        "address": ("Thôn Hố Cát", units.yen_the, units.yen_the, units.bac_ninh),
        "contact": ("0912345678", "htx@yenthe.vn", "https://yenthe.vn", "https://facebook.com/htxyenthe"),
        "labour": (25, 20, 8, 12),
        "cooperative": ("good", 2024),
        "created_by": user,
    }
    assert list(LegalFormPeriod.objects.values_list("legal_form", "valid_from")) == [
        ("enterprise", dt.date(2019, 3, 12))
    ]
    assert [a.action_type for a in activities_for_object(producer)] == ["producers.producer.create"]


def test_create_form_preselects_the_commune_of_a_commune_officer(client, units):
    login(client, "commune-officer", units.yen_the)
    form = client.get(CREATE).context["form"]
    assert form.initial["province"] == units.bac_ninh.pk
    assert form.initial["address_unit"] == units.yen_the.pk
    communes = list(form.fields["address_unit"].queryset)
    assert units.yen_the in communes and units.bo_ha in communes
    assert {unit.province_id for unit in communes} == {units.bac_ninh.pk}


def test_create_form_offers_no_commune_before_a_province_is_chosen(client, units):
    client.force_login(make_user_with_role(None, is_superuser=True))
    form = client.get(CREATE).context["form"]
    assert "province" not in form.initial
    assert list(form.fields["address_unit"].queryset) == []
    assert units.bac_ninh in form.fields["province"].queryset


def test_commune_options_lists_the_communes_of_a_province(client, units):
    login(client, "commune-officer", units.yen_the)
    response = client.get(reverse("producers:commune_options"), {"province": units.bac_ninh.pk})
    content = response.content.decode()
    assert f'<option value="{units.yen_the.pk}">Xã Yên Thế</option>' in content
    assert f'<option value="{units.bo_ha.pk}">Xã Bố Hạ</option>' in content
    assert units.son_ha.name not in content
    empty = client.get(reverse("producers:commune_options"), {"province": "nonsense"}).content.decode()
    assert empty.strip() == f'<option value="">{vi("All")}</option>'


LOCAL_OVER_TOTAL = "Local workers (%(local)s) cannot be more than the total number of workers (%(total)s)."
INSURED_OVER_TOTAL = (
    "Workers with social insurance (%(insured)s) cannot be more than the total number of workers (%(total)s)."
)


@pytest.mark.parametrize(
    ("overrides", "field", "message", "params"),
    [
        (
            {"tax_code": "0100109107"},
            "tax_code",
            "The check digit of this tax code is wrong: please look for a typing mistake.",
            {},
        ),
        ({"labour_total": "10", "labour_local": "12"}, "labour_local", LOCAL_OVER_TOTAL, {"local": 12, "total": 10}),
        (
            {"labour_total": "5", "labour_insured": "8", "labour_local": "3"},
            "labour_insured",
            INSURED_OVER_TOTAL,
            {"insured": 8, "total": 5},
        ),
        ({"phone": "12345"}, "phone", None, None),
        ({"name": "   "}, "name", None, None),
        ({"address_unit": ""}, "address_unit", None, None),
        ({"legal_form": "corporation"}, "legal_form", None, None),
    ],
)
def test_create_producer_refuses_bad_input_on_the_field(client, units, overrides, field, message, params):
    login(client, "commune-officer", units.yen_the)
    response = client.post(CREATE, _data(units, **overrides))
    assert response.status_code == 200
    assert Producer.objects.count() == 0
    errors = _errors(response)
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [vi(message, **params)]
    assert 'data-testid="error-summary"' in response.content.decode()


def test_create_producer_refuses_a_commune_outside_the_officers_commune(client, units):
    login(client, "commune-officer", units.yen_the)
    response = client.post(CREATE, _data(units, address_unit=units.bo_ha.pk))
    assert Producer.objects.count() == 0
    assert _errors(response) == {
        "address_unit": [
            vi(
                "%(unit)s is outside the area you manage. Choose a commune you are responsible for.",
                unit="Xã Bố Hạ",
            )
        ]
    }


def test_create_producer_refuses_a_commune_of_another_province_than_the_chosen_one(client, units):
    login(client, "province-agency", units.bac_ninh)
    response = client.post(CREATE, _data(units, address_unit=units.son_ha.pk))
    assert list(_errors(response)) == ["address_unit"]
    assert Producer.objects.count() == 0


def test_province_agency_creates_in_any_commune_of_its_province(client, units):
    login(client, "province-agency", units.bac_ninh)
    response = client.post(CREATE, _data(units, address_unit=units.bo_ha.pk))
    assert response.status_code == 302
    assert Producer.objects.get().commune == units.bo_ha


def test_duplicate_tax_code_links_to_the_existing_producer(client, units):
    existing = ProducerFactory(name="HTX Gà <đồi>", address_unit=units.yen_the, tax_code="0100109106")
    login(client, "commune-officer", units.yen_the)
    response = client.post(CREATE, _data(units, tax_code="0100109106", name="HTX Mới"))

    assert Producer.objects.count() == 1
    link = f'<a href="/producers/{existing.pk}/" class="alert-link" data-testid="duplicate-link">HTX Gà &lt;đồi&gt;</a>'
    expected = vi("Already registered to %(name)s.", name=link)
    assert _errors(response) == {"tax_code": [expected]}
    assert expected in response.content.decode()


def test_duplicate_registration_number_of_a_producer_out_of_sight_shows_only_the_name(client, units):
    ProducerFactory(name="HTX Chè Bố Hạ", address_unit=units.bo_ha, registration_number="2400123456")
    login(client, "commune-officer", units.yen_the)
    response = client.post(CREATE, _data(units, registration_number="2400123456"))

    assert _errors(response) == {"registration_number": [vi("Already registered to %(name)s.", name="HTX Chè Bố Hạ")]}
    assert "duplicate-link" not in response.content.decode()


# --- edit ----------------------------------------------------------------------------------------
def _edit_url(producer):
    return reverse("producers:producer_update", kwargs={"pk": producer.pk})


def test_edit_form_is_filled_with_the_producer_and_has_no_legal_form(client, units, yen_the_producer):
    login(client, "commune-officer", units.yen_the)
    form = client.get(_edit_url(yen_the_producer)).context["form"]
    assert "legal_form" not in form.fields
    assert (form["name"].value(), form["tax_code"].value(), form["province"].value(), form["address_unit"].value()) == (
        "HTX Gà đồi Yên Thế",
        "2400871238",
        units.bac_ninh.pk,
        units.yen_the.pk,
    )


def test_edit_producer_saves_only_the_changed_fields(client, units, yen_the_producer):
    login(client, "commune-officer", units.yen_the)
    data = {
        "name": "HTX Gà đồi Yên Thế",
        "tax_code": "2400871238",
        "province": units.bac_ninh.pk,
        "address_unit": units.yen_the.pk,
        "phone": "+84 204 3876 123",
        "labour_total": "30",
        "labour_local": "30",
    }
    response = client.post(_edit_url(yen_the_producer), data)

    assert response.status_code == 302
    assert response["Location"] == yen_the_producer.get_absolute_url()
    yen_the_producer.refresh_from_db()
    assert (yen_the_producer.phone, yen_the_producer.labour_total, yen_the_producer.labour_local) == (
        "02043876123",
        30,
        30,
    )
    update = activities_for_object(yen_the_producer).get(action_type="producers.producer.update")
    assert update.data == {"fields": ["labour_local", "labour_total", "phone"]}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [vi("The changes have been saved.")]


def test_edit_without_changes_saves_nothing(client, units, yen_the_producer):
    login(client, "commune-officer", units.yen_the)
    form = client.get(_edit_url(yen_the_producer)).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    response = client.post(_edit_url(yen_the_producer), data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [vi("Nothing was changed.")]
    assert [a.action_type for a in activities_for_object(yen_the_producer)] == ["producers.producer.create"]


def test_edit_labour_contradiction_shows_on_the_field(client, units, yen_the_producer):
    login(client, "commune-officer", units.yen_the)
    data = {"name": "HTX Gà đồi Yên Thế", "province": units.bac_ninh.pk, "address_unit": units.yen_the.pk}
    response = client.post(_edit_url(yen_the_producer), {**data, "labour_total": "4", "labour_local": "9"})
    assert _errors(response) == {"labour_local": [vi(LOCAL_OVER_TOTAL, local=9, total=4)]}
    yen_the_producer.refresh_from_db()
    assert yen_the_producer.labour_total is None


def test_commune_officer_cannot_move_a_producer_out_of_the_commune(client, units, yen_the_producer):
    login(client, "commune-officer", units.yen_the)
    data = {"name": "HTX Gà đồi Yên Thế", "province": units.bac_ninh.pk, "address_unit": units.bo_ha.pk}
    response = client.post(_edit_url(yen_the_producer), data)
    assert list(_errors(response)) == ["address_unit"]
    yen_the_producer.refresh_from_db()
    assert yen_the_producer.commune == units.yen_the


def test_province_agency_moves_a_producer_to_another_commune(client, units, yen_the_producer):
    login(client, "province-agency", units.bac_ninh)
    data = {"name": "HTX Gà đồi Yên Thế", "province": units.bac_ninh.pk, "address_unit": units.bo_ha.pk}
    assert client.post(_edit_url(yen_the_producer), data).status_code == 302
    yen_the_producer.refresh_from_db()
    assert (yen_the_producer.address_unit, yen_the_producer.commune) == (units.bo_ha, units.bo_ha)


def test_producer_account_edits_its_own_producer(client, units, yen_the_producer):
    login(client, "producer", units.yen_the, producer=yen_the_producer)
    data = {
        "name": "HTX Gà đồi Yên Thế",
        "province": units.bac_ninh.pk,
        "address_unit": units.yen_the.pk,
        "email": "lienhe@gadoi.vn",
    }
    assert client.post(_edit_url(yen_the_producer), data).status_code == 302
    yen_the_producer.refresh_from_db()
    assert yen_the_producer.email == "lienhe@gadoi.vn"


def test_edit_duplicate_tax_code_links_to_the_other_producer(client, units, yen_the_producer):
    other = ProducerFactory(name="HTX Bố Hạ", address_unit=units.bo_ha, tax_code="4300123458")
    login(client, "province-agency", units.bac_ninh)
    data = {"name": "HTX Gà đồi Yên Thế", "tax_code": "4300123458", "province": units.bac_ninh.pk}
    response = client.post(_edit_url(yen_the_producer), {**data, "address_unit": units.yen_the.pk})
    link = f'<a href="/producers/{other.pk}/" class="alert-link" data-testid="duplicate-link">HTX Bố Hạ</a>'
    assert _errors(response) == {"tax_code": [vi("Already registered to %(name)s.", name=link)]}
    yen_the_producer.refresh_from_db()
    assert yen_the_producer.tax_code == "2400871238"
    assert response.context["producer"].tax_code == "2400871238"


def test_editing_a_producer_recorded_on_the_old_map_keeps_its_unit(client, units):
    producer = ProducerFactory(name="Tổ hợp tác Mật ong", address_unit=units.legacy_thuan_loc)
    login(client, "province-agency", units.ha_tinh)
    form = client.get(_edit_url(producer)).context["form"]
    assert (form["province"].value(), form["address_unit"].value()) == (units.ha_tinh.pk, units.nam_hong_linh.pk)
    assert "Xã Thuận Lộc" in str(form.fields["address_unit"].help_text)

    data = {"name": "Tổ hợp tác Mật ong Hồng Lĩnh", "province": units.ha_tinh.pk}
    data["address_unit"] = units.nam_hong_linh.pk
    assert client.post(_edit_url(producer), data).status_code == 302
    producer.refresh_from_db()
    assert (producer.name, producer.address_unit, producer.commune) == (
        "Tổ hợp tác Mật ong Hồng Lĩnh",
        units.legacy_thuan_loc,
        units.nam_hong_linh,
    )

    data["address_unit"] = units.bac_hong_linh.pk
    assert client.post(_edit_url(producer), data).status_code == 302
    producer.refresh_from_db()
    assert (producer.address_unit, producer.commune) == (units.bac_hong_linh, units.bac_hong_linh)
