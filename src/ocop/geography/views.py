"""The administrative unit browser (public reference data)."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from ocop.core.views import HistoryTabView
from ocop.geography.forms import UnitSearchForm
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import ancestors_of, current_units_for, search_units


@method_decorator(login_not_required, name="dispatch")
class UnitListView(ListView):
    template_name = "geography/unit_list.html"
    context_object_name = "units"
    paginate_by = 25

    def get_form(self) -> UnitSearchForm:
        if not hasattr(self, "_form"):
            self._form = UnitSearchForm(self.request.GET or None)
        return self._form

    def get_queryset(self):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            return search_units(data["q"], level=data["level"] or None, include_legacy=data["include_legacy"])
        return search_units("", level="province")

    def get_template_names(self):
        if self.request.htmx:
            return ["geography/unit_list.html#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.get_form()
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


@method_decorator(login_not_required, name="dispatch")
class UnitDetailView(DetailView):
    template_name = "geography/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return AdminUnit.objects.select_related("code_set", "parent", "province")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["ancestors"] = ancestors_of(unit)[1:]
        context["children"] = unit.children.select_related("province").order_by("name_folded")[:200]
        context["children_count"] = unit.children.count()
        context["successors"] = unit.successions.select_related("successor", "successor__province")
        context["predecessors"] = unit.predecessions.select_related(
            "predecessor", "predecessor__province", "predecessor__parent"
        )
        context["current_units"] = [] if unit.is_current else current_units_for(unit)
        return context


@method_decorator(login_not_required, name="dispatch")
class UnitHistoryView(HistoryTabView):
    permission_required = "geography.view_adminunit"

    def get_queryset(self):
        return AdminUnit.objects.all()
