import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ocop.products.models import Product

# Columns hidden on phones (< 768 px) to keep the list readable at 360 px.
_WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class ProductTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Product"), order_by=("name_folded",))
    code = tables.Column(verbose_name=_("Product code"), attrs=_WIDE_ONLY)
    producer = tables.Column(linkify=True, verbose_name=_("Producer"), order_by=("producer__name_folded",))
    province = tables.Column(
        accessor="producer__province__name",
        verbose_name=_("Province"),
        order_by=("producer__province__name",),
        attrs=_WIDE_ONLY,
    )

    class Meta:
        model = Product
        fields = ("name", "code", "producer", "province")
        empty_text = _("No products found.")
