"""Learning into practice: a review's recommendations, the multi-agency actions taken on
them, the evidence that practice changed, sign-off, scrutiny challenges, reminders and
the yearly report."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Due within this many days: "due soon" in reminders and lists.
DUE_SOON_DAYS = 14


class Scope(models.TextChoices):
    MULTI_AGENCY = "multi_agency", "Multi-agency"
    SINGLE_AGENCY = "single_agency", "Single agency"
    NATIONAL = "national", "National"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete, awaiting evidence"
    ASSURED = "assured", "Assured and closed"


# Statuses a person sets with a progress update (complete and assured have their own steps).
UPDATE_STATUSES = (
    ActionStatus.NOT_STARTED,
    ActionStatus.ON_TRACK,
    ActionStatus.AT_RISK,
    ActionStatus.OFF_TRACK,
)
DONE_STATUSES = (ActionStatus.COMPLETE, ActionStatus.ASSURED)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"


RAG_MEANING = {
    Rag.RED: "off track or overdue",
    Rag.AMBER: "at risk or not started",
    Rag.GREEN: "on track, or complete and awaiting sign-off",
    Rag.BLUE: "assured and closed",
}


def rag_for(status: str, due: datetime.date | None, today: datetime.date) -> str:
    """The RAG rating derived from an action's status and its (revised) due date.

    Blue: assured. Green: complete awaiting sign-off, or on track and not overdue.
    Amber: at risk, or not started, and not overdue. Red: off track, or any open action
    past its due date.
    """
    if status == ActionStatus.ASSURED:
        return Rag.BLUE
    if status == ActionStatus.COMPLETE:
        return Rag.GREEN
    if status == ActionStatus.OFF_TRACK or (due is not None and due < today):
        return Rag.RED
    if status == ActionStatus.ON_TRACK:
        return Rag.GREEN
    return Rag.AMBER


class EvidenceKind(models.TextChoices):
    OUTPUT = "output", "Output (e.g. procedure updated)"
    PRACTICE_CHANGE = "practice_change", "Practice change (e.g. an audit shows it)"
    OUTCOME = "outcome", "Outcome for children"


# Evidence that can close an action (an output alone cannot).
CLOSING_EVIDENCE = (EvidenceKind.PRACTICE_CHANGE, EvidenceKind.OUTCOME)


class AgencyMembership(models.Model):
    """The agency a person acts for in assurance (an action owner updates its actions)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assurance_membership"
    )
    agency = models.ForeignKey(
        "themes.Agency", on_delete=models.CASCADE, related_name="assurance_members"
    )

    class Meta:
        verbose_name = "agency membership"

    def __str__(self) -> str:
        return f"{self.user} acts for {self.agency}"


class ReviewPlan(models.Model):
    """Assurance settings of one review: when it started, and whether its public page
    shows "What we did"."""

    review = models.OneToOneField(
        "practice_points.Review", on_delete=models.CASCADE, related_name="assurance_plan"
    )
    started_on = models.DateField(
        null=True, blank=True, help_text="When the review was commissioned or started."
    )
    show_what_we_did = models.BooleanField(
        default=False,
        help_text="Show each recommendation with its actions' status and public summary on "
        "the public review page.",
    )
    is_demo = models.BooleanField(default=False, editable=False)

    def __str__(self) -> str:
        return f"Plan for {self.review}"


class RecommendationQuerySet(models.QuerySet):
    def demo(self):
        return self.filter(is_demo=True)


