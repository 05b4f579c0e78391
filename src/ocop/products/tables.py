import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ocop.products.models import Product


class ProductTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Product"), order_by=("name_folded",))
    code = tables.Column(verbose_name=_("Product code"))
    producer = tables.Column(linkify=True, verbose_name=_("Producer"), order_by=("producer__name_folded",))
    province = tables.Column(
        accessor="producer__province__name", verbose_name=_("Province"), order_by=("producer__province__name",)
    )

    class Meta:
        model = Product
        fields = ("name", "code", "producer", "province")
        empty_text = _("No products found.")
