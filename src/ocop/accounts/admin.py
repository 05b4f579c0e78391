"""Django admin for system administrators: grant roles and repair accounts (not the main UI)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import Membership, Role, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["admin_unit", "producer"]
    fields = ["role", "admin_unit", "include_descendants", "producer", "is_active"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("OCOP"), {"fields": ("full_name", "phone", "job_title", "organisation")}),
    )
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles are loaded from accounts/data/roles.json on every bootstrap: edit that file instead."""

    list_display = ["name", "slug", "kind"]
    readonly_fields = [field.name for field in Role._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "admin_unit", "include_descendants", "producer", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name", "admin_unit__name"]
    autocomplete_fields = ["user", "admin_unit", "producer"]
