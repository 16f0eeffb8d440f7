from django.contrib import admin

from reviews_toolkit.admin import PublishableAdmin
from search.indexing import search_index_themes_changed

from .models import Agency, GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme


@admin.register(Theme)
class ThemeAdmin(PublishableAdmin):
    list_display = ("name", "kind", "status", "position", "updated_at")
    list_filter = ("status", "kind", "practice_days__weekday")
    list_editable = ("position",)
    search_fields = ("name", "slug", "summary", "body")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "status", "position")}),
        ("Content", {"fields": ("summary", "body", "key_messages")}),
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )

    # Bulk status changes bypass save(): the search index is told (only published
    # themes' names find their points).
    @admin.action(description="Publish selected items")
    def publish_selected(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().publish_selected(request, queryset)
        search_index_themes_changed(ids)

    @admin.action(description="Unpublish selected items (back to draft)")
    def unpublish_selected(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().unpublish_selected(request, queryset)
        search_index_themes_changed(ids)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


class PracticeWeekDayInline(admin.StackedInline):
    model = PracticeWeekDay
    extra = 0
    max_num = 5
    autocomplete_fields = ("themes",)
    fields = ("weekday", "title", "introduction", "themes")


@admin.register(PracticeWeek)
class PracticeWeekAdmin(PublishableAdmin):
    list_display = ("title", "partnership", "start_date", "status")
    list_filter = ("status",)
    search_fields = ("title", "partnership")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PracticeWeekDayInline]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PublishableAdmin):
    list_display = ("term", "expansion", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("term", "slug", "expansion", "definition", "synonyms")
    prepopulated_fields = {"slug": ("term",)}
    ordering = ("term",)
    fieldsets = (
        (None, {"fields": ("term", "slug", "expansion", "status")}),
        (
            "Meaning",
            {
                "fields": ("definition", "synonyms"),
                "description": "Search treats the term, its expansion and its synonyms as "
                "the same words.",
            },
        ),
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )
