from django.db.models import Count
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ocop.core.views import HistoryTabView, ScopedListMixin, ScopedObjectMixin
from ocop.producers.filters import ProducerFilter
from ocop.producers.selectors import producers_for_user
from ocop.producers.tables import ProducerTable


class ProducerListView(ScopedListMixin, SingleTableMixin, FilterView):
    permission_required = "producers.view_producer"
    template_name = "producers/producer_list.html"
    table_class = ProducerTable
    filterset_class = ProducerFilter
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return (
            producers_for_user(self.request.user)
            .annotate(product_count=Count("products"))
            .order_by("name_folded", "pk")
        )

    def get_template_names(self):
        if self.request.htmx:
            return ["producers/producer_list.html#results"]
        return [self.template_name]


class ProducerDetailView(ScopedObjectMixin, DetailView):
    permission_required = "producers.view_producer"
    template_name = "producers/producer_detail.html"
    context_object_name = "producer"

    def get_queryset(self):
        return producers_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = self.object.products.select_related("recorded_unit", "recorded_unit__province")
        return context


class ProducerHistoryView(HistoryTabView):
    permission_required = "producers.view_producer"

    def get_queryset(self):
        return producers_for_user(self.request.user)
