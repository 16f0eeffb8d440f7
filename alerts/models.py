"""Stay informed: change notes, email alerts for any search, and how often learning recurs.

- ``ChangeNote``: one per publication of an item (first publication or a published
  change), for any content model (content type + object id, so no content app needs a
  migration): major (new learning, changed guidance) with a one-line note, or minor.
- ``Subscriber`` / ``Subscription``: an email address (no account) and the finder
  searches it gets emails about, each with its filters (the finder's query string) and
  how often. Double opt-in: a subscription counts once it is confirmed.
- ``Delivery``: one row per (subscription, change), claimed before the email is sent: a
  rerun after a crash never sends the same change to anyone twice.
- ``SimilarPoint``: pairs of practice points from different reviews whose text is close
  (found with the search backends), kept by a job so pages and the finder read them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

NOTE_MAX_LENGTH = 200


def new_key() -> str:
    return secrets.token_urlsafe(24)


class ChangeNoteQuerySet(models.QuerySet):
    def major(self):
        return self.filter(major=True)

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )


class ChangeNote(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    major = models.BooleanField(
        default=False, help_text="New learning or changed guidance (not a typo)."
    )
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(major=False) | ~models.Q(note=""),
                name="changenote_major_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"{'Major' if self.major else 'Minor'} change: {self.note or '(no note)'}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "As soon as it is published"
    DAILY = "daily", "Once a day"
    WEEKLY = "weekly", "Once a week"


class Subscriber(models.Model):
    """An email address that asked for alerts. Deleted 28 days after it last had no
    confirmed subscription (``inactive_since``)."""

    email = models.EmailField(max_length=254, unique=True)
    key = models.CharField(max_length=64, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # When the address last stopped having (or started without) a confirmed
    # subscription; null while it has one.
    inactive_since = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    # The finder's filters, as its query string (normalised: sorted, finder params only).
    query = models.CharField(max_length=2000, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    key = models.CharField(max_length=64, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values),
                name="subscription_frequency_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} ({self.query or 'all practice points'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Delivery(models.Model):
    """A change sent (or being sent) to a subscription: claimed (the row written and
    committed) before the email goes, marked sent after."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    change = models.ForeignKey(ChangeNote, on_delete=models.CASCADE, related_name="deliveries")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "change"], name="delivery_once_per_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.change_id} to {self.subscription_id}"


class SimilarPoint(models.Model):
    """``point`` and ``other`` (from another review) say much the same; stored both ways."""

    point = models.ForeignKey(
        "practice_points.PracticePoint", on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        "practice_points.PracticePoint", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()

    class Meta:
        ordering = ["-score", "other_id"]
        constraints = [
            models.UniqueConstraint(fields=["point", "other"], name="similarpoint_pair_once")
        ]

    def __str__(self) -> str:
        return f"{self.point_id} ~ {self.other_id} ({self.score:.2f})"
