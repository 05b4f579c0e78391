"""Filters of the product list (shared with the exports and, later, the API).

The queryset is annotated on creation (:func:`selectors.annotate_registry_columns`) so that the product
set under 26/2026, the current stars and the certificate status are plain columns to filter on.
"""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ocop.geography.enums import UnitLevel
from ocop.geography.models import AdminUnit
from ocop.producers.enums import LegalForm
from ocop.products.enums import CategoryLevel, CertificateStatus
from ocop.products.models import Product, ProductCategory
from ocop.products.selectors import (
    annotate_registry_columns,
    current_taxonomy_basis,
    filter_certificate_status,
    filter_products_in_category,
    rerating_window_days,
    search_products,
    taxonomy_for_basis,
)

STARS_AT_LEAST_3 = "3+"
STARS_NONE = "none"
INDENT = "\u2003"  # an em space per taxonomy level in the product group select


def current_provinces(request=None):
    return AdminUnit.objects.current().provinces().order_by("code")


def current_communes(request=None):
    return AdminUnit.objects.current().communes().select_related("province").order_by("name_folded", "pk")


def commune_choices(province_id) -> list[tuple[object, str]]:
    """Options of the commune select: the communes of today's map in one province."""
    choices: list[tuple[object, str]] = [("", gettext("All"))]
    try:
        province_id = int(province_id)
    except (TypeError, ValueError):
        return choices
    communes = AdminUnit.objects.current().communes().filter(province_id=province_id).order_by("name_folded", "pk")
    return choices + [(unit.pk, unit.name) for unit in communes]


def _category_label(category: ProductCategory) -> str:
    depth = {CategoryLevel.SECTOR: 0, CategoryLevel.GROUP: 1, CategoryLevel.SET: 2}.get(category.level, 0)
    return f"{INDENT * depth}{category.code} {category.name}"


class ProductFilter(django_filters.FilterSet):
    """Search, unit (today's map), producer legal form, product group, stars and certificate status."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=current_provinces, method="filter_province", empty_label=_("All")
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"), queryset=current_communes, method="filter_commune", empty_label=_("All")
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), field_name="producer__legal_form", choices=LegalForm.choices, empty_label=_("All")
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Product group (26/2026)"),
        queryset=ProductCategory.objects.none(),
        method="filter_group",
        empty_label=_("All"),
    )
    stars = django_filters.ChoiceFilter(label=_("Stars"), choices=(), method="filter_stars", empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Certificate status"), choices=(), method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = Product
        fields = ["q", "province", "commune", "legal_form", "group", "stars", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.legal_basis = current_taxonomy_basis()
        self.window_days = rerating_window_days(self.legal_basis)
        # Annotated here, not in filter_queryset: an unbound or invalid filter still sorts on these.
        self.queryset = annotate_registry_columns(self.queryset, today=self.today, legal_basis=self.legal_basis)
        self.filters["group"].queryset = taxonomy_for_basis(self.legal_basis)
        self.filters["stars"].extra["choices"] = [
            *((str(n), ngettext("%(n)s star", "%(n)s stars", n) % {"n": n}) for n in range(1, 6)),
            (STARS_AT_LEAST_3, gettext("3 stars or more")),
            (STARS_NONE, gettext("No stars")),
        ]
        self.filters["status"].extra["choices"] = [
            (CertificateStatus.VALID, CertificateStatus.VALID.label),
            (
                CertificateStatus.EXPIRING,
                gettext("Expiring within %(days)s days (re-rating window)") % {"days": self.window_days},
            ),
            (CertificateStatus.EXPIRED, CertificateStatus.EXPIRED.label),
            (CertificateStatus.NONE, CertificateStatus.NONE.label),
        ]
        form = self.form
        form.fields["group"].label_from_instance = _category_label
        # The commune list shows one province (3,321 communes would not fit a phone); any current
        # commune is still accepted, so a bookmarked ?commune= keeps working.
        province_id = self.data.get("province") if self.data else None
        choices = commune_choices(province_id)
        selected = self.data.get("commune") if self.data else None
        if selected and all(str(value) != str(selected) for value, _label in choices):
            unit = current_communes().filter(pk=selected).first() if str(selected).isdigit() else None
            if unit is not None:
                choices.append((unit.pk, unit.name))
        form.fields["commune"].widget.choices = choices
        form.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("products:commune_options"),
                "hx-target": "#id_commune",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )
        for name, field in form.fields.items():
            field.widget.attrs.setdefault("data-testid", f"filter-{name}")

    def filter_q(self, queryset, name, value):
        return search_products(queryset, value)

    def filter_province(self, queryset, name, value):
        return queryset.filter(producer__province=value)

    def filter_commune(self, queryset, name, value):
        province = self.form.cleaned_data.get("province")
        if province is not None and value.province_id != province.pk:
            return queryset  # a commune left over from another province: the province decides
        if value.level != UnitLevel.COMMUNE:
            return queryset
        return queryset.filter(producer__commune=value)

    def filter_group(self, queryset, name, value):
        return filter_products_in_category(queryset, value)

    def filter_stars(self, queryset, name, value):
        if value == STARS_NONE:
            return queryset.filter(stars_now__isnull=True)
        if value == STARS_AT_LEAST_3:
            return queryset.filter(stars_now__gte=3)
        return queryset.filter(stars_now=int(value))

    def filter_status(self, queryset, name, value):
        return filter_certificate_status(queryset, value, today=self.today, window_days=self.window_days)
