"""The product importer row by row (the job machinery is tested in tests/imports)."""

import datetime as dt
from decimal import Decimal

import pytest

from ocop.core.importing import CellError, RowErrors
from ocop.core.models import ActivityLog
from ocop.legal.models import LegalBasis
from ocop.products.importers import ProductImporter
from ocop.products.models import Product, ProductCategory, StarRecord
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def producers(units):
    return {
        "yen_the": ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the, tax_code="2400871238"),
        "bo_ha": ProducerFactory(name="HTX Vải thiều Bố Hạ", address_unit=units.bo_ha, tax_code="0100109106-013"),
        "son_ha": ProducerFactory(name="HTX Thân Trường", address_unit=units.son_ha, tax_code="4300123458"),
    }


@pytest.fixture
def officer(units):
    return make_user_with_role("province-agency", units.bac_ninh)


@pytest.fixture
def importer(producers, officer):
    return ProductImporter(actor=officer)


def _row(**values) -> dict:
    row = {
        "name": "Vải thiều sấy khô Bố Hạ",
        "producer_tax_code": "0100109106-013",
        "producer_name": None,
        "legal_basis": None,
        "category": "7",
        "code": None,
        "description": "Vải thiều sấy nguyên quả",
        "packaging": "Túi  500 g",
        "shelf_life": "12 tháng",
        "quality_standard": "TCCS 01:2024",
        "stars": None,
        "score": None,
        "recognised_on": None,
        "valid_until": None,
        "decision_number": None,
    }
    row.update(values)
    return row


def _errors(importer, **values) -> dict[str, str]:
    with pytest.raises(RowErrors) as info:
        importer.clean_row(_row(**values))
    return info.value.errors


def _category(basis, **lookup):
    return ProductCategory.objects.get(legal_basis__code=basis, **lookup)


def test_columns_and_headers(importer):
    assert [(c.key, c.header, c.required) for c in importer.columns] == [
        ("name", "Tên sản phẩm", True),
        ("producer_tax_code", "Mã số thuế chủ thể", False),
        ("producer_name", "Tên chủ thể", False),
        ("legal_basis", "Căn cứ phân loại", False),
        ("category", "Bộ sản phẩm", True),
        ("code", "Mã sản phẩm", False),
        ("description", "Mô tả", False),
        ("packaging", "Quy cách đóng gói", False),
        ("shelf_life", "Hạn sử dụng", False),
        ("quality_standard", "Tiêu chuẩn chất lượng áp dụng", False),
        ("stars", "Hạng sao đã công nhận", False),
        ("score", "Điểm", False),
        ("recognised_on", "Ngày công nhận", False),
        ("valid_until", "Hiệu lực đến", False),
        ("decision_number", "Số quyết định công nhận", False),
    ]
    assert importer.columns[3].choices == ("26/2026/QĐ-TTg", "148/QĐ-TTg", "1048/QĐ-TTg")
    assert (importer.kind, len(importer.instructions)) == ("products", 5)


def test_clean_row_builds_an_unsaved_product(importer, producers):
    clean = importer.clean_row(_row())

    product = clean["product"]
    assert product.pk is None
    assert (product.producer, product.name, product.name_folded, product.code) == (
        producers["bo_ha"],
        "Vải thiều sấy khô Bố Hạ",
        "vai thieu say kho bo ha",
        "",
    )
    assert (product.description, product.packaging, product.shelf_life, product.quality_standard) == (
        "Vải thiều sấy nguyên quả",
        "Túi 500 g",
        "12 tháng",
        "TCCS 01:2024",
    )
    assert clean["category"] == _category("26/2026/QĐ-TTg", sheet_number=7)
    assert clean["star"] is None
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "category", ["7", 7, 7.0, "I.3.c", "i.3.c", "Chế biến từ rau, củ, quả, hạt", "che bien tu rau, cu, qua, hat"]
)
def test_the_product_set_by_sheet_number_code_or_name(importer, category):
    assert importer.clean_row(_row(category=category))["category"] == _category("26/2026/QĐ-TTg", sheet_number=7)


