"""Trainers' session packs: a session assembled from the curated content, with the
trainer's own notes, questions and activities, taken into the room as a handout, a
Word document, a slide deck or a 7-minute briefing.

Items point at the content (practice points, resources, themes, reviews) by foreign
key, so a pack always shows the current text. Content is never deleted, it is archived
(PROTECT): an item whose content is no longer published says so plainly.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from content import registry
from resources.models import Resource

MIN_DURATION = 5
MAX_DURATION = 480
TRAINER_GROUP = "Trainer"


def new_share_token() -> str:
    """An unguessable token for the pack's shared link (192 bits of randomness)."""
    return secrets.token_urlsafe(24)


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private: only you can see it"
    SHARED = "shared", "Shared by link: anyone with the link can view and download it"
    LISTED = "listed", "Listed for all trainers: other trainers can view and copy it"


class ItemKind(models.TextChoices):
    PRACTICE_POINT = "practice_point", "Practice point"
    RESOURCE = "resource", "Resource"
    THEME_OVERVIEW = "theme_overview", "Theme overview"
    REVIEW_SUMMARY = "review_summary", "Review summary"
    FACILITATOR_NOTE = "facilitator_note", "Facilitator note"
    REFLECTIVE_QUESTION = "reflective_question", "Reflective question"
    TIMED_ACTIVITY = "timed_activity", "Timed activity"


# The foreign key each content kind sets (every other one is null).
CONTENT_FIELDS: dict[str, str] = {
    ItemKind.PRACTICE_POINT: "practice_point",
    ItemKind.RESOURCE: "resource",
    ItemKind.THEME_OVERVIEW: "theme",
    ItemKind.REVIEW_SUMMARY: "review",
}
# Kinds the trainer writes: they carry a body and no content.
WRITTEN_KINDS = (
    ItemKind.FACILITATOR_NOTE,
    ItemKind.REFLECTIVE_QUESTION,
    ItemKind.TIMED_ACTIVITY,
)
# The minutes an item takes unless the trainer says otherwise: every item counts
# towards the session's time.
DEFAULT_MINUTES: dict[str, int] = {
    ItemKind.PRACTICE_POINT: 5,
    ItemKind.RESOURCE: 2,
    ItemKind.THEME_OVERVIEW: 5,
    ItemKind.REVIEW_SUMMARY: 5,
    ItemKind.FACILITATOR_NOTE: 2,
    ItemKind.REFLECTIVE_QUESTION: 5,
    ItemKind.TIMED_ACTIVITY: 10,
}
WITHDRAWN_MESSAGES: dict[str, str] = {
    ItemKind.PRACTICE_POINT: "This practice point has been withdrawn from the toolkit",
    ItemKind.RESOURCE: "This resource has been withdrawn from the toolkit",
    ItemKind.THEME_OVERVIEW: "This theme has been withdrawn from the toolkit",
    ItemKind.REVIEW_SUMMARY: "This review has been withdrawn from the toolkit",
}


def _kind_condition() -> Q:
    """Exactly the foreign key matching the kind is set; written kinds have a body."""
    fields = list(CONTENT_FIELDS.values())
    condition = Q()
    for kind, field in CONTENT_FIELDS.items():
        condition |= Q(kind=kind, **{f"{field}__isnull": False}) & Q(
            **{f"{other}__isnull": True for other in fields if other != field}
        )
    condition |= (
        Q(kind__in=list(WRITTEN_KINDS))
        & Q(**{f"{field}__isnull": True for field in fields})
        & ~Q(body="")
    )
    return condition


class SessionPackQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def listed(self):
        return self.filter(visibility=Visibility.LISTED)

    def visible_to(self, user):
        """The packs a trainer may open: their own and those listed for all trainers."""
        return self.filter(Q(owner=user) | Q(visibility=Visibility.LISTED))

    def shared(self, token: str):
        return self.filter(visibility=Visibility.SHARED, share_token=token)


