"""The XSS corpus (tests/security/xss_payloads.txt) in change notes, headlines, point
texts, review titles and theme names, and in a subscription's search: never unescaped in
the pages (What's new, the point and theme pages, subscribe, manage, the staff report),
the Atom feeds (the summary a reader renders as HTML) or the HTML of alert emails."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from alerts import emails, recurrence
from alerts.models import ChangeNote, Subscriber, Subscription
from alerts.tokens import manage_token
from practice_points.models import PracticePoint
from tests.factories import PracticePointFactory, ReviewFactory, ThemeFactory
from tests.roles import EDITOR, admin_login, make_role_user
from tests.security.test_xss_corpus import PAYLOADS, assert_safe_html, assert_safe_page

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
BATCH = 50  # What's new and the feeds list 50


def one_line(payload: str) -> str:
    return " ".join(payload.replace("\x00", " ").split())[:200] or "x"


@pytest.fixture
def hostile(db):
    theme = ThemeFactory(name="XSS alerts theme", slug="xss-alerts-theme")
    points_type = ContentType.objects.get_for_model(PracticePoint)
    points = []
    for i, payload in enumerate(PAYLOADS):
        review = ReviewFactory(title=f"R{i} {payload}"[:300], slug=f"xss-alerts-review-{i}")
        point = PracticePointFactory(
            slug=f"xss-alerts-point-{i}",
            headline=payload.replace("\x00", "")[:120],
            text=f"Home visits baby alone voice {payload}",
            review=review,
            themes=[theme],
        )
        ChangeNote.objects.create(
            content_type=points_type, object_id=point.pk, major=True, note=one_line(payload)
        )
        points.append(point)
    recurrence.recurrence_refresh([p.pk for p in points[:10]])
    return {"theme": theme, "points": points}


def check_feed(content: bytes, where: str) -> int:
    root = ET.fromstring(content)  # well-formed XML, whatever the payload
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        title = entry.find(f"{ATOM}title")
        assert title.get("type") in (None, "text"), where  # a reader shows it as text
        summary = entry.find(f"{ATOM}summary")
        if summary is not None and summary.get("type") == "html":
            assert_safe_html(summary.text or "", where, scripts_allowed=False)
            assert "<script" not in (summary.text or "").lower(), where
    return len(entries)


def test_pages_and_feeds_never_show_a_payload_unescaped(hostile):
    client = Client()
    notes = list(ChangeNote.objects.order_by("pk"))
    shown = 0
    for start in range(0, len(notes), BATCH):
        batch = notes[start : start + BATCH]
        ChangeNote.objects.update(major=False)
        ChangeNote.objects.filter(pk__in=[n.pk for n in batch]).update(major=True)
        assert_safe_page(client.get("/whats-new/"), "what's new")
        shown += check_feed(client.get("/whats-new/feed/").content, "what's new feed")
    assert shown == len(notes)
    check_feed(client.get("/practice-points/feed/?theme=xss-alerts-theme").content, "points feed")
    feed = client.get("/practice-points/feed/", {"q": PAYLOADS[0]})
    assert feed.status_code == 200
    check_feed(feed.content, "points feed with a payload as the search")
    for point in hostile["points"][:10]:
        assert_safe_page(client.get(point.get_absolute_url()), "point page")
    assert_safe_page(client.get(hostile["theme"].get_absolute_url()), "theme page")
    for payload in PAYLOADS[:20]:
        page = client.get("/alerts/subscribe/", {"theme": "xss-alerts-theme", "q": payload})
        assert_safe_page(page, "subscribe page")
    staff = admin_login(Client(), make_role_user("xsseditor", EDITOR))
    report = staff.get("/admin/recurring-findings/")
    assert report.status_code == 200
    # The admin's own scripts carry no nonce (its policy differs): check the markup only.
    assert_safe_html(report.content.decode(), "staff report")


def test_alert_emails_never_carry_a_payload_unescaped(hostile):
    subscriber = Subscriber.objects.create(email="xss@example.org", inactive_since=None)
    for payload in PAYLOADS[:20]:
        query = QueryDict(mutable=True)
        query.update({"theme": "xss-alerts-theme", "q": payload.replace("\x00", "")})
        subscription = Subscription.objects.create(
            subscriber=subscriber, query=query.urlencode(), confirmed_at=timezone.now()
        )
        for message in (
            emails.confirmation_message(subscription),
            emails.manage_message(subscriber),
        ):
            html = message.alternatives[0][0]
            assert_safe_html(html, "email", scripts_allowed=False)
            assert "<script" not in html.lower()
    changes = list(ChangeNote.objects.order_by("pk"))
    for change in changes:
        change.public_item = change.item
    html = emails.digest_message(subscription, changes).alternatives[0][0]
    assert_safe_html(html, "digest email", scripts_allowed=False)
    assert "<script" not in html.lower()
    # The subscription's manage page shows the search described with the payload.
    page = Client().get(f"/alerts/manage/{subscriber.pk}/{manage_token(subscriber)}/")
    assert_safe_page(page, "manage page")
