"""Data-repair admin for producers; the main UI is the staff pages."""

from django.contrib import admin

from ocop.producers.models import Producer


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "commune", "province", "tax_code"]
    list_filter = ["legal_form"]
    search_fields = ["name_folded", "tax_code"]
    list_select_related = ["commune", "province"]
    raw_id_fields = ["address_unit"]
    readonly_fields = ["province", "commune"]
