from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("ocop.dashboard.urls")),
    path("accounts/", include("ocop.accounts.urls")),
    path("units/", include("ocop.geography.urls")),
    path("producers/", include("ocop.producers.urls")),
    path("products/", include("ocop.products.urls")),
    path("imports/", include("ocop.imports.urls")),
    path("criteria/", include("ocop.evaluation.urls")),
    path("dossiers/", include("ocop.dossiers.urls")),
    path("notifications/", include("ocop.notifications.urls")),
    path("system/", include("ocop.core.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "ocop.core.views.bad_request"
handler403 = "ocop.core.views.permission_denied"
handler404 = "ocop.core.views.page_not_found"
handler500 = "ocop.core.views.server_error"
