"""Helpers shared by the evidence-of-use tests (and its browser test)."""

from __future__ import annotations

import datetime
import re
import time
from unittest import mock

from django.core import mail
from django.utils import timezone

from evidence import services
from evidence.models import AllowedDomain, SessionFormat, Source
from evidence.views import feedback_token
from session_packs import services as pack_services
from session_packs.models import ItemKind, Visibility
from tests.factories import AgencyFactory, PracticePointFactory, ThemeFactory


def pack_owner():
    """A trainer to own test packs, made without hashing a password (fast)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from session_packs.models import TRAINER_GROUP

    user, created = get_user_model().objects.get_or_create(
        username="evpackowner", defaults={"email": "evpackowner@example.org.uk"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name=TRAINER_GROUP)[0])
    return user


def shared_pack(owner=None, theme=None, title="Shared pack"):
    owner = owner or pack_owner()
    theme = theme or ThemeFactory()
    pack = pack_services.pack_create(
        owner=owner, title=title, duration_minutes=30, visibility=Visibility.SHARED
    )
    pack_services.pack_add_item(pack, kind=ItemKind.THEME_OVERVIEW, content=theme)
    return pack


def allow(domain="council.gov.uk"):
    return AllowedDomain.objects.get_or_create(domain=domain)[0]


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def old_feedback_token(target, seconds: int = 30) -> str:
    """A form token as made by a page rendered ``seconds`` ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return feedback_token(target)


def session_data(agency, delivered_on=None, **extra) -> dict:
    delivered_on = delivered_on or timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "delivered_on": delivered_on,
        "agency": agency,
        "team": "North team",
        "attendees": 12,
        "attendee_roles": "social workers",
        "format": SessionFormat.TEAM_MEETING,
        "discussion": "Professional curiosity.",
        "follow_up_on": delivered_on + datetime.timedelta(weeks=8),
        "follow_up_requested": False,
    }
    data.update(extra)
    return data


def record_session(
    *,
    agency=None,
    pack=None,
    delivered_on=None,
    attendees=12,
    actions=1,
    email="",
    themes=None,
    **extra,
):
    """A session recorded through the service (the forms are tested on their own)."""
    agency = agency or AgencyFactory()
    pack = pack or shared_pack()
    data = session_data(
        agency,
        delivered_on=delivered_on,
        attendees=attendees,
        follow_up_requested=bool(email),
        **extra,
    )
    action_rows = [
        {"action": f"Action {i}", "owner_role": "Team manager", "due_on": data["delivered_on"]}
        for i in range(1, actions + 1)
    ]
    session = services.session_record(
        used=services.Used(Source.SHARED_LINK, pack=pack),
        data=data,
        actions=action_rows,
        contact_email=email,
    )
    if themes is not None:
        session.themes.set(themes)
    return session


__all__ = [
    "PracticePointFactory",
    "allow",
    "last_code",
    "old_feedback_token",
    "record_session",
    "session_data",
    "shared_pack",
]