class SessionPack(models.Model):
    title = models.CharField(max_length=200)
    audience = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who the session is for, e.g. 'Health visitors and school nurses'.",
    )
    audience_agencies = models.ManyToManyField(
        "themes.Agency", blank=True, related_name="session_packs", verbose_name="agencies"
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "duration in minutes",
        default=60,
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    learning_objectives = models.TextField(blank=True, help_text="One objective a line.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_packs"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    share_token = models.CharField(
        max_length=64, unique=True, default=new_share_token, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionPackQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_DURATION)
                & Q(duration_minutes__lte=MAX_DURATION),
                name="sessionpack_duration_range",
                violation_error_message=(
                    f"The duration must be between {MIN_DURATION} and {MAX_DURATION} minutes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="sessionpack_visibility_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="sessionpack_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(share_token=""), name="sessionpack_share_token_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("session_packs:detail", kwargs={"pk": self.pk})

    def get_shared_url(self) -> str:
        return reverse("session_packs:shared", kwargs={"token": self.share_token})

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.learning_objectives.splitlines() if line.strip()]

    @property
    def is_shared_by_link(self) -> bool:
        return self.visibility == Visibility.SHARED


class PackItemQuerySet(models.QuerySet):
    def with_content(self):
        """Items with their content and what the pack page and exports show of it, in a
        fixed number of queries."""
        return self.select_related(
            "practice_point__review", "resource", "theme", "review"
        ).prefetch_related(
            models.Prefetch("practice_point__resources", queryset=Resource.objects.public())
        )


class PackItem(models.Model):
    pack = models.ForeignKey(SessionPack, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(help_text="Order in the pack, from 1.")
    kind = models.CharField(max_length=30, choices=ItemKind.choices)
    practice_point = models.ForeignKey(
        "practice_points.PracticePoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pack_items",
    )
    resource = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pack_items",
    )
    theme = models.ForeignKey(
        "themes.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="pack_items"
    )
    review = models.ForeignKey(
        "practice_points.Review",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pack_items",
    )
    body = models.TextField(
        blank=True, help_text="The note, question or activity (for the kinds a trainer writes)."
    )
    trainer_notes = models.TextField(
        blank=True, help_text="Your notes for running this part: speaker notes in the slides."
    )
    minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION)]
    )

    objects = PackItemQuerySet.as_manager()

    class Meta:
        ordering = ["pack", "position"]
        constraints = [
            # Positions are renumbered by the services (see services.pack_reorder).
            models.UniqueConstraint(fields=["pack", "position"], name="packitem_unique_position"),
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="packitem_kind_valid"
            ),
            models.CheckConstraint(
                condition=_kind_condition(),
                name="packitem_content_matches_kind",
                violation_error_message=(
                    "An item refers to the content its kind names (and nothing else), "
                    "or, for a note, question or activity, has some text."
                ),
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True)
                | (Q(minutes__gte=1) & Q(minutes__lte=MAX_DURATION)),
                name="packitem_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.heading}"

    def clean(self) -> None:
        errors = {}
        field = CONTENT_FIELDS.get(self.kind)
        if field and getattr(self, f"{field}_id") is None:
            errors[field] = f"Choose the {self.get_kind_display().lower()} this item refers to."
        if self.kind in WRITTEN_KINDS and not self.body.strip():
            errors["body"] = f"Enter the {self.get_kind_display().lower()}."
        if errors:
            raise ValidationError(errors)

    @property
    def content(self):
        field = CONTENT_FIELDS.get(self.kind)
        return getattr(self, field) if field else None

    @property
    def is_written(self) -> bool:
        return self.kind in WRITTEN_KINDS

    @property
    def is_withdrawn(self) -> bool:
        """The content is no longer public: not published, or a point from a review that
        is not published."""
        content = self.content
        if content is None:
            return False
        return not content.is_public()

    @property
    def withdrawn_message(self) -> str:
        return WITHDRAWN_MESSAGES.get(self.kind, "")

    @property
    def heading(self) -> str:
        """A short title: for slides, headings and lists."""
        if self.is_withdrawn:
            return self.get_kind_display()
        content = self.content
        if self.kind == ItemKind.PRACTICE_POINT:
            return content.heading
        if content is not None:
            return str(content)
        return self.get_kind_display()


# The content registry (content/registry.py): a pack's and its items' text is sanitised on
# save like the content's (no workflow, no history, not searched or transferred).
registry.register(SessionPack, key="session_pack")
registry.register(PackItem, key="pack_item")
