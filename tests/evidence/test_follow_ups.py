"""Follow-up emails: sent once per due follow-up, a reminder a week later, then none;
only to people who asked; answering stops them."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from evidence import services
from evidence.models import FollowUpEmail, ShareStatus

from .support import record_session

pytestmark = pytest.mark.django_db


def due_session(email="lead@council.gov.uk", **kwargs):
    delivered = timezone.localdate() - datetime.timedelta(weeks=9)
    return record_session(delivered_on=delivered, email=email, **kwargs)


def later(days: int):
    """Run as if ``days`` days from now."""
    return mock.patch(
        "evidence.services.timezone.now",
        return_value=timezone.now() + datetime.timedelta(days=days),
    )


def test_a_due_follow_up_is_sent_once_however_often_the_job_runs():
    session = due_session()
    assert services.follow_ups_send_due() == 1
    assert services.follow_ups_send_due() == 0
    call_command("send_evidence_follow_ups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [session.contact_email]
    assert FollowUpEmail.objects.filter(follow_up=session.follow_up).count() == 1


def test_one_reminder_after_a_week_then_no_more():
    session = due_session()
    services.follow_ups_send_due()
    with later(3):
        assert services.follow_ups_send_due() == 0  # too soon for the reminder
    FollowUpEmail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))
    assert services.follow_ups_send_due() == 1
    assert "Reminder" in mail.outbox[-1].subject
    FollowUpEmail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=60))
    for _ in range(3):
        assert services.follow_ups_send_due() == 0
    assert len(mail.outbox) == 2
    assert list(session.follow_up.emails.values_list("attempt", flat=True)) == [1, 2]


def test_nothing_is_sent_to_anyone_who_did_not_ask_or_before_the_date():
    due_session(email="")  # no follow-up asked for
    record_session(email="soon@council.gov.uk")  # follow-up date 8 weeks ahead
    assert services.follow_ups_send_due() == 0 and mail.outbox == []


def test_a_failed_send_is_not_recorded_and_is_tried_again():
    session = due_session()
    with mock.patch("evidence.services._send", side_effect=OSError("mail server down")):
        assert services.follow_ups_send_due() == 0
    assert not FollowUpEmail.objects.exists()
    assert services.follow_ups_send_due() == 1
    assert session.follow_up.emails.count() == 1


def test_under_the_scheduler_each_email_is_an_effect_done_once():
    import scheduling

    due_session()
    assert services.follow_ups_send_due(once=scheduling.effect_once) == 1
    FollowUpEmail.objects.all().delete()  # even if our own record were lost
    assert services.follow_ups_send_due(once=scheduling.effect_once) == 0
    assert len(mail.outbox) == 1


def test_the_email_has_text_and_html_with_the_link_and_answering_stops_reminders():
    session = due_session(actions=2)
    services.follow_ups_send_due()
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Action 1" in message.body and "Action 2" in html
    link = next(word for word in message.body.split() if "/evidence/follow-up/" in word)
    assert link in html
    path = link.split("127.0.0.1:8000", 1)[1]
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and "Did the agreed actions happen?" in page.content.decode()
    actions = list(session.actions.all())
    data = {
        f"action_{actions[0].pk}": "done",
        f"action_{actions[1].pk}": "partly",
        "what_changed": "We ask who else lives at home.",
        "example": "A worker asked about a new partner.",
        "confidence_before": "2",
        "confidence_now": "4",
        "share": "yes",
    }
    response = client.post(path, data)
    assert response.status_code == 200 and "Follow-up sent" in response.content.decode()
    follow_up = session.follow_up
    follow_up.refresh_from_db()
    assert follow_up.answered_at and follow_up.share_status == ShareStatus.WAITING
    assert (follow_up.confidence_before, follow_up.confidence_now) == (2, 4)
    assert sorted(session.actions.values_list("outcome", flat=True)) == ["done", "partly"]
    FollowUpEmail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))
    assert services.follow_ups_send_due() == 0
    # Answering again is refused: the page says it has been answered.
    again = client.post(path, data)
    assert "has been answered already" in again.content.decode()


def test_a_tampered_link_is_refused():
    session = due_session()
    token = services.follow_up_token(session.follow_up)
    response = Client().get(f"/evidence/follow-up/{token[:-2]}xx/")
    assert response.status_code == 404


def test_the_follow_up_form_asks_for_every_action_and_an_example_to_share():
    session = due_session(actions=2)
    path = f"/evidence/follow-up/{services.follow_up_token(session.follow_up)}/"
    response = Client().post(path, {"confidence_before": "9", "share": "yes"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Select a valid choice") + html.count("This field is required") >= 3
    assert "Give an example to share" in html
    session.follow_up.refresh_from_db()
    assert session.follow_up.answered_at is None


def test_addresses_are_forgotten_once_no_email_will_go_to_them():
    answered = due_session(email="answered@council.gov.uk")
    services.follow_up_answer(
        answered.follow_up,
        {"confidence_before": "1", "confidence_now": "2", "share": "no"},
        {a.pk: "done" for a in answered.actions.all()},
    )
    answered.refresh_from_db()
    assert answered.contact_email == ""  # at once, on answering
    exhausted = due_session(email="quiet@council.gov.uk")
    services.follow_ups_send_due()
    FollowUpEmail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))
    services.follow_ups_send_due()
    waiting = due_session(email="waiting@council.gov.uk")
    assert services.contact_emails_forget() == 0  # the reminder went just now
    FollowUpEmail.objects.filter(follow_up=exhausted.follow_up).update(
        sent_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert services.contact_emails_forget() == 1
    exhausted.refresh_from_db()
    waiting.refresh_from_db()
    assert exhausted.contact_email == "" and waiting.contact_email == "waiting@council.gov.uk"
    assert services.follow_ups_send_due() == 1  # only the one still waiting gets its email
    assert mail.outbox[-1].to == ["waiting@council.gov.uk"]
