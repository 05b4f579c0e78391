"""Forms of the products app: they clean the input and call the services (never ``Model.save()``).

Each form's ``save(actor=…)`` calls one service. A ``ValidationError`` from the service is put on the
matching field (or shown above the form); an ``ApplicationError`` becomes a form-wide error. Either
way ``save`` then returns ``None`` and the view shows the form again.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.accounts.enums import Capability
from ocop.core.exceptions import ApplicationError
from ocop.legal.selectors import criteria_legal_bases
from ocop.producers.selectors import producers_for_user
from ocop.products import services
from ocop.products.enums import CategoryLevel
from ocop.products.models import Product, ProductCategory, ProductPhoto
from ocop.products.selectors import assignable_categories_grouped, current_taxonomy_basis
from ocop.products.validators import validate_category_for_basis

TEXT_FIELDS = ("description", "story", "specification", "packaging", "shelf_life", "quality_standard")
_LONG_TEXT = ("description", "story", "specification")


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def add_service_errors(form: forms.Form, error: ValidationError | ApplicationError) -> None:
    """Show a service's refusal on the form: field errors on their fields, the rest above the form."""
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, error)


# ---------------------------------------------------------------------------------------------
# Product set under a legal basis
# ---------------------------------------------------------------------------------------------
def _option_label(category: ProductCategory) -> str:
    return f"{category.code} {category.name}"


def category_choices(legal_basis) -> list:
    """The product sets of a basis as select choices, grouped by ngành / nhóm (``<optgroup>``).

    A set (bộ sản phẩm) sits in the group "ngành › nhóm", a group that is itself assignable in
    its sector, and an assignable sector (1048/2019) outside any group.
    """
    choices: list = [("", "---------")]
    if legal_basis is None:
        return choices
    groups: dict[str, list] = {}
    for category in assignable_categories_grouped(legal_basis):
        parent = category.parent
        if parent is None:
            choices.append((category.pk, _option_label(category)))
            continue
        if category.level == CategoryLevel.SET and parent.parent is not None:
            heading = f"{_option_label(parent.parent)} › {_option_label(parent)}"
        else:
            heading = _option_label(parent)
        if heading not in groups:
            groups[heading] = []
            choices.append((heading, groups[heading]))
        groups[heading].append((category.pk, _option_label(category)))
    return choices