@pytest.mark.parametrize(
    ("basis", "category", "expected"),
    [
        ("148/QĐ-TTg", "1", ("148/QĐ-TTg", "I.1.a")),
        ("QĐ 148/2023", "13", ("148/QĐ-TTg", "I.6")),
        ("qd 148/2023", "13", ("148/QĐ-TTg", "I.6")),
        ("1048/QĐ-TTg", "Thảo dược", ("1048/QĐ-TTg", "III")),
        ("1048/qd-ttg", "I", ("1048/QĐ-TTg", "I")),
        ("26/2026/QĐ-TTg", "26", ("26/2026/QĐ-TTg", "VI.1")),
    ],
)
def test_the_product_set_is_looked_up_under_the_basis_of_the_row(importer, basis, category, expected):
    found = importer.clean_row(_row(legal_basis=basis, category=category))["category"]
    assert (found.legal_basis.code, found.code) == expected


@pytest.mark.parametrize(
    ("typed", "producer"),
    [("0100109106-013", "bo_ha"), ("0100109106013", "bo_ha"), ("0100 109 106 - 013", "bo_ha"), (2400871238, "yen_the")],
)
def test_producer_by_tax_code_in_any_spelling(importer, producers, typed, producer):
    assert importer.clean_row(_row(producer_tax_code=typed))["product"].producer == producers[producer]


@pytest.mark.parametrize("name", ["HTX Gà đồi Yên Thế", "htx ga doi yen the", "  HTX  GÀ ĐỒI YÊN THẾ "])
def test_producer_by_exact_name_when_there_is_no_tax_code(importer, producers, name):
    assert (
        importer.clean_row(_row(producer_tax_code=None, producer_name=name))["product"].producer == producers["yen_the"]
    )


# One message per bad cell, on the right column -------------------------------------------------


def test_missing_name(english, importer):
    assert _errors(importer, name=None) == {"name": "The product name is required."}


def test_unknown_producer_tax_code(english, importer):
    assert _errors(importer, producer_tax_code="0100109106") == {
        "producer_tax_code": "No producer with this tax code is registered in your area."
    }


def test_producer_outside_the_actors_scope(english, importer):
    # HTX Thân Trường (Quảng Ngãi) exists, but not for an officer of Bắc Ninh.
    assert _errors(importer, producer_tax_code="4300123458") == {
        "producer_tax_code": "No producer with this tax code is registered in your area."
    }
    assert _errors(importer, producer_tax_code=None, producer_name="HTX Thân Trường") == {
        "producer_name": "No producer with this name is registered in your area."
    }


def test_producer_name_matching_several_producers(english, importer, units):
    ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.bo_ha)
    importer = ProductImporter(actor=make_user_with_role("province-agency", units.bac_ninh))
    assert _errors(importer, producer_tax_code=None, producer_name="HTX Gà đồi Yên Thế") == {
        "producer_name": "Several producers have this name; give the tax code."
    }


def test_no_producer_given(english, importer):
    assert _errors(importer, producer_tax_code=None, producer_name=None) == {
        "producer_tax_code": "Give the producer's tax code or name."
    }


def test_a_commune_officer_imports_only_for_producers_of_the_commune(english, units, producers):
    importer = ProductImporter(actor=make_user_with_role("commune-officer", units.yen_the))
    assert importer.clean_row(_row(producer_tax_code="2400871238"))["product"].producer == producers["yen_the"]
    assert _errors(importer) == {"producer_tax_code": "No producer with this tax code is registered in your area."}


def test_an_actor_who_cannot_edit_the_registry_finds_no_producer(english, units, producers):
    for actor in (None, make_user_with_role("council-member", units.bac_ninh)):
        importer = ProductImporter(actor=actor)
        assert _errors(importer) == {"producer_tax_code": "No producer with this tax code is registered in your area."}


