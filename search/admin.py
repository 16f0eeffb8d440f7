"""Content gaps: what practitioners searched for and did not find, for staff to read
(and so write the learning that is missing). Read-only: the counts come from searches.
Sorted by how many different people searched, so one person's many searches sink."""

from django.contrib import admin

from backoffice.content_admin import ReadOnlyAdminMixin

from .models import ZeroResultQuery


@admin.register(ZeroResultQuery)
class ZeroResultQueryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("query", "clients", "count", "date")
    list_filter = ("date",)
    date_hierarchy = "date"
    search_fields = ("query",)
    ordering = ("-clients", "-count", "-date", "query")
    readonly_fields = ("query", "date", "clients", "count")
    list_per_page = 100

    def changelist_view(self, request, extra_context=None):
        context = {
            "title": "Content gaps: searches that found nothing",
            "subtitle": "Most people first. People searching: different people (by their "
            "internet address) that day; each is counted once an hour.",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)
