import django_filters
from django.utils.translation import gettext_lazy as _

from ocop.producers.enums import LegalForm
from ocop.producers.forms import (
    UnitChoiceField,
    commune_select_attrs,
    current_communes,
    current_provinces,
    province_select_attrs,
)
from ocop.producers.models import Producer
from ocop.producers.selectors import document_alert_conditions, search_producers
from ocop.producers.sizing import SizeClass


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def _pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ProducerFilter(django_filters.FilterSet):
    """Filters of the producer list, its exports and (later) the API.

    ``province`` and ``commune`` are today's units the producer rolls up to. A commune alone implies
    its province; a commune outside the chosen province is dropped (the province was changed).
    """

    #: ``documents`` values → the ``document_alert_conditions`` key they select.
    DOCUMENT_ALERTS = {"expiring": "has_expiring_document", "expired": "has_expired_document"}

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = UnitFilter(
        label=_("Province / city"), queryset=lambda request: current_provinces(), empty_label=_("All")
    )
    commune = UnitFilter(
        label=_("Commune / ward"), queryset=lambda request: current_communes().none(), empty_label=_("All")
    )
    legal_form = django_filters.ChoiceFilter(label=_("Legal form"), choices=LegalForm.choices, empty_label=_("All"))
    size_class = django_filters.ChoiceFilter(label=_("Size class"), choices=SizeClass.choices, empty_label=_("All"))
    documents = django_filters.ChoiceFilter(
        label=_("Evidence documents"),
        choices=[
            ("expiring", _("Has a document expiring soon")),
            ("expired", _("Has an expired document")),
        ],
        empty_label=_("All"),
        method="filter_documents",
    )

    class Meta:
        model = Producer
        fields = ["q", "province", "commune", "legal_form", "size_class", "documents"]

    def __init__(self, data=None, *args, **kwargs):
        province_pk = None
        if data is not None:
            province_pk, commune_pk = _pk(data.get("province")), _pk(data.get("commune"))
            if commune_pk is not None:
                commune = current_communes().filter(pk=commune_pk).first()
                if commune is not None and province_pk is None:
                    data = data.copy()
                    data["province"] = province_pk = commune.province_id
                elif commune is None or commune.province_id != province_pk:
                    data = data.copy()
                    data.pop("commune")
        super().__init__(data, *args, **kwargs)
        fields = self.form.fields
        fields["province"].widget.attrs.update(province_select_attrs("id_commune"))
        fields["commune"].widget.attrs.update(commune_select_attrs())
        if province_pk is not None:
            fields["commune"].queryset = current_communes().filter(province_id=province_pk)

    def filter_q(self, queryset, name, value):
        return search_producers(queryset, value)

    def filter_documents(self, queryset, name, value):
        return queryset.filter(document_alert_conditions()[self.DOCUMENT_ALERTS[value]])
