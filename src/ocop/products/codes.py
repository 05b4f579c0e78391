"""OCOP product codes (mã số sản phẩm OCOP): parse, validate and format.

Current form, printed in the header of every criteria sheet of 26/2026/QĐ-TTg Annex II: ``T-X-STT-YYYY``, where

- ``T`` is the 2-digit province code and ``X`` the 5-digit commune code, both of QĐ 19/2025/QĐ-TTg;
- ``STT`` is the product's sequence number kept by the commune (a positive integer; leading zeros are accepted
  when parsing and dropped when formatting);
- ``YYYY`` is the evaluation year.

Legacy codes, from before the district level was abolished, carry a 3-digit district segment between province and
commune: ``83-829-28780-3-2022``. Codes are opaque strings: unit codes keep their leading zeros (``07288``).

Pure layer-0 module: no database access, so whether the units exist is not checked here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENT = "current"
LEGACY = "legacy"
MIN_YEAR = 2018  # the OCOP programme started in 2018 (QĐ 490/QĐ-TTg)
MAX_YEAR = 2100

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—−", "-"))  # typographic dashes pasted from documents
_SPACED_DASH = re.compile(r"\s*-\s*")
_CURRENT = re.compile(r"([0-9]{2})-([0-9]{5})-([0-9]{1,9})-([0-9]{4})")
_LEGACY = re.compile(r"([0-9]{2})-([0-9]{3})-([0-9]{5})-([0-9]{1,9})-([0-9]{4})")
_DIGITS = {"province_code": 2, "district_code": 3, "commune_code": 5}


def _format_error() -> ValidationError:
    return ValidationError(
        # vi: Mã sản phẩm phải có dạng T-X-STT-YYYY (mã tỉnh 2 chữ số - mã xã 5 chữ số - số thứ tự - năm đánh giá),
        # ví dụ 24-07288-1-2025, hoặc mã cũ có thêm mã huyện, ví dụ 83-829-28780-3-2022.
        _(
            "Enter a product code as T-X-STT-YYYY (2-digit province code - 5-digit commune code - sequence number - "
            "evaluation year), e.g. 24-07288-1-2025, or a legacy code with a district code, "
            "e.g. 83-829-28780-3-2022."
        ),
        code="product_code_format",
    )


@dataclass(frozen=True)
class ProductCode:
    """A parsed product code. ``format`` is ``"current"`` (``T-X-STT-YYYY``) or ``"legacy"`` (with a district).

    Construction validates the parts: unit codes are strings of 2 (province), 3 (district) and 5 (commune) ASCII
    digits, ``sequence`` is at least 1 and ``year`` lies in ``MIN_YEAR``–``MAX_YEAR``. A bad part raises
    ``ValidationError``; a ``format`` that does not match the presence of ``district_code`` raises ``ValueError``.
    """

    format: str
    province_code: str
    district_code: str | None
    commune_code: str
    sequence: int
    year: int

    def __post_init__(self):
        if self.format not in (CURRENT, LEGACY):
            raise ValueError(f"format must be {CURRENT!r} or {LEGACY!r}, not {self.format!r}")
        if (self.format == LEGACY) != (self.district_code is not None):
            raise ValueError("a legacy code has a district code and a current code has none")
        for name, digits in _DIGITS.items():
            value = getattr(self, name)
            if value is None and name == "district_code":
                continue
            if not (isinstance(value, str) and len(value) == digits and value.isascii() and value.isdigit()):
                raise _format_error()
        if not isinstance(self.sequence, int) or isinstance(self.sequence, bool) or self.sequence < 1:
            raise ValidationError(
                # vi: Số thứ tự trong mã sản phẩm phải từ 1 trở lên.
                _("The sequence number in a product code must be 1 or more."),
                code="product_code_sequence",
            )
        if not isinstance(self.year, int) or isinstance(self.year, bool) or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError(
                # vi: Năm đánh giá trong mã sản phẩm phải từ %(min)s đến %(max)s.
                _("The evaluation year in a product code must be between %(min)s and %(max)s."),
                code="product_code_year",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )

    def __str__(self) -> str:
        """The canonical text: ``24-07288-1-2025``, legacy ``83-829-28780-3-2022`` (no padding on the sequence)."""
        units = [self.province_code, self.district_code, self.commune_code]
        return "-".join([*(unit for unit in units if unit is not None), str(self.sequence), str(self.year)])

    @property
    def is_legacy(self) -> bool:
        """True for a code with a district segment (issued before the district level was abolished)."""
        return self.format == LEGACY


def parse_product_code(text: str) -> ProductCode:
    """Read a product code as typed or printed.

    Surrounding whitespace is ignored, and so are spaces around the dashes; en and em dashes count as dashes.
    The sequence may carry leading zeros (``001``). Anything else raises ``ValidationError`` whose message shows
    the expected format; an out-of-range year or a zero sequence raise their own messages.
    """
    cleaned = _SPACED_DASH.sub("-", text.strip().translate(_DASHES))
    if match := _CURRENT.fullmatch(cleaned):
        province, commune, sequence, year = match.groups()
        return ProductCode(CURRENT, province, None, commune, int(sequence), int(year))
    if match := _LEGACY.fullmatch(cleaned):
        province, district, commune, sequence, year = match.groups()
        return ProductCode(LEGACY, province, district, commune, int(sequence), int(year))
    raise _format_error()


def format_product_code(*, province_code: str, commune_code: str, sequence: int, year: int) -> str:
    """The current-form code ``T-X-STT-YYYY`` for a new product; raises ``ValidationError`` for a bad part."""
    code = ProductCode(
        format=CURRENT,
        province_code=province_code,
        district_code=None,
        commune_code=commune_code,
        sequence=sequence,
        year=year,
    )
    return str(code)
