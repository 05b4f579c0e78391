from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Sign-in form with Vietnamese messages that never say which of the two fields was wrong."""

    error_messages = {
        "invalid_login": _(
            "Incorrect username or password. Please check and try again (passwords are case-sensitive)."
        ),
        "inactive": _("This account has been deactivated. Please contact your administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("Password")
        self.fields["username"].error_messages["required"] = _("Please enter your username.")
        self.fields["password"].error_messages["required"] = _("Please enter your password.")


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^\+?[0-9 .]{8,15}$",
        required=False,
        error_messages={"invalid": _("Enter a valid phone number (8–15 digits).")},
    )
