import django_filters
from django.utils.translation import gettext_lazy as _

from ocop.products.models import Product
from ocop.products.selectors import search_products


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Product
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return search_products(queryset, value)
