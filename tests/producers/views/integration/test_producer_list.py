"""Producer list: filters, warning icons, buttons, exports and query counts."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ocop.producers.enums import LegalForm
from ocop.producers.services import add_document, record_financial_year
from ocop.producers.sizing import SizeClass
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.producers.views.integration.conftest import login, today, vi

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LIST = reverse("producers:producer_list")


def _names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].page.object_list]


@pytest.fixture
def registry(units, vietgap):
    """Five producers in Bắc Ninh and one in Hà Tĩnh, with documents, sizes and legal forms."""
    haccp = vietgap.__class__.objects.get(slug="haccp")
    vietgap.warn_days_before_expiry = 30
    vietgap.save()
    a = ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the, established_on=dt.date(2018, 4, 2))
    b = ProducerFactory(name="HTX Chè Bố Hạ", address_unit=units.bo_ha)
    c = ProducerFactory(
        name="Công ty Mật ong Yên Thế",
        legal_form="enterprise",
        address_unit=units.yen_the,
        main_sector="agriculture_industry",
        labour_insured=5,
        tax_code="2400871238",
    )
    d = ProducerFactory(
        name="Công ty Lớn Bố Hạ",
        legal_form="enterprise",
        address_unit=units.bo_ha,
        main_sector="agriculture_industry",
        labour_insured=500,
    )
    e = ProducerFactory(name="Hộ Nguyễn Văn Đức", legal_form="household", address_unit=units.yen_the)
    ProducerFactory(name="HTX Hồng Lĩnh", address_unit=units.nam_hong_linh)
    record_financial_year(c, year=2025, revenue=2_000_000_000)
    record_financial_year(d, year=2025, revenue=900_000_000_000, total_capital=900_000_000_000)
    # a: VietGAP warns 30 days ahead → 20 days left is "expiring"; b: 40 days left is still valid.
    add_document(a, document_type=vietgap, valid_until=today() + dt.timedelta(days=20))
    add_document(b, document_type=vietgap, valid_until=today() + dt.timedelta(days=40))
    # c: HACCP warns 90 days ahead → 60 days left is "expiring"; e: one expired, one without expiry.
    add_document(c, document_type=haccp, valid_until=today() + dt.timedelta(days=60))
    add_document(e, document_type=haccp, valid_until=today() - dt.timedelta(days=1))
    add_document(e, document_type=vietgap)
    ProductFactory(producer=a, name="Gà đồi")
    ProductFactory(producer=a, name="Trứng gà")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


ALL_IN_BAC_NINH = [
    "Công ty Lớn Bố Hạ",
    "Công ty Mật ong Yên Thế",
    "Hộ Nguyễn Văn Đức",
    "HTX Chè Bố Hạ",
    "HTX Gà đồi Yên Thế",
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL_IN_BAC_NINH),
        ({"commune": "yen_the"}, ["Công ty Mật ong Yên Thế", "Hộ Nguyễn Văn Đức", "HTX Gà đồi Yên Thế"]),
        ({"province": "bac_ninh", "commune": "bo_ha"}, ["Công ty Lớn Bố Hạ", "HTX Chè Bố Hạ"]),
        ({"legal_form": "cooperative"}, ["HTX Chè Bố Hạ", "HTX Gà đồi Yên Thế"]),
        ({"legal_form": "household"}, ["Hộ Nguyễn Văn Đức"]),
        ({"size_class": "micro"}, ["Công ty Mật ong Yên Thế"]),
        ({"size_class": "large"}, ["Công ty Lớn Bố Hạ"]),
        ({"documents": "expiring"}, ["Công ty Mật ong Yên Thế", "HTX Gà đồi Yên Thế"]),
        ({"documents": "expired"}, ["Hộ Nguyễn Văn Đức"]),
        ({"q": "yen the", "legal_form": "enterprise"}, ["Công ty Mật ong Yên Thế"]),
        ({"q": "2400871238"}, ["Công ty Mật ong Yên Thế"]),
    ],
)
def test_producer_list_filters_return_exactly_the_expected_producers(client, units, registry, params, expected):
    login(client, "province-agency", units.bac_ninh)
    unit_params = {key: getattr(units, value).pk for key, value in params.items() if key in ("province", "commune")}
    response = client.get(LIST, {**params, **unit_params})
    assert _names(response) == expected
    assert response.context["table"].paginator.count == len(expected)


def test_province_filter_of_a_ministry_user(client, units, registry):
    login(client, "ministry-office", units.country)
    assert _names(client.get(LIST, {"province": units.ha_tinh.pk})) == ["HTX Hồng Lĩnh"]
    assert len(_names(client.get(LIST))) == 6


def test_commune_filter_alone_selects_its_province_and_a_stale_commune_is_dropped(client, units, registry):
    login(client, "ministry-office", units.country)
    response = client.get(LIST, {"commune": units.bo_ha.pk})
    assert _names(response) == ["Công ty Lớn Bố Hạ", "HTX Chè Bố Hạ"]
    form = response.context["filter"].form
    assert form["province"].value() == units.bac_ninh.pk
    assert units.bo_ha in form.fields["commune"].queryset and units.son_ha not in form.fields["commune"].queryset
    # The province was changed while a commune of the old one was still selected: the commune is dropped.
    response = client.get(LIST, {"province": units.ha_tinh.pk, "commune": units.bo_ha.pk})
    assert _names(response) == ["HTX Hồng Lĩnh"]


def test_commune_officer_sees_only_the_commune(client, units, registry):
    login(client, "commune-officer", units.bo_ha)
    assert _names(client.get(LIST)) == ["Công ty Lớn Bố Hạ", "HTX Chè Bố Hạ"]
    assert _names(client.get(LIST, {"commune": units.yen_the.pk})) == []


def test_producer_list_columns_and_warning_icons(client, units, registry):
    login(client, "province-agency", units.bac_ninh)
    response = client.get(LIST)
    rows = {row.record.name: row for row in response.context["table"].page.object_list}
    cells = {name: (row.get_cell_value("product_count"), row.get_cell_value("commune")) for name, row in rows.items()}
    assert cells == {
        "Công ty Lớn Bố Hạ": (0, "Xã Bố Hạ"),
        "Công ty Mật ong Yên Thế": (0, "Xã Yên Thế"),
        "HTX Chè Bố Hạ": (0, "Xã Bố Hạ"),
        "HTX Gà đồi Yên Thế": (2, "Xã Yên Thế"),
        "Hộ Nguyễn Văn Đức": (0, "Xã Yên Thế"),
    }
    alerts = {name: str(row.get_cell("document_alert")) for name, row in rows.items()}
    assert 'data-testid="alert-expiring"' in alerts["HTX Gà đồi Yên Thế"]
    assert 'data-testid="alert-expiring"' in alerts["Công ty Mật ong Yên Thế"]
    assert 'data-testid="alert-expired"' in alerts["Hộ Nguyễn Văn Đức"]
    assert alerts["HTX Chè Bố Hạ"] == alerts["Công ty Lớn Bố Hạ"] == ""
    assert "badge text-bg-danger" in str(rows["Công ty Lớn Bố Hạ"].get_cell("size_class"))
    content = response.content.decode()
    assert content.count('class="d-md-table-cell d-none') == 3 * (1 + 5)  # secondary columns hidden on phones


def test_producer_list_buttons_follow_the_permissions(client, units, registry):
    login(client, "commune-officer", units.yen_the)
    content = client.get(LIST).content.decode()
    assert f'href="{reverse("producers:producer_create")}" data-testid="new-producer"' in content
    assert f'href="{reverse("imports:job_create", args=["producers"])}" data-testid="import-producers"' in content

    login(client, "council-member", units.bac_ninh)
    content = client.get(LIST).content.decode()
    assert "new-producer" not in content and "import-producers" not in content


def test_export_links_keep_the_current_filters(client, units, registry):
    login(client, "province-agency", units.bac_ninh)
    response = client.get(
        LIST, {"legal_form": "cooperative", "province": "", "q": "gà", "documents": "", "page": "1", "sort": "name"}
    )
    content = response.content.decode()
    for fmt in ("xlsx", "csv"):
        url = reverse("producers:producer_export", args=[fmt])
        assert f'href="{url}?legal_form=cooperative&amp;q=g%C3%A0"' in content


# --- exports -------------------------------------------------------------------------------------
def _vi_label(enum, value) -> str:
    with translation.override("vi"):
        return str(enum(value).label)


def test_export_xlsx_has_vietnamese_headers_and_the_filtered_rows(client, units, registry):
    login(client, "province-agency", units.bac_ninh)
    response = client.get(reverse("producers:producer_export", args=["xlsx"]), {"commune": units.yen_the.pk})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-chu-the-ocop-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Tên chủ thể", "Loại hình", "Mã số thuế")
    assert {"Xã/phường", "Tỉnh/thành phố", "Quy mô doanh nghiệp", "Số sản phẩm", "Ngày thành lập"} <= set(header)
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [r["Tên chủ thể"] for r in records] == ["Công ty Mật ong Yên Thế", "Hộ Nguyễn Văn Đức", "HTX Gà đồi Yên Thế"]
    company, household, cooperative = records
    assert (company["Loại hình"], company["Mã số thuế"], company["Quy mô doanh nghiệp"]) == (
        _vi_label(LegalForm, "enterprise"),
        "2400871238",
        _vi_label(SizeClass, "micro"),
    )
    assert (cooperative["Xã/phường"], cooperative["Tỉnh/thành phố"], cooperative["Số sản phẩm"]) == (
        "Xã Yên Thế",
        units.bac_ninh.name,
        2,
    )
    assert cooperative["Ngày thành lập"] == dt.datetime(2018, 4, 2)
    assert sheet.cell(row=4, column=header.index("Ngày thành lập") + 1).number_format == "dd/mm/yyyy"
    assert (cooperative["Có giấy tờ sắp hết hạn"], household["Có giấy tờ đã hết hạn"]) == ("Có", "Có")
    assert household["Có giấy tờ sắp hết hạn"] is None


def test_export_csv_starts_with_a_bom_and_keeps_vietnamese(client, units, registry):
    login(client, "province-agency", units.bac_ninh)
    response = client.get(reverse("producers:producer_export", args=["csv"]), {"legal_form": "cooperative"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Tên chủ thể", "Loại hình", "Mã số thuế"]
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(r["Tên chủ thể"], r["Xã/phường"], r["Loại hình"]) for r in records] == [
        ("HTX Chè Bố Hạ", "Xã Bố Hạ", _vi_label(LegalForm, "cooperative")),
        ("HTX Gà đồi Yên Thế", "Xã Yên Thế", _vi_label(LegalForm, "cooperative")),
    ]
    assert records[1]["Ngày thành lập"] == "02/04/2018"


def test_export_is_scoped_like_the_list(client, units, registry):
    login(client, "commune-officer", units.bo_ha)
    response = client.get(reverse("producers:producer_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Công ty Lớn Bố Hạ", "HTX Chè Bố Hạ"]


def test_export_of_an_unknown_format_is_404(client, units):
    login(client, "province-agency", units.bac_ninh)
    assert client.get(reverse("producers:producer_export", args=["pdf"])).status_code == 404


# --- query counts --------------------------------------------------------------------------------
def _make(units, vietgap, count):
    for index in range(count):
        producer = ProducerFactory(name=f"HTX số {index}", address_unit=units.yen_the)
        ProductFactory(producer=producer, name=f"Sản phẩm {index}")
        add_document(producer, document_type=vietgap, valid_until=today() + dt.timedelta(days=index))


@pytest.mark.parametrize("item_count", [1, 3])
def test_filtered_list_query_count_is_constant(client, units, vietgap, django_assert_num_queries, item_count):
    _make(units, vietgap, item_count)
    login(client, "province-agency", units.bac_ninh)
    params = {"province": units.bac_ninh.pk, "commune": units.yen_the.pk, "documents": "expiring"}
    # session, user, savepoint, memberships, commune check, province and commune validation, count, release,
    # province and commune options, page rows
    with django_assert_num_queries(13):
        response = client.get(LIST, params)
    assert len(_names(response)) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_export_query_count_is_constant(client, units, vietgap, django_assert_num_queries, item_count):
    _make(units, vietgap, item_count)
    login(client, "province-agency", units.bac_ninh)
    # session, user, savepoint, memberships, release, rows
    with django_assert_num_queries(6):
        response = client.get(reverse("producers:producer_export", args=["xlsx"]))
    assert load_workbook(io.BytesIO(response.content)).active.max_row == item_count + 1
    assert vi("All")  # the page helpers stay importable
