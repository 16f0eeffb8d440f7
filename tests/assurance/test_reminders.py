"""Weekly reminders: who gets what, and never the same reminder twice in a week."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import scheduling
from assurance import services
from assurance.models import ReminderSent
from assurance.reminders import iso_week, reminders_send, send_weekly_reminders

pytestmark = pytest.mark.django_db


def test_reminders_go_once_a_week(aw):
    today = datetime.date.today()
    # the police action is due in 30 days (not yet); make one overdue
    services.action_revise_due(
        aw["action"],
        by=aw["a_users"]["action_owner"],
        new_due=today - datetime.timedelta(days=3),
        reason="Recorded late",
    )
    result = reminders_send(today)
    # police owner: 1 overdue; health owner: nothing open (marked complete);
    # both leads: 1 action waiting for sign-off
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [
            aw["a_users"]["action_owner"].email,
            aw["a_users"]["assurance_lead"].email,
            aw["a_users"]["lead2"].email,
        ]
    )
    assert result.sent == 3
    police = next(m for m in mail.outbox if m.to[0] == aw["a_users"]["action_owner"].email)
    assert "1 overdue action" in police.subject
    assert "Police attend every strategy discussion." in police.body
    assert ReminderSent.objects.filter(week=iso_week(today)).count() == 3

    # again the same week (cron twice, the scheduler, the command): nothing more
    second = reminders_send(today + datetime.timedelta(days=(6 - today.weekday())))
    call_command("send_action_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    send_weekly_reminders(period=f"{today.isoformat()}T07:00")
    assert second.sent == 0 and second.skipped == 3
    assert len(mail.outbox) == 3

    # the next week: again
    reminders_send(today + datetime.timedelta(days=7))
    assert len(mail.outbox) == 6


def test_a_failed_send_is_not_recorded(aw, monkeypatch):
    services.action_revise_due(
        aw["action"],
        by=aw["a_users"]["action_owner"],
        new_due=datetime.date.today() - datetime.timedelta(days=1),
        reason="Late",
    )

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("assurance.reminders.send_mail", broken)
    with pytest.raises(ConnectionError):
        reminders_send(datetime.date.today())
    assert ReminderSent.objects.count() == 0  # tried again next run


def test_the_scheduler_runs_the_weekly_reminders_once(aw):
    job = scheduling.get_job("assurance.reminders")
    assert (job.every, job.weekday, job.at) == ("weekly", 0, datetime.time(7, 0))
    monday = timezone.make_aware(datetime.datetime(2026, 11, 30, 7, 5))  # a Monday
    services.action_revise_due(
        aw["action"],
        by=aw["a_users"]["action_owner"],
        new_due=datetime.date(2026, 11, 20),
        reason="Recorded late",
    )
    runs = scheduling.run_due_jobs(now=monday, only=["assurance.reminders"])
    assert len(runs) == 1
    sent = len(mail.outbox)
    assert sent >= 1
    # the same period again, and cron's command on the Wednesday: nothing more
    scheduling.run_due_jobs(
        now=monday + datetime.timedelta(minutes=30), only=["assurance.reminders"]
    )
    reminders_send(datetime.date(2026, 12, 2))
    assert len(mail.outbox) == sent
