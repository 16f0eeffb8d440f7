"""Email alerts for any search: double opt-in, one-click unsubscribe, manage by token,
digests (matching, idempotent under a crash), retention, rate limits, a real SMTP server."""

from __future__ import annotations

import datetime
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.models import ChangeNote, Delivery, Frequency, Subscriber, Subscription
from alerts.tokens import manage_url, unsubscribe_url
from tests.factories import PracticePointFactory

from .conftest import draft_point

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://learning\.example\.org\.uk(/alerts/confirm/[^/\s\"<]+/)")


def subscribe(
    client, capture, query="theme=alerts-theme", email="reader@example.org", frequency="weekly"
):
    with capture(execute=True):
        return client.post(
            "/alerts/subscribe/", {"query": query, "email": email, "frequency": frequency}
        )


def confirm_path(message) -> str:
    return LINK.search(message.body).group(1)


def test_the_form_defaults_to_weekly_and_describes_the_search(alerts_world, client):
    response = client.get("/alerts/subscribe/?theme=alerts-theme&sort=newest&page=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Practice points on Alerts theme" in html
    assert re.search(r'value="weekly" checked', html)
    assert 'name="query" value="theme=alerts-theme"' in html  # sort and page are not kept


def test_an_unknown_filter_is_refused_with_a_message(alerts_world, client):
    response = client.get("/alerts/subscribe/?theme=no-such-theme")
    assert response.status_code == 400
    assert "filters we do not recognise" in response.content.decode()


def test_double_opt_in(alerts_world, client, django_capture_on_commit_callbacks, publish):
    response = subscribe(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/alerts/check-your-email/"
    subscription = Subscription.objects.get()
    assert subscription.frequency == Frequency.WEEKLY and not subscription.is_confirmed
    assert len(mail.outbox) == 1
    path = confirm_path(mail.outbox[0])

    # Unconfirmed: a matching major change is never sent.
    point = publish(draft_point(alerts_world), alerts_world["publisher"])
    subscription.confirmed_at = None
    assert services.alerts_send_digests() == {"changes": 0, "emails": 0, "failed": 0}
    assert len(mail.outbox) == 1

    # Opening the link shows a button (a link checker confirms nothing); POST confirms.
    assert client.get(path).status_code == 200
    assert not Subscription.objects.get().is_confirmed
    confirmed = client.post(path)
    assert confirmed.status_code == 200 and "Email alerts confirmed" in confirmed.content.decode()
    assert Subscription.objects.get().is_confirmed
    assert Subscriber.objects.get().inactive_since is None

    # Single use.
    assert client.post(path).status_code == 410
    assert client.get(path).status_code == 410

    # Changes published before the confirmation are not sent; later ones are.
    publish(point, alerts_world["publisher"], note="Guidance on home visits changed.")
    assert services.alerts_send_digests()["changes"] == 1
    assert "Guidance on home visits changed." in mail.outbox[-1].body


def test_an_expired_confirmation_link_is_refused(
    alerts_world, client, django_capture_on_commit_callbacks, monkeypatch
):
    subscribe(client, django_capture_on_commit_callbacks)
    path = confirm_path(mail.outbox[0])
    later = time.time() + 7 * 24 * 3600 + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.post(path)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not Subscription.objects.get().is_confirmed


def test_a_tampered_confirmation_link_is_refused(
    alerts_world, client, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks)
    path = confirm_path(mail.outbox[0])
    assert client.post(path[:-3] + "xx/").status_code == 410
    assert not Subscription.objects.get().is_confirmed


def test_the_answer_never_says_whether_an_address_is_subscribed(
    alerts_world, client, django_capture_on_commit_callbacks
):
    first = subscribe(client, django_capture_on_commit_callbacks, email="known@example.org")
    Subscription.objects.update(confirmed_at=timezone.now())
    again = subscribe(client, django_capture_on_commit_callbacks, email="known@example.org")
    new = subscribe(client, django_capture_on_commit_callbacks, email="new@example.org")
    assert first.status_code == again.status_code == new.status_code == 302
    assert first["Location"] == again["Location"] == new["Location"]

    def page(url):  # the page, less its per-response CSP nonce
        return re.sub(rb'nonce="[^"]*"', b"", client.get(url).content)

    assert page(again["Location"]) == page(new["Location"])
    manage_known = client.post("/alerts/manage/", {"email": "known@example.org"})
    manage_unknown = client.post("/alerts/manage/", {"email": "nobody@example.org"})
    assert manage_known.status_code == manage_unknown.status_code == 302
    assert manage_known["Location"] == manage_unknown["Location"]


def test_the_subscribe_form_is_rate_limited_per_client(
    alerts_world, settings, django_capture_on_commit_callbacks
):
    settings.ALERTS_LIMIT_PER_CLIENT = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        assert (
            subscribe(
                client, django_capture_on_commit_callbacks, email=f"r{n}@example.org"
            ).status_code
            == 302
        )
    refused = subscribe(client, django_capture_on_commit_callbacks, email="r9@example.org")
    assert refused.status_code == 429
    assert not Subscriber.objects.filter(email="r9@example.org").exists()
    # Another client has its own allowance; a forged X-Forwarded-For does not reset it.
    forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert (
        subscribe(forged, django_capture_on_commit_callbacks, email="r8@example.org").status_code
        == 429
    )
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert (
        subscribe(other, django_capture_on_commit_callbacks, email="r7@example.org").status_code
        == 302
    )


def test_bad_input_is_a_message_not_a_500(alerts_world, client):
    response = client.post(
        "/alerts/subscribe/",
        {"query": "theme=alerts-theme", "email": "not-an-address", "frequency": "hourly"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in html
    assert "There is a problem" in html
    assert not Subscription.objects.exists()


def _confirmed(
    email="reader@example.org", query="theme=alerts-theme", frequency=Frequency.WEEKLY, when=None
):
    subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"inactive_since": None})
    return Subscription.objects.create(
        subscriber=subscriber,
        query=query,
        frequency=frequency,
        confirmed_at=when or timezone.now() - datetime.timedelta(days=1),
    )


def test_unsubscribe_in_one_request_without_login_or_csrf(alerts_world):
    subscription = _confirmed()
    path = urlsplit(unsubscribe_url(subscription)).path
    client = Client(enforce_csrf_checks=True)
    # GET only shows a confirmation page.
    page = client.get(path)
    assert page.status_code == 200 and Subscription.objects.filter(pk=subscription.pk).exists()
    # RFC 8058: the mail client's POST (body "List-Unsubscribe=One-Click"), no cookie.
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert Subscriber.objects.get().inactive_since is not None
    # Again: the same answer, nothing else happens.
    assert client.post(path).status_code == 200
    # A wrong token unsubscribes nobody.
    other = _confirmed(email="other@example.org")
    wrong = urlsplit(unsubscribe_url(other)).path.replace(
        str(other.pk) + "/", str(other.pk) + "/0", 1
    )
    client.post(wrong)
    assert Subscription.objects.filter(pk=other.pk).exists()


def test_manage_by_emailed_token(alerts_world, client, django_capture_on_commit_callbacks):
    subscription = _confirmed()
    second = _confirmed(query="agency=alerts-agency")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/alerts/manage/", {"email": "reader@example.org"})
    assert len(mail.outbox) == 1
    link = urlsplit(manage_url(subscription.subscriber)).path
    assert link in mail.outbox[0].body
    page = client.get(link)
    html = page.content.decode()
    assert "Practice points on Alerts theme" in html and "Practice points for Alerts agency" in html
    client.post(link, {"subscription": subscription.pk, "action": "save", "frequency": "daily"})
    assert Subscription.objects.get(pk=subscription.pk).frequency == "daily"
    client.post(link, {"subscription": second.pk, "action": "delete"})
    assert not Subscription.objects.filter(pk=second.pk).exists()
    assert client.get(link[:-5] + "0000/").status_code == 404
    # Another address's subscription cannot be reached through this link.
    stranger = _confirmed(email="stranger@example.org")
    assert client.post(link, {"subscription": stranger.pk, "action": "delete"}).status_code == 404
    assert Subscription.objects.filter(pk=stranger.pk).exists()


def test_a_digest_sends_matching_major_public_changes_only(alerts_world, publish):
    world = alerts_world
    subscription = _confirmed()
    agency_only = _confirmed(email="agency@example.org", query="agency=alerts-agency")
    matching = publish(
        draft_point(world), world["publisher"], note="Home visits: see the child alone."
    )
    publish(
        draft_point(world, themes=[world["other_theme"]]),
        world["publisher"],
        note="Not this theme.",
    )
    minor = publish(
        draft_point(world, text="A typo fixed point about schools."), world["publisher"]
    )
    publish(minor, world["publisher"], major=False, note="")
    hidden = publish(
        draft_point(world, text="Later unpublished point."), world["publisher"], note="Gone."
    )
    hidden.status = "draft"
    hidden.save()

    sent = services.subscription_send_digest(subscription)
    # The matching point, the point whose typo was fixed (its first publication was
    # major), never the other theme's nor the unpublished one.
    assert sent == 2
    message = mail.outbox[-1]
    assert "Home visits: see the child alone." in message.body
    assert f"https://learning.example.org.uk/practice-points/{matching.pk}/" in message.body
    assert "Not this theme." not in message.body and "Gone." not in message.body
    assert services.subscription_send_digest(agency_only) == 0
    # Nothing twice.
    assert services.subscription_send_digest(subscription) == 0
    assert Delivery.objects.filter(subscription=subscription, sent_at__isnull=False).count() == 2


def test_digest_idempotency_under_a_crash_between_sends(alerts_world, publish, monkeypatch):
    world = alerts_world
    subscriptions = [_confirmed(email=f"p{n}@example.org") for n in range(3)]
    publish(draft_point(world), world["publisher"], note="First change.")
    publish(
        draft_point(world, text="Second point on supervision."),
        world["publisher"],
        note="Second change.",
    )

    from alerts import emails

    real_send = emails.send_digest
    sent_to = []

    class Crash(BaseException):
        """The process dies (not an exception the job catches)."""

    def crashing(subscription, changes, connection=None):
        real_send(subscription, changes, connection=connection)
        sent_to.append(subscription.pk)
        if len(sent_to) == 2:
            raise Crash  # after the second email left, before it was marked sent

    monkeypatch.setattr(emails, "send_digest", crashing)
    with pytest.raises(Crash):
        services.alerts_send_digests(Frequency.WEEKLY)
    assert len(mail.outbox) == 2
    monkeypatch.setattr(emails, "send_digest", real_send)

    services.alerts_send_digests(Frequency.WEEKLY)  # the rerun
    services.alerts_send_digests(Frequency.WEEKLY)  # and another
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(s.subscriber.email for s in subscriptions)
    changes = ChangeNote.objects.filter(major=True).count()
    for subscription in subscriptions:
        assert Delivery.objects.filter(subscription=subscription).count() == changes


def test_a_refused_email_gives_its_claims_back(alerts_world, publish, monkeypatch):
    subscription = _confirmed()
    publish(draft_point(alerts_world), alerts_world["publisher"])
    from alerts import emails

    def refused(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(emails, "send_digest", refused)
    assert services.alerts_send_digests()["failed"] == 1
    assert not Delivery.objects.exists()
    monkeypatch.undo()
    assert services.subscription_send_digest(subscription) == 1


def test_retention_deletes_on_schedule(alerts_world):
    now = timezone.now()
    fresh = Subscriber.objects.create(email="fresh@example.org", created_at=now)
    fresh_sub = Subscription.objects.create(
        subscriber=fresh, created_at=now - datetime.timedelta(days=6)
    )
    stale = Subscriber.objects.create(
        email="stale@example.org",
        created_at=now - datetime.timedelta(days=8),
        inactive_since=now - datetime.timedelta(days=8),
    )
    stale_sub = Subscription.objects.create(
        subscriber=stale, created_at=now - datetime.timedelta(days=8)
    )
    kept = _confirmed(email="kept@example.org", when=now - datetime.timedelta(days=100))
    Subscriber.objects.filter(pk=kept.subscriber_id).update(
        created_at=now - datetime.timedelta(days=100)
    )
    gone = Subscriber.objects.create(
        email="gone@example.org", inactive_since=now - datetime.timedelta(days=29)
    )
    result = services.alerts_apply_retention(now=now)
    assert result == {"unconfirmed_subscriptions": 1, "addresses": 1}
    assert Subscription.objects.filter(pk=fresh_sub.pk).exists()
    assert not Subscription.objects.filter(pk=stale_sub.pk).exists()
    assert Subscriber.objects.filter(pk=stale.pk).exists()  # 8 days without: not yet 28
    assert not Subscriber.objects.filter(pk=gone.pk).exists()
    assert Subscription.objects.filter(pk=kept.pk).exists()
    # 28 days after each had no confirmed subscription, the address goes; the fresh
    # one's unconfirmed subscription went after 7 days; the confirmed one stays.
    later = now + datetime.timedelta(days=21)
    assert services.alerts_apply_retention(now=later) == {
        "unconfirmed_subscriptions": 1,
        "addresses": 1,
    }
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "kept@example.org",
        "fresh@example.org",
    }
    services.alerts_apply_retention(now=now + datetime.timedelta(days=29))
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"kept@example.org"}


def test_retention_and_digests_are_scheduled_jobs(alerts_world):
    from scheduling import get_job

    assert get_job("alerts.retention").every == "daily"
    assert get_job("alerts.digests_weekly").every == "weekly"
    assert get_job("alerts.digests_daily").every == "daily"
    assert get_job("alerts.digests_immediately").every == "hourly"
    assert get_job("alerts.recurrence").every == "daily"


def test_a_real_smtp_server_receives_well_formed_messages(
    alerts_world, smtp_server, publish, client, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, email="smtp@example.org")
    subscription = Subscription.objects.get()
    subscription.confirmed_at = timezone.now() - datetime.timedelta(minutes=5)
    subscription.save()
    publish(
        draft_point(alerts_world),
        alerts_world["publisher"],
        note="Strategy discussions: guidance added.",
    )
    assert services.alerts_send_digests()["emails"] == 1
    messages = smtp_server.messages
    assert len(messages) == 2  # the confirmation, the digest
    for message in messages:
        assert message["To"] == "smtp@example.org"
        unsubscribe = str(message["List-Unsubscribe"]).strip()  # may be folded
        assert re.fullmatch(
            r"<https://learning\.example\.org\.uk/alerts/unsubscribe/\d+/[0-9a-f]{40}/>",
            unsubscribe,
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.is_multipart() and message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "/alerts/manage/" in text and "/alerts/manage/" in html
        assert unsubscribe.strip("<>") in text
    digest = messages[1]
    assert (
        "Strategy discussions: guidance added."
        in digest.get_body(preferencelist=("plain",)).get_content()
    )
    # The unsubscribe header works as a one-click POST.
    path = urlsplit(str(digest["List-Unsubscribe"]).strip().strip("<>")).path
    assert (
        Client(enforce_csrf_checks=True)
        .post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        .status_code
        == 200
    )
    assert not Subscription.objects.exists()


def test_unconfirmed_subscriptions_never_get_digests(alerts_world, publish):
    subscriber = Subscriber.objects.create(email="unconfirmed@example.org")
    Subscription.objects.create(subscriber=subscriber, query="", frequency=Frequency.IMMEDIATELY)
    publish(
        PracticePointFactory(text="Anything at all", status="draft", review=alerts_world["review"]),
        alerts_world["publisher"],
    )
    assert services.alerts_send_digests() == {"changes": 0, "emails": 0, "failed": 0}
    assert mail.outbox == []
