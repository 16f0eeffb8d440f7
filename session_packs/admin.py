"""Session packs in the admin: read only, for staff oversight (trainers build packs on
the site; staff make trainer accounts by adding users to the Trainer group)."""

from django.contrib import admin
from django.db.models import Count

from reviews_toolkit.admin import ReadOnlyAdminMixin

from .models import PackItem, SessionPack


class PackItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PackItem
    extra = 0
    fields = ["position", "kind", "heading", "withdrawn", "minutes", "trainer_notes"]
    readonly_fields = fields
    ordering = ["position"]

    @admin.display(description="item")
    def heading(self, item: PackItem) -> str:
        return item.body if item.is_written else item.heading

    @admin.display(description="withdrawn", boolean=True)
    def withdrawn(self, item: PackItem) -> bool:
        return item.is_withdrawn

    def get_queryset(self, request):
        return super().get_queryset(request).with_content()


@admin.register(SessionPack)
class SessionPackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "duration_minutes", "item_count", "updated_at"]
    list_filter = ["visibility", "updated_at"]
    search_fields = ["title", "audience", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    date_hierarchy = "updated_at"
    inlines = [PackItemInline]
    # The share token is left out: staff oversight does not need the secret link.
    fields = [
        "title",
        "owner",
        "audience",
        "audience_agencies",
        "duration_minutes",
        "learning_objectives",
        "visibility",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description="items", ordering="item_count")
    def item_count(self, pack: SessionPack) -> int:
        return pack.item_count
