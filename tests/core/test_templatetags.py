import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from ocop.core.templatetags.ocop import number, stars, unit_path, vnd, with_class

pytestmark = [pytest.mark.unit]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234567, "1.234.567 ₫"),
        ("3000000000", "3.000.000.000 ₫"),
        (Decimal("999.6"), "1.000 ₫"),
        (0, "0 ₫"),
        (None, ""),
        ("", ""),
        ("abc", ""),
    ],
)
def test_vnd_uses_vietnamese_grouping(value, expected):
    with translation.override("vi"):
        assert vnd(value) == expected


def test_vnd_in_english_groups_with_commas():
    with translation.override("en"):
        assert vnd(1234567) == "1,234,567 ₫"


def test_number_uses_decimal_comma_in_vietnamese():
    with translation.override("vi"):
        assert number(Decimal("93.5"), 2) == "93,50"
        assert number(12500) == "12.500"
        assert number(None) == ""
        assert number("x") == ""


def test_dates_render_dd_mm_yyyy_in_both_languages():
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d }}')
    for language in ("vi", "en"):
        with translation.override(language):
            assert template.render(Context({"d": dt.date(2026, 5, 22)})) == "22/05/2026 22/05/2026"


def test_stars_has_accessible_label():
    with translation.override("vi"):
        assert stars(4) == '<span class="ocop-stars" aria-label="4 sao">★★★★</span>'
        assert stars(0) == ""


@pytest.mark.django_db
def test_unit_path_shows_district_and_province_for_legacy_commune(units):
    assert unit_path(units.legacy_thuan_loc) == "Xã Thuận Lộc, Thị xã Hồng Lĩnh, Tỉnh Hà Tĩnh"
    assert unit_path(units.yen_the) == "Xã Yên Thế, Thành phố Bắc Ninh"
    assert unit_path(units.ha_tinh) == "Tỉnh Hà Tĩnh"
    assert unit_path(None) == ""


class _Form(forms.Form):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A")])


def test_with_class_picks_form_select_for_selects_and_marks_errors():
    form = _Form(data={"name": "", "kind": "a"})
    form.is_valid()
    assert 'class="form-control is-invalid"' in with_class(form["name"], "form-control")
    assert 'class="form-select"' in with_class(form["kind"], "form-control")
