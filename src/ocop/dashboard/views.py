"""Home pages: a public landing page, and one home per role kind composed from domain selectors."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from ocop.accounts.enums import Capability, RoleKind
from ocop.accounts.selectors import grants_for, primary_role_kind
from ocop.geography.models import AdminUnit
from ocop.producers.selectors import producers_for_user
from ocop.products.selectors import products_for_user


@method_decorator(login_not_required, name="dispatch")
class HomeView(TemplateView):
    def get_template_names(self):
        if not self.request.user.is_authenticated:
            return ["dashboard/home_public.html"]
        kind = primary_role_kind(self.request.user)
        return [f"dashboard/home_{kind}.html" if kind else "dashboard/home_no_role.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not user.is_authenticated:
            context["province_count"] = AdminUnit.objects.current().provinces().count()
            context["commune_count"] = AdminUnit.objects.current().communes().count()
            return context
        kind = primary_role_kind(user)
        context["kind"] = kind
        context["grants"] = grants_for(user)
        if kind is None:
            return context
        producers = producers_for_user(user, capability=Capability.VIEW_REGISTRY)
        products = products_for_user(user, capability=Capability.VIEW_REGISTRY)
        context["producer_count"] = producers.count()
        context["product_count"] = products.count()
        if kind == RoleKind.PRODUCER:
            context["my_producers"] = list(producers)
            context["my_products"] = list(products.order_by("name_folded")[:20])
        elif kind in (RoleKind.PROVINCE_AGENCY, RoleKind.COMMUNE_OFFICER):
            context["recent_producers"] = list(producers.order_by("-created_at")[:5])
            context["by_commune_rows"] = [
                {"name": row["commune__name"], "total": row["total"]}
                for row in producers.exclude(commune=None)
                .values("commune__name")
                .annotate(total=Count("pk"))
                .order_by("-total", "commune__name")[:10]
            ]
        elif kind in (RoleKind.MINISTRY_OFFICE, RoleKind.SYSTEM_ADMIN):
            context["by_province_rows"] = [
                {"name": row["province__name"], "total": row["total"]}
                for row in producers.values("province__name")
                .annotate(total=Count("pk"))
                .order_by("-total", "province__name")[:10]
            ]
            context["province_count"] = AdminUnit.objects.current().provinces().count()
            context["commune_count"] = AdminUnit.objects.current().communes().count()
        return context