class ClassificationFields(forms.Form):
    """A legal basis and a product set under it; the set list reloads (htmx) when the basis changes.

    The set field accepts any category so that a set of another basis reaches
    ``validators.validate_category_for_basis``, whose message is shown on the field.
    """

    legal_basis = forms.ModelChoiceField(
        label=capfirst(_("legal basis")),
        queryset=criteria_legal_bases(),
        help_text=_("The decision whose taxonomy (ngành / nhóm / bộ sản phẩm) the product set belongs to."),
    )
    category = forms.ModelChoiceField(
        label=_("Product set"),
        queryset=ProductCategory.objects.select_related("legal_basis"),
        error_messages={"invalid_choice": _("Choose a product set from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].queryset = criteria_legal_bases()
        if "legal_basis" not in self.initial:
            self.initial["legal_basis"] = current_taxonomy_basis()
        self.fields["legal_basis"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("products:category_options"),
                "hx-target": f"#{self['category'].auto_id}",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
                "data-testid": "legal-basis-select",
            }
        )
        self.fields["category"].widget.attrs["data-testid"] = "category-select"
        self.fields["category"].widget.choices = category_choices(self.chosen_basis())

    def chosen_basis(self):
        """The basis whose sets the select lists: the submitted one if valid, else the initial one."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("legal_basis"))
            if value:
                try:
                    return criteria_legal_bases().filter(pk=int(value)).first()
                except (TypeError, ValueError):
                    return None
            return None
        initial = self.initial.get("legal_basis")
        if initial is not None and not hasattr(initial, "pk"):
            return criteria_legal_bases().filter(pk=initial).first()
        return initial

    def clean(self):
        cleaned = super().clean()
        category, legal_basis = cleaned.get("category"), cleaned.get("legal_basis")
        if category is not None and legal_basis is not None:
            try:
                validate_category_for_basis(category, legal_basis)
            except ValidationError as exc:
                add_service_errors(self, exc)
        return cleaned


# ---------------------------------------------------------------------------------------------
# Create, edit, classify
# ---------------------------------------------------------------------------------------------
class ProductTextFields(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=255)
    code = forms.CharField(
        label=_("Product code"),
        max_length=40,
        required=False,
        help_text=_("An existing code: T-X-STT-YYYY (e.g. 24-07288-1-2025) or a legacy code with a district."),
    )
    description = forms.CharField(label=_label(Product, "description"), required=False, widget=forms.Textarea)
    story = forms.CharField(label=_label(Product, "story"), required=False, widget=forms.Textarea)
    specification = forms.CharField(label=_label(Product, "specification"), required=False, widget=forms.Textarea)
    packaging = forms.CharField(label=_label(Product, "packaging"), max_length=255, required=False)
    shelf_life = forms.CharField(label=_label(Product, "shelf_life"), max_length=100, required=False)
    quality_standard = forms.CharField(label=_label(Product, "quality_standard"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in _LONG_TEXT:
            self.fields[name].widget.attrs["rows"] = 3
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def text_values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS}


class ProductCreateForm(ProductTextFields, ClassificationFields):
    """A new product: producer, name, product set under a basis, an existing or new code, texts."""

    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    allocate_code = forms.BooleanField(
        label=_("Allocate a new code now"),
        required=False,
        help_text=_("The next sequence number of the producer's commune, for this year."),
    )

    field_order = ["producer", "name", "legal_basis", "category", "code", "allocate_code", *TEXT_FIELDS]

    def __init__(self, *args, user, producer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        producers = producers_for_user(user, capability=Capability.MANAGE_REGISTRY).order_by("name_folded", "pk")
        field = self.fields["producer"]
        field.queryset = producers
        if producer is not None:
            # Started from a producer page: the producer is fixed.
            field.queryset = producers.filter(pk=producer.pk)
            field.initial = producer.pk
            field.disabled = True
        elif not self.is_bound:
            only = list(producers[:2])
            if len(only) == 1:  # a producer account, or a commune with one producer
                field.initial = only[0].pk
        self.fields["allocate_code"].widget.attrs["data-testid"] = "allocate-code"
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("allocate_code") and cleaned.get("code"):
            self.add_error("allocate_code", _("Enter an existing code or allocate a new one, not both."))
        return cleaned

    def save(self, *, actor) -> Product | None:
        data = self.cleaned_data
        try:
            return services.create_product(
                producer=data["producer"],
                name=data["name"],
                code=data.get("code", ""),
                category=data["category"],
                allocate_code=bool(data.get("allocate_code")),
                actor=actor,
                **self.text_values(),
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(self, exc)
            return None


class ProductUpdateForm(ProductTextFields):
    """The descriptive fields and the code of an existing product (the producer never changes)."""

    def __init__(self, *args, product: Product, **kwargs):
        self.product = product
        current = {name: getattr(product, name) for name in ("name", "code", *TEXT_FIELDS)}
        kwargs["initial"] = {**current, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def save(self, *, actor) -> Product | None:
        data = self.cleaned_data
        try:
            return services.update_product(
                self.product, code=data.get("code", ""), name=data["name"], actor=actor, **self.text_values()
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(self, exc)
            return None


class ProductClassifyForm(ClassificationFields):
    """Set or replace the product set of a product under one legal basis."""

    def __init__(self, *args, product: Product, **kwargs):
        self.product = product
        super().__init__(*args, **kwargs)

    def save(self, *, actor):
        try:
            return services.classify_product(
                self.product,
                category=self.cleaned_data["category"],
                legal_basis=self.cleaned_data.get("legal_basis"),
                actor=actor,
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(self, exc)
            return None


# ---------------------------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------------------------
class ProductPhotoForm(forms.Form):
    """One photo upload. The size is checked here first, so a huge file never reaches Pillow."""

    image = forms.FileField(
        label=_label(ProductPhoto, "image"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_label(ProductPhoto, "caption"), max_length=255, required=False)

    def __init__(self, *args, product: Product, **kwargs):
        self.product = product
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("JPEG, PNG or WebP, at most %(limit)s.") % {
            "limit": filesizeformat(settings.OCOP_MAX_IMAGE_MB * 1024 * 1024)
        }

    def clean_image(self):
        upload = self.cleaned_data["image"]
        limit = settings.OCOP_MAX_IMAGE_MB * 1024 * 1024
        if upload.size > limit:
            raise ValidationError(
                gettext("The image is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        return upload

    def save(self, *, actor) -> ProductPhoto | None:
        try:
            return services.add_product_photo(
                self.product, upload=self.cleaned_data["image"], caption=self.cleaned_data["caption"], actor=actor
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(self, exc)
            return None
