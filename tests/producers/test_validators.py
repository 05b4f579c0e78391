"""Identifier and labour validators for producers (ocop.producers.validators)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.vn import mst

from ocop.producers.validators import (
    PERSONAL_ID_PROVINCE_CODES,
    normalize_phone,
    normalize_tax_code,
    validate_labour,
    validate_phone,
    validate_registration_number,
    validate_tax_code,
)

pytestmark = [pytest.mark.unit]

no_deadline = settings(deadline=None)
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def error_code(validator, *args) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validator(*args)
    return excinfo.value.code


def error_message(validator, *args) -> str:
    with override("en"), pytest.raises(ValidationError) as excinfo:
        validator(*args)
    with override("en"):
        (message,) = excinfo.value.messages
    return message


# --- tax code: normalisation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("0100109106", "0100109106"),
        (" 0100109106 ", "0100109106"),
        ("01.00.109.106", "0100109106"),
        ("0100 109 106", "0100109106"),
        ("0100109106-013", "0100109106-013"),
        ("0100109106013", "0100109106-013"),
        ("0100109106 - 013", "0100109106-013"),
        ("0100109106 – 013", "0100109106-013"),
        ("0312 68 78 78 - 001", "0312687878-001"),
        ("001 0 85 012345", "001085012345"),
        ("001.085.012.345", "001085012345"),
        ("abc", "abc"),
        ("", ""),
    ],
)
def test_normalize_tax_code(typed, normalized):
    assert normalize_tax_code(typed) == normalized


@no_deadline
@given(st.text())
def test_normalize_tax_code_is_idempotent(text):
    once = normalize_tax_code(text)
    assert normalize_tax_code(once) == once


@no_deadline
@given(body=st.text(alphabet="0123456789", min_size=10, max_size=10), branch=st.from_regex(r"[0-9]{3}", fullmatch=True))
def test_branch_codes_get_their_dash_however_typed(body, branch):
    expected = f"{body}-{branch}"
    assert normalize_tax_code(body + branch) == expected
    assert normalize_tax_code(f"{body} - {branch}") == expected
    assert normalize_tax_code(f" {body[:4]}.{body[4:]}-{branch} ") == expected


# --- tax code: enterprise and branch codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0100109106",  # Tổng công ty Bưu điện Việt Nam (VNPost)
        "0100109106-013",
        "0100109106013",
        "0100 109 106 - 013",
        "0100233488",
        "0314409058-002",
        "01.00.112.437",
    ],
)
def test_valid_enterprise_and_branch_tax_codes(value):
    validate_tax_code(value)


@pytest.mark.parametrize("value", ["0100109107", "0100109100", "0100109106-013".replace("6-", "7-")])
def test_wrong_check_digit(value):
    assert error_code(validate_tax_code, value) == "tax_code_checksum"


def test_wrong_check_digit_message():
    assert error_message(validate_tax_code, "0100109107") == (
        "The check digit of this tax code is wrong: please look for a typing mistake."
    )


@pytest.mark.parametrize("value", ["0100109106-000", "0100000000"])
def test_all_zero_sequence_or_branch(value):
    assert error_code(validate_tax_code, value) == "tax_code_component"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345",
        "010010910",  # 9 digits
        "01001091061",  # 11 digits
        "01001091060131",  # 14 digits
        "0100109106-01",
        "0100109106-0133",
        "010010910-6013",
        "010010910a",
        "0100109106/013",
        "MST0100109106",
        "٠١٠٠١٠٩١٠٦",  # Arabic-Indic digits
    ],
)
def test_wrong_length_or_characters(value):
    assert error_code(validate_tax_code, value) == "tax_code_format"


def test_wrong_length_message():
    assert error_message(validate_tax_code, "12345") == (
        "Enter a tax code of 10 digits, a 13-digit branch code (10 digits, a dash and 3 digits) "
        "or a 12-digit personal identification number."
    )


@no_deadline
@given(body=st.from_regex(r"[0-9]{2}[0-9]{7}", fullmatch=True), wrong=digits)
def test_only_the_computed_check_digit_is_accepted(body, wrong):
    assume(body[2:] != "0000000")
    check = mst.calc_check_digit(body)
    assume(len(check) == 1)  # a remainder of 0 gives "10": no valid code has that body
    validate_tax_code(body + check)
    validate_tax_code(f"{body}{check}-001")
    assume(wrong != check)
    assert error_code(validate_tax_code, body + wrong) == "tax_code_checksum"


# --- tax code: 12-digit personal identification numbers -------------------------------------------------------------


def test_personal_id_province_codes_are_the_63_provinces():
    assert len(PERSONAL_ID_PROVINCE_CODES) == 63
    assert min(PERSONAL_ID_PROVINCE_CODES) == "001"  # Hà Nội
    assert max(PERSONAL_ID_PROVINCE_CODES) == "096"  # Cà Mau
    assert {"079", "048", "092", "031"} <= PERSONAL_ID_PROVINCE_CODES  # TP HCM, Đà Nẵng, Cần Thơ, Hải Phòng


@pytest.mark.parametrize(
    "value",
    [
        "001085012345",  # Hà Nội, male born in the 20th century
        "079203001234",  # TP Hồ Chí Minh, male born 2003
        "096199000001",  # Cà Mau, female born 1999
        "042987654321",  # Hà Tĩnh, century/gender digit 9
        "001 0 85 012345",
        "001.085.012.345",
    ],
)
def test_valid_personal_identification_numbers(value):
    validate_tax_code(value)


@pytest.mark.parametrize("value", ["000085012345", "003085012345", "097085012345", "099085012345", "100085012345"])
def test_personal_id_with_an_unknown_province(value):
    assert error_code(validate_tax_code, value) == "personal_id_province"


def test_personal_id_province_message_names_the_code():
    assert error_message(validate_tax_code, "003085012345") == (
        "003 is not a province code: the first three digits of a personal identification number are the code of "
        "the province where the birth was registered."
    )


@no_deadline
@given(province=st.from_regex(r"[0-9]{3}", fullmatch=True), rest=st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_a_personal_id_is_valid_exactly_when_its_province_code_is_known(province, rest):
    if province in PERSONAL_ID_PROVINCE_CODES:
        validate_tax_code(province + rest)
    else:
        assert error_code(validate_tax_code, province + rest) == "personal_id_province"


# --- registration numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0101234567",  # enterprise code used as registration number
        "27A8001234",  # household business
        "01/2020/HTX",
        "ĐK-12.345/HKD",
        "A1-/.",  # 5 characters, the shortest
        "1" * 20,  # the longest
        " 0101234567 ",
    ],
)
def test_valid_registration_numbers(value):
    validate_registration_number(value)


@pytest.mark.parametrize("value", ["", "1234", "  12  ", "1" * 21])
def test_registration_number_length(value):
    assert error_code(validate_registration_number, value) == "registration_number_length"


def test_registration_number_length_message():
    assert error_message(validate_registration_number, "1234") == (
        "A registration number must have 5 to 20 characters."
    )


@pytest.mark.parametrize("value", ["0101 234567", "0101_23456", "0101#2345", "01,2345", "١٢٣٤٥٦"])
def test_registration_number_characters(value):
    assert error_code(validate_registration_number, value) == "registration_number_characters"


@pytest.mark.parametrize("value", ["ABCDEF", "HTX-ABC/XYZ", "-----"])
def test_registration_number_needs_a_digit(value):
    assert error_code(validate_registration_number, value) == "registration_number_no_digit"
    assert error_message(validate_registration_number, value) == (
        "A registration number must contain at least one digit."
    )


# --- phones -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("(024) 3825 1234", "02438251234"),
        ("+84 24 3825 1234", "02438251234"),
        ("842438251234", "02438251234"),
        ("84912", "84912"),  # too short to carry a country code
        ("+8400912345678", "+8400912345678"),  # nonsense is left for the validator
        ("+1 555 123 4567", "+15551234567"),
        ("0912abc678", "0912abc678"),
    ],
)
def test_normalize_phone(typed, normalized):
    assert normalize_phone(typed) == normalized


@no_deadline
@given(st.text())
def test_normalize_phone_is_idempotent(text):
    once = normalize_phone(text)
    assert normalize_phone(once) == once


@no_deadline
@given(st.text(alphabet="0123456789+84 .-()", max_size=20))
def test_normalize_phone_is_idempotent_on_phone_like_text(text):
    once = normalize_phone(text)
    assert normalize_phone(once) == once


@no_deadline
@given(
    prefix=st.sampled_from(["03", "05", "07", "08", "09"]),
    rest=st.from_regex(r"[0-9]{8}", fullmatch=True),
    country=st.sampled_from(["", "+84 ", "+84", "84", "0084 ", "+84 (0) "]),
    separator=st.sampled_from(["", " ", ".", "-"]),
)
def test_any_spelling_of_a_mobile_number_normalizes_to_ten_digits(prefix, rest, country, separator):
    canonical = prefix + rest
    local = canonical if country == "" else canonical[1:]
    typed = country + separator.join([local[:-6], local[-6:-3], local[-3:]])
    assert normalize_phone(typed) == canonical
    validate_phone(typed)


@pytest.mark.parametrize(
    "value",
    [
        "0312345678",
        "0512345678",
        "0712345678",
        "0812345678",
        "0912345678",
        "+84 912 345 678",
        "02438251234",  # Hà Nội landline, 11 digits
        "0212345678",  # 10-digit landline
        "(0239) 385 5555",
    ],
)
def test_valid_phones(value):
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "0112345678",  # old 11-digit-era prefix
        "0412345678",
        "0612345678",
        "091234567",  # 9 digits
        "09123456789",  # 11-digit mobile
        "021234567",  # 9-digit landline
        "024382512345",  # 12-digit landline
        "912345678",  # no leading 0
        "+15551234567",
        "",
    ],
)
def test_invalid_phones(value):
    assert error_code(validate_phone, value) == "phone_invalid"


@pytest.mark.parametrize("value", ["0912abc678", "0912/345/678", "09123456７8", "tel: 0912345678"])
def test_phone_with_other_characters(value):
    assert error_code(validate_phone, value) == "phone_characters"


def test_phone_messages():
    assert error_message(validate_phone, "0412345678") == (
        "Enter a Vietnamese phone number: a 10-digit mobile number starting with 03, 05, 07, 08 or 09, "
        "or a 10- or 11-digit landline number starting with 02."
    )
    assert error_message(validate_phone, "0912abc678") == (
        "A phone number may contain only digits, spaces, dots, dashes, brackets and a leading +84."
    )


# --- labour -----------------------------------------------------------------------------------------------------


def labour_errors(*args, **kwargs) -> dict[str, list[str]]:
    """{field: [code, …]} of the error raised by validate_labour."""
    with pytest.raises(ValidationError) as excinfo:
        validate_labour(*args, **kwargs)
    return {field: [error.code for error in errors] for field, errors in excinfo.value.error_dict.items()}


@pytest.mark.parametrize(
    ("total", "local", "insured"),
    [(10, 5, 3), (10, 10, 10), (0, 0, 0), (None, 5, 3), (10, None, None), (None, None, None), (3, 3, None)],
)
def test_consistent_labour_passes(total, local, insured):
    validate_labour(total, local, insured)


def test_more_local_workers_than_the_total():
    assert labour_errors(10, 11, 3) == {"local_labour": ["labour_local_exceeds_total"]}


def test_more_insured_workers_than_the_total():
    assert labour_errors(10, 3, 11) == {"insured_labour": ["labour_insured_exceeds_total"]}


def test_both_contradictions_are_reported_together():
    assert labour_errors(2, 5, 6) == {
        "local_labour": ["labour_local_exceeds_total"],
        "insured_labour": ["labour_insured_exceeds_total"],
    }


def test_labour_messages_name_the_figures():
    with pytest.raises(ValidationError) as excinfo:
        validate_labour(10, 12, 15)
    with override("en"):
        assert excinfo.value.message_dict == {
            "local_labour": ["Local workers (12) cannot be more than the total number of workers (10)."],
            "insured_labour": [
                "Workers with social insurance (15) cannot be more than the total number of workers (10)."
            ],
        }


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ((-1, 0, 0), {"total_labour": ["labour_negative"]}),
        ((5, -1, 0), {"local_labour": ["labour_negative"]}),
        ((5, 0, -2), {"insured_labour": ["labour_negative"]}),
        ((-1, 3, 3), {"total_labour": ["labour_negative"]}),  # no comparison with a negative total
        ((None, -1, None), {"local_labour": ["labour_negative"]}),
        ((5, -1, 9), {"local_labour": ["labour_negative"], "insured_labour": ["labour_insured_exceeds_total"]}),
    ],
)
def test_negative_labour(figures, expected):
    assert labour_errors(*figures) == expected


def test_negative_labour_message():
    with pytest.raises(ValidationError) as excinfo:
        validate_labour(-1, None, None)
    with override("en"):
        assert excinfo.value.message_dict == {"total_labour": ["The number of workers cannot be negative."]}


def test_labour_errors_use_the_given_field_names():
    assert labour_errors(1, 2, 3, field_names=("workers", "local_workers", "insured_workers")) == {
        "local_workers": ["labour_local_exceeds_total"],
        "insured_workers": ["labour_insured_exceeds_total"],
    }


@no_deadline
@given(
    total=st.integers(min_value=0, max_value=10_000),
    local=st.integers(min_value=0, max_value=10_000),
    insured=st.integers(min_value=0, max_value=10_000),
)
def test_labour_fails_exactly_when_a_part_exceeds_the_total(total, local, insured):
    if local <= total and insured <= total:
        validate_labour(total, local, insured)
    else:
        errors = labour_errors(total, local, insured)
        assert ("local_labour" in errors) == (local > total)
        assert ("insured_labour" in errors) == (insured > total)
