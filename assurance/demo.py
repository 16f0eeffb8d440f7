"""Demo data for assurance: realistic recommendations, actions, progress updates, evidence
and a challenge on a few of the seed reviews, so a new user sees the dashboard populated
after `make run`. Every row is marked ``is_demo`` (and its text says "Demo"); the real seed
content holds no recommendations. ``generate_demo_data`` calls ``demo_data_generate``.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from practice_points.models import Review, ReviewType
from themes.models import Agency, Theme

from .models import (
    Action,
    ActionStatus,
    Challenge,
    ChallengeMessage,
    ChallengeState,
    DueDateChange,
    Evidence,
    EvidenceKind,
    ProgressUpdate,
    Recommendation,
    ReviewPlan,
    Scope,
)

DEMO_AUTHOR = "Demo data"
LOCAL_TYPES = (ReviewType.LCSPR, ReviewType.RAPID_REVIEW, ReviewType.MULTI_AGENCY_AUDIT)
REVIEWS = 4
# search's synthetic demo content (generate_demo_data --practice-points) has slugs "demo-...":
# plans go on the seed's own reviews and agencies only.
SYNTHETIC_PREFIX = "demo-"

# Each recommendation: its text, the agencies it is addressed to (seed slugs), and its
# actions: (what, lead role, public summary, the owner agency's seed slug), so each action
# is owned by the agency whose staff would do it.
RECOMMENDATIONS = [
    (
        "Partners should make sure every strategy discussion includes the police, health and "
        "the referring agency, and that the decision is recorded with its reasons.",
        ["childrens-social-care", "police", "health"],
        [
            (
                "Revise the strategy discussion procedure and audit attendance quarterly.",
                "Head of service, front door",
                "Police attend strategy discussions.",
                "childrens-social-care",
            ),
            (
                "Brief every detective sergeant on the revised procedure.",
                "Detective inspector, public protection",
                "Police officers briefed.",
                "police",
            ),
        ],
    ),
    (
        "Practitioners should use professional curiosity to explore who lives in the "
        "household, including fathers and other men.",
        ["health-visiting", "midwifery", "childrens-social-care"],
        [
            (
                "Add 'who else lives here?' prompts to health visiting contacts.",
                "Named nurse for safeguarding",
                "Health visitors ask who lives at home.",
                "health-visiting",
            ),
            (
                "Deliver training for social workers on seeing the whole household.",
                "Principal social worker",
                "Training on the whole household.",
                "childrens-social-care",
            ),
        ],
    ),
    (
        "The partnership should check that escalation is used when professionals disagree, "
        "and that practitioners know how to use it.",
        ["education", "health", "childrens-social-care"],
        [
            (
                "Relaunch the escalation policy to schools' designated safeguarding leads "
                "with a 7-minute briefing.",
                "Education safeguarding lead",
                "Escalation policy relaunched in schools.",
                "education",
            ),
        ],
    ),
]
# (status, due in days from today, revised, evidence kinds)
PLANS = [
    (ActionStatus.ASSURED, -40, False, [EvidenceKind.OUTPUT, EvidenceKind.PRACTICE_CHANGE]),
    (ActionStatus.COMPLETE, -5, False, [EvidenceKind.OUTCOME]),
    (ActionStatus.ON_TRACK, 45, False, [EvidenceKind.OUTPUT]),
    (ActionStatus.AT_RISK, 12, False, []),
    (ActionStatus.OFF_TRACK, 20, True, []),
    (ActionStatus.NOT_STARTED, -10, False, []),
    (ActionStatus.ON_TRACK, 90, True, []),
]


def _demo_reviews():
    reviews = (
        Review.objects.public()
        .filter(review_type__in=LOCAL_TYPES)
        .exclude(slug__startswith=SYNTHETIC_PREFIX)  # the seed's reviews, not search's demo
        .annotate(n=Count("recommendations"))
        .filter(n=0)
        .order_by("title")
    )
    return list(reviews[:REVIEWS])


@transaction.atomic
def demo_data_generate(*, seed: int | None = None) -> str:
    """Make the demo plans (once: if any demo recommendation exists, nothing is made)."""
    if Recommendation.objects.demo().exists():
        return "Assurance demo data: already there (nothing made)."
    rng = random.Random(seed if seed is not None else 18)
    agencies = list(Agency.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).order_by("name"))
    by_slug = {agency.slug: agency for agency in agencies}
    if not agencies:
        return "Assurance demo data: no agencies, nothing made."
    today = timezone.localdate()
    now = timezone.now()
    reviews = _demo_reviews()
    plan_index = 0
    made = 0
    for r_index, review in enumerate(reviews):
        ReviewPlan.objects.get_or_create(  # a real plan's settings are left alone
            review=review,
            defaults={
                "started_on": today.replace(month=1, day=1) + datetime.timedelta(days=20 * r_index),
                "is_demo": True,
            },
        )
        themes = list(Theme.objects.filter(practice_points__review=review).distinct()[:3]) or list(
            Theme.objects.all()[:2]
        )
        for number, (text, addressed, actions) in enumerate(
            RECOMMENDATIONS[: 2 + r_index % 2], start=1
        ):
            rec = Recommendation.objects.create(
                review=review,
                number=number,
                text=f"Demo: {text}",
                scope=Scope.MULTI_AGENCY,
                created_at=now - datetime.timedelta(days=120 - 10 * r_index),
                is_demo=True,
            )
            owners = {slug: _agency(by_slug, slug, agencies, rng) for _, _, _, slug in actions}
            rec.agencies.set(
                {_agency(by_slug, slug, agencies, rng) for slug in addressed} | set(owners.values())
            )
            rec.themes.set(themes[: 1 + number % 2])
            for description, lead_role, summary, owner_slug in actions:
                status, due_in, revised, kinds = PLANS[plan_index % len(PLANS)]
                plan_index += 1
                action = _demo_action(
                    rec,
                    description,
                    lead_role,
                    summary,
                    owners[owner_slug],
                    status,
                    today,
                    now,
                    due_in,
                    revised,
                    kinds,
                )
                made += 1
                if status == ActionStatus.AT_RISK and r_index == 0:
                    _demo_challenge(action, now)
    return f"Assurance demo data: {made} actions on {len(reviews)} seed reviews (marked as demo)."


def _agency(by_slug: dict, slug: str, agencies: list, rng: random.Random) -> Agency:
    """The seed's agency with this slug; on a site without it (other agencies), any."""
    return by_slug.get(slug) or rng.choice(agencies)


