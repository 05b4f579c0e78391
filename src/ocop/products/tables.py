import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ocop.products.models import Product


def _from(breakpoint: str) -> dict:
    """Column attributes that hide a secondary column below a Bootstrap breakpoint (phones at 360 px)."""
    css = f"d-none d-{breakpoint}-table-cell"
    return {"th": {"class": css}, "td": {"class": css}}


class ProductTable(tables.Table):
    """The product list. Needs the annotations of ``selectors.annotate_registry_columns``."""

    name = tables.Column(
        linkify=True, verbose_name=_("Product"), order_by=("name_folded", "pk"), attrs={"td": {"data-testid": "name"}}
    )
    code = tables.Column(verbose_name=_("Product code"), attrs=_from("md"), order_by=("code", "pk"))
    producer = tables.Column(linkify=True, verbose_name=_("Producer"), order_by=("producer__name_folded", "pk"))
    set_name = tables.Column(
        verbose_name=_("Product set (26/2026)"), order_by=("set_position", "name_folded"), attrs=_from("lg")
    )
    stars_now = tables.TemplateColumn(
        "{% load ocop %}{% stars value %}",
        verbose_name=_("Stars"),
        order_by=("stars_now", "name_folded"),
        attrs={"td": {"class": "text-nowrap", "data-testid": "stars"}},
    )
    commune = tables.Column(
        accessor="producer__commune__name",
        verbose_name=_("Commune"),
        order_by=("producer__commune__name_folded", "name_folded"),
        attrs=_from("md"),
    )
    province = tables.Column(
        accessor="producer__province__name",
        verbose_name=_("Province"),
        order_by=("producer__province__code", "name_folded"),
        attrs=_from("lg"),
    )

    class Meta:
        model = Product
        fields = ("name", "code", "producer", "set_name", "stars_now", "commune", "province")
        empty_text = _("No products found.")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "product-table"}
