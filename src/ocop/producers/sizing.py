"""Enterprise size class (quy mô doanh nghiệp) under Decree 80/2021/NĐ-CP, Art. 5.

26/2026/QĐ-TTg Art. 2.3 admits small and medium enterprises (doanh nghiệp nhỏ và vừa) as OCOP producers, so a
large enterprise is not an eligible producer. The thresholds are data (``data/sme_size_classes.json``, style.md
§3.5), never constants in code: :func:`classify_enterprise` receives them as an argument and
:func:`load_thresholds` reads the file.

How the decree's rule works:

- the average annual number of workers with social insurance (lao động tham gia BHXH) is a hard ceiling;
- revenue **or** total capital (tổng nguồn vốn) must also fit: either one is enough;
- tiers are tried from the smallest (micro, small, medium); a firm that fits none is large.

Pure layer-0 module: no database access.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

DEFAULT_THRESHOLDS_PATH = Path(__file__).resolve().parent / "data" / "sme_size_classes.json"
BILLION = Decimal(1_000_000_000)


class EconomicSector(models.TextChoices):
    """Main registered business line (lĩnh vực), Decree 80/2021/NĐ-CP Art. 5."""

    # vi: Nông, lâm nghiệp, thủy sản; công nghiệp và xây dựng
    AGRICULTURE_INDUSTRY = "agriculture_industry", _("Agriculture, forestry, fishery; industry and construction")
    # vi: Thương mại, dịch vụ
    TRADE_SERVICES = "trade_services", _("Trade and services")


class SizeClass(models.TextChoices):
    """Enterprise size class (quy mô doanh nghiệp), Decree 80/2021/NĐ-CP Art. 5."""

    # vi: Siêu nhỏ
    MICRO = "micro", pgettext_lazy("enterprise size", "Micro")
    # vi: Nhỏ
    SMALL = "small", pgettext_lazy("enterprise size", "Small")
    # vi: Vừa
    MEDIUM = "medium", pgettext_lazy("enterprise size", "Medium")
    # vi: Lớn (không thuộc đối tượng OCOP)
    LARGE = "large", pgettext_lazy("enterprise size", "Large (not eligible for OCOP)")
    # vi: Chưa xác định
    UNKNOWN = "unknown", pgettext_lazy("enterprise size", "Unknown")


#: Tiers that a threshold row may describe, smallest first: the order in which they are tried.
TIER_ORDER = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)
SME_CLASSES = frozenset(TIER_ORDER)


@dataclass(frozen=True)
class SizeThreshold:
    """One row of the Decree 80/2021 table: the ceilings of one size class in one sector (amounts in VND)."""

    sector: str
    size_class: str
    max_insured_labour: int
    max_revenue: int
    max_capital: int

    def __post_init__(self):
        if self.size_class not in TIER_ORDER:
            raise ValueError(f"A size threshold describes micro, small or medium, not {self.size_class!r}")
        for name in ("max_insured_labour", "max_revenue", "max_capital"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, not {value!r}")


@dataclass(frozen=True)
class SizeClassResult:
    """Outcome of :func:`classify_enterprise`: the class, the row that decided it (if any) and a sentence why."""

    size_class: str
    threshold: SizeThreshold | None
    reason: str

    @property
    def is_sme(self) -> bool:
        """True for micro, small and medium enterprises (the sizes 26/2026 Art. 2.3 admits)."""
        return self.size_class in SME_CLASSES


def _size_word(size_class: str) -> str:
    """The size class as a lowercase word inside a sentence (``→ micro``)."""
    words = {
        # vi: siêu nhỏ
        SizeClass.MICRO: pgettext("enterprise size in a sentence", "micro"),
        # vi: nhỏ
        SizeClass.SMALL: pgettext("enterprise size in a sentence", "small"),
        # vi: vừa
        SizeClass.MEDIUM: pgettext("enterprise size in a sentence", "medium"),
        # vi: lớn
        SizeClass.LARGE: pgettext("enterprise size in a sentence", "large"),
    }
    return words[size_class]


def format_billions(amount: int | Decimal) -> str:
    """An amount in VND as billions in the active language: ``3_000_000_000`` → ``"3 billion VND"``.

    Up to three decimals are kept, trailing zeros dropped; the decimal mark follows the language's formats
    (``1,5`` in Vietnamese, ``1.5`` in English).
    """
    billions = (Decimal(amount) / BILLION).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()
    places = max(0, -billions.as_tuple().exponent)
    text = number_format(billions, decimal_pos=places, use_l10n=True, force_grouping=True)
    # vi: %(amount)s tỷ đồng
    return gettext("%(amount)s billion VND") % {"amount": text}


def _unknown(reason: str) -> SizeClassResult:
    return SizeClassResult(size_class=SizeClass.UNKNOWN, threshold=None, reason=reason)


def _fit_reason(threshold: SizeThreshold, *, by_revenue: bool) -> str:
    values = {"labour": threshold.max_insured_labour, "size_class": _size_word(threshold.size_class)}
    if by_revenue:
        # vi: ≤ %(labour)s lao động tham gia BHXH và doanh thu ≤ %(revenue)s → %(size_class)s
        message = gettext("≤ %(labour)s insured workers and revenue ≤ %(revenue)s → %(size_class)s")
        return message % {**values, "revenue": format_billions(threshold.max_revenue)}
    # vi: ≤ %(labour)s lao động tham gia BHXH và tổng nguồn vốn ≤ %(capital)s → %(size_class)s
    message = gettext("≤ %(labour)s insured workers and total capital ≤ %(capital)s → %(size_class)s")
    return message % {**values, "capital": format_billions(threshold.max_capital)}


def _large_reason(largest: SizeThreshold, *, insured_labour: int, revenue: int | None, capital: int | None) -> str:
    values = {
        "labour": largest.max_insured_labour,
        "revenue": format_billions(largest.max_revenue),
        "capital": format_billions(largest.max_capital),
        "size_class": _size_word(SizeClass.LARGE),
    }
    if insured_labour > largest.max_insured_labour:
        # vi: > %(labour)s lao động tham gia BHXH → %(size_class)s
        return gettext("> %(labour)s insured workers → %(size_class)s") % values
    if capital is None:
        # vi: doanh thu > %(revenue)s và chưa kê khai tổng nguồn vốn → %(size_class)s
        return gettext("revenue > %(revenue)s and total capital not declared → %(size_class)s") % values
    if revenue is None:
        # vi: tổng nguồn vốn > %(capital)s và chưa kê khai doanh thu → %(size_class)s
        return gettext("total capital > %(capital)s and revenue not declared → %(size_class)s") % values
    # vi: doanh thu > %(revenue)s và tổng nguồn vốn > %(capital)s → %(size_class)s
    return gettext("revenue > %(revenue)s and total capital > %(capital)s → %(size_class)s") % values


def classify_enterprise(
    *,
    sector: str | None,
    insured_labour: int | None,
    revenue: int | None,
    capital: int | None,
    thresholds: Iterable[SizeThreshold],
) -> SizeClassResult:
    """Size class of an enterprise from its declared figures (Decree 80/2021/NĐ-CP Art. 5).

    ``insured_labour`` is the average annual number of workers with social insurance; ``revenue`` and
    ``capital`` (total capital, tổng nguồn vốn) are in VND. ``None`` means "not declared": a missing revenue
    or capital cannot satisfy its branch, a missing labour figure (or both amounts missing, or no sector)
    gives ``unknown``. ``thresholds`` are the rows for the legal basis in force (see :func:`load_thresholds`);
    only the rows of ``sector`` are used, tried micro → small → medium; a firm that fits none is ``large``. If
    ``thresholds`` has no row for ``sector`` (say, the table was not loaded), the result is ``unknown`` too.

    Raises ``ValueError`` for a negative figure, or when ``thresholds`` repeats a size class for ``sector``: both
    are programming or data errors, not user input.
    """
    for name, value in (("insured_labour", insured_labour), ("revenue", revenue), ("capital", capital)):
        if value is not None and value < 0:
            raise ValueError(f"{name} must not be negative, got {value!r}")
    if not sector:
        # vi: Chưa có lĩnh vực kinh doanh chính nên không xác định được quy mô.
        return _unknown(gettext("The main business sector is missing, so the size class cannot be determined."))

    tiers = sorted((t for t in thresholds if t.sector == sector), key=lambda t: TIER_ORDER.index(t.size_class))
    if not tiers:
        # vi: Chưa có ngưỡng quy mô cho lĩnh vực này nên không xác định được quy mô.
        return _unknown(
            gettext("No size thresholds are recorded for this sector, so the size class cannot be determined.")
        )
    if len({t.size_class for t in tiers}) != len(tiers):
        raise ValueError(f"Duplicate size thresholds for sector {sector!r}")

    if insured_labour is None:
        # vi: Chưa có số lao động tham gia BHXH nên không xác định được quy mô.
        return _unknown(gettext("Insured labour is missing, so the size class cannot be determined."))
    if revenue is None and capital is None:
        # vi: Chưa có cả doanh thu và tổng nguồn vốn nên không xác định được quy mô.
        return _unknown(gettext("Revenue and total capital are both missing, so the size class cannot be determined."))

    for threshold in tiers:
        if insured_labour > threshold.max_insured_labour:
            continue
        if revenue is not None and revenue <= threshold.max_revenue:
            return SizeClassResult(SizeClass(threshold.size_class), threshold, _fit_reason(threshold, by_revenue=True))
        if capital is not None and capital <= threshold.max_capital:
            return SizeClassResult(SizeClass(threshold.size_class), threshold, _fit_reason(threshold, by_revenue=False))

    reason = _large_reason(tiers[-1], insured_labour=insured_labour, revenue=revenue, capital=capital)
    return SizeClassResult(size_class=SizeClass.LARGE, threshold=None, reason=reason)


def load_thresholds(path: str | Path | None = None) -> list[SizeThreshold]:
    """Read the threshold rows from ``path`` (default: ``data/sme_size_classes.json`` next to this module).

    The file holds ``legal_reference``, ``valid_from``, ``valid_to`` and a ``thresholds`` list of objects with
    the fields of :class:`SizeThreshold`. Raises ``ValueError`` for an unknown sector or size class, a bad amount,
    or a repeated (sector, size class) pair.
    """
    data = json.loads(Path(path or DEFAULT_THRESHOLDS_PATH).read_text(encoding="utf-8"))
    thresholds = []
    seen = set()
    for row in data["thresholds"]:
        threshold = SizeThreshold(
            sector=row["sector"],
            size_class=row["size_class"],
            max_insured_labour=row["max_insured_labour"],
            max_revenue=row["max_revenue"],
            max_capital=row["max_capital"],
        )
        if threshold.sector not in EconomicSector.values:
            raise ValueError(f"Unknown sector {threshold.sector!r} in {path or DEFAULT_THRESHOLDS_PATH}")
        key = (threshold.sector, threshold.size_class)
        if key in seen:
            raise ValueError(f"Repeated size threshold {key!r} in {path or DEFAULT_THRESHOLDS_PATH}")
        seen.add(key)
        thresholds.append(threshold)
    return thresholds
