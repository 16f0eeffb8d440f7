"""Demo data for evidence of use: sessions over the last year, their agreed actions and
follow-ups, good practice (some published), and "Was this useful?" answers, so the
dashboard is populated after ``make run``. Every row is marked ``is_demo`` (the
dashboard says how many of its sessions are demo; shared examples start "Demo
example:"); no demo row asks for a follow-up email, so nothing is ever sent.
``demo_data_generate`` replaces earlier demo rows (idempotent); ``demo_data_remove``
deletes them all."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from practice_points.models import PracticePoint
from resources.models import Resource, ResourceType
from themes.models import Agency, Theme

from .models import (
    AgreedAction,
    DeliveredSession,
    Feedback,
    FollowUp,
    SessionFormat,
    ShareStatus,
    Source,
)

DEMO_SESSIONS = 60
DEMO_FEEDBACK = 150
DEMO_MARK = "Demo example: "
PACK_TITLES = [
    "Professional curiosity in home visits",
    "Information sharing: when and how",
    "Escalation and challenge: using the procedure",
    "Neglect: seeing the child's daily life",
    "Supervision that asks the hard questions",
    "Exploitation: spotting the signs early",
    "Hearing the voice of the child",
]
TEAMS = [
    "North locality team",
    "Duty and assessment team",
    "Health visiting, east",
    "Designated safeguarding leads' network",
    "Neighbourhood policing team",
    "School nursing service",
    "Early help hub",
    "Emergency department nurses",
]
ROLES = [
    "social workers and a team manager",
    "health visitors and nursery nurses",
    "designated safeguarding leads",
    "police officers and a sergeant",
    "early help practitioners",
    "nurses and a named nurse",
]
ACTIONS = [
    ("Add a 'who else lives here?' prompt to home visit notes", "Team manager"),
    ("Check with other agencies before closing a case", "Senior practitioner"),
    ("Use the escalation procedure when a referral is turned down", "Designated safeguarding lead"),
    ("Make time in supervision to reflect on the child's lived experience", "Practice supervisor"),
    ("Record the child's own words in assessments", "Social workers"),
    ("Share the 7-minute briefing at the next team meeting", "Team leader"),
    ("Ask about fathers and male carers at every contact", "Health visitors"),
]
CHANGES = [
    "Practitioners now ask who else lives in the home on every visit.",
    "The team checks with health and school before closing cases.",
    "Two referrals were escalated using the procedure, and both were reconsidered.",
    "Supervision notes now include a reflection on the child's day.",
]
EXAMPLES = [
    "A practitioner noticed an adult not known to the team at a visit, asked about them, "
    "and shared the information with the police the same day.",
    "After a referral was closed, the school's safeguarding lead used the escalation "
    "procedure; a strategy discussion followed within a week.",
    "In supervision a worker reflected on what a typical day was like for a baby in the "
    "home, which led to an early help assessment.",
    "Health visitors now ask to meet male carers, and one visit was rearranged so the "
    "father could be there.",
]
DIFFERENTLY = [
    "Ask about other adults in the household at every visit.",
    "Use the escalation procedure rather than letting it drop.",
    "Take this to my next supervision.",
    "Share this with my team at our next meeting.",
    "",
    "",
    "",
]


def _months_ago(today: datetime.date, rng: random.Random) -> datetime.date:
    return today - datetime.timedelta(days=rng.randint(3, 360))


@transaction.atomic
def demo_data_remove() -> int:
    """Delete every demo row of evidence of use; how many sessions and answers went."""
    sessions, _ = DeliveredSession.objects.filter(is_demo=True).delete()
    feedback, _ = Feedback.objects.filter(is_demo=True).delete()
    return sessions + feedback


@transaction.atomic
def demo_data_generate(*, seed: int | None = None) -> str:
    """Demo sessions, follow-ups, good practice and feedback (earlier demo rows replaced)."""
    rng = random.Random(seed)
    demo_data_remove()
    today = timezone.localdate()
    agencies = list(Agency.objects.order_by("name"))
    themes = list(Theme.objects.public().order_by("name"))
    if not agencies or not themes:
        return "Evidence of use: no agencies or themes yet, so no demo data."
    briefings = list(
        Resource.objects.public().filter(resource_type=ResourceType.SEVEN_MINUTE_BRIEFING)
    )
    # Leave a few agencies out, so "Not reached" has something to show.
    reached = agencies[: max(1, len(agencies) - 3)] if len(agencies) > 3 else agencies
    sessions = 0
    for _ in range(DEMO_SESSIONS):
        delivered = _months_ago(today, rng)
        briefing = rng.choice(briefings) if briefings and rng.random() < 0.3 else None
        source = (
            Source.BRIEFING
            if briefing
            else rng.choice([Source.OWN_PACK, Source.OWN_PACK, Source.SHARED_LINK])
        )
        session = DeliveredSession.objects.create(
            source=source,
            briefing=briefing,
            used_title=briefing.title if briefing else rng.choice(PACK_TITLES),
            delivered_on=delivered,
            agency=rng.choice(reached),
            team=rng.choice(TEAMS),
            attendees=rng.randint(3, 30),
            attendee_roles=rng.choice(ROLES),
            format=rng.choice(SessionFormat.values),
            discussion="What the learning means for our visits and how we record concerns.",
            follow_up_on=delivered + datetime.timedelta(weeks=8),
            follow_up_requested=False,
            is_demo=True,
        )
        session.themes.set(
            list(briefing.themes.public())
            if briefing
            else rng.sample(themes, k=min(2, len(themes)))
        )
        picked = rng.sample(ACTIONS, k=rng.randint(1, 3))
        AgreedAction.objects.bulk_create(
            AgreedAction(
                session=session,
                position=i,
                action=action,
                owner_role=owner,
                due_on=delivered + datetime.timedelta(weeks=4),
            )
            for i, (action, owner) in enumerate(picked, start=1)
        )
        follow_up = FollowUp.objects.create(session=session)
        sessions += 1
        if session.follow_up_on <= today and rng.random() < 0.7:
            for action in session.actions.all():
                action.outcome = rng.choices(AgreedAction.Outcome.values, weights=[6, 3, 1], k=1)[0]
                action.save(update_fields=["outcome"])
            before = rng.randint(1, 4)
            follow_up.confidence_before = before
            follow_up.confidence_now = min(5, before + rng.choice([0, 1, 1, 2]))
            follow_up.what_changed = rng.choice(CHANGES)
            follow_up.answered_at = timezone.now() - datetime.timedelta(days=rng.randint(0, 30))
            if rng.random() < 0.4:
                follow_up.example = rng.choice(EXAMPLES)
                follow_up.shared_text = DEMO_MARK + follow_up.example
                follow_up.share_status = rng.choice([ShareStatus.WAITING, ShareStatus.PUBLISHED])
            follow_up.save()
    points = list(PracticePoint.objects.public()[:40])
    feedback = 0
    for _ in range(DEMO_FEEDBACK if points else 0):
        on_theme = rng.random() < 0.3
        Feedback.objects.create(
            practice_point=None if on_theme else rng.choice(points),
            theme=rng.choice(themes) if on_theme else None,
            useful=rng.random() < 0.8,
            differently=rng.choice(DIFFERENTLY),
            is_demo=True,
            created_at=timezone.now() - datetime.timedelta(days=rng.randint(0, 300)),
        )
        feedback += 1
    return (
        f"Evidence of use: {sessions} demo sessions with follow-ups and {feedback} demo "
        "feedback answers (marked demo; remove with demo_data_remove)."
    )
