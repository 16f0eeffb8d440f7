"""The admins of ``themes``'s content (see ``backoffice/content_admins/__init__.py``)."""

from django.contrib import admin

from backoffice.content_admin import FRESHNESS_FIELDSET, DueForReviewFilter, PublishableAdmin
from backoffice.history import HistoryAdmin
from backoffice.transfer.admin import ImportedFilterMixin
from themes.models import Agency, GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme


@admin.register(Theme)
class ThemeAdmin(PublishableAdmin):
    list_display = ("status", "name", "kind", "position", "review_by")
    list_display_links = ("name",)
    list_filter = ("status", DueForReviewFilter, "kind", "practice_days__weekday")
    list_editable = ("position",)
    search_fields = ("name", "slug", "summary", "body")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "status", "position")}),
        ("Content", {"fields": ("summary", "body", "key_messages")}),
        FRESHNESS_FIELDSET,
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )
    # Status changes (the change form and the bulk actions) save each theme: the search
    # signals re-index it and the points tagged with it (only published themes' names
    # find their points).


@admin.register(Agency)
class AgencyAdmin(ImportedFilterMixin, HistoryAdmin):
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
    list_display = ("status", "title", "partnership", "start_date", "review_by")
    list_display_links = ("title",)
    list_filter = ("status", DueForReviewFilter)
    search_fields = ("title", "partnership")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PracticeWeekDayInline]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PublishableAdmin):
    list_display = ("status", "term", "expansion", "review_by")
    list_display_links = ("term",)
    list_filter = ("status", DueForReviewFilter)
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
        FRESHNESS_FIELDSET,
        ("Dates", {"fields": ("published_at", "created_at", "updated_at")}),
    )
