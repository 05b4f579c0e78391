"""The producer importer row by row (the job machinery is tested in tests/imports)."""

import datetime as dt

import pytest

from ocop.core.importing import CellError, RowErrors
from ocop.core.models import ActivityLog
from ocop.producers.enums import LegalForm
from ocop.producers.importers import ProducerImporter
from ocop.producers.models import LegalFormPeriod, Producer
from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def officer(units):
    """A province officer of Bắc Ninh: may add producers in every commune of the province."""
    return make_user_with_role("province-agency", units.bac_ninh)


@pytest.fixture
def importer(officer):
    return ProducerImporter(actor=officer)


def _row(**values) -> dict:
    """A row as ``read_rows`` gives it: every column of the template, blank cells as None."""
    row = {
        "name": "HTX Vải thiều Bố Hạ",
        "legal_form": "Hợp tác xã (HTX)",
        "tax_code": "2400871238",
        "registration_number": "2407a0123",
        "province": "Bắc Ninh",
        "commune": "Xã Bố Hạ",
        "address": "Thôn Tân Tiến",
        "representative_name": "Thân Văn Lực",
        "representative_gender": "male",
        "representative_ethnicity": "Kinh",
        "phone": "0204 3876 123",
        "email": "htx@boha.vn",
        "main_sector": None,
        "established_on": dt.date(2016, 5, 12),
        "labour_total": 25,
        "labour_local": 20,
        "labour_insured": 8,
        "member_count": 12,
    }
    row.update(values)
    return row


def _errors(importer, **values) -> dict[str, str]:
    with pytest.raises(RowErrors) as info:
        importer.clean_row(_row(**values))
    return info.value.errors


def test_columns_and_headers(importer):
    assert [(c.key, c.header, c.required) for c in importer.columns] == [
        ("name", "Tên chủ thể", True),
        ("legal_form", "Loại hình", True),
        ("tax_code", "Mã số thuế", False),
        ("registration_number", "Số đăng ký kinh doanh", False),
        ("province", "Tỉnh/thành phố", True),
        ("commune", "Xã/phường", True),
        ("address", "Địa chỉ (thôn, số nhà)", False),
        ("representative_name", "Người đại diện", False),
        ("representative_gender", "Giới tính người đại diện", False),
        ("representative_ethnicity", "Dân tộc người đại diện", False),
        ("phone", "Điện thoại", False),
        ("email", "Email", False),
        ("main_sector", "Ngành kinh doanh chính", False),
        ("established_on", "Ngày thành lập", False),
        ("labour_total", "Tổng số lao động", False),
        ("labour_local", "Lao động địa phương", False),
        ("labour_insured", "Lao động tham gia BHXH", False),
        ("member_count", "Số thành viên (HTX)", False),
    ]
    assert (importer.kind, len(importer.instructions)) == ("producers", 5)


def test_clean_row_builds_an_unsaved_producer(importer, units):
    clean = importer.clean_row(_row())

    producer = clean["producer"]
    assert producer.pk is None
    assert {
        "name": producer.name,
        "legal_form": producer.legal_form,
        "tax_code": producer.tax_code,
        "registration_number": producer.registration_number,
        "address_unit": producer.address_unit,
        "province": producer.province,
        "commune": producer.commune,
        "address": producer.address,
        "representative_name": producer.representative_name,
        "representative_gender": producer.representative_gender,
        "representative_ethnicity": producer.representative_ethnicity.code,
        "phone": producer.phone,
        "email": producer.email,
        "main_sector": producer.main_sector,
        "established_on": producer.established_on,
        "labour": (producer.labour_total, producer.labour_local, producer.labour_insured, producer.member_count),
        "size_class": producer.size_class,
    } == {
        "name": "HTX Vải thiều Bố Hạ",
        "legal_form": "cooperative",
        "tax_code": "2400871238",
        "registration_number": "2407A0123",
        "address_unit": units.bo_ha,
        "province": units.bac_ninh,
        "commune": units.bo_ha,
        "address": "Thôn Tân Tiến",
        "representative_name": "Thân Văn Lực",
        "representative_gender": "male",
        "representative_ethnicity": "01",
        "phone": "02043876123",
        "email": "htx@boha.vn",
        "main_sector": "",
        "established_on": dt.date(2016, 5, 12),
        "labour": (25, 20, 8, 12),
        "size_class": "",
    }
    assert not Producer.objects.exists()


def test_clean_row_with_only_the_required_columns(importer, units):
    values = {"name": "Hộ Nguyễn Văn An", "legal_form": "household", "province": "24", "commune": "07288"}
    producer = importer.clean_row(values)["producer"]
    assert (producer.name, producer.legal_form, producer.commune, producer.tax_code, producer.labour_total) == (
        "Hộ Nguyễn Văn An",
        "household",
        units.yen_the,
        "",
        None,
    )


@pytest.mark.parametrize(
    ("cell", "legal_form"),
    [
        ("Hợp tác xã (HTX)", "cooperative"),
        ("hop tac xa", "cooperative"),
        ("HTX", "cooperative"),
        ("Cooperative (HTX)", "cooperative"),
        ("enterprise", "enterprise"),
        ("Enterprise", "enterprise"),
        ("  farm ", "farm"),
    ],
)
def test_legal_form_by_label_in_either_language_or_by_value(importer, cell, legal_form):
    assert importer.clean_row(_row(legal_form=cell))["producer"].legal_form == legal_form


