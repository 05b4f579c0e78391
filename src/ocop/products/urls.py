from django.urls import path

from ocop.products import views

app_name = "products"
urlpatterns = [
    path("", views.ProductListView.as_view(), name="product_list"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("<int:pk>/history/", views.ProductHistoryView.as_view(), name="product_history"),
]
