"""Staff accounts, roles waiting for approval, and the admin's log, for the partnership
admin.

A Partnership admin manages staff users and which roles (groups) they hold, but cannot
make anyone a superuser, grant single permissions outside the roles, change the roles'
permissions or touch a superuser's account: the roles are defined by migration
(backoffice.0001_roles). Separation of duties (backoffice.staff.grants): nobody changes
their own roles (shown read-only on one's own account); Publisher and Partnership admin
given by a Partnership admin wait for another Partnership admin's approval ("Roles
waiting for approval"); every role change is logged and emailed to the Partnership
admins.

The admin's log (every add, change, delete and status change, with who and when) is
listed read-only, so "who published this and when" is answered in one place alongside
each item's history.
"""

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from backoffice.content_admin import ReadOnlyAdminMixin
from backoffice.models import RoleGrant

from .grants import (
    SECOND_PERSON_ROLES,
    role_grant_approve,
    role_grant_refusal,
    role_grant_refuse,
    role_grants_pending_for,
    roles_apply,
)

# One's own account: these are never editable (nobody changes their own roles).
OWN_ACCOUNT_READONLY = ("groups", "user_permissions", "is_superuser", "is_staff")


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
        readonly = tuple(super().get_readonly_fields(request, obj)) + ("last_login", "date_joined")
        if obj is not None and obj.pk == request.user.pk:
            readonly += OWN_ACCOUNT_READONLY
        return readonly

    def save_related(self, request, form, formsets, change):
        """Roles go through ``roles_apply``: the second person's approval for Publisher and
        Partnership admin, the log and the email. The form itself leaves them as they are."""
        wanted = form.cleaned_data.get("groups") if "groups" in form.fields else None
        if wanted is not None:
            form.cleaned_data["groups"] = list(form.instance.groups.all())
        super().save_related(request, form, formsets, change)
        if wanted is None:
            return
        outcome = roles_apply(form.instance, wanted, by=request.user, request=request)
        if outcome.pending:
            messages.warning(
                request,
                f"{', '.join(outcome.pending)} for {form.instance.get_username()} is waiting "
                "for a second Partnership admin to approve it (Roles waiting for approval). "
                "The other Partnership admins have been emailed.",
            )

    def construct_change_message(self, request, form, formsets, add=False):
        # Role changes are logged by roles_apply, with what was added, removed or asked for.
        if "groups" in form.changed_data:
            form.changed_data.remove("groups")
        return super().construct_change_message(request, form, formsets, add)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None:
            context["pending_grants"] = role_grants_pending_for(obj)
            context["own_account"] = obj.pk == request.user.pk
        return super().change_view(request, object_id, form_url, context)

    change_form_template = "admin/auth/user/staff_change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Superusers' accounts are out of a partnership admin's reach: not listed, 404.
        return queryset.filter(is_superuser=False) if _restricted(request) else queryset

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["help_text"] = (
                "The roles this person holds: Editor, Publisher, Partnership admin, Trainer."
                + (
                    f" {' and '.join(SECOND_PERSON_ROLES)} are given when a second Partnership "
                    "admin approves."
                    if _restricted(request)
                    else ""
                )
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


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Roles waiting for a second Partnership admin: approve or refuse on each one's page
    (``grants``: never the one who asked, nor the person it is for)."""

    list_display = ("user", "group", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("status", "group")
    list_select_related = ("user", "group", "requested_by", "decided_by")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = (
        "user",
        "group",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    )
    change_form_template = "admin/backoffice/rolegrant/change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="{}_{}_approve".format(*info),
            ),
            path(
                "<path:object_id>/refuse/",
                self.admin_site.admin_view(self.refuse_view),
                name="{}_{}_refuse".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "group", "requested_by")

    def changelist_view(self, request, extra_context=None):
        context = {"title": "Roles waiting for approval", **(extra_context or {})}
        if "status__exact" not in request.GET and not request.GET.get("q"):
            context["subtitle"] = "Newest first. Filter by status to see decided requests."
        return super().changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        grant = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if grant is not None:
            context["refusal"] = role_grant_refusal(grant, request.user)
        return super().change_view(request, object_id, form_url, context)

    def _decide(self, request, object_id, decide, done: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        grant = self.get_object(request, unquote(object_id))
        if grant is None:
            raise Http404("No such request.")
        decide(grant, by=request.user, request=request)  # PermissionDenied: 403 with why
        messages.success(request, f"{grant.group.name} for {grant.user.get_username()}: {done}.")
        return HttpResponseRedirect(reverse("admin:backoffice_rolegrant_changelist"))

    def approve_view(self, request, object_id):
        return self._decide(request, object_id, role_grant_approve, "approved and given")

    def refuse_view(self, request, object_id):
        return self._decide(request, object_id, role_grant_refuse, "refused")


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
