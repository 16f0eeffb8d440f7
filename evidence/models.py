"""Evidence of use: sessions delivered with a pack or a briefing, what the team agreed to
do differently, the follow-up weeks later, practitioners' feedback on a point or theme,
and good practice shared back on the theme's page.

Nothing here is about families: every free-text field carries the warning not to enter
personal data (``forms.NO_PERSONAL_DATA``). The only personal data kept is the work email
address of someone who asked for a follow-up (to send it), and the one-time codes' address
while they last. Feedback is anonymous: no address, no cookie, nothing about the client.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_ATTENDEES = 500
FOLLOW_UP_WEEKS = 8
MAX_FOLLOW_UP_EMAILS = 2  # the first email and one reminder, then no more


def default_follow_up(delivered_on: datetime.date | None = None) -> datetime.date:
    return (delivered_on or timezone.localdate()) + datetime.timedelta(weeks=FOLLOW_UP_WEEKS)


class AllowedDomain(models.Model):
    """A work email domain whose people may record a session through a pack's shared link
    (with a one-time code sent there). Set by the partnership's admins; the setting
    ``EVIDENCE_ALLOWED_EMAIL_DOMAINS`` adds more."""

    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="e.g. hampshire.gov.uk: addresses there and at its subdomains are accepted.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(domain="") & ~Q(domain__contains="@"), name="allowed_domain_valid"
            )
        ]

    def __str__(self) -> str:
        return self.domain


class OneTimeCode(models.Model):
    """A code emailed to a work address to record a session through a shared link: kept
    only as a keyed hash; expires; used once; a few wrong tries and it is dead."""

    pack = models.ForeignKey(
        "session_packs.SessionPack", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField()
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        return f"Code for {self.email} ({self.created_at:%Y-%m-%d %H:%M})"


class SessionFormat(models.TextChoices):
    TEAM_MEETING = "team_meeting", "Team meeting"
    SUPERVISION = "supervision", "Supervision (individual or group)"
    TRAINING = "training", "Training session"
    PRACTICE_WEEK = "practice_week", "Practice week event"


class Source(models.TextChoices):
    OWN_PACK = "own_pack", "A trainer’s own pack"
    SHARED_LINK = "shared_link", "A pack shared by link"
    BRIEFING = "briefing", "A 7-minute briefing"


BRIEFING_KIND = "7-minute briefing"


def briefing_label(title: str) -> str:
    """A briefing as choices and figures name it: "7-minute briefing: <title>", unless the
    title already says so ("7-Minute Briefing on Neglect", not said twice)."""
    if title.casefold().startswith(BRIEFING_KIND):
        return title
    return f"{BRIEFING_KIND}: {title}"


class DeliveredSessionQuerySet(models.QuerySet):
    def real(self):
        return self.filter(is_demo=False)


class DeliveredSession(models.Model):
    """'We used this': one session delivered with a pack or a briefing."""

    source = models.CharField(max_length=20, choices=Source.choices)
    pack = models.ForeignKey(
        "session_packs.SessionPack",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivered_sessions",
    )
    briefing = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivered_sessions",
    )
    # What was used, as it was called then (a pack may be renamed or deleted later).
    used_title = models.CharField(max_length=300)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="delivered_sessions")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivered_sessions",
    )
    # Only when a follow-up was asked for: where to send it. Forgotten once the follow-up
    # is answered, or two weeks after its last email (services.contact_emails_forget).
    contact_email = models.EmailField(blank=True)
    delivered_on = models.DateField("date of the session")
    agency = models.ForeignKey("themes.Agency", on_delete=models.PROTECT, related_name="+")
    team = models.CharField(max_length=200)
    attendees = models.PositiveSmallIntegerField(
        "number attending", validators=[MinValueValidator(1), MaxValueValidator(MAX_ATTENDEES)]
    )
    attendee_roles = models.CharField("their roles", max_length=300)
    format = models.CharField(max_length=20, choices=SessionFormat.choices)
    discussion = models.TextField("what was discussed", max_length=2000)
    follow_up_on = models.DateField("follow-up date")
    follow_up_requested = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveredSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-delivered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gte=1) & Q(attendees__lte=MAX_ATTENDEES),
                name="delivered_attendees_range",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__gt=models.F("delivered_on")),
                name="delivered_follow_up_after_session",
            ),
            models.CheckConstraint(
                condition=(Q(source="briefing") & Q(briefing__isnull=False))
                | (~Q(source="briefing") & Q(briefing__isnull=True)),
                name="delivered_briefing_matches_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.used_title}, {self.agency} ({self.delivered_on:%d %b %Y})"


class AgreedAction(models.Model):
    session = models.ForeignKey(DeliveredSession, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    action = models.CharField("what the team will do differently", max_length=500)
    owner_role = models.CharField("whose it is (a role, not a name)", max_length=120)
    due_on = models.DateField("by when")

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        PARTLY = "partly", "Partly done"
        NOT_DONE = "not_done", "Not done"

    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="agreed_action_position")
        ]

    def __str__(self) -> str:
        return self.action


class ShareStatus(models.TextChoices):
    NOT_OFFERED = "not_offered", "Not offered"
    WAITING = "waiting", "Waiting for review"
    PUBLISHED = "published", "Published"
    DECLINED = "declined", "Not published"


class FollowUpQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)

    def public(self):
        """Good practice anyone may see: answered, and published by staff."""
        return self.filter(share_status=ShareStatus.PUBLISHED, answered_at__isnull=False)

    def due(self, on: datetime.date | None = None):
        """Follow-ups whose date has come, not answered, asked for, with a send left."""
        return (
            self.filter(
                answered_at__isnull=True,
                session__follow_up_requested=True,
                session__follow_up_on__lte=on or timezone.localdate(),
            )
            .annotate(sent=models.Count("emails"))
            .filter(sent__lt=MAX_FOLLOW_UP_EMAILS)
        )


class FollowUp(models.Model):
    """Weeks later: did the agreed actions happen, what changed, confidence before and
    now. Made with the session; answered through the emailed link."""

    session = models.OneToOneField(
        DeliveredSession, on_delete=models.CASCADE, related_name="follow_up"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    what_changed = models.TextField("what changed in practice", max_length=2000, blank=True)
    example = models.TextField("an example (anonymised)", max_length=2000, blank=True)
    confidence_before = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confidence_now = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    share_status = models.CharField(
        max_length=12, choices=ShareStatus.choices, default=ShareStatus.NOT_OFFERED
    )
    # What the theme page shows: the example as staff made it safe to publish.
    shared_text = models.TextField(max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-session__delivered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(confidence_before__isnull=True) | Q(confidence_before__range=(1, 5)))
                & (Q(confidence_now__isnull=True) | Q(confidence_now__range=(1, 5))),
                name="follow_up_confidence_range",
            ),
            models.CheckConstraint(
                condition=~Q(share_status="published") | ~Q(shared_text=""),
                name="follow_up_published_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up of {self.session}"

    def is_public(self) -> bool:
        return self.share_status == ShareStatus.PUBLISHED and self.answered_at is not None


class FollowUpEmail(models.Model):
    """Each follow-up email sent (the first, then one reminder): recorded in the same
    transaction as the send, unique per attempt, so a run repeated or run twice at once
    never sends one twice."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="emails")
    attempt = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FOLLOW_UP_EMAILS)]
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["follow_up", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "attempt"], name="follow_up_email_once"),
            models.CheckConstraint(
                condition=Q(attempt__gte=1) & Q(attempt__lte=MAX_FOLLOW_UP_EMAILS),
                name="follow_up_email_attempt_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Email {self.attempt} of follow-up {self.follow_up_id}"


class FeedbackQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(hidden=False)


class Feedback(models.Model):
    """'Was this useful?' on a practice point or theme page. Anonymous: nothing about who
    sent it or from where is kept."""

    practice_point = models.ForeignKey(
        "practice_points.PracticePoint",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_feedback",
    )
    theme = models.ForeignKey(
        "themes.Theme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_feedback",
    )
    useful = models.BooleanField()
    differently = models.TextField("will you do anything differently?", max_length=500, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(practice_point__isnull=False) & Q(theme__isnull=True))
                | (Q(practice_point__isnull=True) & Q(theme__isnull=False)),
                name="feedback_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{'Useful' if self.useful else 'Not useful'}: {self.target}"

    @property
    def target(self):
        return self.practice_point or self.theme
