"""Identifier and figure validators for producers (chủ thể OCOP): tax code, registration number, phone, labour.

Pure layer-0 functions: no database access. Each ``validate_*`` raises ``django.core.exceptions.ValidationError``
with a translatable message and a ``code``; each ``normalize_*`` is lenient (it never raises) and idempotent, so
services and forms can store the normalised text and validate that.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.vn import mst

from ocop.core.uploads import UploadInfo, accepted_extensions, inspect_upload

# Province codes (mã tỉnh nơi đăng ký khai sinh) that open a 12-digit personal identification number, Thông tư
# 07/2016/TT-BCA Annex 1 (kept by Thông tư 59/2021/TT-BCA): the 63 provinces from 001 Hà Nội to 096 Cà Mau. The
# 34 provinces of 2025 (QĐ 19/2025/QĐ-TTg) reuse codes of this list, and an issued number never changes.
PERSONAL_ID_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)

REGISTRATION_NUMBER_MIN_LENGTH = 5
REGISTRATION_NUMBER_MAX_LENGTH = 20

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—−", "-"))  # typographic dashes pasted from documents
_TAX_CODE_SEPARATORS = re.compile(r"[\s.]")
_TAX_CODE_BRANCH = re.compile(r"([0-9]{10})-?([0-9]{3})")
_TAX_CODE_COMPANY = re.compile(r"[0-9]{10}(?:-[0-9]{3})?")
_PERSONAL_ID = re.compile(r"[0-9]{12}")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_DIGITS = re.compile(r"\+?[0-9]*")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{8,9}")
_ASCII_DIGITS = frozenset("0123456789")


def normalize_tax_code(value: str) -> str:
    """Tax code (mã số thuế) without spaces or dots: ``0100109106``, or ``0100109106-013`` for a branch.

    A 13-digit branch code gets its dash whether it was typed with or without one; a 12-digit personal
    identification number stays as 12 digits. Anything else is returned stripped, for the validator to reject.
    """
    text = _TAX_CODE_SEPARATORS.sub("", value.translate(_DASHES))
    if match := _TAX_CODE_BRANCH.fullmatch(text):
        return f"{match[1]}-{match[2]}"
    return text


def validate_tax_code(value: str) -> None:
    """Validate a tax code after :func:`normalize_tax_code`.

    Accepted: the 10-digit enterprise code and the 13-digit branch code (checked with ``stdnum.vn.mst``), and
    the 12-digit personal identification number (số định danh cá nhân, printed on the CCCD) that individuals and
    household businesses use as their tax code since 1/7/2025. A personal identification number is a 3-digit
    province code of birth registration, a century/gender digit, 2 digits of the birth year and 6 digits.
    """
    text = normalize_tax_code(value)
    if _PERSONAL_ID.fullmatch(text):
        province = text[:3]
        if province not in PERSONAL_ID_PROVINCE_CODES:
            raise ValidationError(
                # vi: %(code)s không phải là mã tỉnh: ba chữ số đầu của số định danh cá nhân là mã tỉnh nơi đăng
                # ký khai sinh.
                _(
                    "%(code)s is not a province code: the first three digits of a personal identification number "
                    "are the code of the province where the birth was registered."
                ),
                code="personal_id_province",
                params={"code": province},
            )
        return
    if not _TAX_CODE_COMPANY.fullmatch(text):
        raise ValidationError(
            # vi: Mã số thuế phải gồm 10 chữ số, 13 chữ số đối với chi nhánh (10 chữ số, dấu gạch ngang, 3 chữ số)
            # hoặc là số định danh cá nhân 12 chữ số.
            _(
                "Enter a tax code of 10 digits, a 13-digit branch code (10 digits, a dash and 3 digits) "
                "or a 12-digit personal identification number."
            ),
            code="tax_code_format",
        )
    try:
        mst.validate(text)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            # vi: Chữ số kiểm tra của mã số thuế không đúng: vui lòng kiểm tra lỗi gõ nhầm.
            _("The check digit of this tax code is wrong: please look for a typing mistake."),
            code="tax_code_checksum",
        ) from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(
            # vi: Số thứ tự hoặc số chi nhánh trong mã số thuế không được toàn là số 0.
            _("The sequence number or branch number in a tax code cannot be all zeros."),
            code="tax_code_component",
        ) from None


def validate_registration_number(value: str) -> None:
    """Validate a business, cooperative or household registration number (số đăng ký kinh doanh / HTX / hộ KD).

    Surrounding whitespace is ignored. 5 to 20 characters; letters (Vietnamese letters included), digits, ``-``,
    ``/`` and ``.``; at least one digit.
    """
    text = value.strip()
    if not REGISTRATION_NUMBER_MIN_LENGTH <= len(text) <= REGISTRATION_NUMBER_MAX_LENGTH:
        raise ValidationError(
            # vi: Số đăng ký phải có từ %(min)s đến %(max)s ký tự.
            _("A registration number must have %(min)s to %(max)s characters."),
            code="registration_number_length",
            params={"min": REGISTRATION_NUMBER_MIN_LENGTH, "max": REGISTRATION_NUMBER_MAX_LENGTH},
        )
    if not all(char.isalpha() or char in _ASCII_DIGITS or char in "-/." for char in text):
        raise ValidationError(
            # vi: Số đăng ký chỉ được gồm chữ cái, chữ số và các ký tự "-", "/", ".".
            _('A registration number may contain only letters, digits and the characters "-", "/" and ".".'),
            code="registration_number_characters",
        )
    if not _ASCII_DIGITS.intersection(text):
        raise ValidationError(
            # vi: Số đăng ký phải có ít nhất một chữ số.
            _("A registration number must contain at least one digit."),
            code="registration_number_no_digit",
        )


def normalize_phone(value: str) -> str:
    """Vietnamese phone number as ``0XXXXXXXXX``: spaces, dots, dashes and brackets removed, +84/0084/84 → 0.

    ``+84 (0) 912…`` keeps a single 0. A bare ``84`` prefix is read as the country code only on an 11- or 12-digit
    number (a domestic number starts with 0). Text that is not a phone number is returned stripped.
    """
    text = _PHONE_SEPARATORS.sub("", value.translate(_DASHES))
    if text.startswith("+84"):
        rest = text[3:]
    elif text.startswith("0084"):
        rest = text[4:]
    elif text.startswith("84") and len(text) in (11, 12) and set(text) <= _ASCII_DIGITS:
        rest = text[2:]
    else:
        return text
    if rest.startswith("00"):
        return text
    return rest if rest.startswith("0") else f"0{rest}"


def validate_phone(value: str) -> None:
    """Validate a Vietnamese phone number after :func:`normalize_phone`.

    Mobile: 10 digits starting 03, 05, 07, 08 or 09. Landline: 10 or 11 digits starting 02.
    """
    text = normalize_phone(value)
    if not _PHONE_DIGITS.fullmatch(text):
        raise ValidationError(
            # vi: Số điện thoại chỉ được gồm chữ số, dấu cách, dấu chấm, dấu gạch ngang, dấu ngoặc và tiền tố +84.
            _("A phone number may contain only digits, spaces, dots, dashes, brackets and a leading +84."),
            code="phone_characters",
        )
    if not (_MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text)):
        raise ValidationError(
            # vi: Nhập số điện thoại Việt Nam: số di động 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09, hoặc số
            # cố định 10 hoặc 11 chữ số bắt đầu bằng 02.
            _(
                "Enter a Vietnamese phone number: a 10-digit mobile number starting with 03, 05, 07, 08 or 09, "
                "or a 10- or 11-digit landline number starting with 02."
            ),
            code="phone_invalid",
        )


def validate_labour(
    total: int | None,
    local: int | None,
    insured: int | None,
    *,
    field_names: tuple[str, str, str] = ("total_labour", "local_labour", "insured_labour"),
) -> None:
    """Check that labour figures agree: none negative, local and insured workers not more than the total.

    ``local`` is the number of workers from the locality (lao động địa phương), ``insured`` those with social
    insurance (lao động tham gia BHXH). ``None`` means "not declared" and is not compared. Raises one
    ``ValidationError`` whose ``message_dict`` maps the field names in ``field_names`` (total, local, insured) to
    their errors, so a form or ``Model.clean()`` can attach each error to its field.
    """
    total_field, local_field, insured_field = field_names
    values = {total_field: total, local_field: local, insured_field: insured}
    errors: dict[str, list[ValidationError]] = {}
    for field, value in values.items():
        if value is not None and value < 0:
            errors.setdefault(field, []).append(
                # vi: Số lao động không được âm.
                ValidationError(_("The number of workers cannot be negative."), code="labour_negative")
            )
    if total is not None and total >= 0:
        if local is not None and local > total:
            errors.setdefault(local_field, []).append(
                ValidationError(
                    # vi: Số lao động địa phương (%(local)s) không được lớn hơn tổng số lao động (%(total)s).
                    _("Local workers (%(local)s) cannot be more than the total number of workers (%(total)s)."),
                    code="labour_local_exceeds_total",
                    params={"local": local, "total": total},
                )
            )
        if insured is not None and insured > total:
            errors.setdefault(insured_field, []).append(
                ValidationError(
                    # vi: Số lao động tham gia BHXH (%(insured)s) không được lớn hơn tổng số lao động (%(total)s).
                    _(
                        "Workers with social insurance (%(insured)s) cannot be more than the total number of "
                        "workers (%(total)s)."
                    ),
                    code="labour_insured_exceeds_total",
                    params={"insured": insured, "total": total},
                )
            )
    if errors:
        raise ValidationError(errors)


# Every type the evidence vault accepts (PDF, images, Office), lower case with aliases: for ``accept`` attributes
# and help texts. The checks themselves are ``ocop.core.uploads.inspect_upload``'s.
ALLOWED_DOCUMENT_EXTENSIONS = accepted_extensions()


def validate_document_file(file) -> UploadInfo:
    """An evidence file checked by its content (``ocop.core.uploads.inspect_upload``): accepted type, content that
    matches the extension, no macros, not damaged, not empty, within ``OCOP_MAX_IMAGE_MB`` (images) or
    ``OCOP_MAX_DOCUMENT_MB``. Raises ``ValidationError`` with a ``file_*`` code; returns what was found."""
    return inspect_upload(file)
