"""Formatting helpers for Vietnamese display: VND amounts, star badges, admin-unit paths."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    amount = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
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
    places = int(decimals)
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


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


@register.filter
def with_class(bound_field, css_class: str):
    """Render a form field's widget with Bootstrap classes (``form-select`` for selects)."""
    widget = bound_field.field.widget
    classes = css_class
    if getattr(widget, "input_type", None) == "select" or widget.__class__.__name__.endswith("Select"):
        classes = "form-select"
    if bound_field.errors:
        classes += " is-invalid"
    return bound_field.as_widget(attrs={"class": classes})
