"""Content gaps: what practitioners searched for and did not find, for staff to read
(and so write the learning that is missing). Read-only: the counts come from searches."""

from django.contrib import admin

from .models import ZeroResultQuery


@admin.register(ZeroResultQuery)
class ZeroResultQueryAdmin(admin.ModelAdmin):
    list_display = ("query", "count", "date")
    list_filter = ("date",)
    date_hierarchy = "date"
    search_fields = ("query",)
    ordering = ("-count", "-date", "query")
    readonly_fields = ("query", "date", "count")
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
