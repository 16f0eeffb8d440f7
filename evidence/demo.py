"""Demo data for evidence of use: sessions over the last year, their agreed actions and
follow-ups, good practice waiting for staff review (never published: a partnership that
runs ``make run`` on its live site must not show made-up examples on its theme pages; the
staff page shows the review flow), and "Was this useful?" answers, so the dashboard is
populated after ``make run``. Every row is marked ``is_demo`` (the dashboard says how many
of its sessions are demo; shared examples start "Demo example:"); no demo row asks for a
follow-up email, so nothing is ever sent. Each session's team, and each example, belongs
to an agency that fits it (``PROFILES``, ``EXAMPLES``); each example is used once.
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
# (agency's seed slug, team, who came): sessions are run by teams of the agency they
# belong to. On a site without these agencies, any agency with a general team.
PROFILES = [
    ("childrens-social-care", "Duty and assessment team", "social workers and a team manager"),
    ("childrens-social-care", "North locality team", "social workers and a practice supervisor"),
    ("health-visiting", "Health visiting, east", "health visitors and nursery nurses"),
    ("education", "Designated safeguarding leads' network", "designated safeguarding leads"),
    ("police", "Neighbourhood policing team", "police officers and a sergeant"),
    ("school-nursing", "School nursing service", "school nurses"),
    ("early-help", "Early help hub", "early help practitioners"),
    ("health", "Emergency department nurses", "nurses and a named nurse"),
    ("midwifery", "Community midwives, south", "midwives and a safeguarding midwife"),
    ("gp-and-primary-care", "GP practice safeguarding leads", "GPs and practice nurses"),
]
GENERAL_TEAM = ("Practitioners' forum", "practitioners and a team manager")
ACTIONS = [
    ("Add a 'who else lives here?' prompt to our visit notes", "Team manager"),
    ("Check with other agencies before closing a case", "Senior practitioner"),
    ("Use the escalation procedure when a referral is turned down", "Safeguarding lead"),
    ("Make time in supervision to reflect on the child's lived experience", "Practice supervisor"),
    ("Record the child's own words in our notes", "Every practitioner"),
    ("Share the 7-minute briefing at the next team meeting", "Team leader"),
    ("Ask about fathers and male carers at every contact", "Every practitioner"),
]
CHANGES = [
    "Practitioners now ask who else lives in the home on every visit.",
    "The team checks with other agencies before closing cases.",
    "Two referrals were escalated using the procedure, and both were reconsidered.",
    "Supervision notes now include a reflection on the child's day.",
]
# (example, the agency's seed slug, its team and who came): each is shared once, by a
# team of the agency it describes.
EXAMPLES = [
    (
        "A social worker noticed an adult not known to the team at a home visit, asked "
        "about him, and shared the information with the police the same day.",
        "childrens-social-care",
    ),
    (
        "After a referral was closed, a school's designated safeguarding lead used the "
        "escalation procedure; a strategy discussion followed within a week.",
        "education",
    ),
    (
        "In supervision an early help practitioner reflected on what a typical day was like "
        "for a baby in the home, which led to an early help assessment.",
        "early-help",
    ),
    (
        "Health visitors now ask to meet male carers, and one visit was rearranged so the "
        "father could be there.",
        "health-visiting",
    ),
    (
        "Officers called to a domestic incident asked where the children were, spoke to "
        "each of them, and let their school know the next morning.",
        "police",
    ),
    (
        "A midwife saw a pregnant woman on her own at every appointment to ask about safety "
        "at home, and a referral to domestic abuse services followed.",
        "midwifery",
    ),
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


def _examples_share(answered: list[FollowUp], by_slug: dict, rng: random.Random) -> None:
    """Each example once, on an answered follow-up of a session of the agency it
    describes (on a site without that agency, any answered follow-up), waiting for staff
    review: never published."""
    free = list(answered)
    rng.shuffle(free)
    for example, slug in EXAMPLES:
        agency = by_slug.get(slug)
        fitting = [f for f in free if agency is None or f.session.agency_id == agency.pk]
        if not free:
            return
        follow_up = (fitting or free)[0]
        free.remove(follow_up)
        if agency is not None and follow_up.session.agency_id != agency.pk:
            # No answered session of that agency this time: this one becomes its team's.
            _, team, roles = next(p for p in PROFILES if p[0] == slug)
            session = follow_up.session
            session.agency, session.team, session.attendee_roles = agency, team, roles
            session.save(update_fields=["agency", "team", "attendee_roles"])
        follow_up.example = example
        follow_up.shared_text = DEMO_MARK + example
        follow_up.share_status = ShareStatus.WAITING
        follow_up.save(update_fields=["example", "shared_text", "share_status"])


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
    by_slug = {agency.slug: agency for agency in agencies}
    # Teams of the agencies the demo knows; the other agencies are left out, so "Not
    # reached" has something to show. A site without the seed's agencies: any agency.
    teams = [(by_slug[slug], team, roles) for slug, team, roles in PROFILES if slug in by_slug] or [
        (agency, *GENERAL_TEAM) for agency in agencies[: max(1, len(agencies) - 3)]
    ]
    briefings = list(
        Resource.objects.public().filter(resource_type=ResourceType.SEVEN_MINUTE_BRIEFING)
    )
    sessions = 0
    answered = []
    for _ in range(DEMO_SESSIONS):
        delivered = _months_ago(today, rng)
        briefing = rng.choice(briefings) if briefings and rng.random() < 0.3 else None
        source = (
            Source.BRIEFING
            if briefing
            else rng.choice([Source.OWN_PACK, Source.OWN_PACK, Source.SHARED_LINK])
        )
        agency, team, roles = rng.choice(teams)
        session = DeliveredSession.objects.create(
            source=source,
            briefing=briefing,
            used_title=briefing.title if briefing else rng.choice(PACK_TITLES),
            delivered_on=delivered,
            agency=agency,
            team=team,
            attendees=rng.randint(3, 30),
            attendee_roles=roles,
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
            follow_up.save()
            answered.append(follow_up)
    _examples_share(answered, by_slug, rng)
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
