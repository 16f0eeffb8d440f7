from django.contrib import admin

from reviews_toolkit.admin import DueForReviewFilter, PublishableAdmin

from .models import Resource


@admin.register(Resource)
class ResourceAdmin(PublishableAdmin):
    list_display = (
        "title",
        "resource_type",
        "scope",
        "publisher",
        "status",
        "review_by",
        "updated_at",
    )
    list_filter = ("status", DueForReviewFilter, "link_status", "resource_type", "scope", "themes")
    search_fields = ("title", "slug", "url", "publisher", "summary")
    autocomplete_fields = ("themes",)
    prepopulated_fields = {"slug": ("title",)}
