"""The broken-link lists: resources and reviews whose link ``manage.py check_links`` last
found broken, read-only, each row linking to the item's own change page to fix it. Staff
who may change the content can check the selected links again from here."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from backoffice.content_admin import ReadOnlyAdminMixin
from content.models import LinkCheckStatus
from practice_points.models import Review
from resources.models import Resource

from .content_admins import practice_points, resources, themes  # noqa: F401 (registers them)
from .linkcheck import links_check
from .models import BrokenResourceLink, BrokenReviewLink

# Checked while the page waits, all at once: a handful (the command does the rest), so
# the request ends within about two timeouts per redirect hop.
RECHECK_LIMIT = 10


class BrokenLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    concrete_model: type = Resource
    url_field = "url"

    list_display = ("item", "link", "link_status_code", "link_error", "link_checked_at", "status")
    list_display_links = None
    list_filter = ("status",)
    list_per_page = 50
    actions = ["check_again"]

    def get_search_fields(self, request):
        return ("title", self.url_field, "link_error")

    @admin.display(description="Title", ordering="title")
    def item(self, obj):
        meta = self.concrete_model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.title)

    @admin.display(description="URL")
    def link(self, obj):
        url = getattr(obj, self.url_field)
        if not url.lower().startswith(("http://", "https://")):
            return url  # shown as text (escaped), never as a javascript: or data: link
        return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', url, url)

    def has_recheck_permission(self, request):
        meta = self.concrete_model._meta
        return request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}")

    def changelist_view(self, request, extra_context=None):
        context = {"title": str(self.model._meta.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    @admin.action(description="Check these links again", permissions=["recheck"])
    def check_again(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True)[: RECHECK_LIMIT + 1])
        if len(pks) > RECHECK_LIMIT:
            pks = pks[:RECHECK_LIMIT]
            self.message_user(
                request,
                f"Only the first {RECHECK_LIMIT} were checked: select fewer, or run "
                "manage.py check_links --only-broken for all of them.",
                messages.WARNING,
            )
        items = self.concrete_model._default_manager.filter(pk__in=pks)
        if self.concrete_model is Resource:
            report = links_check(
                resources=items, reviews=Review.objects.none(), concurrency=RECHECK_LIMIT
            )
        else:
            report = links_check(
                resources=Resource.objects.none(), reviews=items, concurrency=RECHECK_LIMIT
            )
        broken = report.count(LinkCheckStatus.BROKEN)
        working = report.count() - broken
        self.message_user(
            request,
            f"Checked {report.count()} link(s): {working} now work, {broken} still broken.",
            messages.SUCCESS if not broken else messages.WARNING,
        )


@admin.register(BrokenResourceLink)
class BrokenResourceLinkAdmin(BrokenLinkAdmin):
    concrete_model = Resource
    url_field = "url"


@admin.register(BrokenReviewLink)
class BrokenReviewLinkAdmin(BrokenLinkAdmin):
    concrete_model = Review
    url_field = "source_url"


# Staff accounts (partnership admins cannot promote anyone) and the admin's log.
from .staff import admin as staff_admin  # noqa: E402, F401
