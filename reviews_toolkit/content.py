"""What every piece of public content shares: a status, and the rule that only
published content is ever public."""

import datetime

from django.db import models
from django.utils import timezone

# Content is checked again this long after it was last reviewed, unless staff say otherwise.
REVIEW_INTERVAL = datetime.timedelta(days=365)


def today() -> datetime.date:
    return timezone.localdate()


def a_year_from_today() -> datetime.date:
    return timezone.localdate() + REVIEW_INTERVAL


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def due_for_review(self, on: datetime.date | None = None):
        """Items whose "review by" date has come (archived items are not checked)."""
        return self.exclude(status=Status.ARCHIVED).filter(review_by__lte=on or today())


class Publishable(models.Model):
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Freshness: when staff last checked this against current guidance, and when it is due
    # to be checked again. Public pages show "Last reviewed".
    last_reviewed = models.DateField(
        default=today, help_text="When this was last checked against current guidance."
    )
    review_by = models.DateField(
        default=a_year_from_today,
        help_text="When this is next due to be checked (a year after the last review by default).",
    )
    # Optimistic locking: the admin form carries the version it was opened at; a save
    # from a stale form is refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_due_for_review(self) -> bool:
        return self.status != Status.ARCHIVED and self.review_by <= today()


class LinkCheckStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    REDIRECTED = "redirected", "Working (redirects)"
    BROKEN = "broken", "Broken"


class LinkChecked(models.Model):
    """What ``manage.py check_links`` last found at this item's link."""

    link_status = models.CharField(
        max_length=20,
        choices=LinkCheckStatus.choices,
        default=LinkCheckStatus.UNCHECKED,
        editable=False,
        db_index=True,
    )
    link_status_code = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    link_error = models.CharField(max_length=300, blank=True, editable=False)
    link_final_url = models.URLField(max_length=500, blank=True, editable=False)
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def publish_permission(model_name: str, plural: str) -> tuple[str, str]:
    """The permission a Publisher holds: move this content to published, unpublish it,
    archive it."""
    return (f"publish_{model_name}", f"Can publish, unpublish and archive {plural}")


def status_constraint(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(status__in=Status.values), name=f"{model_name}_status_valid"
    )
