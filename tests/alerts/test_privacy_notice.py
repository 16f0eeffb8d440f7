"""The privacy notice says what evidence of use keeps, why and for how long, with the
figures the code works by; and the code does what the notice says."""

from __future__ import annotations

import datetime

import pytest
from django.db import models
from django.utils import timezone

from evidence import models as evidence_models
from evidence import services
from evidence.models import DeliveredSession, Feedback, FollowUp, FollowUpEmail, OneTimeCode
from session_packs import services as pack_services
from session_packs.models import Visibility
from tests.session_packs.support import make_user
from themes.models import Agency

pytestmark = pytest.mark.django_db


def text_of(client) -> str:
    return " ".join(client.get("/privacy/").content.decode().split())


def test_the_notice_names_what_evidence_of_use_keeps_with_the_codes_figures(client):
    html = text_of(client)
    assert "Recording a session and ‘Was this useful?’" in html
    # The follow-up address: when it is sent and when it is forgotten.
    assert f"normally {evidence_models.FOLLOW_UP_WEEKS} weeks after the session" in html
    assert f"one reminder {services.REMINDER_AFTER.days} days later, then no more" in html
    assert "We delete the address as soon as you answer the follow-up" in html
    assert f"{services.FORGET_AFTER.days} days after the last email" in html
    # The one-time code: hashed, expiry, tries, deletion.
    minutes = int(services.CODE_LIFETIME.total_seconds() // 60)
    assert f"stops working after {minutes} minutes or {services.CODE_MAX_ATTEMPTS} wrong" in html
    assert "hashed" in html
    assert f"once it is {int(services.CODE_KEPT.total_seconds() // 3600)} hours old" in html
    # Session details: nothing about families; feedback: anonymous, no address.
    assert "Do not enter anything about children, families" in html
    assert "we do not keep your email address, your network address or a cookie" in html


def test_feedback_keeps_no_address_of_any_kind():
    kinds = (models.EmailField, models.GenericIPAddressField)
    assert not [f.name for f in Feedback._meta.get_fields() if isinstance(f, kinds)]


def test_one_time_codes_are_kept_hashed_and_deleted_as_the_notice_says(mailoutbox):
    pack = pack_services.pack_create(
        owner=make_user("f1privacy"),
        title="Pack",
        duration_minutes=30,
        visibility=Visibility.SHARED,
    )
    evidence_models.AllowedDomain.objects.create(domain="council.gov.uk")
    code = services.one_time_code_issue(pack, "lead@council.gov.uk")
    sent = next(word for word in mailoutbox[-1].subject.split() if word.isdigit())
    assert sent not in code.code_hash and len(code.code_hash) >= 32
    assert code.expires_at - code.created_at == services.CODE_LIFETIME
    OneTimeCode.objects.filter(pk=code.pk).update(
        created_at=timezone.now() - services.CODE_KEPT + datetime.timedelta(minutes=1)
    )
    assert services.one_time_codes_delete_old() == 0
    OneTimeCode.objects.filter(pk=code.pk).update(
        created_at=timezone.now() - services.CODE_KEPT - datetime.timedelta(minutes=1)
    )
    assert services.one_time_codes_delete_old() == 1
    assert not OneTimeCode.objects.filter(email="lead@council.gov.uk").exists()


def test_the_follow_up_address_is_forgotten_as_the_notice_says(seed):
    today = timezone.localdate()
    session = DeliveredSession.objects.create(
        source="own_pack",
        used_title="A pack",
        contact_email="lead@council.gov.uk",
        delivered_on=today - datetime.timedelta(weeks=12),
        agency=Agency.objects.first(),
        team="A team",
        attendees=3,
        attendee_roles="Social workers",
        format="team_meeting",
        discussion="Curiosity.",
        follow_up_on=today - datetime.timedelta(weeks=4),
        follow_up_requested=True,
    )
    follow_up = FollowUp.objects.create(session=session)
    last = timezone.now() - services.FORGET_AFTER
    for attempt in range(1, evidence_models.MAX_FOLLOW_UP_EMAILS + 1):
        FollowUpEmail.objects.create(follow_up=follow_up, attempt=attempt)
    FollowUpEmail.objects.filter(follow_up=follow_up).update(sent_at=last)
    assert services.contact_emails_forget(now=last + services.FORGET_AFTER / 2) == 0
    assert services.contact_emails_forget(now=last + services.FORGET_AFTER) == 0
    assert (
        services.contact_emails_forget(
            now=last + services.FORGET_AFTER + datetime.timedelta(seconds=1)
        )
        == 1
    )
    session.refresh_from_db()
    assert session.contact_email == ""
