"""Staff accounts and the admin's log, for the partnership admin.

A Partnership admin manages staff users and which roles (groups) they hold, but cannot
make anyone a superuser, grant single permissions outside the roles, change the roles'
permissions or touch a superuser's account: the roles are defined by migration
(backoffice.0001_roles), so nobody can promote themselves from the admin.

The admin's log (every add, change, delete and status change, with who and when) is
listed read-only, so "who published this and when" is answered in one place alongside
each item's history.
"""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.urls import NoReverseMatch
from django.utils.html import format_html

from reviews_toolkit.admin import ReadOnlyAdminMixin


def _restricted(request) -> bool:
    return not request.user.is_superuser


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "groups")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not _restricted(request) or obj is None:
            return fieldsets
        trimmed = []
        for name, options in fieldsets:
            fields = tuple(
                f
                for f in options.get("fields", ())
                if f not in ("is_superuser", "user_permissions")
            )
            trimmed.append((name, {**options, "fields": fields}))
        return trimmed

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + (("last_login", "date_joined") if _restricted(request) else ())

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Superusers' accounts are out of a partnership admin's reach: not listed, 404.
        return queryset.filter(is_superuser=False) if _restricted(request) else queryset

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and _restricted(request):
            kwargs["help_text"] = (
                "The roles this person holds: Editor, Publisher, Partnership admin, Trainer."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """The roles: read-only to everyone but superusers (their permissions come from
    migrations)."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(LogEntry)
class AdminLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who did what, and when: read-only."""

    list_display = ("action_time", "user", "content_type", "item", "action_flag", "change")
    list_filter = ("action_flag", "content_type", "user")
    search_fields = ("object_repr", "change_message", "user__username")
    date_hierarchy = "action_time"
    list_select_related = ("user", "content_type")
    list_display_links = None

    @admin.display(description="item")
    def item(self, entry):
        try:
            url = entry.get_admin_url()
        except NoReverseMatch:
            url = None
        return (
            format_html('<a href="{}">{}</a>', url, entry.object_repr) if url else entry.object_repr
        )

    @admin.display(description="what changed")
    def change(self, entry):
        return entry.get_change_message()
