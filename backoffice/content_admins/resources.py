"""The admins of ``resources``'s content (see ``backoffice/content_admins/__init__.py``)."""

from django.contrib import admin

from backoffice.content_admin import FRESHNESS_FIELDSET, DueForReviewFilter, PublishableAdmin
from resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(PublishableAdmin):
    # Status first; columns that fit beside the filters at 1280 px.
    list_display = ("status", "title", "area", "link", "review_by")
    list_display_links = ("title",)
    list_filter = (
        "status",
        DueForReviewFilter,
        "link_status",
        "link_kind",
        "resource_type",
        "area",
        "themes",
    )
    search_fields = ("title", "slug", "url", "publisher", "area", "summary")

    @admin.display(description="Link", ordering="link_kind")
    def link(self, obj):
        return "Direct" if obj.is_direct_link else "Publisher's website"

    fieldsets = (
        (None, {"fields": ("title", "slug", "resource_type", "status", "summary", "themes")}),
        (
            "Link and provenance",
            {
                "fields": (
                    "url",
                    "link_kind",
                    "publisher",
                    "area",
                    "published_on",
                    "published_label",
                ),
                "description": "If the address is only the publisher's website (not the "
                "document itself), say so: readers are told to search for the title there.",
            },
        ),
        FRESHNESS_FIELDSET,
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )
    autocomplete_fields = ("themes",)
    prepopulated_fields = {"slug": ("title",)}