class Recommendation(models.Model):
    review = models.ForeignKey(
        "practice_points.Review", on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.MULTI_AGENCY)
    agencies = models.ManyToManyField(
        "themes.Agency", blank=True, related_name="recommendations", verbose_name="addressed to"
    )
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="recommendations")
    accepted = models.BooleanField(default=True)
    response_reason = models.TextField(
        blank=True, help_text="Why it was not accepted (needed when it is not)."
    )
    adopted_locally = models.BooleanField(
        default=False, help_text="A national recommendation the partnership has adopted."
    )
    adopted_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["review__title", "review_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number"),
            models.CheckConstraint(
                condition=models.Q(scope__in=Scope.values), name="recommendation_scope_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted=True) | ~models.Q(response_reason=""),
                name="recommendation_not_accepted_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review.title}: recommendation {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("assurance:plan", kwargs={"slug": self.review.slug}) + f"#rec-{self.pk}"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=DONE_STATUSES)

    def with_due(self):
        return self.annotate(
            due=models.functions.Coalesce("revised_due_date", "due_date"),
        )

    def overdue(self, today: datetime.date):
        return self.open().with_due().filter(due__lt=today)

    def due_soon(self, today: datetime.date, days: int = DUE_SOON_DAYS):
        return (
            self.open()
            .with_due()
            .filter(due__gte=today, due__lte=today + datetime.timedelta(days=days))
        )

    def at_risk(self):
        return self.filter(status__in=(ActionStatus.AT_RISK, ActionStatus.OFF_TRACK))

    def awaiting_sign_off(self):
        return self.filter(status=ActionStatus.COMPLETE)

    def for_agency(self, agency):
        return self.filter(owner_agency=agency)

    def full(self):
        return self.select_related("recommendation__review", "owner_agency")


class Action(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField("what will be done")
    owner_agency = models.ForeignKey(
        "themes.Agency", on_delete=models.PROTECT, related_name="assurance_actions"
    )
    lead_role = models.CharField(
        "lead", max_length=200, help_text="A role, e.g. ‘Designated nurse’ (not a person)."
    )
    due_date = models.DateField()
    revised_due_date = models.DateField(null=True, blank=True)
    revised_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    public_summary = models.CharField(
        max_length=200,
        blank=True,
        help_text="One line the public may read on the review page (if it shows ‘What we did’).",
    )
    reaudit_date = models.DateField(
        "re-audit date", null=True, blank=True, help_text="When to check the change has lasted."
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation__review__title", "recommendation__number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(revised_due_date__isnull=True) | ~models.Q(revised_reason=""),
                name="action_revised_due_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("assurance:action", kwargs={"pk": self.pk})

    @property
    def effective_due(self) -> datetime.date:
        return self.revised_due_date or self.due_date

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_done and self.effective_due < (today or timezone.localdate())

    def rag(self, today: datetime.date | None = None) -> str:
        return rag_for(self.status, self.effective_due, today or timezone.localdate())

    @property
    def rag_label(self) -> str:
        return Rag(self.rag()).label

    def has_closing_evidence(self) -> bool:
        return self.evidence.filter(kind__in=CLOSING_EVIDENCE).exists()


class DueDateChange(models.Model):
    """One revision of an action's due date, with its reason (slippage is counted here)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_changes")
    previous_due = models.DateField()
    new_due = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="duechange_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.previous_due} to {self.new_due}"


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField()
    status = models.CharField(
        "status after this update", max_length=20, choices=ActionStatus.choices
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update of {self.date}"

    @property
    def by(self) -> str:
        if self.author is not None:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name or "Unknown"


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", "Not scanned (no scanner set)"
    CLEAN = "clean", "Scanned: clean"


class Evidence(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    date = models.DateField()
    description = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    # Stored through Django's storage API (assurance.evidence_files), never publicly served.
    file_name = models.CharField(max_length=300, blank=True, editable=False)
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    scan_status = models.CharField(
        max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED, editable=False
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(link="") | ~models.Q(file_name=""),
                name="evidence_has_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def short_kind(self) -> str:
        return self.get_kind_display().split(" (")[0]


class ChallengeState(models.TextChoices):
    OPEN = "open", "Waiting for a reply"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class ChallengeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=ChallengeState.OPEN)


class Challenge(models.Model):
    """A scrutiny challenge on a recommendation or an action: a thread that needs a reply
    from its owner. Open until its owner (or an assurance lead) replies."""

    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="challenges"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="challenges"
    )
    state = models.CharField(
        max_length=20, choices=ChallengeState.choices, default=ChallengeState.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recommendation__isnull=True, action__isnull=False)
                | models.Q(recommendation__isnull=False, action__isnull=True),
                name="challenge_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ChallengeState.values), name="challenge_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Challenge on {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("assurance:challenge", kwargs={"pk": self.pk})

    @property
    def subject(self):
        return self.action or self.recommendation

    @property
    def review(self):
        rec = self.recommendation or self.action.recommendation
        return rec.review


class ChallengeMessage(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="messages")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    is_reply = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk}"

    @property
    def by(self) -> str:
        if self.author is not None:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name or "Unknown"


class ReminderKind(models.TextChoices):
    AGENCY_ACTIONS = "agency_actions", "Actions due in 14 days or overdue"
    SIGN_OFF = "sign_off", "Evidence waiting for sign-off"


class ReminderSent(models.Model):
    """One reminder email sent: never the same reminder twice in a week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assurance_reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    week = models.CharField(max_length=8, help_text="ISO year and week, e.g. 2026-W48.")
    email = models.EmailField()
    action_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "week"], name="reminder_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.email} ({self.week})"


class YearlyReport(models.Model):
    """The yearly report's editable text: an introduction and a note per section, edited
    by staff before it is published."""

    year = models.PositiveSmallIntegerField(unique=True)
    introduction = models.TextField(blank=True)
    notes = models.JSONField(default=dict, blank=True)  # section heading -> note
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Yearly report {self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PlanImport(models.Model):
    """An uploaded CSV of recommendations and actions, checked and shown before it is
    imported (all rows or none)."""

    class State(models.TextChoices):
        CHECKED = "checked", "Checked"
        IMPORTED = "imported", "Imported"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    text = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.CHECKED)
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.filename
