"""The product list: filters (unit, legal form, product group, stars, certificate status, search),
sorting, pagination, exports and a query count that does not grow with the list."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ocop.legal.models import LegalBasis
from ocop.products.services import classify_product, record_star, refresh_current_stars
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.products.views.integration.helpers import BASIS_148, BASIS_2026, category, view_cases
from tests.utils import assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def today():
    """Read at use time, not at collection: a long run can cross midnight (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def _names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].page.object_list]


@pytest.fixture
def registry(units):
    """Five products in three provinces with different sets, legal forms, stars and certificates."""
    yen_the = ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the, tax_code="2400871238")
    bo_ha = ProducerFactory(name="Công ty Vải thiều Bố Hạ", legal_form="enterprise", address_unit=units.bo_ha)
    hong_linh = ProducerFactory(name="Hộ Mật ong Hồng Lĩnh", legal_form="household", address_unit=units.nam_hong_linh)
    son_ha = ProducerFactory(name="Công ty Rượu Sơn Hà", legal_form="enterprise", address_unit=units.son_ha)

    ga = ProductFactory(
        producer=yen_the, name="Gà đồi Yên Thế", code="24-07288-1-2025", category=category(BASIS_2026, "I.1.b")
    )
    now = today()
    record_star(ga, stars=4, recognised_on=now - dt.timedelta(days=100), valid_until=now + dt.timedelta(days=900))

    vai = ProductFactory(producer=bo_ha, name="Vải thiều Bố Hạ", category=category(BASIS_2026, "I.1.a"))
    record_star(vai, stars=3, recognised_on=now - dt.timedelta(days=1000), valid_until=now + dt.timedelta(days=60))

    mat_ong = ProductFactory(producer=hong_linh, name="Mật ong rừng", category=category(BASIS_2026, "I.2.b"))
    record_star(mat_ong, stars=5, recognised_on=dt.date(2021, 3, 1), valid_until=dt.date(2024, 3, 1))

    # Stale current stars: recorded while valid, the certificate has expired since.
    tra = ProductFactory(producer=hong_linh, name="Trà thảo mộc", category=category(BASIS_2026, "I.5.b"))
    record_star(tra, stars=5, recognised_on=dt.date(2022, 1, 10), valid_until=today() - dt.timedelta(days=1))
    refresh_current_stars(tra, today=today() - dt.timedelta(days=2))

    ruou = ProductFactory(producer=son_ha, name="Rượu men lá Sơn Hà", category=category(BASIS_2026, "II.1.a"))
    # Classified under 148 only for this set: the 26/2026 group filter must not see it.
    classify_product(ruou, category=category(BASIS_148, "I.1.a"))
    return {"ga": ga, "vai": vai, "mat_ong": mat_ong, "tra": tra, "ruou": ruou}


@pytest.fixture
def national_client(client, units):
    client.force_login(make_user_with_role("ministry-office", units.country))
    return client


# ---------------------------------------------------------------------------------------------
# Permissions and scoping
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_permission_matrix(units, product, fmt):
    url = reverse("products:product_export", args=[fmt])
    assert_permission_matrix(url, view_cases(units, product, list_view=True))


def test_commune_options_permission_matrix(units, product):
    url = reverse("products:commune_options")
    assert_permission_matrix(url, view_cases(units, product, list_view=True))


def test_export_of_an_unknown_format_is_not_found(national_client):
    assert national_client.get(reverse("products:product_export", args=["pdf"])).status_code == 404


def test_producer_account_sees_only_its_own_products(client, units, registry):
    producer = registry["mat_ong"].producer
    client.force_login(make_user_with_role("producer", units.nam_hong_linh, producer=producer))
    assert _names(client.get(reverse("products:product_list"))) == ["Mật ong rừng", "Trà thảo mộc"]


def test_commune_officer_sees_only_the_commune(client, units, registry):
    client.force_login(make_user_with_role("commune-officer", units.bo_ha))
    assert _names(client.get(reverse("products:product_list"))) == ["Vải thiều Bố Hạ"]


