"""Recording through a pack's shared link with a one-time code emailed to a work address."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evidence.models import DeliveredSession, OneTimeCode
from evidence.services import CODE_MAX_ATTEMPTS
from tests.factories import AgencyFactory

from .support import allow, last_code, shared_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack():
    allow("council.gov.uk")
    return shared_pack()


def start(client, pack, email="lead@council.gov.uk"):
    return client.post(reverse("evidence:shared_start", args=[pack.share_token]), {"email": email})


def enter(client, pack, code):
    return client.post(reverse("evidence:shared_code", args=[pack.share_token]), {"code": code})


def record_form(agency):
    today = timezone.localdate()
    return {
        "delivered_on": (today - datetime.timedelta(days=2)).isoformat(),
        "agency": agency.pk,
        "team": "Early help hub",
        "attendees": "9",
        "attendee_roles": "early help workers",
        "format": "team_meeting",
        "discussion": "Hearing the child.",
        "follow_up_on": "",
        "follow_up_requested": "on",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "10",
        "actions-0-action": "Record the child's words",
        "actions-0-owner_role": "Team manager",
        "actions-0-due_on": today.isoformat(),
        "actions-1-action": "",
        "actions-1-owner_role": "",
        "actions-1-due_on": "",
    }


def test_the_whole_flow_records_one_session_per_code(client, pack):
    response = start(client, pack)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lead@council.gov.uk"]
    code = last_code()
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash  # kept only as a keyed hash
    assert enter(client, pack, code).url == reverse(
        "evidence:shared_record", args=[pack.share_token]
    )
    agency = AgencyFactory()
    response = client.post(
        reverse("evidence:shared_record", args=[pack.share_token]), record_form(agency)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session = DeliveredSession.objects.get()
    assert session.contact_email == "lead@council.gov.uk" and session.follow_up_requested
    assert session.follow_up_on == session.delivered_on + datetime.timedelta(weeks=8)
    assert session.pack == pack and session.recorded_by is None
    assert list(session.actions.values_list("action", flat=True)) == ["Record the child's words"]
    # One code, one session: the form is closed until a new code.
    again = client.get(reverse("evidence:shared_record", args=[pack.share_token]))
    assert again.status_code == 302 and again.url.endswith(f"/shared/{pack.share_token}/")


def test_reusing_a_code_is_refused(client, pack, django_user_model):
    start(client, pack)
    code = last_code()
    assert enter(client, pack, code).status_code == 302
    other = type(client)()
    other.session  # noqa: B018
    session = other.session
    session["evidence_code"] = {"pack": pack.pk, "id": OneTimeCode.objects.get().pk, "email": "x"}
    session.save()
    response = enter(other, pack, code)
    assert response.status_code == 400
    assert "has been used already" in response.content.decode()


def test_an_expired_code_is_refused(client, pack):
    start(client, pack)
    code = last_code()
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = enter(client, pack, code)
    assert response.status_code == 400 and "has expired" in response.content.decode()
    assert client.get(reverse("evidence:shared_record", args=[pack.share_token])).status_code == 302


def test_wrong_codes_count_and_then_the_code_is_dead(client, pack):
    start(client, pack)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(CODE_MAX_ATTEMPTS - 1):
        response = enter(client, pack, wrong)
        assert response.status_code == 400 and "not right" in response.content.decode()
    assert "Too many wrong codes" in enter(client, pack, wrong).content.decode()
    # Even the right code no longer works.
    response = enter(client, pack, code)
    assert response.status_code == 400 and "Too many wrong codes" in response.content.decode()
    assert OneTimeCode.objects.get().used_at is None


@pytest.mark.parametrize(
    "email",
    ["lead@gmail.com", "lead@evilcouncil.gov.uk", "lead@council.gov.uk.evil.com", "lead@gov.uk"],
)
def test_addresses_outside_the_allow_list_are_refused(client, pack, email):
    response = start(client, pack, email)
    assert response.status_code == 400
    assert "not on the partnership’s list" in response.content.decode()
    assert mail.outbox == [] and not OneTimeCode.objects.exists()


def test_a_subdomain_and_the_setting_are_allowed(client, pack, settings):
    assert start(client, pack, "nurse@nhs.council.gov.uk").status_code == 302
    settings.EVIDENCE_ALLOWED_EMAIL_DOMAINS = ["nhs.net"]
    assert start(client, pack, "nurse@nhs.net").status_code == 302
    assert len(mail.outbox) == 2


def test_a_new_code_replaces_the_old_one(client, pack):
    start(client, pack)
    first, first_record = last_code(), OneTimeCode.objects.get()
    start(client, pack)
    if first != last_code():
        assert enter(client, pack, first).status_code == 400
    first_record.refresh_from_db()
    assert first_record.expires_at <= timezone.now()
    assert enter(client, pack, last_code()).status_code == 302


def test_codes_are_rate_limited_per_address(client, pack):
    for _ in range(5):
        assert start(client, pack).status_code == 302
    response = start(client, pack)
    assert response.status_code == 429 and len(mail.outbox) == 5


def test_the_record_form_needs_a_verified_code(client, pack):
    response = client.get(reverse("evidence:shared_record", args=[pack.share_token]))
    assert response.status_code == 302
    response = client.post(
        reverse("evidence:shared_record", args=[pack.share_token]), record_form(AgencyFactory())
    )
    assert response.status_code == 302 and not DeliveredSession.objects.exists()


def test_a_private_pack_has_no_shared_recording(client):
    allow()
    pack = shared_pack()
    pack.visibility = "private"
    pack.save()
    assert client.get(reverse("evidence:shared_start", args=[pack.share_token])).status_code == 404
    assert start(client, pack).status_code == 404


def test_code_email_renders_as_text_and_html(client, pack):
    start(client, pack)
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    code = last_code()
    assert code in html and pack.title in html and "15 minutes" in message.body
