from django.contrib import admin

from ocop.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_filename", "kind", "state", "total_rows", "error_count", "created_count", "created_at"]
    list_filter = ["kind", "state"]
    readonly_fields = [field.name for field in ImportJob._meta.fields]
