from django.urls import path

from ocop.producers import views

app_name = "producers"
urlpatterns = [
    path("", views.ProducerListView.as_view(), name="producer_list"),
    path("<int:pk>/", views.ProducerDetailView.as_view(), name="producer_detail"),
    path("<int:pk>/history/", views.ProducerHistoryView.as_view(), name="producer_history"),
]