def _demo_action(
    rec, description, lead_role, summary, agency, status, today, now, due_in, revised, kinds
) -> Action:
    due = today + datetime.timedelta(days=due_in)
    action = Action.objects.create(
        recommendation=rec,
        description=f"Demo: {description}",
        owner_agency=agency,
        lead_role=lead_role,
        due_date=due - datetime.timedelta(days=30) if revised else due,
        revised_due_date=due if revised else None,
        revised_reason="Demo: the training provider postponed the sessions." if revised else "",
        status=status,
        public_summary=f"Demo: {summary}" if summary else "",  # public once shown
        reaudit_date=due + datetime.timedelta(days=180),
        is_demo=True,
    )
    if revised:
        DueDateChange.objects.create(
            action=action,
            previous_due=action.due_date,
            new_due=due,
            reason=action.revised_reason,
            changed_at=now - datetime.timedelta(days=14),
        )
    steps = [
        (40, ActionStatus.NOT_STARTED, "Demo: action agreed at the partnership's review group."),
        (20, ActionStatus.ON_TRACK, "Demo: draft ready; consultation with partners under way."),
    ]
    if status in (ActionStatus.AT_RISK, ActionStatus.OFF_TRACK):
        steps.append((7, status, "Demo: two agencies have not yet nominated their leads."))
    for days_ago, step_status, text in steps:
        ProgressUpdate.objects.create(
            action=action,
            date=today - datetime.timedelta(days=days_ago),
            text=text,
            status=step_status,
            author_name=DEMO_AUTHOR,
            created_at=now - datetime.timedelta(days=days_ago),
        )
    for i, kind in enumerate(kinds):
        Evidence.objects.create(
            action=action,
            kind=kind,
            date=today - datetime.timedelta(days=10 + i),
            description={
                EvidenceKind.OUTPUT: "Demo: procedure updated and published.",
                EvidenceKind.PRACTICE_CHANGE: "Demo: audit of 20 cases shows the police "
                "attended 19 strategy discussions.",
                EvidenceKind.OUTCOME: "Demo: children seen within 24 hours rose from 70% to 92%.",
            }[kind],
            link=f"https://example.org/demo/evidence/{action.pk}-{i}",
        )
    if status in (ActionStatus.COMPLETE, ActionStatus.ASSURED):
        action.completed_at = now - datetime.timedelta(days=12)
        ProgressUpdate.objects.create(
            action=action,
            date=today - datetime.timedelta(days=12),
            text="Demo: marked complete, for sign-off.",
            status=ActionStatus.COMPLETE,
            author_name=DEMO_AUTHOR,
        )
    if status == ActionStatus.ASSURED:
        action.signed_off_at = now - datetime.timedelta(days=3)
        ProgressUpdate.objects.create(
            action=action,
            date=today - datetime.timedelta(days=3),
            text="Demo: assured and closed.",
            status=ActionStatus.ASSURED,
            author_name=DEMO_AUTHOR,
        )
    action.save()
    return action


def _demo_challenge(action: Action, now) -> None:
    challenge = Challenge.objects.create(
        action=action,
        state=ChallengeState.OPEN,
        raised_at=now - datetime.timedelta(days=4),
        is_demo=True,
    )
    ChallengeMessage.objects.create(
        challenge=challenge,
        text="Demo: what will you do if the leads are not nominated by the end of the month?",
        author_name="Demo scrutineer",
        created_at=now - datetime.timedelta(days=4),
    )


@transaction.atomic
def demo_data_remove() -> str:
    """Remove every demo row (real plans are untouched)."""
    challenges, _ = Challenge.objects.filter(is_demo=True).delete()
    recs, _ = Recommendation.objects.filter(is_demo=True).delete()
    plans, _ = ReviewPlan.objects.filter(is_demo=True).delete()
    return f"Assurance demo data removed ({recs} rows with the recommendations)."
