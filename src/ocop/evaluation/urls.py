from django.urls import path

from ocop.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.RubricListView.as_view(), name="rubric_list"),
    path("import/", views.RubricImportView.as_view(), name="rubric_import"),
    path("<int:pk>/", views.RubricDetailView.as_view(), name="rubric_detail"),
    path("<int:pk>/pdf/", views.RubricPdfView.as_view(), name="rubric_pdf"),
    path("<int:pk>/export.<str:fmt>", views.RubricExportView.as_view(), name="rubric_export"),
    path("<int:pk>/activate/", views.RubricTransitionView.as_view(action="activate"), name="rubric_activate"),
    path("<int:pk>/discard/", views.RubricTransitionView.as_view(action="discard"), name="rubric_discard"),
    path("<int:pk>/try/", views.TrySheetView.as_view(), name="rubric_try"),
    path("products/<int:pk>/", views.ProductSelfAssessmentView.as_view(), name="product_self_assessment"),
]
