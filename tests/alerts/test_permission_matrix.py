"""The alerts app's permission matrix: every URL it adds, as every role of the site, from
the refused side (bad and used tokens, unknown filters, drafts, staff-only pages). The
token pages need no account: a role changes nothing there, a token does."""

from __future__ import annotations

import pytest
from django.utils import timezone

from alerts.models import Subscriber, Subscription
from alerts.tokens import confirm_token, manage_token, unsubscribe_token
from tests.security import test_permission_matrix as site
from tests.security.test_permission_matrix import ROLES, Row, check, everyone, expect, u

world = site.world  # the site's world fixture

pytestmark = pytest.mark.django_db

STAFF_REPORT = expect(302, 302, 302, 200, 200, 200)
BAD = "0" * 40


def _alerts(world: dict) -> dict:
    if "alerts" not in world:
        subscriber = Subscriber.objects.create(email="matrix@example.org", inactive_since=None)
        confirmed = Subscription.objects.create(
            subscriber=subscriber, query="theme=matrix-theme", confirmed_at=timezone.now()
        )
        pending = Subscription.objects.create(subscriber=subscriber, query="")
        world["alerts"] = {"subscriber": subscriber, "confirmed": confirmed, "pending": pending}
    return world["alerts"]


def _sub(key: str):
    return lambda world: _alerts(world)[key].pk


def _unsubscribe_token(world):
    return unsubscribe_token(_alerts(world)["confirmed"])


def _manage_token(world):
    return manage_token(_alerts(world)["subscriber"])


def _confirm_token(world):
    return confirm_token(_alerts(world)["pending"])


def _used_confirm_token(world):
    return confirm_token(_alerts(world)["confirmed"])


ROWS = [
    Row("alerts:points_feed", u("alerts:points_feed"), everyone(200)),
    Row(
        "alerts:points_feed",
        u("alerts:points_feed", query="?theme=matrix-draft"),
        everyone(400),
        "draft theme",
    ),
    Row(
        "alerts:points_feed",
        u("alerts:points_feed", query="?review=child-draft"),
        everyone(400),
        "draft review",
    ),
    Row("alerts:whats_new", u("alerts:whats_new"), everyone(200)),
    Row("alerts:whats_new_feed", u("alerts:whats_new_feed"), everyone(200)),
    Row("alerts:privacy", u("alerts:privacy"), everyone(200)),
    Row("alerts:subscribe", u("alerts:subscribe", query="?theme=matrix-theme"), everyone(200)),
    Row(
        "alerts:subscribe",
        u("alerts:subscribe", query="?theme=matrix-draft"),
        everyone(400),
        "draft theme",
    ),
    Row(
        "alerts:subscribe",
        u("alerts:subscribe"),
        everyone(400),
        "no address",
        method="post",
        data={"query": "theme=matrix-theme", "email": "", "frequency": "weekly"},
    ),
    Row("alerts:check_email", u("alerts:check_email"), everyone(200)),
    Row("alerts:confirm", u("alerts:confirm", token="not-a-token"), everyone(410), "bad token"),
    Row(
        "alerts:confirm",
        u("alerts:confirm", token=_used_confirm_token),
        everyone(410),
        "used",
        method="post",
    ),
    Row(
        "alerts:confirm",
        u("alerts:confirm", token=_confirm_token),
        everyone(200),
        "valid, GET shows a button",
    ),
    Row(
        "alerts:unsubscribe",
        u("alerts:unsubscribe", pk=_sub("confirmed"), token=BAD),
        everyone(404),
        "bad token",
    ),
    Row(
        "alerts:unsubscribe",
        u("alerts:unsubscribe", pk=_sub("confirmed"), token=BAD),
        everyone(200),
        "bad token: same answer, nothing done",
        method="post",
    ),
    Row(
        "alerts:unsubscribe",
        u("alerts:unsubscribe", pk=_sub("confirmed"), token=_unsubscribe_token),
        everyone(200),
        "valid, GET asks",
    ),
    Row(
        "alerts:unsubscribe_all",
        u("alerts:unsubscribe_all", pk=_sub("subscriber"), token=BAD),
        everyone(404),
        "bad token",
    ),
    Row("alerts:manage_request", u("alerts:manage_request"), everyone(200)),
    Row(
        "alerts:manage",
        u("alerts:manage", pk=_sub("subscriber"), token=BAD),
        everyone(404),
        "bad token",
    ),
    Row(
        "alerts:manage",
        u("alerts:manage", pk=_sub("subscriber"), token=BAD),
        everyone(404),
        "bad token",
        method="post",
        data={"subscription": "1", "action": "delete"},
    ),
    Row(
        "alerts:manage",
        u("alerts:manage", pk=_sub("subscriber"), token=_manage_token),
        everyone(200),
        "valid token",
    ),
    Row("alerts:recurring_findings", u("alerts:recurring_findings"), STAFF_REPORT),
]


def matrix_urls(world: dict) -> list[str]:
    return [row.url(world) for row in ROWS]


def test_alerts_matrix(world):
    failures = check(world, ROWS)
    assert not failures, "\n".join(failures)
    # Nothing a refused request did stuck: the subscriptions are as they were.
    alerts = _alerts(world)
    assert Subscription.objects.filter(pk=alerts["confirmed"].pk).exists()
    assert not Subscription.objects.get(pk=alerts["pending"].pk).is_confirmed


def test_no_feed_or_page_shows_a_draft(world, client):
    for path in ("/practice-points/feed/", "/whats-new/", "/whats-new/feed/"):
        body = client.get(path).content.decode()
        for key in ("draft", "in_review", "archived"):
            assert f"/practice-points/{world[key].pk}/" not in body, (path, key)
    assert len(ROLES) == 6
