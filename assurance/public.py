"""What the public may see of a review's plan ("What we did"): only for a public review
whose plan shows it; each accepted recommendation's text, and for each action its status
(in plain words) and its one-line public summary. Never agencies' leads, dates of
individual actions, progress notes, evidence or challenges."""

from __future__ import annotations

from dataclasses import dataclass

from .models import ActionStatus, Recommendation, ReviewPlan

PUBLIC_STATUS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.ON_TRACK: "In progress",
    ActionStatus.AT_RISK: "In progress",
    ActionStatus.OFF_TRACK: "In progress",
    ActionStatus.COMPLETE: "Done, being checked",
    ActionStatus.ASSURED: "Done and checked",
}


@dataclass
class PublicAction:
    status: str
    summary: str


@dataclass
class PublicRecommendation:
    number: int
    text: str
    actions: list[PublicAction]


def what_we_did_for(review) -> list[PublicRecommendation]:
    if review is None or not review.is_public():
        return []
    if not ReviewPlan.objects.filter(review=review, show_what_we_did=True).exists():
        return []
    items = []
    for rec in (
        Recommendation.objects.filter(review=review, accepted=True)
        .prefetch_related("actions")
        .order_by("number")
    ):
        actions = [
            PublicAction(PUBLIC_STATUS[ActionStatus(a.status)], a.public_summary)
            for a in rec.actions.all()
            if a.public_summary
        ]
        items.append(PublicRecommendation(rec.number, rec.text, actions))
    return items
