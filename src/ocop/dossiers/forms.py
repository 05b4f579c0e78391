"""Forms of the dossier wizard, the commune review and the province intake.

Forms clean fields only; the rules (completeness, transitions, windows) live in validators and
services, whose errors the views show next to the form.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.text import clean_text
from ocop.dossiers.enums import CommuneTopic, DossierKind, TopicConclusion

TEXTAREA = {"rows": 3}


class VersionForm(forms.Form):
    """Carries the dossier version the page was rendered with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DossierCreateForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, empty_label=_("Choose a product"))
    kind = forms.ChoiceField(label=_("Registration type"), choices=DossierKind.choices, initial=DossierKind.FIRST)
    year = forms.IntegerField(label=_("Round year"))

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        year = timezone.localdate().year
        self.fields["year"].initial = year
        self.fields["year"].validators += [MinValueValidator(year), MaxValueValidator(year + 1)]
        self.fields["year"].widget.attrs.update(min=year, max=year + 1)


class RegistrationForm(VersionForm):
    """Mẫu 01 — Phiếu đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP."""

    unit_name = forms.CharField(label=_("Registering unit"), max_length=255, required=False)
    representative_name = forms.CharField(label=_("Legal representative"), max_length=150, required=False)
    representative_position = forms.CharField(label=_("Position"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    product_name = forms.CharField(label=_("Product name"), max_length=255, required=False)
    product_group = forms.CharField(
        label=_("Group registered (sector, group, sub-group)"), required=False, disabled=True
    )
    sample_count = forms.IntegerField(label=_("Number of product samples"), min_value=0, max_value=1000, required=False)
    declaration_accepted = forms.BooleanField(
        label=_("I declare that the information in this dossier is true and take responsibility for it."),
        required=False,
    )

    REGISTRATION_KEYS = (
        "unit_name",
        "representative_name",
        "representative_position",
        "address",
        "phone",
        "email",
        "product_name",
    )

    def clean(self):
        data = super().clean()
        for key in self.REGISTRATION_KEYS:
            if isinstance(data.get(key), str):
                data[key] = clean_text(data[key])
        return data

    def values(self, dossier) -> dict:
        registration = dict(dossier.registration or {})
        registration.update({key: self.cleaned_data.get(key) or "" for key in self.REGISTRATION_KEYS})
        return {
            "registration": registration,
            "sample_count": self.cleaned_data.get("sample_count"),
            "declaration_accepted": bool(self.cleaned_data.get("declaration_accepted")),
        }


class GeneralForm(VersionForm):
    """Mẫu 02 Part I — general information; the legal-paper notes are added per paper."""

    legal_form = forms.CharField(label=_("Legal form"), max_length=100, required=False)
    tax_code = forms.CharField(label=_("Tax code"), max_length=20, required=False)
    registration_number = forms.CharField(label=_("Registration number"), max_length=30, required=False)
    registration_issued_on = forms.DateField(label=_("Registration date"), required=False)
    established_on = forms.DateField(label=_("Established on"), required=False)
    representative_gender = forms.CharField(label=_("Representative's gender"), max_length=20, required=False)
    representative_ethnicity = forms.CharField(label=_("Representative's ethnicity"), max_length=50, required=False)
    representative_residence = forms.CharField(
        label=_("Representative's permanent address"), max_length=255, required=False
    )
    specification = forms.CharField(
        label=_("Product specification and standard applied"), widget=forms.Textarea(attrs=TEXTAREA), required=False
    )

    KEYS = (
        "legal_form",
        "tax_code",
        "registration_number",
        "registration_issued_on",
        "established_on",
        "representative_gender",
        "representative_ethnicity",
        "representative_residence",
        "specification",
    )

    def __init__(self, *args, papers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.papers = papers
        for paper in papers:
            self.fields[f"paper_{paper.key}"] = forms.CharField(
                label=_("Number, date, issuer (if any)"), max_length=300, required=False
            )

    @classmethod
    def initial_for(cls, dossier) -> dict:
        initial = {key: (dossier.general or {}).get(key, "") for key in cls.KEYS}
        for key in ("registration_issued_on", "established_on"):
            value = initial.get(key)
            if value:
                try:
                    initial[key] = dt.date.fromisoformat(value)
                except ValueError:
                    initial[key] = None
        for key, value in (dossier.legal_papers or {}).items():
            initial[f"paper_{key}"] = (value or {}).get("note", "")
        initial["version"] = dossier.version
        return initial

    def values(self, dossier) -> dict:
        general = dict(dossier.general or {})
        for key in self.KEYS:
            value = self.cleaned_data.get(key)
            if isinstance(value, dt.date):
                value = value.isoformat()
            general[key] = clean_text(value) if isinstance(value, str) else (value or "")
        papers = {
            paper.key: {"note": clean_text(self.cleaned_data.get(f"paper_{paper.key}") or "")} for paper in self.papers
        }
        return {"general": general, "legal_papers": papers}


class TextSectionForm(VersionForm):
    """Mẫu 02 Part II (results) or Part IV (plan ahead): one text per heading of the definition."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.key] = forms.CharField(
                label=item.label, widget=forms.Textarea(attrs=TEXTAREA), max_length=5000, required=False
            )

    def values(self) -> dict:
        return {item.key: clean_text(self.cleaned_data.get(item.key) or "", multiline=True) for item in self.items}


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VaultEvidenceForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Document from the evidence vault"), queryset=None)

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents


class ReceiveForm(VersionForm):
    """The commune's completeness check (one tick per item of the form definition)."""

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = checks
        for item in checks:
            self.fields[item.key] = forms.BooleanField(label=item.label, required=False)

    def completeness(self) -> dict[str, bool]:
        return {item.key: bool(self.cleaned_data.get(item.key)) for item in self.checks}


class ReturnForm(VersionForm):
    reasons = forms.CharField(
        label=_("What must be completed (one item per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)

    def reason_list(self) -> list[str]:
        return [clean_text(line) for line in self.cleaned_data["reasons"].splitlines() if clean_text(line)]

    def clean_reasons(self):
        value = self.cleaned_data["reasons"]
        if not [line for line in value.splitlines() if line.strip()]:
            raise forms.ValidationError(_("Give at least one reason."))
        return value


class NoteForm(VersionForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class CommuneReviewForm(VersionForm):
    """Mẫu 03 — the four contents, the meeting, the proposal and the letter details."""

    meeting_held = forms.BooleanField(label=_("A consultation meeting was held"), required=False)
    meeting_on = forms.DateField(label=_("Meeting date"), required=False)
    meeting_notes = forms.CharField(
        label=_("Meeting notes"), widget=forms.Textarea(attrs=TEXTAREA), max_length=5000, required=False
    )
    proposal = forms.CharField(
        label=_("Proposal to the province"), widget=forms.Textarea(attrs=TEXTAREA), max_length=5000, required=False
    )
    letter_number = forms.CharField(label=_("Letter number"), max_length=60, required=False)
    letter_date = forms.DateField(label=_("Letter date"), required=False)
    signer_name = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    signer_position = forms.CharField(label=_("Position"), max_length=150, required=False)

    def __init__(self, *args, topic_criteria=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_criteria = topic_criteria or {}
        for topic in CommuneTopic:
            self.fields[f"{topic.value}_assessment"] = forms.CharField(
                label=_("Assessment"), widget=forms.Textarea(attrs=TEXTAREA), max_length=5000, required=False
            )
            self.fields[f"{topic.value}_conclusion"] = forms.ChoiceField(
                label=_("Conclusion"), choices=[("", "—"), *TopicConclusion.choices], required=False
            )

    def clean(self):
        data = super().clean()
        if data.get("meeting_held") and not data.get("meeting_on"):
            self.add_error("meeting_on", _("Enter the date of the meeting."))
        letter_date = data.get("letter_date")
        if letter_date and letter_date > timezone.localdate():
            self.add_error("letter_date", _("The letter date cannot be in the future."))
        return data

    def topic_fields(self):
        return [
            (
                topic,
                self[f"{topic.value}_assessment"],
                self[f"{topic.value}_conclusion"],
                self.topic_criteria.get(topic.value, ()),
            )
            for topic in CommuneTopic
        ]

    def topics(self) -> dict:
        return {
            topic.value: {
                "assessment": clean_text(self.cleaned_data.get(f"{topic.value}_assessment") or "", multiline=True),
                "conclusion": self.cleaned_data.get(f"{topic.value}_conclusion") or "",
            }
            for topic in CommuneTopic
        }

    def review_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "meeting_held": bool(data.get("meeting_held")),
            "meeting_on": data.get("meeting_on"),
            "meeting_notes": clean_text(data.get("meeting_notes") or "", multiline=True),
            "proposal": clean_text(data.get("proposal") or "", multiline=True),
            "letter_number": clean_text(data.get("letter_number") or ""),
            "letter_date": data.get("letter_date"),
            "signer_name": clean_text(data.get("signer_name") or ""),
            "signer_position": clean_text(data.get("signer_position") or ""),
        }

    @classmethod
    def initial_for(cls, dossier, review) -> dict:
        initial = {"version": dossier.version}
        if review is None:
            return initial
        for topic in CommuneTopic:
            value = review.topic(topic.value)
            initial[f"{topic.value}_assessment"] = value.get("assessment", "")
            initial[f"{topic.value}_conclusion"] = value.get("conclusion", "")
        for name in (
            "meeting_held",
            "meeting_on",
            "meeting_notes",
            "proposal",
            "letter_number",
            "letter_date",
            "signer_name",
            "signer_position",
        ):
            initial[name] = getattr(review, name)
        return initial