def test_unknown_legal_basis(english, importer):
    assert _errors(importer, legal_basis="QĐ 99/2030") == {
        "legal_basis": "“QĐ 99/2030” is not a known legal basis (e.g. 26/2026/QĐ-TTg)."
    }
    # An amendment carries no taxonomy of its own.
    assert _errors(importer, legal_basis="1489/QĐ-TTg") == {
        "legal_basis": "“1489/QĐ-TTg” is not a known legal basis (e.g. 26/2026/QĐ-TTg)."
    }


@pytest.mark.parametrize(
    ("basis", "category", "basis_name"),
    [
        (None, "Thảo dược", "QĐ 26/2026"),  # a 1048 sector name under the default basis
        ("26/2026/QĐ-TTg", "Thực phẩm", "QĐ 26/2026"),
        ("1048/QĐ-TTg", "7", "QĐ 1048/2019"),  # 1048 has no criteria sheets
        ("26/2026/QĐ-TTg", "27", "QĐ 26/2026"),
        ("26/2026/QĐ-TTg", "I.1", "QĐ 26/2026"),  # a heading, not a set
    ],
)
def test_a_set_that_is_not_under_the_chosen_basis(english, importer, basis, category, basis_name):
    assert _errors(importer, legal_basis=basis, category=category) == {
        "category": f"“{category}” is not a product set under {basis_name}."
    }


def test_missing_product_set(english, importer):
    assert _errors(importer, category=" ") == {"category": "The product set is required."}


def test_current_code_is_kept_canonical(importer):
    product = importer.clean_row(_row(code="24-07294-001-2025"))["product"]
    assert (product.code, product.code_format, product.code_commune, product.code_sequence) == (
        "24-07294-1-2025",
        "current",
        "07294",
        1,
    )


def test_legacy_code_is_parsed(importer):
    product = importer.clean_row(_row(code="24-215-07294-3-2022"))["product"]
    assert (
        product.code,
        product.code_format,
        product.code_province,
        product.code_district,
        product.code_commune,
        product.code_sequence,
        product.code_year,
    ) == ("24-215-07294-3-2022", "legacy", "24", "215", "07294", 3, 2022)


def test_bad_code(english, importer):
    assert _errors(importer, code="24-07294-2025") == {
        "code": (
            "Enter a product code as T-X-STT-YYYY (2-digit province code - 5-digit commune code - sequence number "
            "- evaluation year), e.g. 24-07288-1-2025, or a legacy code with a district code, "
            "e.g. 83-829-28780-3-2022."
        )
    }


def test_code_of_an_existing_product(english, importer, producers):
    ProductFactory(producer=producers["son_ha"], name="Chè xanh", code="24-07294-1-2025")
    assert _errors(importer, code="24-07294-001-2025") == {"code": "A product with this code already exists."}


def test_stars_with_their_decision(importer):
    clean = importer.clean_row(
        _row(
            stars=4,
            score="78,5",
            recognised_on="15/01/2024",
            valid_until=dt.date(2027, 1, 15),
            decision_number="96/QĐ-UBND",
            legal_basis="148/QĐ-TTg",
            category="4",
        )
    )
    assert clean["star"] == {
        "stars": 4,
        "score": Decimal("78.5"),
        "recognised_on": dt.date(2024, 1, 15),
        "valid_until": dt.date(2027, 1, 15),
        "decision_number": "96/QĐ-UBND",
        "legal_basis": LegalBasis.objects.get(code="148/QĐ-TTg"),
    }


