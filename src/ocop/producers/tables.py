import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.producers.models import Producer

# Columns hidden on phones (< 768 px) to keep the list readable at 360 px.
_WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class ProducerTable(tables.Table):
    """The producer list. Rows come annotated with ``product_count``, ``has_expiring_document`` and
    ``has_expired_document`` (see ``ProducerListView.get_queryset``), so rendering runs no query."""

    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name_folded",))
    document_alert = tables.Column(
        verbose_name=_("Documents"), empty_values=(), orderable=False, attrs={"td": {"class": "text-center"}}
    )
    legal_form = tables.Column(verbose_name=_("Legal form"), attrs=_WIDE_ONLY)
    size_class = tables.Column(verbose_name=_("Size class"), attrs=_WIDE_ONLY)
    commune = tables.Column(verbose_name=_("Commune"), empty_values=(), order_by=("commune__name_folded",))
    province = tables.Column(verbose_name=_("Province"), order_by=("province__name_folded",), attrs=_WIDE_ONLY)
    product_count = tables.Column(verbose_name=_("Products"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Producer
        fields = ("name", "document_alert", "legal_form", "size_class", "commune", "province", "product_count")
        empty_text = _("No producers found.")

    def render_commune(self, record):
        return record.commune.name if record.commune else "—"

    def render_size_class(self, record):
        if record.size_class == "large":
            return format_html('<span class="badge text-bg-danger">{}</span>', record.get_size_class_display())
        return record.get_size_class_display()

    def render_document_alert(self, record):
        if getattr(record, "has_expired_document", False):
            # vi: Có giấy tờ đã hết hạn
            label = gettext("A document has expired")
            return format_html(
                '<i class="bi bi-exclamation-octagon-fill text-danger" role="img" title="{0}" aria-label="{0}" '
                'data-testid="alert-expired"></i>',
                label,
            )
        if getattr(record, "has_expiring_document", False):
            # vi: Có giấy tờ sắp hết hạn
            label = gettext("A document expires soon")
            return format_html(
                '<i class="bi bi-exclamation-triangle-fill text-warning" role="img" title="{0}" aria-label="{0}" '
                'data-testid="alert-expiring"></i>',
                label,
            )
        return ""
