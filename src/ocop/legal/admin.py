from django.contrib import admin

from ocop.legal.models import LegalBasis


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "kind", "effective_from", "effective_to"]
    list_filter = ["kind"]
