import django_filters
from django.utils.translation import gettext_lazy as _

from ocop.producers.enums import LegalForm
from ocop.producers.models import Producer
from ocop.producers.selectors import search_producers


class ProducerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    legal_form = django_filters.ChoiceFilter(label=_("Legal form"), choices=LegalForm.choices, empty_label=_("All"))

    class Meta:
        model = Producer
        fields = ["q", "legal_form"]

    def filter_q(self, queryset, name, value):
        return search_producers(queryset, value)
