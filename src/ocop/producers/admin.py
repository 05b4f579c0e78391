"""Data-repair admin for producers; the main UI is the staff pages.

Reference data (ethnic groups, document types, the SME size table) is loaded from data files and is
read-only here. A producer's legal-form history, yearly figures and evidence documents are shown
read-only under the producer: they are written by ``producers.services``, which keep the derived
fields (size class, scope) in step.
"""

from django.contrib import admin
from django.db import models

from ocop.core.text import fold_vi
from ocop.producers.models import (
    DocumentType,
    EnterpriseSizeThreshold,
    Ethnicity,
    FinancialYear,
    LegalFormPeriod,
    Producer,
    ProducerDocument,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LegalFormPeriodInline(ReadOnlyInline):
    model = LegalFormPeriod
    fields = ["legal_form", "name", "registration_number", "valid_from", "valid_to", "note"]


class FinancialYearInline(ReadOnlyInline):
    model = FinancialYear
    fields = ["year", "revenue", "profit", "total_capital", "average_insured_labour"]


class ProducerDocumentInline(ReadOnlyInline):
    model = ProducerDocument
    fields = ["document_type", "number", "issuer", "issued_on", "valid_until", "original_filename"]


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "size_class", "commune", "province", "tax_code"]
    list_filter = ["legal_form", "size_class"]
    search_fields = ["name_folded", "tax_code", "registration_number"]
    list_select_related = ["commune", "province"]
    raw_id_fields = ["address_unit"]
    readonly_fields = ["province", "commune", "size_class", "size_class_reason"]
    inlines = [LegalFormPeriodInline, FinancialYearInline, ProducerDocumentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold_vi(search_term))


@admin.register(Ethnicity)
class EthnicityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "other_names"]
    search_fields = ["name", "other_names", "code"]


@admin.register(DocumentType)
class DocumentTypeAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "has_expiry", "warn_days_before_expiry", "is_active"]
    list_filter = ["category", "has_expiry"]


@admin.register(EnterpriseSizeThreshold)
class EnterpriseSizeThresholdAdmin(ReadOnlyAdmin):
    list_display = ["legal_reference", "valid_from", "sector", "size_class", "max_insured_labour", "max_revenue"]
    list_filter = ["sector", "size_class"]
