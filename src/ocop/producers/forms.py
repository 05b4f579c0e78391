"""Staff forms of the producer registry.

Forms clean what was typed and check the things a person can fix on the page (tax-code check digit,
labour figures, the unit against the user's scope, duplicates, file type and size). Every write
goes through ``producers.services``; a ``ValidationError`` the service raises is put back on the
form field it names (``add_service_error``). Nothing here calls ``Model.save()``.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Case, F, When
from django.db.models.functions import Substr
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.accounts.enums import Capability, RoleKind
from ocop.accounts.selectors import capabilities_for_scope, capabilities_for_unit, grants_for
from ocop.core.exceptions import ApplicationError
from ocop.core.scope import Scope
from ocop.core.spreadsheets import parse_int
from ocop.geography.enums import UnitLevel
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import search_units
from ocop.producers import services
from ocop.producers.enums import DocumentCategory, LegalForm
from ocop.producers.models import DocumentType, Producer, ProducerDocument
from ocop.producers.validators import (
    ALLOWED_DOCUMENT_EXTENSIONS,
    normalize_tax_code,
    validate_document_file,
    validate_labour,
    validate_phone,
    validate_registration_number,
    validate_tax_code,
)

#: File types accepted in the evidence vault (scans, photos, Word and Excel documents).
MAX_AMOUNT = 9_223_372_036_854_775_807  # BigIntegerField

# Constraint messages of Producer that belong to one field (a race past the form's own checks).
_CONSTRAINT_FIELDS = {
    "producers_producer_unique_tax_code": "tax_code",
    "producers_producer_unique_registration": "registration_number",
    "producers_producer_local_labour_within_total": "labour_local",
    "producers_producer_insured_labour_within_total": "labour_insured",
}


# ---------------------------------------------------------------------------------------------
# Widgets and fields
# ---------------------------------------------------------------------------------------------
class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's language (ADR 0005); ISO is accepted too.

    The native date picker would show mm/dd/yyyy in an English-language browser.
    """

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


