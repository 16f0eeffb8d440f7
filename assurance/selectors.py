"""Reads for the assurance pages: lists of actions and the dashboard's figures."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from practice_points.models import Review

from .models import (
    Action,
    ActionStatus,
    Challenge,
    ChallengeState,
    DueDateChange,
    Rag,
    Recommendation,
)

RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


def actions_all():
    return Action.objects.full().prefetch_related("recommendation__themes")


def reviews_with_plans():
    """Reviews with at least one recommendation, with their counts (staff lists: any
    status of review, since plans follow a review before it is published)."""
    return (
        Review.objects.annotate(
            recommendation_count=Count("recommendations", distinct=True),
            action_count=Count("recommendations__actions", distinct=True),
            open_action_count=Count(
                "recommendations__actions",
                filter=~Q(
                    recommendations__actions__status__in=(
                        ActionStatus.COMPLETE,
                        ActionStatus.ASSURED,
                    )
                ),
                distinct=True,
            ),
        )
        .filter(recommendation_count__gt=0)
        .order_by("title")
    )


def review_plan_recommendations(review):
    return (
        Recommendation.objects.filter(review=review)
        .prefetch_related(
            "agencies",
            "themes",
            Prefetch("actions", queryset=Action.objects.select_related("owner_agency")),
            Prefetch("challenges", queryset=Challenge.objects.filter(state=ChallengeState.OPEN)),
        )
        .order_by("number")
    )


@dataclass
class RagRow:
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(rag, 0) for rag in RAG_ORDER]


@dataclass
class Dashboard:
    total: int
    by_status: list[tuple[str, int]]
    by_rag: list[tuple[str, str, int]]  # (rag value, label, count)
    by_agency: list[RagRow]
    by_theme: list[RagRow]
    revisions: int
    slipped_actions: int
    assured_count: int
    days_to_assured_median: int | None
    days_to_assured_mean: int | None
    open_challenges: int
    overdue: int
    awaiting_sign_off: int


def dashboard(today: datetime.date) -> Dashboard:
    actions = list(actions_all())
    status_counts = Counter(a.status for a in actions)
    rag_counts = Counter(a.rag(today) for a in actions)
    agencies: dict[str, RagRow] = {}
    themes: dict[str, RagRow] = {}
    days = []
    for action in actions:
        rag = action.rag(today)
        row = agencies.setdefault(action.owner_agency.name, RagRow(action.owner_agency.name))
        row.counts[rag] = row.counts.get(rag, 0) + 1
        for theme in action.recommendation.themes.all():
            trow = themes.setdefault(theme.name, RagRow(theme.name))
            trow.counts[rag] = trow.counts.get(rag, 0) + 1
        if action.status == ActionStatus.ASSURED and action.signed_off_at:
            days.append((action.signed_off_at - action.recommendation.created_at).days)
    return Dashboard(
        total=len(actions),
        by_status=[(label, status_counts.get(value, 0)) for value, label in ActionStatus.choices],
        by_rag=[(rag.value, rag.label, rag_counts.get(rag, 0)) for rag in RAG_ORDER],
        by_agency=sorted(agencies.values(), key=lambda r: r.label),
        by_theme=sorted(themes.values(), key=lambda r: r.label),
        revisions=DueDateChange.objects.count(),
        slipped_actions=Action.objects.filter(due_changes__isnull=False).distinct().count(),
        assured_count=status_counts.get(ActionStatus.ASSURED, 0),
        days_to_assured_median=round(statistics.median(days)) if days else None,
        days_to_assured_mean=round(statistics.mean(days)) if days else None,
        open_challenges=Challenge.objects.open().count(),
        overdue=sum(1 for a in actions if a.is_overdue(today)),
        awaiting_sign_off=status_counts.get(ActionStatus.COMPLETE, 0),
    )


def overdue_actions(today: datetime.date):
    return Action.objects.overdue(today).full().order_by("due", "id")


def at_risk_actions():
    return Action.objects.at_risk().full().with_due().order_by("due", "id")


def agency_actions(agency):
    return Action.objects.for_agency(agency).full().with_due().order_by("due", "id")
