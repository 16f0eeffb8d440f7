"""Session packs in the admin: read only, for staff oversight (trainers build packs on
the site; staff make trainer accounts by adding users to the Trainer group)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from backoffice.content_admin import ReadOnlyAdminMixin

from . import services
from .models import PackItem, SessionPack


class TrainerInviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the trainer’s email address",
            "invalid": "Enter an email address like name@example.org.uk",
        },
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)


class PackItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PackItem
    extra = 0
    fields = ["position", "kind", "heading", "withdrawn", "minutes", "trainer_notes"]
    readonly_fields = fields
    ordering = ["position"]

    @admin.display(description="item")
    def heading(self, item: PackItem) -> str:
        return item.body if item.is_written else item.heading

    @admin.display(description="withdrawn", boolean=True)
    def withdrawn(self, item: PackItem) -> bool:
        return item.is_withdrawn

    def get_queryset(self, request):
        return super().get_queryset(request).with_content()


@admin.register(SessionPack)
class SessionPackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "duration_minutes", "item_count", "updated_at"]
    list_filter = ["visibility", "updated_at"]
    search_fields = ["title", "audience", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    date_hierarchy = "updated_at"
    inlines = [PackItemInline]
    # The share token is left out: staff oversight does not need the secret link.
    fields = [
        "title",
        "owner",
        "audience",
        "audience_agencies",
        "duration_minutes",
        "learning_objectives",
        "visibility",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def get_urls(self):
        invite = path(
            "invite-trainer/",
            self.admin_site.admin_view(self.invite_trainer_view),
            name="session_packs_invite_trainer",
        )
        return [invite, *super().get_urls()]

    def invite_trainer_view(self, request):
        """Staff who manage accounts (auth.add_user: Partnership admins) invite a
        trainer by email; the trainer sets their own password (services.trainer_invite)."""
        if not request.user.has_perm("auth.add_user"):
            raise PermissionDenied
        form = TrainerInviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.trainer_invite(
                    **form.cleaned_data,
                    invited_by=request.user,
                    site_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                self.log_addition(request, user, "Invited as a trainer by email")
                messages.success(
                    request,
                    f"Invitation sent to {user.email}. They choose their own password "
                    "from the link in the email.",
                )
                return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": "Invite a trainer",
            "days": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400)),
        }
        return TemplateResponse(
            request, "admin/session_packs/sessionpack/invite_trainer.html", context
        )

    @admin.display(description="items", ordering="item_count")
    def item_count(self, pack: SessionPack) -> int:
        return pack.item_count
