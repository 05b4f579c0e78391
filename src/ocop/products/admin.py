"""Data-repair admin for products (superusers only); the main UI is the staff pages.

The taxonomy is reference data loaded from ``products/data/taxonomy.json`` and the star history is
append-only, so both are read-only here.
"""

from django.contrib import admin

from ocop.products.models import (
    Product,
    ProductCategory,
    ProductClassification,
    ProductCodeCounter,
    ProductPhoto,
    StarRecord,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClassificationInline(admin.TabularInline):
    model = ProductClassification
    extra = 0
    raw_id_fields = ["category"]
    fields = ["legal_basis", "category"]


class StarRecordInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StarRecord
    extra = 0
    fields = ["stars", "score", "recognised_on", "valid_until", "decision_number", "legal_basis", "source"]
    readonly_fields = fields


class PhotoInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ["caption", "position", "width", "height", "image"]
    readonly_fields = fields


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "producer", "current_stars", "current_stars_valid_until"]
    list_filter = ["code_format", "current_stars"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["producer"]
    raw_id_fields = ["producer", "recorded_unit"]
    readonly_fields = [
        "code_format",
        "code_province",
        "code_district",
        "code_commune",
        "code_sequence",
        "code_year",
        "current_stars",
        "current_stars_valid_until",
    ]
    inlines = [ClassificationInline, StarRecordInline, PhotoInline]


@admin.register(ProductCategory)
class ProductCategoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "legal_basis", "sheet_number", "is_assignable"]
    list_filter = ["legal_basis", "level", "is_assignable"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["legal_basis"]


@admin.register(ProductCodeCounter)
class ProductCodeCounterAdmin(admin.ModelAdmin):
    list_display = ["commune", "last_sequence"]
    raw_id_fields = ["commune"]
    search_fields = ["commune__name_folded", "commune__code"]
    list_select_related = ["commune"]
