"""Formatting helpers for Vietnamese display: VND amounts, star badges, admin-unit paths."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def vnd(value) -> str:
    """``1234567`` → ``1.234.567 ₫`` (grouping follows the active language)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)} ₫"


@register.filter
def number(value, decimals: int = 0) -> str:
    """Group thousands and use the language's decimal mark: ``93.5`` → ``93,50`` with 2 decimals."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return number_format(amount, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.simple_tag
def unit_path(unit) -> str:
    """``Phường Bắc Hồng Lĩnh, Tỉnh Hà Tĩnh``: a unit followed by its province (if different)."""
    if unit is None:
        return ""
    parts = [unit.name]
    parent = unit.parent if unit.level == "commune" and unit.parent and unit.parent.level == "district" else None
    if parent is not None:
        parts.append(parent.name)
    if unit.province_id and unit.province_id != unit.pk:
        parts.append(unit.province.name)
    return ", ".join(parts)


@register.simple_tag
def stars(count) -> str:
    if not count:
        return ""
    return format_html(
        '<span class="ocop-stars" aria-label="{}">{}</span>',
        ngettext("%(n)s star", "%(n)s stars", int(count)) % {"n": count},
        "★" * int(count),
    )
