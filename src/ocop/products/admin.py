"""Data-repair admin for products; the main UI is the staff pages."""

from django.contrib import admin

from ocop.products.models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "producer"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["producer"]
    raw_id_fields = ["producer", "recorded_unit"]
