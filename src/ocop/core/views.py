"""Reusable view plumbing: scoped object access (404 outside scope), the History tab, error pages."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from ocop.core.scope import Scope
from ocop.core.selectors import activities_for_object, changes_for_object


class ScopedObjectMixin:
    """Fetch the object from a "for user" selector and require ``permission_required`` on it.

    Subclasses implement ``get_queryset`` with a ``*_for_user`` selector. An object that is not in
    that queryset, or on which the permission fails, answers 404 — never 403 — so existence does
    not leak (pretalx ``CRUDView.permission_denied``; NetBox restricted querysets).
    """

    permission_required: str = ""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.permission_required and not self.request.user.has_perm(self.permission_required, obj):
            raise Http404(_("Not found."))
        return obj


class ScopedListMixin:
    """A list page the user may open at all (holds the permission somewhere); rows are scoped."""

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if self.permission_required and not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HistoryTabView(ScopedObjectMixin, DetailView):
    """The History tab of a detail page: workflow events for everyone who may see the object, and
    field-level audit rows for users holding ``can_view_audit`` in the object's scope."""

    template_name = "core/object_history.html"
    context_object_name = "object"

    def get_template_names(self):
        if self.request.htmx:
            return ["core/_history.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["activities"] = list(activities_for_object(obj)[:100])
        can_audit = self.request.user.has_perm("core.view_audit", obj)
        context["can_view_audit"] = can_audit
        changes = list(changes_for_object(obj)[:100]) if can_audit else []
        labels = {field.attname: field.verbose_name for field in type(obj)._meta.concrete_fields}
        for change in changes:
            change.rows = [
                (labels.get(name, name), _display(before), _display(after))
                for name, before, after in change.diff
                if name not in _INTERNAL_FIELDS and not name.endswith("_folded")
            ]
        context["changes"] = changes
        context["object_verbose_name"] = type(obj)._meta.verbose_name
        return context


#: Bookkeeping columns that every audit row would repeat; the row header already says who and when.
_INTERNAL_FIELDS = {"id", "created_at", "updated_at", "created_by_id"}


def _display(value) -> str:
    """Audit snapshot values as plain text (no thousands separators on ids, local dd/mm/yyyy)."""
    if value is None or value == "":
        return "—"
    text = str(value)
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":  # ISO datetime from the JSON snapshot
        moment = parse_datetime(text.replace("Z", "+00:00"))
        if moment is not None:
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # ISO date
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


class AuditLogListView(ListView):
    """The global audit trail, for holders of ``can_view_audit`` at national scope."""

    template_name = "core/objectchange_list.html"
    paginate_by = 50
    context_object_name = "changes"

    def dispatch(self, request, *args, **kwargs):
        from ocop.accounts.selectors import capabilities_for_scope  # noqa: PLC0415 - layer 4 import kept lazy

        if "can_view_audit" not in capabilities_for_scope(request.user, Scope()):
            raise Http404(_("Not found."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        from ocop.core.models import ObjectChange  # noqa: PLC0415 - keep module import-light

        queryset = ObjectChange.objects.select_related("user", "changed_object_type")
        request_id = self.request.GET.get("request_id", "").strip()
        if request_id:
            try:
                queryset = queryset.filter(request_id=uuid.UUID(request_id))
            except ValueError:
                queryset = queryset.none()
        return queryset


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness/readiness probe: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error(request, 400, _("Bad request"), _("The request could not be understood. Please check and try again."))


@login_not_required
def permission_denied(request, exception=None):
    return _error(request, 403, _("Access denied"), _("You do not have permission to perform this action."))


@login_not_required
def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Page not found"),
        _("The page does not exist or you do not have access to it."),
    )


@login_not_required
def server_error(request):
    return render(request, "500.html", status=500)


@login_not_required
def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        _("The form has expired"),
        _("Your session or the form has expired. Please reload the page and submit again."),
    )
