from django.contrib import admin

from reviews_toolkit.admin import PublishableAdmin

from .models import Agency, PracticeWeek, PracticeWeekDay, Theme


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
