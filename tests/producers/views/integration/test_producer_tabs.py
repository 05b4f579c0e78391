"""Detail tabs: overview, legal form history, yearly figures."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from ocop.core.selectors import activities_for_object
from ocop.producers.models import Ethnicity
from ocop.producers.services import change_legal_form, record_financial_year
from ocop.producers.sizing import SizeClass
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.producers.views.integration.conftest import login, vi

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _text(html: str) -> str:
    """Visible text with tags dropped and white space collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _size_label(size_class: str) -> str:
    with translation.override("vi"):
        return str(SizeClass(size_class).label)


@pytest.fixture
def enterprise(units):
    producer = ProducerFactory(
        name="Công ty TNHH Mật ong Bắc Ninh",
        legal_form="enterprise",
        address_unit=units.yen_the,
        address="Thôn Hố Cát",
        tax_code="0100109106",
        registration_number="0100109106",
        registration_issued_on=dt.date(2019, 3, 15),
        registration_issuer="Sở Tài chính tỉnh Bắc Ninh",
        established_on=dt.date(2019, 3, 1),
        main_sector="agriculture_industry",
        representative_name="Hoàng Văn Lộc",
        representative_position="Giám đốc",
        representative_gender="male",
        representative_ethnicity=Ethnicity.objects.get(code="03"),
        representative_has_disability=True,
        phone="0912345678",
        email="lienhe@matong.vn",
        website="https://matong.vn",
        labour_total=25,
        labour_local=20,
        labour_insured=8,
        member_count=3,
    )
    ProductFactory(producer=producer, name="Mật ong hoa vải")
    return producer


# --- overview ------------------------------------------------------------------------------------
def test_overview_shows_every_field_with_dates_as_dd_mm_yyyy(client, units, enterprise):
    login(client, "commune-officer", units.yen_the)
    response = client.get(enterprise.get_absolute_url())
    html = response.content.decode()
    text = _text(html)
    with translation.override("vi"):
        expected_bits = [
            str(enterprise.get_legal_form_display()),
            str(enterprise.get_main_sector_display()),
            str(enterprise.get_representative_gender_display()),
        ]
    for bit in [
        "0100109106",
        "15/03/2019",
        "Sở Tài chính tỉnh Bắc Ninh",
        "01/03/2019",
        "Hoàng Văn Lộc",
        "Giám đốc",
        "Thái",
        f"Thôn Hố Cát, Xã Yên Thế, {units.bac_ninh.name}",
        "0912345678",
        "lienhe@matong.vn",
        "https://matong.vn",
        "Mật ong hoa vải",
        *expected_bits,
    ]:
        assert bit in text, bit
    assert re.search(r'data-testid="producer-labour">.*?25.*?20.*?8.*?3', html, re.S)
    assert response.context["can_change"] is True
    assert 'data-testid="edit-producer"' in html
    assert 'data-testid="overview-tab"' in html and 'data-testid="history-tab"' in html


def test_overview_hides_the_edit_button_from_view_only_roles(client, units, enterprise):
    login(client, "council-member", units.bac_ninh)
    response = client.get(enterprise.get_absolute_url())
    assert response.context["can_change"] is False
    assert 'data-testid="edit-producer"' not in response.content.decode()


def test_overview_shows_the_size_class_with_its_reason(client, units, enterprise):
    record_financial_year(enterprise, year=2025, revenue=2_000_000_000, total_capital=1_000_000_000)
    enterprise.refresh_from_db()
    assert enterprise.size_class == "micro"
    login(client, "commune-officer", units.yen_the)
    html = client.get(enterprise.get_absolute_url()).content.decode()
    size_text = _text(re.search(r'data-testid="size-class-text">(.*?)</span>', html, re.S).group(1))
    assert size_text == f"{_size_label('micro')} — {enterprise.size_class_reason}"
    assert "→" in enterprise.size_class_reason
    assert 'data-testid="not-eligible"' not in html


def test_overview_marks_a_large_enterprise_not_eligible(client, units, enterprise):
    record_financial_year(enterprise, year=2025, revenue=900_000_000_000, total_capital=500_000_000_000)
    login(client, "commune-officer", units.yen_the)
    html = client.get(enterprise.get_absolute_url()).content.decode()
    assert f'<span class="badge text-bg-danger" data-testid="not-eligible">{vi("Not eligible for OCOP")}</span>' in html
    assert _size_label("large") in html


