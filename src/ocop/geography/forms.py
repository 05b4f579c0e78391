from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.geography.enums import UnitLevel


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels"))] + [c for c in UnitLevel.choices if c[0] != UnitLevel.COUNTRY],
    )
    include_legacy = forms.BooleanField(label=_("Include the pre-2025 map"), required=False)
