"""The admins of ``practice_points``'s content (see ``backoffice/content_admins/__init__.py``)."""

from django.contrib import admin

from backoffice.content_admin import FRESHNESS_FIELDSET, DueForReviewFilter, PublishableAdmin
from practice_points.models import PracticePoint, Review


class PracticePointInline(admin.StackedInline):
    model = PracticePoint
    extra = 0
    ordering = ("position", "id")
    fields = ("position", "slug", "text", "guidance", "status", "all_agencies")
    # A point's status moves through the workflow on its own page (or a bulk action),
    # checked and recorded there; new points start as drafts.
    readonly_fields = ("status",)
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        # Existing points may be published: only Publishers edit them from the review.
        return super().has_change_permission(request, obj) and request.user.has_perm(
            "practice_points.publish_practicepoint"
        )


@admin.register(Review)
class ReviewAdmin(PublishableAdmin):
    # Status first; columns that fit beside the filters at 1280 px.
    list_display = ("status", "title", "partnership", "area", "review_by")
    list_display_links = ("title",)
    list_filter = ("status", DueForReviewFilter, "link_status", "review_type", "area")
    search_fields = ("title", "slug", "partnership", "area", "summary")
    autocomplete_fields = ("summary_of",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "review_type", "status", "summary")}),
        (
            "Provenance",
            {
                "fields": (
                    "partnership",
                    "area",
                    "published_on",
                    "published_label",
                    "source_url",
                    "reuse_note",
                    "summary_of",
                ),
                "description": "Who published it, where, when (as the source gives it), "
                "where to read it and on what terms the toolkit uses it.",
            },
        ),
        FRESHNESS_FIELDSET,
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    inlines = [PracticePointInline]


@admin.register(PracticePoint)
class PracticePointAdmin(PublishableAdmin):
    # Status first; columns that fit beside the filters at 1280 px (position, agencies
    # and the update time are on the change form).
    list_display = ("status", "__str__", "review", "review_by")
    list_display_links = ("__str__",)
    list_filter = (
        "status",
        DueForReviewFilter,
        "themes",
        "agencies",
        "all_agencies",
        "review__review_type",
        "review",
    )
    list_select_related = ("review",)
    search_fields = ("headline", "text", "guidance", "slug", "review__title")
    autocomplete_fields = ("review", "themes", "agencies", "resources")
    fieldsets = (
        (None, {"fields": ("headline", "text", "guidance", "slug", "status")}),
        ("Source", {"fields": ("review", "position")}),
        ("Tags", {"fields": ("themes", "all_agencies", "agencies", "resources")}),
        FRESHNESS_FIELDSET,
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )
