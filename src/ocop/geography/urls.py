from django.urls import path

from ocop.geography import views

app_name = "geography"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/history/", views.UnitHistoryView.as_view(), name="unit_history"),
]
