from django import template

from ocop.evaluation.engine import format_points

register = template.Library()


@register.filter
def points(value) -> str:
    """3 → "3", 2.5 → "2,5", 70.00 → "70", 69.99 → "69,99" (Vietnamese decimal comma)."""
    if value is None or value == "":
        return "—"
    return format_points(value)


@register.filter
def marker(star) -> str:
    return "*" * int(star) if star else ""


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def level_name(level: str) -> str:
    """district / province / central → the Vietnamese name of the level (rule tables)."""
    from django.utils.translation import gettext as _  # noqa: PLC0415

    return {"district": _("district"), "province": _("province"), "central": _("ministry")}.get(level, level)