def test_buttons_follow_the_change_permission(client, units, registry):
    client.force_login(make_user_with_role("commune-officer", units.bo_ha))
    content = client.get(reverse("products:product_list")).content.decode()
    assert f'href="{reverse("products:product_create")}" data-testid="new-product"' in content
    client.force_login(make_user_with_role("ministry-office", units.country))
    content = client.get(reverse("products:product_list")).content.decode()
    assert 'data-testid="new-product"' not in content
    assert 'data-testid="export-xlsx"' in content


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Gà đồi Yên Thế", "Mật ong rừng", "Rượu men lá Sơn Hà", "Trà thảo mộc", "Vải thiều Bố Hạ"]),
        # Unit on today's map
        ({"province": "bac_ninh"}, ["Gà đồi Yên Thế", "Vải thiều Bố Hạ"]),
        ({"province": "bac_ninh", "commune": "yen_the"}, ["Gà đồi Yên Thế"]),
        ({"commune": "bo_ha"}, ["Vải thiều Bố Hạ"]),
        ({"province": "ha_tinh"}, ["Mật ong rừng", "Trà thảo mộc"]),
        # A commune left over from another province is ignored: the province decides.
        ({"province": "ha_tinh", "commune": "yen_the"}, ["Mật ong rừng", "Trà thảo mộc"]),
        # Producer legal form
        ({"legal_form": "enterprise"}, ["Rượu men lá Sơn Hà", "Vải thiều Bố Hạ"]),
        ({"legal_form": "cooperative"}, ["Gà đồi Yên Thế"]),
        ({"legal_form": "farm"}, []),
        # Product group of 26/2026: sector, group or set
        ({"group": "I"}, ["Gà đồi Yên Thế", "Mật ong rừng", "Trà thảo mộc", "Vải thiều Bố Hạ"]),
        ({"group": "I.1"}, ["Gà đồi Yên Thế", "Vải thiều Bố Hạ"]),
        ({"group": "I.1.a"}, ["Vải thiều Bố Hạ"]),
        ({"group": "II"}, ["Rượu men lá Sơn Hà"]),
        ({"group": "III"}, []),
        # Stars (current, valid)
        ({"stars": "4"}, ["Gà đồi Yên Thế"]),
        ({"stars": "3"}, ["Vải thiều Bố Hạ"]),
        ({"stars": "5"}, []),
        ({"stars": "3+"}, ["Gà đồi Yên Thế", "Vải thiều Bố Hạ"]),
        ({"stars": "none"}, ["Mật ong rừng", "Rượu men lá Sơn Hà", "Trà thảo mộc"]),
        # Certificate status
        ({"status": "valid"}, ["Gà đồi Yên Thế"]),
        ({"status": "expiring"}, ["Vải thiều Bố Hạ"]),
        ({"status": "expired"}, ["Mật ong rừng", "Trà thảo mộc"]),
        ({"status": "none"}, ["Rượu men lá Sơn Hà"]),
        # Combined
        ({"province": "bac_ninh", "stars": "3+", "status": "valid"}, ["Gà đồi Yên Thế"]),
        # Search
        ({"q": "ga doi yen the"}, ["Gà đồi Yên Thế"]),
        ({"q": "GÀ ĐỒI"}, ["Gà đồi Yên Thế"]),
        ({"q": "24-07288-001-2025"}, ["Gà đồi Yên Thế"]),
        ({"q": "24-07288-2-2025"}, []),
    ],
)
def test_filter_returns_exactly_the_expected_products(national_client, units, registry, params, expected):
    query = {}
    for key, value in params.items():
        if key in ("province", "commune"):
            value = getattr(units, value).pk
        elif key == "group":
            value = category(BASIS_2026, value).pk
        query[key] = value
    assert _names(national_client.get(reverse("products:product_list"), query)) == expected


def test_expiring_window_comes_from_the_legal_basis(national_client, registry):
    basis = LegalBasis.objects.get(code=BASIS_2026)
    url = reverse("products:product_list")
    assert "180" in dict(_status_labels(national_client))["expiring"]
    LegalBasis.objects.filter(pk=basis.pk).update(
        parameters={**basis.parameters, "rerating_window_opens_days_before_expiry": 30}
    )
    assert "30" in dict(_status_labels(national_client))["expiring"]
    assert _names(national_client.get(url, {"status": "expiring"})) == []
    assert _names(national_client.get(url, {"status": "valid"})) == ["Gà đồi Yên Thế", "Vải thiều Bố Hạ"]


def test_invalid_filter_value_shows_no_rows(national_client, registry):
    assert _names(national_client.get(reverse("products:product_list"), {"stars": "9"})) == []


