"""Template context shared by every page: navigation for the user's role, site name, CSP nonce."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.accounts.enums import DOSSIER_CAPABILITIES


def _nav_items(request):
    from ocop.accounts.selectors import all_capabilities, primary_role_kind  # noqa: PLC0415 - layer 4 helper

    user = request.user
    items = [{"label": _("Home"), "url": reverse("dashboard:home"), "icon": "house"}]
    if not user.is_authenticated:
        items.append({"label": _("Criteria sheets"), "url": reverse("evaluation:rubric_list"), "icon": "list-check"})
        items.append({"label": _("Administrative units"), "url": reverse("geography:unit_list"), "icon": "geo-alt"})
        return items, None
    capabilities = all_capabilities(user)
    kind = primary_role_kind(user)
    if "can_view_registry" in capabilities:
        if kind == "producer":
            items.append({"label": _("My producer"), "url": reverse("producers:producer_list"), "icon": "shop"})
            items.append({"label": _("My products"), "url": reverse("products:product_list"), "icon": "box-seam"})
        else:
            items.append({"label": _("Producers"), "url": reverse("producers:producer_list"), "icon": "shop"})
            items.append({"label": _("Products"), "url": reverse("products:product_list"), "icon": "box-seam"})
    if capabilities & DOSSIER_CAPABILITIES:
        items.append({"label": _("Dossiers"), "url": reverse("dossiers:dossier_list"), "icon": "folder2-open"})
    if kind != "producer" and user.has_perm("imports.add_importjob"):
        items.append({"label": _("Imports"), "url": reverse("imports:job_list"), "icon": "file-earmark-arrow-up"})
    items.append({"label": _("Criteria sheets"), "url": reverse("evaluation:rubric_list"), "icon": "list-check"})
    items.append({"label": _("Administrative units"), "url": reverse("geography:unit_list"), "icon": "geo-alt"})
    if "can_manage_users" in capabilities:
        items.append({"label": _("Accounts"), "url": reverse("accounts:user_list"), "icon": "people"})
    if "can_view_audit" in capabilities and kind in ("system_admin", "ministry_office"):
        items.append({"label": _("Audit log"), "url": reverse("core:audit_log"), "icon": "journal-text"})
    return items, kind


def ui(request):
    items, kind = _nav_items(request)
    path = request.path
    for item in items:
        item["active"] = item["url"] == path if item["url"] == "/" else path.startswith(item["url"])
    return {
        "site_name": settings.OCOP_SITE_NAME,
        "nav_items": items,
        "role_kind": kind,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
