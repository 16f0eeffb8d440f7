"""Weekly reminder emails.

- To each agency's action owners: that agency's open actions due in the next 14 days or
  overdue.
- To each assurance lead: actions marked complete whose evidence waits for sign-off.

Idempotent: a reminder is recorded (``ReminderSent``, unique per person, kind and ISO week)
in the same transaction that claims it, so running again in the same week (cron twice, a
retried job) never sends the same reminder twice. Run weekly by the scheduler
(``assurance.apps``) or by cron with ``manage.py send_action_reminders``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Action, AgencyMembership, ReminderKind, ReminderSent
from .roles import ACTION_OWNER, ASSURANCE_LEAD


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class RemindersResult:
    sent: int = 0
    skipped: int = 0  # already sent this week

    def __str__(self) -> str:
        return f"{self.sent} reminder(s) sent, {self.skipped} already sent this week"


def _send_once(user, kind: str, week: str, subject: str, body: str, count: int) -> bool:
    """Claim (user, kind, week) and send; False if it was already claimed. The claim and
    the send are one transaction: if sending fails, the claim is undone (tried again next
    run)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=user, kind=kind, week=week, email=user.email, action_count=count
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return False
    return True


def _recipients(group: str):
    return (
        get_user_model()
        .objects.filter(groups__name=group, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def reminders_send(today: datetime.date | None = None, *, site_url: str = "") -> RemindersResult:
    today = today or timezone.localdate()
    week = iso_week(today)
    result = RemindersResult()
    memberships = {m.user_id: m.agency for m in AgencyMembership.objects.select_related("agency")}
    for user in _recipients(ACTION_OWNER):
        agency = memberships.get(user.pk)
        if agency is None:
            continue
        overdue = list(Action.objects.for_agency(agency).overdue(today).full().order_by("due"))
        soon = list(Action.objects.for_agency(agency).due_soon(today).full().order_by("due"))
        if not overdue and not soon:
            continue
        body = render_to_string(
            "assurance/email/agency_actions.txt",
            {
                "user": user,
                "agency": agency,
                "overdue": overdue,
                "soon": soon,
                "site_url": site_url,
                "today": today,
            },
        )
        subject = (
            f"{agency.name}: {len(overdue)} overdue action{'s' if len(overdue) != 1 else ''}, "
            f"{len(soon)} due in 14 days"
        )
        if _send_once(
            user, ReminderKind.AGENCY_ACTIONS, week, subject, body, len(overdue) + len(soon)
        ):
            result.sent += 1
        else:
            result.skipped += 1
    waiting = list(Action.objects.awaiting_sign_off().full().order_by("completed_at"))
    if waiting:
        for user in _recipients(ASSURANCE_LEAD):
            mine = [a for a in waiting if a.completed_by_id != user.pk]
            if not mine:
                continue
            body = render_to_string(
                "assurance/email/sign_off.txt",
                {"user": user, "actions": mine, "site_url": site_url, "today": today},
            )
            subject = f"{len(mine)} action{'s' if len(mine) != 1 else ''} waiting for sign-off"
            if _send_once(user, ReminderKind.SIGN_OFF, week, subject, body, len(mine)):
                result.sent += 1
            else:
                result.skipped += 1
    return result


def site_url() -> str:
    """The site's address for links in emails (TOOLKIT_SITE_URL), without a final slash."""
    return settings.SITE_URL.rstrip("/")


def send_weekly_reminders(*, period: str = "") -> str:
    """The scheduled job: ``period`` is the scheduled moment, e.g. "2026-11-30T07:00"; the
    week it falls in is the week the reminders are for."""
    day = datetime.date.fromisoformat(period[:10]) if period else None
    return str(reminders_send(day, site_url=site_url()))
