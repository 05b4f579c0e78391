from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ocop.core.views import HistoryTabView, ScopedListMixin, ScopedObjectMixin
from ocop.geography.selectors import current_units_for
from ocop.products.filters import ProductFilter
from ocop.products.selectors import products_for_user
from ocop.products.tables import ProductTable


class ProductListView(ScopedListMixin, SingleTableMixin, FilterView):
    permission_required = "products.view_product"
    template_name = "products/product_list.html"
    table_class = ProductTable
    filterset_class = ProductFilter
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return products_for_user(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["products/product_list.html#results"]
        return [self.template_name]


class ProductDetailView(ScopedObjectMixin, DetailView):
    permission_required = "products.view_product"
    template_name = "products/product_detail.html"
    context_object_name = "product"

    def get_queryset(self):
        return products_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object.recorded_unit
        context["recorded_rollup"] = current_units_for(unit) if unit and not unit.is_current else []
        return context


class ProductHistoryView(HistoryTabView):
    permission_required = "products.view_product"

    def get_queryset(self):
        return products_for_user(self.request.user)