def test_stars_without_a_recognition_date(english, importer):
    assert _errors(importer, stars=3) == {"recognised_on": "Give the recognition date of the star ranking."}


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"stars": 6, "recognised_on": "01/01/2024"}, {"stars": "Stars must be between 1 and 5."}),
        ({"stars": 0, "recognised_on": "01/01/2024"}, {"stars": "Enter a whole number of at least 1."}),
        ({"stars": "ba", "recognised_on": "01/01/2024"}, {"stars": "Enter a whole number, e.g. 12."}),
        (
            {"stars": 3, "recognised_on": "32/01/2024"},
            {"recognised_on": "“32/01/2024” is not a real date (check the day and the month)."},
        ),
        (
            {"stars": 3, "recognised_on": "01/01/2024", "score": "nhiều"},
            {"score": "Enter a number, e.g. 1.500.000 or 2,5."},
        ),
        (
            {"stars": 3, "recognised_on": "01/01/2024", "valid_until": "01/01/2024"},
            {"valid_until": "The expiry date must be after the recognition date."},
        ),
        ({"stars": 3, "recognised_on": "01/01/2024", "score": 101}, {"score": "The score must be between 0 and 100."}),
    ],
)
def test_bad_star_cells(english, importer, values, errors):
    assert _errors(importer, **values) == errors


def test_every_problem_of_a_row_is_reported_at_once(english, importer):
    assert _errors(importer, name=None, producer_tax_code="0100109106", category="Thảo dược", stars=3) == {
        "name": "The product name is required.",
        "producer_tax_code": "No producer with this tax code is registered in your area.",
        "category": "“Thảo dược” is not a product set under QĐ 26/2026.",
        "recognised_on": "Give the recognition date of the star ranking.",
    }


def test_duplicate_codes_within_the_file(english, importer):
    rows = [
        (2, importer.clean_row(_row(code="24-07294-1-2025"))),
        (3, importer.clean_row(_row(code=None))),
        (4, importer.clean_row(_row(code="24-07294-001-2025"))),
        (5, importer.clean_row(_row(code=None))),
    ]
    assert importer.check_rows(rows) == [
        CellError(2, "code", "24-07294-1-2025", "The same value is also on row(s) 4 of this file."),
        CellError(4, "code", "24-07294-1-2025", "The same value is also on row(s) 2 of this file."),
    ]
    assert importer.check_rows(rows[:2]) == []


def test_write_rows_creates_classifies_and_records_stars(importer, officer, producers, units):
    rows = [
        (2, importer.clean_row(_row(code="24-07294-2-2025"))),
        (
            3,
            importer.clean_row(
                _row(
                    name="Mật ong hoa vải",
                    legal_basis="1048/QĐ-TTg",
                    category="I",
                    code="24-215-07294-3-2022",
                    stars=3,
                    recognised_on="20/12/2022",
                    valid_until="20/12/2099",
                    decision_number="2789/QĐ-UBND",
                )
            ),
        ),
    ]
    progress: list[int] = []

    assert importer.write_rows(rows, progress.append) == 2

    assert progress == []
    dried, honey = Product.objects.order_by("pk")
    assert (dried.name, dried.code, dried.created_by, dried.current_stars) == (
        "Vải thiều sấy khô Bố Hạ",
        "24-07294-2-2025",
        officer,
        None,
    )
    assert [(c.legal_basis.code, c.category.code) for c in dried.classifications.all()] == [("26/2026/QĐ-TTg", "I.3.c")]
    assert [(c.legal_basis.code, c.category.code) for c in honey.classifications.all()] == [("1048/QĐ-TTg", "I")]
    assert [(s.stars, s.source, s.legal_basis.code, s.decision_number) for s in StarRecord.objects.all()] == [
        (3, "import", "1048/QĐ-TTg", "2789/QĐ-UBND")
    ]
    assert (honey.current_stars, honey.current_stars_valid_until) == (3, dt.date(2099, 12, 20))
    # A current-format code moves the commune's counter on; a legacy one does not.
    assert units.bo_ha.product_code_counter.last_sequence == 2
    assert ActivityLog.objects.filter(action_type="products.product.create", data={"source": "import"}).count() == 2
