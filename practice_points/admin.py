from django.contrib import admin

from reviews_toolkit.admin import FRESHNESS_FIELDSET, DueForReviewFilter, PublishableAdmin

from .models import PracticePoint, Review


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
    list_display = ("title", "review_type", "partnership", "published_on", "status", "review_by")
    list_filter = ("status", DueForReviewFilter, "link_status", "review_type", "partnership")
    search_fields = ("title", "slug", "partnership", "summary")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    inlines = [PracticePointInline]


@admin.register(PracticePoint)
class PracticePointAdmin(PublishableAdmin):
    list_display = (
        "__str__",
        "review",
        "position",
        "all_agencies",
        "status",
        "review_by",
        "updated_at",
    )
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
