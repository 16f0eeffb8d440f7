"""The admin home's counts: what needs staff attention, each count with a link to the
list it counts (so the number and the list can never disagree: both come from the same
filter)."""

from __future__ import annotations

import dataclasses
import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from content import registry
from content.models import Status, today
from practice_points.models import PracticePoint
from search.models import ZeroResultQuery
from session_packs.models import SessionPack

from .duplicates import likely_duplicate_points
from .linkcheck import not_direct_links_needing_attention
from .models import BrokenResourceLink, BrokenReviewLink

RECENT_DAYS = 30


@dataclasses.dataclass(frozen=True)
class Count:
    label: str
    count: int
    url: str
    hint: str = ""


@dataclasses.dataclass(frozen=True)
class ContentRow:
    kind: str
    list_url: str
    drafts: Count
    in_review: Count
    due: Count


def _changelist(app_label: str, model_name: str, **params) -> str:
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def recent_since() -> datetime.date:
    return today() - datetime.timedelta(days=RECENT_DAYS)


def content_rows(user) -> list[ContentRow]:
    """For each kind of workflow content the user may view: drafts, in review, due for
    review, each linking to the admin list filtered the same way."""
    rows = []
    for model in registry.workflow_models():
        app_label, model_name = model._meta.app_label, model._meta.model_name
        if not user.has_perm(f"{app_label}.view_{model_name}"):
            continue
        objects = model.objects
        rows.append(
            ContentRow(
                kind=str(model._meta.verbose_name_plural).capitalize(),
                list_url=_changelist(app_label, model_name),
                drafts=Count(
                    "Drafts",
                    objects.filter(status=Status.DRAFT).count(),
                    _changelist(app_label, model_name, status__exact=Status.DRAFT),
                ),
                in_review=Count(
                    "In review",
                    objects.filter(status=Status.IN_REVIEW).count(),
                    _changelist(app_label, model_name, status__exact=Status.IN_REVIEW),
                ),
                due=Count(
                    "Due for review",
                    objects.due_for_review().count(),
                    _changelist(app_label, model_name, due_for_review="due"),
                ),
            )
        )
    return rows


def attention_counts(user) -> list[Count]:
    """Links, duplicates, content gaps and trainers' packs, for those who may see them."""
    counts = []
    if user.has_perm("backoffice.view_brokenresourcelink"):
        counts.append(
            Count(
                "Broken links: resources",
                BrokenResourceLink.objects.count(),
                _changelist("backoffice", "brokenresourcelink"),
            )
        )
    if user.has_perm("backoffice.view_brokenreviewlink"):
        counts.append(
            Count(
                "Broken links: reviews",
                BrokenReviewLink.objects.count(),
                _changelist("backoffice", "brokenreviewlink"),
            )
        )
    if user.has_perm("resources.view_resource") and user.has_perm("practice_points.view_review"):
        counts.append(
            Count(
                "Not a direct link",
                len(not_direct_links_needing_attention()),
                reverse("backoffice_not_direct_links"),
                "links to a home page or another publisher's site, not labelled as such",
            )
        )
    if user.has_perm("practice_points.view_practicepoint"):
        counts.append(
            Count(
                "Likely duplicates",
                len(likely_duplicate_points(PracticePoint.objects.exclude(status=Status.ARCHIVED))),
                reverse("backoffice_likely_duplicates"),
                "pairs of practice points with the same or nearly the same text",
            )
        )
    since = recent_since()
    if user.has_perm("search.view_zeroresultquery"):
        counts.append(
            Count(
                "Content gaps from search",
                ZeroResultQuery.objects.filter(date__gte=since).count(),
                _changelist("search", "zeroresultquery", date__gte=since.isoformat()),
                f"searches that found nothing, in the last {RECENT_DAYS} days",
            )
        )
    if user.has_perm("session_packs.view_sessionpack"):
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        url = _changelist("session_packs", "sessionpack", updated_at__gte=str(start))
        counts.append(
            Count(
                "Trainers' recent packs",
                SessionPack.objects.filter(updated_at__gte=start).count(),
                url,
                f"session packs changed in the last {RECENT_DAYS} days",
            )
        )
    return counts
