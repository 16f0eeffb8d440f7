"""What every content admin shares: status filters and bulk publish / unpublish."""

from django.contrib import admin, messages
from django.utils import timezone

from reviews_toolkit.content import Status


class PublishableAdmin(admin.ModelAdmin):
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ("published_at", "created_at", "updated_at")

    @admin.action(description="Publish selected items")
    def publish_selected(self, request, queryset):
        updated = queryset.exclude(status=Status.PUBLISHED).update(
            status=Status.PUBLISHED, published_at=timezone.now(), updated_at=timezone.now()
        )
        self.message_user(request, f"{updated} item(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected items (back to draft)")
    def unpublish_selected(self, request, queryset):
        updated = queryset.filter(status=Status.PUBLISHED).update(
            status=Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(request, f"{updated} item(s) unpublished.", messages.SUCCESS)