def test_commune_select_lists_the_communes_of_the_chosen_province(national_client, units, registry):
    response = national_client.get(reverse("products:product_list"), {"province": units.bac_ninh.pk})
    choices = dict(response.context["filter"].form.fields["commune"].widget.choices)
    assert choices[units.yen_the.pk] == "Xã Yên Thế"
    assert units.son_ha.pk not in choices
    assert len(choices) == 1 + 99  # "All" and the 99 communes and wards of Bắc Ninh

    options = national_client.get(reverse("products:commune_options"), {"province": units.quang_ngai.pk})
    assert f'<option value="{units.son_ha.pk}">Xã Sơn Hà</option>' in options.content.decode()
    assert "Xã Yên Thế" not in options.content.decode()


def test_group_select_lists_the_26_2026_taxonomy(national_client, registry):
    response = national_client.get(reverse("products:product_list"))
    field = response.context["filter"].form.fields["group"]
    labels = [label for _value, label in field.choices][1:4]
    assert labels == [
        "I Sản phẩm thực phẩm",
        "\u2003I.1 Thực phẩm tươi sống",
        "\u2003\u2003I.1.a Rau, củ, quả, hạt tươi",
    ]
    assert {c.legal_basis.code for c in field.queryset} == {BASIS_2026}


# ---------------------------------------------------------------------------------------------
# Columns, sorting, pagination, htmx
# ---------------------------------------------------------------------------------------------
def test_rows_show_set_stars_commune_and_province(national_client, registry):
    response = national_client.get(reverse("products:product_list"), {"q": "ga doi"})
    row = response.context["table"].page.object_list[0]
    assert [str(row.get_cell_value(c)) for c in ("name", "code", "producer", "set_name", "commune", "province")] == [
        "Gà đồi Yên Thế",
        "24-07288-1-2025",
        "HTX Gà đồi Yên Thế",
        "Thịt, thủy sản, trứng, sữa tươi",
        "Xã Yên Thế",
        "Thành phố Bắc Ninh",
    ]
    assert "★★★★</span>" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Gà đồi Yên Thế", "Mật ong rừng", "Rượu men lá Sơn Hà", "Trà thảo mộc", "Vải thiều Bố Hạ"]),
        ("-name", ["Vải thiều Bố Hạ", "Trà thảo mộc", "Rượu men lá Sơn Hà", "Mật ong rừng", "Gà đồi Yên Thế"]),
        ("set_name", ["Vải thiều Bố Hạ", "Gà đồi Yên Thế", "Mật ong rừng", "Trà thảo mộc", "Rượu men lá Sơn Hà"]),
        ("province", ["Gà đồi Yên Thế", "Vải thiều Bố Hạ", "Mật ong rừng", "Trà thảo mộc", "Rượu men lá Sơn Hà"]),
    ],
)
def test_sorting(national_client, registry, sort, expected):
    assert _names(national_client.get(reverse("products:product_list"), {"sort": sort})) == expected


def test_sorting_by_stars_puts_the_rated_first_descending(national_client, registry):
    names = _names(national_client.get(reverse("products:product_list"), {"sort": "-stars_now", "stars": "3+"}))
    assert names == ["Gà đồi Yên Thế", "Vải thiều Bố Hạ"]


def test_pagination_keeps_25_rows_a_page(national_client, units):
    producer = ProducerFactory(address_unit=units.yen_the)
    for index in range(27):
        ProductFactory(producer=producer, name=f"Sản phẩm {index:02d}")
    url = reverse("products:product_list")
    first, second = national_client.get(url), national_client.get(url, {"page": 2})
    assert len(_names(first)) == 25
    assert _names(second) == ["Sản phẩm 25", "Sản phẩm 26"]


