from django.contrib import admin

from ocop.legal.models import LegalBasis, WorkdayOverride


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "kind", "effective_from", "effective_to"]
    list_filter = ["kind"]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "reason", "source", "is_from_data_file"]
    list_filter = ["is_working_day", "is_from_data_file"]
    search_fields = ["reason", "source"]
    date_hierarchy = "date"