class MoneyField(forms.CharField):
    """An amount in VND typed as people write it: "1.500.000.000", "1,500,000,000" or "1500000000 đ"."""

    def __init__(self, *, min_value: int | None = 0, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.min_value = min_value
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            amount = parse_int(text)
        except ValidationError:
            # vi: Hãy nhập số tiền bằng đồng, ví dụ 1.500.000.000.
            raise ValidationError(gettext("Enter an amount in VND, e.g. 1.500.000.000."), code="invalid") from None
        if self.min_value is not None and amount < self.min_value:
            # vi: Số tiền không được âm.
            raise ValidationError(gettext("The amount cannot be negative."), code="min_value")
        if abs(amount) > MAX_AMOUNT:
            # vi: Số tiền quá lớn.
            raise ValidationError(gettext("The amount is too large."), code="max_value")
        return amount


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return obj.name


def _model_field(name: str, model=Producer, **kwargs) -> forms.Field:
    """The model field's own form field: same label, length, choices and validators."""
    field = model._meta.get_field(name)
    if field.get_internal_type() == "DateField":
        kwargs.setdefault("widget", DateInput)
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


#: Unit types that open a folded unit name; lists sort on what follows ("Bắc Ninh" among the B's).
_UNIT_TYPE_PREFIXES = ("thanh pho ", "tinh ", "dac khu ", "thi tran ", "phuong ", "xa ")


def _by_bare_name(queryset):
    bare_name = Case(
        *(
            When(name_folded__startswith=prefix, then=Substr("name_folded", len(prefix) + 1))
            for prefix in _UNIT_TYPE_PREFIXES
        ),
        default=F("name_folded"),
    )
    return queryset.alias(bare_name=bare_name).order_by("bare_name", "name_folded")


def current_provinces():
    """Today's provinces, by name without "Tỉnh"/"Thành phố"."""
    return _by_bare_name(search_units("", level=UnitLevel.PROVINCE))


def current_communes(province: AdminUnit | None = None):
    """Today's communes and wards (of one province when given), by name without "Xã"/"Phường"."""
    return _by_bare_name(search_units("", level=UnitLevel.COMMUNE, province=province))


def current_province(value) -> AdminUnit | None:
    """Today's province with this pk (as sent by a select), or ``None``."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return current_provinces().filter(pk=pk).first()


def province_select_attrs(target_id: str) -> dict[str, str]:
    """htmx attributes that reload the commune options when the province changes (no inline JS)."""
    return {
        "hx-get": reverse_lazy("producers:commune_options"),
        "hx-target": f"#{target_id}",
        "hx-swap": "innerHTML",
        "hx-trigger": "change",
        "hx-push-url": "false",
        "data-testid": "province-select",
    }


def commune_select_attrs() -> dict[str, str]:
    """Marks a commune select for the type-to-filter box of ``ocop/producers.js``."""
    # vi: Gõ để lọc danh sách xã/phường…
    return {"data-searchable": "true", "data-search-placeholder": _("Type to filter the communes…")}


# ---------------------------------------------------------------------------------------------
# Service errors → form fields
# ---------------------------------------------------------------------------------------------
def duplicate_message(user, existing: Producer) -> SafeString:
    """ "Already registered to <name>." — the name links to the producer when the user may see it."""
    if user is not None and user.has_perm("producers.view_producer", existing):
        name = format_html(
            '<a href="{}" class="alert-link" data-testid="duplicate-link">{}</a>', existing.get_absolute_url(), existing
        )
    else:
        name = conditional_escape(existing.name)
    # vi: Đã được đăng ký cho %(name)s.
    text = conditional_escape(gettext("Already registered to %(name)s."))
    return mark_safe(text % {"name": name})  # noqa: S308 - both parts are escaped above


class ServiceErrorsMixin:
    """Put a service's ``ValidationError`` on the fields it names (unknown fields: on the form)."""

    user = None

    def add_service_error(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for error in exc.error_list:
                self.add_error(None, error)
            return
        constraint_messages = {
            str(constraint.violation_error_message): field
            for constraint in Producer._meta.constraints
            if (field := _CONSTRAINT_FIELDS.get(constraint.name))
        }
        for field, errors in exc.error_dict.items():
            for error in errors:
                target = field if field in self.fields else None
                if target is None and field == NON_FIELD_ERRORS:
                    target = constraint_messages.get(str(error.message))
                    if target is not None and (target not in self.fields or self.has_error(target)):
                        continue  # the field already says it
                if error.code == "duplicate" and error.params and "existing" in error.params:
                    error = ValidationError(duplicate_message(self.user, error.params["existing"]), code="duplicate")
                self.add_error(target, error)


# ---------------------------------------------------------------------------------------------
# Producer create / edit
# ---------------------------------------------------------------------------------------------
class ProducerForm(ServiceErrorsMixin, forms.Form):
    """Create (``instance=None``) or edit a producer through ``create_producer`` / ``update_producer``.

    The legal form is chosen only on creation; later changes go through ``change_legal_form``,
    which keeps the history. The unit is a commune on today's map inside the user's scope. A producer
    recorded on the pre-2025 map keeps that unit unless another commune is chosen.
    """

    name = _model_field("name")
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=[("", "---------"), *LegalForm.choices])
    tax_code = _model_field("tax_code", validators=[validate_tax_code])
    registration_number = _model_field("registration_number", validators=[validate_registration_number])
    registration_issued_on = _model_field("registration_issued_on")
    registration_issuer = _model_field("registration_issuer")
    established_on = _model_field("established_on")
    main_sector = _model_field("main_sector")

    representative_name = _model_field("representative_name")
    representative_position = _model_field("representative_position")
    representative_gender = _model_field("representative_gender")
    representative_ethnicity = _model_field("representative_ethnicity")
    representative_has_disability = _model_field("representative_has_disability")

    address = _model_field("address")
    province = UnitChoiceField(label=_("Province / city"), queryset=AdminUnit.objects.none(), required=False)
    address_unit = UnitChoiceField(
        label=_("Commune / ward"),
        queryset=AdminUnit.objects.none(),
        help_text=_("On today's administrative map (since 01/07/2025)."),
    )
    phone = _model_field("phone", validators=[validate_phone])
    email = _model_field("email")
    website = _model_field("website")
    social_url = _model_field("social_url")

    labour_total = _model_field("labour_total")
    labour_local = _model_field("labour_local")
    labour_insured = _model_field("labour_insured")
    member_count = _model_field("member_count")
    cooperative_rating = _model_field("cooperative_rating")
    cooperative_rated_year = _model_field("cooperative_rated_year", min_value=1990, max_value=2100)

    #: Sections of the page, in order (template layout).
    sections = (
        (
            _("Identity"),
            (
                "name",
                "legal_form",
                "tax_code",
                "registration_number",
                "registration_issued_on",
                "registration_issuer",
                "established_on",
                "main_sector",
            ),
        ),
        (
            _("Legal representative"),
            (
                "representative_name",
                "representative_position",
                "representative_gender",
                "representative_ethnicity",
                "representative_has_disability",
            ),
        ),
        (_("Address and contact"), ("address", "province", "address_unit", "phone", "email", "website", "social_url")),
        (
            _("Labour and members"),
            (
                "labour_total",
                "labour_local",
                "labour_insured",
                "member_count",
                "cooperative_rating",
                "cooperative_rated_year",
            ),
        ),
    )

    def __init__(self, *args, user, instance: Producer | None = None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**self._initial_from(instance), **kwargs.get("initial", {})}
        else:
            kwargs["initial"] = {**self._initial_for_user(user), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["legal_form"]
        self.fields["province"].queryset = current_provinces()
        self.fields["province"].widget.attrs.update(province_select_attrs("id_address_unit"))
        self.fields["address_unit"].widget.attrs.update(commune_select_attrs())
        self.fields["address_unit"].queryset = self._commune_choices()
        self.keeps_legacy_unit = instance is not None and not instance.address_unit.is_current
        if self.keeps_legacy_unit:
            self.fields["address_unit"].required = False
            self.fields["address_unit"].help_text = gettext(
                # vi: Đang ghi theo bản đồ trước năm 2025: %(unit)s. Để nguyên nếu không đổi địa bàn.
                "Recorded on the pre-2025 map as: %(unit)s. Leave it as it is to keep that record."
            ) % {"unit": instance.address_unit.name}
        for name in ("labour_total", "labour_local", "labour_insured", "member_count", "cooperative_rated_year"):
            self.fields[name].widget.attrs.setdefault("inputmode", "numeric")
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})

    # --- initial values ---
    @staticmethod
    def _initial_from(producer: Producer) -> dict:
        initial = {name: getattr(producer, name) for name in services.EDITABLE_FIELDS}
        unit = producer.address_unit
        initial["address_unit"] = unit.pk if unit.is_current else producer.commune_id
        initial["province"] = producer.province_id
        return initial

    @staticmethod
    def _initial_for_user(user) -> dict:
        """Pre-select the unit of a user who manages the registry in exactly one place."""
        places = {
            (grant.unit_level, grant.unit_id)
            for grant in grants_for(user)
            if grant.role_kind != RoleKind.PRODUCER and Capability.MANAGE_REGISTRY in grant.capabilities
        }
        if len(places) != 1:
            return {}
        level, unit_id = places.pop()
        if level == UnitLevel.PROVINCE:
            return {"province": unit_id}
        if level == UnitLevel.COMMUNE:
            commune = current_communes().filter(pk=unit_id).first()
            if commune is not None:
                return {"province": commune.province_id, "address_unit": commune.pk}
        return {}

    def _commune_choices(self):
        if self.is_bound:
            province = current_province(self.data.get(self.add_prefix("province")))
            return current_communes(province)  # all of today's communes when no province was sent
        province = current_province(self.initial.get("province"))
        return current_communes(province) if province is not None else AdminUnit.objects.none()

    # --- cleaning ---
    def clean(self):
        cleaned = super().clean()
        try:
            validate_labour(
                cleaned.get("labour_total"),
                cleaned.get("labour_local"),
                cleaned.get("labour_insured"),
                field_names=("labour_total", "labour_local", "labour_insured"),
            )
        except ValidationError as exc:
            self.add_service_error(exc)
        unit = cleaned.get("address_unit")
        if unit is not None and self._unit_changed(unit) and not self._may_manage_at(unit):
            self.add_error(
                "address_unit",
                ValidationError(
                    # vi: %(unit)s nằm ngoài địa bàn bạn được giao quản lý. Hãy chọn xã/phường thuộc địa bàn của bạn.
                    gettext("%(unit)s is outside the area you manage. Choose a commune you are responsible for."),
                    code="out_of_scope",
                    params={"unit": unit.name},
                ),
            )
        self._check_duplicates(cleaned)
        return cleaned

    def _unit_changed(self, unit: AdminUnit) -> bool:
        return self.instance is None or unit.pk != self.instance.address_unit_id

    def _may_manage_at(self, unit: AdminUnit) -> bool:
        if self.instance is None:
            return Capability.MANAGE_REGISTRY in capabilities_for_unit(self.user, unit)
        scope = Scope(province_id=unit.province_id, commune_id=unit.pk, producer_id=self.instance.pk)
        return Capability.MANAGE_REGISTRY in capabilities_for_scope(self.user, scope)

    def _check_duplicates(self, cleaned: dict) -> None:
        # The service's own duplicate check runs after full_clean(), whose unique constraints refuse
        # the row first without naming the producer; asking it here gives the message with the link.
        if "tax_code" not in cleaned or "registration_number" not in cleaned:
            return
        probe = Producer(
            pk=self.instance.pk if self.instance else None,
            tax_code=normalize_tax_code(cleaned["tax_code"]) if cleaned["tax_code"] else "",
            registration_number=(cleaned["registration_number"] or "").strip().upper(),
        )
        try:
            services.check_duplicates(probe)
        except ValidationError as exc:
            self.add_service_error(exc)

    # --- saving ---
    def changed_fields(self) -> dict:
        """The editable values to hand to the service (on edit: only what changed)."""
        names = [name for name in self.fields if name in services.EDITABLE_FIELDS]
        if self.instance is not None:
            names = [name for name in names if name in self.changed_data]
        values = {name: self.cleaned_data[name] for name in names}
        if "address_unit" in values:
            unit = values["address_unit"]
            keep = self.keeps_legacy_unit and (unit is None or unit.pk == self.instance.commune_id)
            if keep:
                del values["address_unit"]
        return values

    def save(self) -> Producer | None:
        """Create or update through the service; ``None`` (with errors on the form) when it refuses."""
        fields = self.changed_fields()
        try:
            with transaction.atomic():
                if self.instance is None:
                    producer = services.create_producer(
                        name=fields.pop("name"),
                        legal_form=self.cleaned_data["legal_form"],
                        address_unit=fields.pop("address_unit"),
                        actor=self.user,
                        **fields,
                    )
                elif fields:
                    producer = services.update_producer(self.instance, actor=self.user, **fields)
                else:
                    return self.instance
                # Re-check inside the transaction that the saved producer is still the user's to manage.
                if not self.user.has_perm("producers.change_producer", producer):
                    raise _OutOfScope
        except ValidationError as exc:
            self.add_service_error(exc)
            return None
        except ApplicationError as exc:
            self.add_error(None, exc.message)
            return None
        except _OutOfScope:
            # vi: Sau khi lưu, chủ thể sẽ nằm ngoài địa bàn bạn quản lý nên thay đổi không được thực hiện.
            self.add_error(
                "address_unit", gettext("The producer would leave the area you manage, so nothing was saved.")
            )
            return None
        return producer

    @property
    def field_sections(self):
        """(title, bound fields) per section, leaving out fields this form does not have."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.sections]


class _OutOfScope(Exception):
    """Raised inside the save transaction to roll it back."""


# ---------------------------------------------------------------------------------------------
# Legal form change
# ---------------------------------------------------------------------------------------------
class LegalFormChangeForm(ServiceErrorsMixin, forms.Form):
    """A new legal-form period from a date (``services.change_legal_form``); the old one is closed."""

    legal_form = forms.ChoiceField(label=_("New legal form"), choices=LegalForm.choices)
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput)
    name = forms.CharField(
        label=_("New name"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to keep the current name."),
    )
    registration_number = forms.CharField(
        label=_("New registration number"),
        max_length=30,
        required=False,
        validators=[validate_registration_number],
        help_text=_("Leave empty to keep the current number."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, producer: Producer, user, **kwargs):
        self.producer = producer
        self.user = user
        super().__init__(*args, **kwargs)

    def save(self):
        data = self.cleaned_data
        try:
            with transaction.atomic():
                return services.change_legal_form(
                    self.producer,
                    legal_form=data["legal_form"],
                    effective_on=data["effective_on"],
                    name=data["name"] or None,
                    registration_number=data["registration_number"] or None,
                    note=data["note"],
                    actor=self.user,
                )
        except ValidationError as exc:
            self.add_service_error(exc)
        except ApplicationError as exc:
            self.add_error(None, exc.message)
        return None


# ---------------------------------------------------------------------------------------------
# Yearly figures
# ---------------------------------------------------------------------------------------------
class FinancialYearForm(ServiceErrorsMixin, forms.Form):
    """One year's figures; an existing year is replaced (``services.record_financial_year``)."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    revenue = MoneyField(label=_("Revenue (VND)"))
    profit = MoneyField(label=_("Profit (VND)"), min_value=None)
    total_capital = MoneyField(label=_("Total capital (VND)"))
    average_insured_labour = forms.IntegerField(label=_("Average insured workers"), min_value=0, required=False)

    def __init__(self, *args, producer: Producer, user, **kwargs):
        self.producer = producer
        self.user = user
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year - 1)
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        self.fields["average_insured_labour"].widget.attrs["inputmode"] = "numeric"

    def save(self):
        data = self.cleaned_data
        try:
            with transaction.atomic():
                return services.record_financial_year(
                    self.producer,
                    year=data["year"],
                    revenue=data["revenue"],
                    profit=data["profit"],
                    total_capital=data["total_capital"],
                    average_insured_labour=data["average_insured_labour"],
                    actor=self.user,
                )
        except ValidationError as exc:
            self.add_service_error(exc)
        return None


