"""Back office models. The broken-link lists are proxies of the content models: the same
rows, shown read-only in the admin to staff who fix links (backoffice.admin)."""

import uuid

from django.conf import settings
from django.db import models

from content.models import LinkCheckStatus
from practice_points.models import Review, ReviewQuerySet
from resources.models import Resource, ResourceQuerySet


class BrokenLinkManager(models.Manager):
    """Only the items whose link the checker last found broken."""

    def get_queryset(self):
        return super().get_queryset().filter(link_status=LinkCheckStatus.BROKEN)


class BrokenResourceLink(Resource):
    objects = BrokenLinkManager.from_queryset(ResourceQuerySet)()

    class Meta:
        proxy = True
        verbose_name = "broken link: resource"
        verbose_name_plural = "Broken links: resources"
        default_permissions = ("view",)
        ordering = ["title", "id"]


class BrokenReviewLink(Review):
    objects = BrokenLinkManager.from_queryset(ReviewQuerySet)()

    class Meta:
        proxy = True
        verbose_name = "broken link: review"
        verbose_name_plural = "Broken links: reviews"
        default_permissions = ("view",)
        ordering = ["title", "id"]


class ImportJob(models.Model):
    """One uploaded file on its way in (backoffice.transfer.jobs): checked (the preview),
    then, once its owner confirms, imported, all or nothing. Small files are done while
    the page loads; large ones by a background job, whose progress the page shows."""

    class State(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Stopped"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=10)
    text = models.TextField(help_text="The uploaded file, as UTF-8 text.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.CHECKING)
    background = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # The preview (after checking) or the outcome (after importing), for the page.
    result = models.JSONField(null=True, blank=True)
    # {"app_label.model_name": [pk, ...]}: what the import saved, for the filtered lists.
    imported = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)  # a worker took it up
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display().lower()})"


class RoleGrant(models.Model):
    """A request to give someone a role that needs a second person (Publisher, Partnership
    admin): made when a Partnership admin gives that role in the staff form, it takes
    effect only when another Partnership admin approves it (backoffice.staff.grants)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name="for",
    )
    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, verbose_name="role")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="asked by",
    )
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name="asked at")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "role waiting for approval"
        verbose_name_plural = "Roles waiting for approval"
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=models.Q(status="pending"),
                name="rolegrant_one_pending_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group.name} for {self.user.get_username()} ({self.get_status_display()})"