@pytest.mark.parametrize(
    ("province", "commune"),
    [
        ("Bắc Ninh", "Bố Hạ"),
        ("bac ninh", "xa bo ha"),
        ("Thành phố Bắc Ninh", "07294"),
        (24, 7294),  # codes that Excel turned into numbers
        ("24", "Xã  Bố   Hạ"),
    ],
)
def test_province_and_commune_by_name_or_code(importer, units, province, commune):
    assert importer.clean_row(_row(province=province, commune=commune))["producer"].commune == units.bo_ha


def test_an_enterprise_gets_its_size_class_from_the_row(english, importer):
    producer = importer.clean_row(
        _row(legal_form="enterprise", main_sector="Trade and services", labour_insured=8, labour_total=25)
    )["producer"]
    # No yearly figures in a registry import: the class stays unknown until they are recorded.
    assert (producer.main_sector, producer.size_class, producer.size_class_reason) == (
        "trade_services",
        "unknown",
        "Revenue and total capital are both missing, so the size class cannot be determined.",
    )


# One message per bad cell, on the right column -------------------------------------------------


def test_missing_name(english, importer):
    assert _errors(importer, name="  ") == {"name": "The producer's name is required."}


def test_missing_legal_form(english, importer):
    assert _errors(importer, legal_form=None) == {"legal_form": "The legal form is required."}


def test_unknown_legal_form(english, importer):
    labels = "; ".join(str(member.label) for member in LegalForm)
    assert _errors(importer, legal_form="Công ty cổ phần") == {
        "legal_form": f"“Công ty cổ phần” is not an allowed value. Choose one of: {labels}."
    }


@pytest.mark.parametrize(
    ("tax_code", "message"),
    [
        ("2400871239", "The check digit of this tax code is wrong: please look for a typing mistake."),
        (
            "24008",
            "Enter a tax code of 10 digits, a 13-digit branch code (10 digits, a dash and 3 digits) "
            "or a 12-digit personal identification number.",
        ),
    ],
)
def test_bad_tax_code(english, importer, tax_code, message):
    assert _errors(importer, tax_code=tax_code) == {"tax_code": message}


def test_a_tax_code_typed_as_a_number_keeps_its_digits(importer):
    assert importer.clean_row(_row(tax_code=2400871238))["producer"].tax_code == "2400871238"


def test_unknown_province(english, importer):
    # Bắc Giang was merged into Bắc Ninh: it is not on today's map (and the commune is not looked up).
    assert _errors(importer, province="Bắc Giang") == {"province": "“Bắc Giang” is not a province on today's map."}


def test_missing_province_and_commune(english, importer):
    assert _errors(importer, province=None, commune=None) == {
        "province": "The province is required.",
        "commune": "The commune is required.",
    }


def test_commune_not_in_the_province_suggests_names(english, importer):
    assert _errors(importer, commune="Xã Sơn Hà") == {
        "commune": "“Xã Sơn Hà” is not a commune of Thành phố Bắc Ninh on today's map. Did you mean: Xã Sơn Hải?"
    }
    assert _errors(importer, commune="Xã Phố Xưa") == {
        "commune": "“Xã Phố Xưa” is not a commune of Thành phố Bắc Ninh on today's map."
    }


def test_ambiguous_commune(english, units):
    importer = ProducerImporter(actor=make_user_with_role("province-agency", units.quang_ngai))
    assert _errors(importer, province="Quảng Ngãi", commune="son ha") == {
        "commune": "“son ha” matches several units (Xã Sơn Hà, Xã Sơn Hạ); write the full name."
    }
    # Written with its diacritics the name is not ambiguous.
    assert importer.clean_row(_row(province="Quảng Ngãi", commune="Xã Sơn Hà"))["producer"].commune == units.son_ha


def test_commune_outside_the_actors_scope(english, units):
    importer = ProducerImporter(actor=make_user_with_role("commune-officer", units.yen_the))
    assert _errors(importer, commune="Xã Bố Hạ") == {"commune": "You may not add producers in Xã Bố Hạ."}
    assert importer.clean_row(_row(commune="Xã Yên Thế"))["producer"].commune == units.yen_the


@pytest.mark.parametrize("actor", ["nobody", "council member", "anonymous"])
def test_actors_who_do_not_manage_the_registry_add_nowhere(english, units, actor):
    user = {
        "nobody": lambda: make_user_with_role(None),
        "council member": lambda: make_user_with_role("council-member", units.bac_ninh),
        "anonymous": lambda: None,
    }[actor]()
    assert _errors(ProducerImporter(actor=user)) == {"commune": "You may not add producers in Xã Bố Hạ."}


def test_unknown_ethnicity(english, importer):
    assert _errors(importer, representative_ethnicity="Xyz") == {
        "representative_ethnicity": "“Xyz” is not one of the 54 ethnic groups of Vietnam."
    }


