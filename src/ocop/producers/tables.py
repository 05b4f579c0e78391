import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ocop.producers.models import Producer

# Columns hidden on phones (< 768 px) to keep the list readable at 360 px.
_WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class ProducerTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name_folded",))
    legal_form = tables.Column(verbose_name=_("Legal form"), attrs=_WIDE_ONLY)
    commune = tables.Column(verbose_name=_("Commune"), empty_values=(), orderable=False)
    province = tables.Column(verbose_name=_("Province"), order_by=("province__name",), attrs=_WIDE_ONLY)
    product_count = tables.Column(verbose_name=_("Products"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Producer
        fields = ("name", "legal_form", "commune", "province", "product_count")
        empty_text = _("No producers found.")

    def render_commune(self, record):
        return record.commune.name if record.commune else "—"