def test_htmx_request_renders_only_the_results(national_client, registry):
    response = national_client.get(reverse("products:product_list"), {"status": "valid"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results"')
    assert "<html" not in content
    assert 'href="/products/export.xlsx?status=valid"' in content
    assert 'href="/products/export.csv?status=valid"' in content


@pytest.mark.parametrize("item_count", [1, 3])
def test_query_count_does_not_grow_with_the_list(client, units, django_assert_num_queries, item_count):
    producer = ProducerFactory(address_unit=units.yen_the)
    for index in range(item_count):
        product = ProductFactory(producer=producer, name=f"Sản phẩm {index}", category=category(BASIS_2026, "I.1.a"))
        record_star(product, stars=3, recognised_on=dt.date(2025, 1, 5), valid_until=dt.date(2028, 1, 5))
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    query = {"province": units.bac_ninh.pk, "group": category(BASIS_2026, "I").pk, "status": "valid"}
    # Session, user, memberships, savepoint and release; the legal basis; the submitted province and
    # group; the group's subtree; count and rows; the province, commune and group choices.
    with django_assert_num_queries(15):
        response = client.get(reverse("products:product_list"), query)
    assert len(_names(response)) == item_count


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------
HEADERS = [
    "Tên sản phẩm",
    "Mã sản phẩm",
    "Chủ thể",
    "Mã số thuế chủ thể",
    "Loại hình chủ thể",
    "Mã bộ sản phẩm (26/2026)",
    "Bộ sản phẩm (26/2026)",
    "Hạng sao",
    "Hiệu lực đến",
    "Tình trạng chứng nhận",
    "Xã/phường",
    "Tỉnh/thành phố",
]


def test_xlsx_export_keeps_the_filters(national_client, units, registry):
    response = national_client.get(
        reverse("products:product_export", args=["xlsx"]), {"province": units.bac_ninh.pk, "sort": "-name"}
    )

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="san-pham-ocop-{today():%Y%m%d}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    form_cooperative = registry["ga"].producer.get_legal_form_display()
    form_enterprise = registry["vai"].producer.get_legal_form_display()
    labels = dict(_status_labels(national_client))
    expiring, valid = labels["expiring"], labels["valid"]
    assert rows[1:] == [
        [
            "Vải thiều Bố Hạ",
            None,
            "Công ty Vải thiều Bố Hạ",
            None,
            form_enterprise,
            "I.1.a",
            "Rau, củ, quả, hạt tươi",
            3,
            dt.datetime.combine(today() + dt.timedelta(days=60), dt.time()),
            expiring,
            "Xã Bố Hạ",
            "Thành phố Bắc Ninh",
        ],
        [
            "Gà đồi Yên Thế",
            "24-07288-1-2025",
            "HTX Gà đồi Yên Thế",
            "2400871238",
            form_cooperative,
            "I.1.b",
            "Thịt, thủy sản, trứng, sữa tươi",
            4,
            dt.datetime.combine(today() + dt.timedelta(days=900), dt.time()),
            valid,
            "Xã Yên Thế",
            "Thành phố Bắc Ninh",
        ],
    ]


def _status_labels(client):
    response = client.get(reverse("products:product_list"))
    return response.context["filter"].form.fields["status"].choices


def test_csv_export_is_utf8_with_bom_and_keeps_the_filters(national_client, registry):
    response = national_client.get(reverse("products:product_export", args=["csv"]), {"status": "expired"})

    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="san-pham-ocop-{today():%Y%m%d}.csv"'
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    expired = dict(_status_labels(national_client))["expired"]
    assert rows[1:] == [
        [
            "Mật ong rừng",
            "",
            "Hộ Mật ong Hồng Lĩnh",
            "",
            registry["mat_ong"].producer.get_legal_form_display(),
            "I.2.b",
            "Mật ong, mật khác và nông sản thực phẩm khác",
            "",
            "01/03/2024",
            expired,
            "Phường Nam Hồng Lĩnh",
            "Tỉnh Hà Tĩnh",
        ],
        [
            "Trà thảo mộc",
            "",
            "Hộ Mật ong Hồng Lĩnh",
            "",
            registry["tra"].producer.get_legal_form_display(),
            "I.5.b",
            "Sản phẩm chè từ thực vật khác",
            "",
            f"{today() - dt.timedelta(days=1):%d/%m/%Y}",
            expired,
            "Phường Nam Hồng Lĩnh",
            "Tỉnh Hà Tĩnh",
        ],
    ]


def test_export_is_scoped_to_the_user(client, units, registry):
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.get(reverse("products:product_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Gà đồi Yên Thế"]


def test_phone_filter_panel_stays_open_while_a_filter_is_set(national_client, registry):
    url = reverse("products:product_list")
    closed = national_client.get(url, {"q": "ga"}).content.decode()
    opened = national_client.get(url, {"stars": "3+"}).content.decode()
    assert 'class="col-12 collapse d-md-block" id="product-filter-more"' in closed
    assert 'class="col-12 collapse d-md-block show" id="product-filter-more"' in opened
