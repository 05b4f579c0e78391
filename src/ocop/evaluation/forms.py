from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ocop.legal.selectors import criteria_legal_bases


class RubricImportForm(forms.Form):
    legal_basis = forms.ModelChoiceField(
        label=_("Legal basis"),
        queryset=criteria_legal_bases(),
        empty_label=None,
        help_text=_("The decision the sheet belongs to."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=_("Sheet file"),
        help_text=_("YAML (.yaml) or Excel (.xlsx) in the format of the export of a sheet."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".yaml,.yml,.xlsx"}),
    )
    change_note = forms.CharField(
        label=_("What changed and why"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.OCOP_MAX_IMPORT_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": settings.OCOP_MAX_IMPORT_MB}
            )
        if not upload.name.lower().endswith((".yaml", ".yml", ".xlsx")):
            raise forms.ValidationError(_("Upload a .yaml or .xlsx file."))
        return upload