# ---------------------------------------------------------------------------------------------
# Evidence vault
# ---------------------------------------------------------------------------------------------
class _DocumentTypesByCategory(ModelChoiceIterator):
    """Lazy choices grouped by category; the widget renders each group as an ``<optgroup>``."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        labels = dict(DocumentCategory.choices)
        groups: dict[str, list] = {}
        for document_type in self.queryset:
            groups.setdefault(document_type.category, []).append(self.choice(document_type))
        for category, options in groups.items():
            yield (labels.get(category, category), options)


class DocumentTypeChoiceField(forms.ModelChoiceField):
    iterator = _DocumentTypesByCategory


class DocumentForm(ServiceErrorsMixin, forms.Form):
    """Add a document to the vault (``add_document``) or change one (``update_document``)."""

    document_type = DocumentTypeChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(is_active=True)
    )
    number = _model_field("number", model=ProducerDocument)
    issuer = _model_field("issuer", model=ProducerDocument)
    issued_on = _model_field("issued_on", model=ProducerDocument)
    valid_until = _model_field("valid_until", model=ProducerDocument)
    product = _model_field("product", model=ProducerDocument)
    file = forms.FileField(label=_("File"), required=False)
    note = _model_field("note", model=ProducerDocument)

    def __init__(self, *args, producer: Producer, user, instance: ProducerDocument | None = None, **kwargs):
        self.producer = producer
        self.user = user
        self.instance = instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in services.DOCUMENT_FIELDS}
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = producer.products.order_by("name")
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_DOCUMENT_EXTENSIONS)
        self.fields["file"].help_text = gettext(
            # vi: %(types)s; tối đa %(limit)s MB.
            "%(types)s; at most %(limit)s MB."
        ) % {
            "types": ", ".join(ext.upper() for ext in ALLOWED_DOCUMENT_EXTENSIONS),
            "limit": settings.OCOP_MAX_DOCUMENT_MB,
        }
        if instance is not None and instance.file:
            self.fields["file"].help_text = gettext(
                # vi: Để trống để giữ tệp hiện tại (%(name)s). %(rules)s
                "Leave empty to keep the current file (%(name)s). %(rules)s"
            ) % {
                "name": instance.original_filename or PurePath(instance.file.name).name,
                "rules": self.fields["file"].help_text,
            }

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            validate_document_file(file)
        return file

    def clean(self):
        cleaned = super().clean()
        issued, valid_until = cleaned.get("issued_on"), cleaned.get("valid_until")
        if issued and valid_until and valid_until < issued:
            # vi: Ngày hết hạn không được trước ngày cấp.
            self.add_error("valid_until", gettext("The expiry date must not be before the issue date."))
        return cleaned

    def save(self) -> ProducerDocument | None:
        data = dict(self.cleaned_data)
        file = data.pop("file") or None
        fields = {name: data[name] for name in services.DOCUMENT_FIELDS if name != "document_type"}
        try:
            with transaction.atomic():
                if self.instance is None:
                    return services.add_document(
                        self.producer, document_type=data["document_type"], file=file, actor=self.user, **fields
                    )
                return services.update_document(
                    self.instance, document_type=data["document_type"], file=file, actor=self.user, **fields
                )
        except ValidationError as exc:
            self.add_service_error(exc)
        return None