# --- legal form history --------------------------------------------------------------------------
def test_change_legal_form_closes_the_current_period_and_keeps_the_history(client, units):
    producer = ProducerFactory(
        name="Hộ kinh doanh Nguyễn Văn A",
        legal_form="registered_household",
        address_unit=units.yen_the,
        established_on=dt.date(2015, 5, 1),
    )
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:producer_legal_forms", kwargs={"pk": producer.pk})
    response = client.post(
        url,
        {
            "legal_form": "cooperative",
            "effective_on": "2024-07-01",
            "name": "HTX Nông nghiệp Yên Thế",
            "registration_number": "24A8001234",
            "note": "Chuyển đổi theo Luật HTX 2023",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url
    with translation.override("vi"):
        label = str(producer._meta.get_field("legal_form").choices[0][1])  # Cooperative (HTX)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        vi("The new legal form %(legal_form)s is recorded from %(date)s.", legal_form=label, date="01/07/2024")
    ]
    producer.refresh_from_db()
    assert (producer.legal_form, producer.name, producer.registration_number) == (
        "cooperative",
        "HTX Nông nghiệp Yên Thế",
        "24A8001234",
    )
    periods = list(producer.legal_form_periods.values_list("legal_form", "name", "valid_from", "valid_to", "note"))
    assert periods == [
        ("cooperative", "HTX Nông nghiệp Yên Thế", dt.date(2024, 7, 1), None, "Chuyển đổi theo Luật HTX 2023"),
        ("registered_household", "Hộ kinh doanh Nguyễn Văn A", dt.date(2015, 5, 1), dt.date(2024, 7, 1), ""),
    ]
    page = client.get(url).content.decode()
    rows = [_text(row) for row in re.findall(r'<tr data-testid="legal-form-period">(.*?)</tr>', page, re.S)]
    assert len(rows) == 2
    assert "HTX Nông nghiệp Yên Thế" in rows[0] and "01/07/2024" in rows[0]
    assert "Hộ kinh doanh Nguyễn Văn A" in rows[1] and "01/05/2015 01/07/2024" in rows[1]
    assert [a.action_type for a in activities_for_object(producer)] == [
        "producers.producer.change_legal_form",
        "producers.producer.create",
    ]


def test_change_legal_form_refuses_a_date_before_the_current_period(client, units):
    producer = ProducerFactory(
        name="Hộ Nguyễn Văn B", legal_form="household", address_unit=units.yen_the, established_on=dt.date(2020, 1, 1)
    )
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:producer_legal_forms", kwargs={"pk": producer.pk})
    response = client.post(url, {"legal_form": "cooperative", "effective_on": "01/01/2019"})
    assert response.status_code == 200
    errors = {field: [str(e) for e in errs] for field, errs in response.context["form"].errors.items()}
    assert errors == {
        "effective_on": [vi("The change must be after the start of the current period (%(date)s).", date="01/01/2020")]
    }
    producer.refresh_from_db()
    assert producer.legal_form == "household"
    assert producer.legal_form_periods.count() == 1


def test_change_legal_form_to_the_same_form_is_refused(client, units, yen_the_producer):
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:producer_legal_forms", kwargs={"pk": yen_the_producer.pk})
    response = client.post(url, {"legal_form": "cooperative", "effective_on": "2025-01-01"})
    errors = {field: [str(e) for e in errs] for field, errs in response.context["form"].errors.items()}
    assert errors == {"legal_form": [vi("The producer already has this legal form.")]}


def test_legal_form_tab_shows_no_form_to_view_only_roles(client, units, yen_the_producer):
    change_legal_form(yen_the_producer, legal_form="enterprise", effective_on=dt.date(2025, 1, 1))
    login(client, "council-member", units.bac_ninh)
    response = client.get(reverse("producers:producer_legal_forms", kwargs={"pk": yen_the_producer.pk}))
    assert "form" not in response.context
    assert response.content.decode().count('data-testid="legal-form-period"') == 2


# --- yearly figures ------------------------------------------------------------------------------
def test_yearly_figures_accept_vietnamese_amounts_and_change_the_size_class(client, units, enterprise):
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:producer_figures", kwargs={"pk": enterprise.pk})
    assert enterprise.size_class == "unknown"

    response = client.post(
        url,
        {"year": "2024", "revenue": "2.500.000.000", "profit": "-150.000.000", "total_capital": "1.500.000.000 đ"},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        vi("The figures for %(year)s have been saved.", year=2024)
    ]
    figures = enterprise.financial_years.get()
    assert (figures.year, figures.revenue, figures.profit, figures.total_capital, figures.average_insured_labour) == (
        2024,
        2_500_000_000,
        -150_000_000,
        1_500_000_000,
        None,
    )
    page = client.get(url).content.decode()
    enterprise.refresh_from_db()
    assert enterprise.size_class == "micro"
    assert f"{_size_label('micro')} — {enterprise.size_class_reason}" in _text(page)
    assert "2.500.000.000 ₫" in page and "-150.000.000 ₫" in page

    # Replacing the year with larger figures makes the enterprise small, then large.
    client.post(url, {"year": "2024", "revenue": "40.000.000.000", "average_insured_labour": "60"})
    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.financial_years.count()) == ("small", 1)
    client.post(url, {"year": "2025", "revenue": "1,000,000,000,000", "total_capital": "600.000.000.000"})
    page = client.get(url).content.decode()
    enterprise.refresh_from_db()
    assert enterprise.size_class == "large"
    assert 'data-testid="not-eligible"' in page
    assert f"{_size_label('large')} — {enterprise.size_class_reason}" in _text(page)
    assert [row.year for row in client.get(url).context["years"]] == [2025, 2024]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "2024", "revenue": "1,5 tỷ"}, "revenue", "Enter an amount in VND, e.g. 1.500.000.000."),
        ({"year": "2024", "revenue": "-5.000"}, "revenue", "The amount cannot be negative."),
        ({"year": "1980"}, "year", None),
    ],
)
def test_yearly_figures_refuse_bad_amounts(client, units, enterprise, data, field, message):
    login(client, "commune-officer", units.yen_the)
    response = client.post(reverse("producers:producer_figures", kwargs={"pk": enterprise.pk}), data)
    errors = {name: [str(e) for e in errs] for name, errs in response.context["form"].errors.items()}
    assert list(errors) == [field]
    if message:
        assert errors[field] == [vi(message)]
    assert enterprise.financial_years.count() == 0


def test_yearly_figures_correct_link_fills_the_form(client, units, enterprise):
    record_financial_year(enterprise, year=2023, revenue=1_500_000_000, average_insured_labour=7)
    login(client, "commune-officer", units.yen_the)
    response = client.get(reverse("producers:producer_figures", kwargs={"pk": enterprise.pk}), {"year": "2023"})
    form = response.context["form"]
    assert (form["year"].value(), form["average_insured_labour"].value()) == (2023, 7)
    assert 'value="1.500.000.000"' in response.content.decode()