@pytest.mark.parametrize(
    ("cell", "code"), [("Ê Đê", "12"), ("e de", "12"), ("Rhade", "12"), ("Mèo", "08"), ("H'Mông", "08")]
)
def test_ethnicity_by_name_or_other_name(importer, cell, code):
    assert importer.clean_row(_row(representative_ethnicity=cell))["producer"].representative_ethnicity.code == code


def test_local_labour_above_the_total(english, importer):
    assert _errors(importer, labour_total=25, labour_local=30, labour_insured=26) == {
        "labour_local": "Local workers (30) cannot be more than the total number of workers (25).",
        "labour_insured": "Workers with social insurance (26) cannot be more than the total number of workers (25).",
    }


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("labour_total", "mười", "Enter a whole number, e.g. 12."),
        ("labour_total", -1, "Enter a whole number of at least 0."),
        ("member_count", "2,5", "Enter a whole number, e.g. 12."),
        ("established_on", "31/02/2016", "“31/02/2016” is not a real date (check the day and the month)."),
        ("established_on", "2016", "Enter a date as dd/mm/yyyy, e.g. 31/12/2025."),
        (
            "phone",
            "12345",
            (
                "Enter a Vietnamese phone number: a 10-digit mobile number starting with 03, 05, 07, 08 or 09, "
                "or a 10- or 11-digit landline number starting with 02."
            ),
        ),
        ("email", "htx@", "Enter a valid email address."),
        ("registration_number", "AB", "A registration number must have 5 to 20 characters."),
        ("address", "x" * 300, "Ensure this value has at most 255 characters (it has 300)."),
    ],
)
def test_bad_cells_are_reported_on_their_column(english, importer, column, cell, message):
    assert _errors(importer, **{column: cell}) == {column: message}


def test_every_problem_of_a_row_is_reported_at_once(english, importer):
    assert _errors(
        importer, name=None, tax_code="2400871239", commune="Xã Sơn Hà", representative_ethnicity="Xyz", labour_local=99
    ) == {
        "name": "The producer's name is required.",
        "tax_code": "The check digit of this tax code is wrong: please look for a typing mistake.",
        "commune": "“Xã Sơn Hà” is not a commune of Thành phố Bắc Ninh on today's map. Did you mean: Xã Sơn Hải?",
        "representative_ethnicity": "“Xyz” is not one of the 54 ethnic groups of Vietnam.",
        "labour_local": "Local workers (99) cannot be more than the total number of workers (25).",
    }


def test_duplicate_of_an_existing_producer(english, importer, units):
    ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the, tax_code="2400871238")
    ProducerFactory(name="HTX Thân Trường", address_unit=units.son_ha, registration_number="2407A0123")

    assert _errors(importer) == {
        "tax_code": "Already registered to HTX Gà đồi Yên Thế.",
        "registration_number": "Already registered to HTX Thân Trường.",
    }


def test_duplicates_within_the_file(english, importer):
    rows = [
        (2, importer.clean_row(_row())),
        (3, importer.clean_row(_row(name="HTX Hai", tax_code="0100109106", registration_number="2407A0123"))),
        (4, importer.clean_row(_row(name="HTX Ba", tax_code="0100109106", registration_number=None))),
        (5, importer.clean_row(_row(name="HTX Bốn", tax_code=None, registration_number="9999-X"))),
    ]

    assert importer.check_rows(rows) == [
        CellError(3, "tax_code", "0100109106", "The same value is also on row(s) 4 of this file."),
        CellError(4, "tax_code", "0100109106", "The same value is also on row(s) 3 of this file."),
        CellError(2, "registration_number", "2407A0123", "The same value is also on row(s) 3 of this file."),
        CellError(3, "registration_number", "2407A0123", "The same value is also on row(s) 2 of this file."),
    ]
    assert importer.check_rows(rows[2:]) == []


def test_write_rows_saves_through_the_service(importer, officer, units):
    rows = [
        (2, importer.clean_row(_row())),
        (3, importer.clean_row(_row(name="HTX Hai", tax_code=None, registration_number=None))),
    ]
    progress: list[int] = []

    assert importer.write_rows(rows, progress.append) == 2

    assert progress == []  # reported every 100 rows
    assert [(p.name, p.created_by, p.commune) for p in Producer.objects.order_by("pk")] == [
        ("HTX Vải thiều Bố Hạ", officer, units.bo_ha),
        ("HTX Hai", officer, units.bo_ha),
    ]
    assert LegalFormPeriod.objects.count() == 2
    assert [
        (a.action_type, a.actor, a.data) for a in ActivityLog.objects.filter(action_type__startswith="producers.")
    ] == [
        ("producers.producer.create", officer, {"source": "import"}),
        ("producers.producer.create", officer, {"source": "import"}),
    ]


def test_write_rows_reports_progress_every_100_rows(importer):
    rows = [
        (n + 2, importer.clean_row(_row(name=f"HTX {n}", tax_code=None, registration_number=None))) for n in range(250)
    ]
    progress: list[int] = []
    assert importer.write_rows(rows, progress.append) == 250
    assert progress == [100, 200]
    assert Producer.objects.count() == 250
