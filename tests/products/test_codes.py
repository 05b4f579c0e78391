"""OCOP product codes T-X-STT-YYYY and legacy codes with a district (ocop.products.codes)."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.products.codes import (
    CURRENT,
    LEGACY,
    MAX_YEAR,
    MIN_YEAR,
    ProductCode,
    format_product_code,
    parse_product_code,
)

pytestmark = [pytest.mark.unit]

no_deadline = settings(deadline=None)


def error_code(function, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as excinfo:
        function(*args, **kwargs)
    return excinfo.value.code


def error_message(function, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as excinfo:
        function(*args, **kwargs)
    with override("en"):
        (message,) = excinfo.value.messages
    return message


# --- parsing ------------------------------------------------------------------------------------------------------


def test_parse_current_code():
    code = parse_product_code("24-07288-1-2025")
    assert code == ProductCode(CURRENT, "24", None, "07288", 1, 2025)
    assert code.format == "current"
    assert not code.is_legacy
    assert str(code) == "24-07288-1-2025"


def test_parse_legacy_code_with_a_district():
    code = parse_product_code("83-829-28780-3-2022")
    assert code == ProductCode(LEGACY, "83", "829", "28780", 3, 2022)
    assert code.format == "legacy"
    assert code.is_legacy
    assert str(code) == "83-829-28780-3-2022"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("24-07288-001-2025", "24-07288-1-2025"),
        ("24-07288-0012-2025", "24-07288-12-2025"),
        ("  24-07288-1-2025\n", "24-07288-1-2025"),
        ("24 - 07288 - 1 - 2025", "24-07288-1-2025"),
        ("24–07288–1–2025", "24-07288-1-2025"),  # en dashes
        ("24 – 07288 – 1 – 2025", "24-07288-1-2025"),
        ("24—07288—1—2025", "24-07288-1-2025"),  # em dashes
        ("24-215-07288-01-2022", "24-215-07288-1-2022"),
        ("83 – 829 – 28780 – 3 – 2022", "83-829-28780-3-2022"),
        ("01-00004-123456789-2100", "01-00004-123456789-2100"),
    ],
)
def test_parse_accepts_padding_dashes_and_spaces(typed, canonical):
    assert str(parse_product_code(typed)) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "24-7288-1-2025",  # 4-digit commune
        "24-007288-1-2025",  # 6-digit commune
        "4-07288-1-2025",  # 1-digit province
        "24-07288-1-25",  # 2-digit year
        "24-07288-1-20255",
        "24/07288/1/2025",
        "24.07288.1.2025",
        "24 07288 1 2025",
        "2407288-1-2025",
        "24-07288--1-2025",
        "24-07288-1a-2025",
        "24-07288-1-2025-1",
        "-24-07288-1-2025",
        "24-07288-1-2025-",
        "24-07288-2025",  # no sequence
        "24-07288--2025",
        "24-07288-1234567890-2025",  # sequence too long
        "24-2150-07288-1-2022",  # 4-digit district
        "24-21-07288-1-2022",
        "٢٤-07288-1-2025",  # Arabic-Indic digits
        "24-07288-1-2025 x",
        "24-07288-+1-2025",
    ],
)
def test_parse_rejects_anything_else_with_the_expected_format(text):
    assert error_code(parse_product_code, text) == "product_code_format"


def test_format_error_message_shows_the_expected_format():
    assert error_message(parse_product_code, "24/07288/1/2025") == (
        "Enter a product code as T-X-STT-YYYY (2-digit province code - 5-digit commune code - sequence number - "
        "evaluation year), e.g. 24-07288-1-2025, or a legacy code with a district code, e.g. 83-829-28780-3-2022."
    )


@pytest.mark.parametrize("text", ["24-07288-0-2025", "24-07288-000-2025", "83-829-28780-0-2022"])
def test_parse_rejects_a_zero_sequence(text):
    assert error_code(parse_product_code, text) == "product_code_sequence"
    assert error_message(parse_product_code, text) == "The sequence number in a product code must be 1 or more."


@pytest.mark.parametrize("text", ["24-07288-1-2017", "24-07288-1-2101", "24-07288-1-0000", "83-829-28780-3-1999"])
def test_parse_rejects_years_outside_2018_to_2100(text):
    assert error_code(parse_product_code, text) == "product_code_year"
    assert error_message(parse_product_code, text) == (
        "The evaluation year in a product code must be between 2018 and 2100."
    )


@pytest.mark.parametrize("year", [MIN_YEAR, MAX_YEAR])
def test_parse_accepts_the_first_and_last_year(year):
    assert parse_product_code(f"24-07288-1-{year}").year == year


# --- formatting ---------------------------------------------------------------------------------------------------


def test_format_product_code():
    assert format_product_code(province_code="24", commune_code="07288", sequence=1, year=2025) == "24-07288-1-2025"
    assert format_product_code(province_code="01", commune_code="00004", sequence=120, year=2026) == "01-00004-120-2026"


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        ({"province_code": "2"}, "product_code_format"),
        ({"province_code": 24}, "product_code_format"),
        ({"province_code": "24-215"}, "product_code_format"),
        ({"commune_code": "7288"}, "product_code_format"),
        ({"commune_code": 7288}, "product_code_format"),
        ({"commune_code": "07a88"}, "product_code_format"),
        ({"commune_code": "٠٧٢٨٨"}, "product_code_format"),
        ({"sequence": 0}, "product_code_sequence"),
        ({"sequence": -3}, "product_code_sequence"),
        ({"sequence": "1"}, "product_code_sequence"),
        ({"sequence": True}, "product_code_sequence"),
        ({"year": 2017}, "product_code_year"),
        ({"year": 2101}, "product_code_year"),
        ({"year": "2025"}, "product_code_year"),
    ],
)
def test_format_product_code_rejects_bad_parts(parts, code):
    values = {"province_code": "24", "commune_code": "07288", "sequence": 1, "year": 2025}
    assert error_code(format_product_code, **{**values, **parts}) == code


# --- the dataclass ------------------------------------------------------------------------------------------------


def test_product_code_is_frozen():
    code = parse_product_code("24-07288-1-2025")
    with pytest.raises(dataclasses.FrozenInstanceError):
        code.sequence = 2


@pytest.mark.parametrize(
    "fields",
    [
        ("new", "24", None, "07288", 1, 2025),
        (CURRENT, "24", "215", "07288", 1, 2025),
        (LEGACY, "24", None, "07288", 1, 2022),
    ],
)
def test_product_code_rejects_a_format_that_does_not_match_the_district(fields):
    with pytest.raises(ValueError):
        ProductCode(*fields)


def test_legacy_code_checks_its_district():
    assert error_code(ProductCode, LEGACY, "24", "21", "07288", 1, 2022) == "product_code_format"


def test_codes_compare_by_value_and_hash():
    assert parse_product_code("24-07288-001-2025") == parse_product_code("24 – 07288 – 1 – 2025")
    assert len({parse_product_code("24-07288-001-2025"), parse_product_code("24-07288-1-2025")}) == 1


# --- properties ---------------------------------------------------------------------------------------------------

provinces = st.from_regex(r"[0-9]{2}", fullmatch=True)
districts = st.from_regex(r"[0-9]{3}", fullmatch=True)
communes = st.from_regex(r"[0-9]{5}", fullmatch=True)
sequences = st.integers(min_value=1, max_value=999_999_999)
years = st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR)
current_codes = st.builds(ProductCode, st.just(CURRENT), provinces, st.none(), communes, sequences, years)
legacy_codes = st.builds(ProductCode, st.just(LEGACY), provinces, districts, communes, sequences, years)
codes = st.one_of(current_codes, legacy_codes)
dashes = st.sampled_from(["-", " - ", "–", " – ", "—", "  -", "-\t"])


@no_deadline
@given(codes)
def test_round_trip_through_the_canonical_text(code):
    assert parse_product_code(str(code)) == code


@no_deadline
@given(code=codes, data=st.data())
def test_round_trip_through_any_accepted_spelling(code, data):
    units = [code.province_code, code.district_code, code.commune_code]
    padding = "0" * data.draw(st.integers(min_value=0, max_value=9 - len(str(code.sequence))))
    parts = [*(unit for unit in units if unit is not None), padding + str(code.sequence), str(code.year)]
    text = parts[0]
    for part in parts[1:]:
        text += data.draw(dashes) + part
    text = data.draw(st.sampled_from(["", " ", "\n"])) + text + data.draw(st.sampled_from(["", " ", "\t"]))
    assert parse_product_code(text) == code


@no_deadline
@given(province=provinces, commune=communes, sequence=sequences, year=years)
def test_formatted_codes_parse_back_to_their_parts(province, commune, sequence, year):
    text = format_product_code(province_code=province, commune_code=commune, sequence=sequence, year=year)
    assert parse_product_code(text) == ProductCode(CURRENT, province, None, commune, sequence, year)


@no_deadline
@given(st.text(alphabet="0123456789- –", max_size=30))
def test_parse_either_rejects_or_gives_a_fixpoint(text):
    try:
        code = parse_product_code(text)
    except ValidationError:
        return
    assert str(parse_product_code(str(code))) == str(code)
    assert parse_product_code(str(code)) == code
