"""Read-only admin for the administrative maps (they are loaded from data packages)."""

from django.contrib import admin

from ocop.geography.models import AdminCodeSet, AdminUnit, AdminUnitSuccession


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdminCodeSet)
class AdminCodeSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "legal_basis", "valid_from", "valid_to", "source"]


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "level", "code", "province", "valid_from", "valid_to"]
    list_filter = ["level", "code_set"]
    search_fields = ["name_folded", "code"]
    list_select_related = ["province"]

    def get_search_results(self, request, queryset, search_term):
        from ocop.core.text import fold_vi  # noqa: PLC0415 - keep admin import-light

        return super().get_search_results(request, queryset, fold_vi(search_term))


@admin.register(AdminUnitSuccession)
class AdminUnitSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "effective_on", "is_partial"]
    list_select_related = ["predecessor", "successor"]
