from django.contrib import admin

from reviews_toolkit.admin import PublishableAdmin

from .models import PracticePoint, Review


class PracticePointInline(admin.StackedInline):
    model = PracticePoint
    extra = 0
    ordering = ("position", "id")
    fields = ("position", "slug", "text", "guidance", "status", "all_agencies")
    show_change_link = True


@admin.register(Review)
class ReviewAdmin(PublishableAdmin):
    list_display = ("title", "review_type", "partnership", "published_on", "status")
    list_filter = ("status", "review_type", "partnership")
    search_fields = ("title", "slug", "partnership", "summary")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    inlines = [PracticePointInline]


@admin.register(PracticePoint)
class PracticePointAdmin(PublishableAdmin):
    list_display = ("__str__", "review", "position", "all_agencies", "status", "updated_at")
    list_filter = (
        "status",
        "themes",
        "agencies",
        "all_agencies",
        "review__review_type",
        "review",
    )
    list_select_related = ("review",)
    search_fields = ("text", "guidance", "slug", "review__title")
    autocomplete_fields = ("review", "themes", "agencies", "resources")
    fieldsets = (
        (None, {"fields": ("text", "guidance", "slug", "status")}),
        ("Source", {"fields": ("review", "position")}),
        ("Tags", {"fields": ("themes", "all_agencies", "agencies", "resources")}),
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )
