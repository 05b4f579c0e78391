from django.urls import path

from ocop.producers import views

app_name = "producers"
urlpatterns = [
    path("", views.ProducerListView.as_view(), name="producer_list"),
    path("export.<str:fmt>", views.ProducerExportView.as_view(), name="producer_export"),
    path("new/", views.ProducerCreateView.as_view(), name="producer_create"),
    path("options/communes/", views.commune_options, name="commune_options"),
    path("<int:pk>/", views.ProducerDetailView.as_view(), name="producer_detail"),
    path("<int:pk>/edit/", views.ProducerUpdateView.as_view(), name="producer_update"),
    path("<int:pk>/legal-form/", views.ProducerLegalFormView.as_view(), name="producer_legal_forms"),
    path("<int:pk>/figures/", views.ProducerFiguresView.as_view(), name="producer_figures"),
    path("<int:pk>/documents/", views.ProducerDocumentsView.as_view(), name="producer_documents"),
    path("<int:pk>/documents/<int:document_pk>/edit/", views.DocumentUpdateView.as_view(), name="document_update"),
    path("<int:pk>/documents/<int:document_pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path(
        "<int:pk>/documents/<int:document_pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("<int:pk>/history/", views.ProducerHistoryView.as_view(), name="producer_history"),
]
