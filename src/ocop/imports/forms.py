from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("The filled-in template as .xlsx (or a CSV file saved as UTF-8)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportConfirmForm(forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import only the valid rows and skip the rows with problems"), required=False
    )
