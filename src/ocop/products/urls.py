from django.urls import path

from ocop.products import views

app_name = "products"
urlpatterns = [
    path("", views.ProductListView.as_view(), name="product_list"),
    path("export.<str:fmt>", views.ProductExportView.as_view(), name="product_export"),
    path("new/", views.ProductCreateView.as_view(), name="product_create"),
    path("options/communes/", views.CommuneOptionsView.as_view(), name="commune_options"),
    path("options/product-sets/", views.CategoryOptionsView.as_view(), name="category_options"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("<int:pk>/edit/", views.ProductUpdateView.as_view(), name="product_update"),
    path("<int:pk>/classify/", views.ProductClassifyView.as_view(), name="product_classify"),
    path("<int:pk>/allocate-code/", views.ProductAssignCodeView.as_view(), name="product_assign_code"),
    path("<int:pk>/stars/", views.ProductStarHistoryView.as_view(), name="product_stars"),
    path("<int:pk>/photos/", views.ProductPhotosView.as_view(), name="product_photos"),
    path(
        "<int:pk>/photos/<int:photo_pk>/image/",
        views.ProductPhotoFileView.as_view(variant="image"),
        name="product_photo_image",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/thumbnail/",
        views.ProductPhotoFileView.as_view(variant="thumbnail"),
        name="product_photo_thumbnail",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/delete/",
        views.ProductPhotoDeleteView.as_view(),
        name="product_photo_delete",
    ),
    path("<int:pk>/history/", views.ProductHistoryView.as_view(), name="product_history"),
]
