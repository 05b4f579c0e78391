from django.urls import path

from ocop.core import views

app_name = "core"
urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_log"),
]
