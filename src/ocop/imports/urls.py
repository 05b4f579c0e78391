from django.urls import path

from ocop.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportJobListView.as_view(), name="job_list"),
    path("<str:kind>/new/", views.ImportJobCreateView.as_view(), name="job_create"),
    path("<str:kind>/template.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("jobs/<int:pk>/", views.ImportJobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/confirm/", views.ImportJobConfirmView.as_view(), name="job_confirm"),
    path("jobs/<int:pk>/cancel/", views.ImportJobCancelView.as_view(), name="job_cancel"),
    path("jobs/<int:pk>/problems.xlsx", views.ImportJobErrorsView.as_view(), name="job_errors"),
]
