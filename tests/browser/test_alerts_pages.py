"""The alerts pages (issue 20, tests/alerts has the rest) in a real browser: axe finds nothing, every page fits 320 px, and the
subscribe journey works by keyboard-free clicks with JavaScript on. With
TOOLKIT_SHOTS_DIR set, each page is also saved at 390 and 1280 px wide, and an alert
email (HTML) is rendered and saved, to be looked at."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from alerts import emails, recurrence
from alerts.models import ChangeNote, Subscriber, Subscription
from alerts.tokens import confirm_token, manage_token, unsubscribe_token
from backoffice.workflow import content_publish_change
from practice_points.models import PracticePoint
from tests.roles import PUBLISHER, make_role_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture
def alerts_site(site, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A superuser: an earlier browser test's flush may have taken the roles' groups.
    publisher = make_role_user("browserpublisher", PUBLISHER, is_superuser=True)
    point = PracticePoint.objects.public().filter(review__slug="child-d").first()
    content_publish_change(
        point, user=publisher, major=True, change_note="Guidance on strategy discussions added."
    )
    recurrence.recurrence_refresh()
    similar = PracticePoint.objects.public().filter(pk__in=_with_similar()).first() or point
    subscriber = Subscriber.objects.create(email="reader@example.org", inactive_since=None)
    confirmed = Subscription.objects.create(
        subscriber=subscriber, query="theme=neglect&agency=police", confirmed_at=timezone.now()
    )
    pending = Subscription.objects.create(subscriber=subscriber, query="theme=supervision")
    return {
        "point": point,
        "similar": similar,
        "subscriber": subscriber,
        "confirmed": confirmed,
        "pending": pending,
    }


def _with_similar():
    from alerts.models import SimilarPoint

    return SimilarPoint.objects.values("point_id")


def pages(world) -> dict[str, str]:
    subscriber = world["subscriber"]
    return {
        "finder": "/practice-points/?theme=neglect",
        "theme": "/themes/neglect/",
        "point with a change note": world["point"].get_absolute_url(),
        "point with similar learning": world["similar"].get_absolute_url(),
        "whats new": "/whats-new/",
        "privacy": "/privacy/",
        "subscribe": "/alerts/subscribe/?theme=neglect&agency=police",
        "check email": "/alerts/check-your-email/",
        "confirm": f"/alerts/confirm/{confirm_token(world['pending'])}/",
        "confirm refused": "/alerts/confirm/not-a-token/",
        "unsubscribe": f"/alerts/unsubscribe/{world['confirmed'].pk}/{unsubscribe_token(world['confirmed'])}/",
        "manage request": "/alerts/manage/",
        "manage": f"/alerts/manage/{subscriber.pk}/{manage_token(subscriber)}/",
    }


def axe(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) e.g. {v['nodes'][0]['html'][:120]}"
        for v in result["violations"]
    ]


def test_the_alerts_pages_have_no_axe_violations_fit_320_pixels_and_subscribe(
    page, site, alerts_site, axe_source, playwright_browser
):
    shots = os.environ.get("TOOLKIT_SHOTS_DIR")
    failures = {}
    for name, path in pages(alerts_site).items():
        before = len(page.console_errors)
        page.goto(site + path)
        if name == "confirm refused":  # answers 410 on purpose, which Chromium logs
            del page.console_errors[before:]
        violations = axe(page, axe_source)
        if violations:
            failures[name] = violations
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/{name.replace(' ', '-')}-1280.png", full_page=True)
    # The manage page's own form posts (its referrer policy must let the browser send the
    # real Origin: with no-referrer Chromium sends "null" and Django's CSRF check says 403).
    page.goto(site + pages(alerts_site)["manage"])
    page.get_by_label("Once a day").first.check()
    page.get_by_role("button", name=re.compile("^Save")).first.click()
    page.wait_for_url(re.compile(r"\?saved=1$"))
    daily = Subscription.objects.filter(subscriber=alerts_site["subscriber"], frequency="daily")
    assert daily.count() == 1
    # The subscribe form with its errors.
    page.goto(site + "/alerts/subscribe/?theme=neglect")
    page.get_by_label("Email address").fill("not an address")
    before = len(page.console_errors)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector(".govuk-error-summary")
    del page.console_errors[before:]  # the form answers 400, which Chromium logs
    violations = axe(page, axe_source)
    if violations:
        failures["subscribe with errors"] = violations
    if shots:
        page.screenshot(path=f"{shots}/subscribe-errors-1280.png", full_page=True)
    assert failures == {}

    narrow = playwright_browser.new_context(viewport={"width": 320, "height": 640})
    phone = playwright_browser.new_context(viewport={"width": 390, "height": 844})
    too_wide = {}
    for name, path in pages(alerts_site).items():
        small = narrow.new_page()
        small.goto(site + path)
        width = small.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
        small.close()
        if shots:
            shot = phone.new_page()
            shot.goto(site + path)
            shot.screenshot(path=f"{shots}/{name.replace(' ', '-')}-390.png", full_page=True)
            shot.close()
    narrow.close()
    phone.close()
    assert too_wide == {}
    page.console_errors.check()

    # Subscribing from the finder (one test: each browser test reloads the seed).
    mail.outbox = []
    page.goto(site + "/practice-points/?theme=neglect")
    page.get_by_role("link", name="Get emails about this search").click()
    page.wait_for_url(re.compile(r"/alerts/subscribe/\?theme=neglect"))
    assert page.get_by_label("Once a week").is_checked()
    page.get_by_label("Email address").fill("new.reader@example.org")
    page.get_by_label("Once a day").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/alerts/check-your-email/"))
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/alerts/confirm/\S+/", mail.outbox[0].body).group(0)
    page.goto(site + "/alerts/confirm/" + link.rsplit("/alerts/confirm/", 1)[1])
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Email alerts confirmed").wait_for()
    subscription = Subscription.objects.get(subscriber__email="new.reader@example.org")
    assert subscription.is_confirmed and subscription.frequency == "daily"
    page.console_errors.check()


@pytest.mark.django_db
def test_an_alert_email_renders(playwright_browser, settings, seed):
    """The digest as a mail client shows it (HTML), saved when TOOLKIT_SHOTS_DIR is set."""
    settings.ALERTS_SITE_URL = "https://learning.example.org.uk"
    point = PracticePoint.objects.public().filter(review__slug="child-d").first()
    assert point is not None, "the seed content (reloaded by the seed fixture) has Child D"
    changes = [
        ChangeNote.objects.create(
            item=point, major=True, note="Guidance on strategy discussions added."
        ),
        ChangeNote.objects.create(
            item=point.review, major=True, note="Two new learning points from the review."
        ),
    ]
    for change in changes:
        change.public_item = change.item
    subscriber = Subscriber.objects.create(email="reader@example.org", inactive_since=None)
    confirmed = Subscription.objects.create(
        subscriber=subscriber, query="theme=neglect&agency=police", confirmed_at=timezone.now()
    )
    message = emails.digest_message(confirmed, changes)
    html = message.alternatives[0][0]
    context = playwright_browser.new_context(viewport={"width": 640, "height": 900})
    page = context.new_page()
    page.set_content(html)
    assert page.get_by_role("link", name="Unsubscribe from these emails").is_visible()
    assert "Guidance on strategy discussions added." in page.inner_text("body")
    shots = os.environ.get("TOOLKIT_SHOTS_DIR")
    if shots:
        page.screenshot(path=f"{shots}/email-digest-html.png", full_page=True)
        Path(shots, "email-digest.txt").write_text(message.body)
        Path(shots, "email-digest-headers.txt").write_text(
            "\n".join(f"{k}: {v}" for k, v in message.message().items())
        )
        pending = Subscription.objects.create(subscriber=subscriber, query="theme=supervision")
        confirm = emails.confirmation_message(pending)
        page.set_content(confirm.alternatives[0][0])
        page.screenshot(path=f"{shots}/email-confirm-html.png", full_page=True)
        Path(shots, "email-confirm.txt").write_text(confirm.body)
        page.set_viewport_size({"width": 390, "height": 844})
        page.set_content(html)
        page.screenshot(path=f"{shots}/email-digest-html-390.png", full_page=True)
    context.close()
