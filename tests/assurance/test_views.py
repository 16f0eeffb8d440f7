"""The pages: who gets what, and that every refused write changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assurance.models import ActionStatus, Challenge, Evidence, ProgressUpdate, ReviewPlan
from content.models import Status
from tests.assurance.support import PDF, signed_in
from tests.roles import EDITOR, make_role_user

pytestmark = pytest.mark.django_db


def snapshot(aw):
    action = aw["action"]
    action.refresh_from_db()
    return (
        action.status,
        action.revised_due_date,
        action.description,
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
        Challenge.objects.count(),
    )


def write_requests(aw):
    """Every write an action owner or a lead can make, as (url, data)."""
    a, h, rec, slug = aw["action"], aw["health_action"], aw["rec"], aw["a_review"].slug
    today = timezone.localdate().isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=99)).isoformat()
    return [
        (
            reverse("assurance:action_progress", args=[a.pk]),
            {"status": "at_risk", "text": "x", "date": today},
        ),
        (reverse("assurance:action_revise_due", args=[a.pk]), {"new_due": later, "reason": "x"}),
        (
            reverse("assurance:evidence_new", args=[a.pk]),
            {"kind": "outcome", "date": today, "description": "x", "link": "https://e.org/x"},
        ),
        (reverse("assurance:action_complete", args=[a.pk]), {"text": ""}),
        (
            reverse("assurance:action_edit", args=[a.pk]),
            {
                "description": "Changed",
                "owner_agency": aw["police"].pk,
                "lead_role": "x",
                "due_date": later,
            },
        ),
        (reverse("assurance:action_sign_off", args=[h.pk]), {}),
        (reverse("assurance:action_return", args=[h.pk]), {"reason": "x"}),
        (
            reverse("assurance:action_new", args=[rec.pk]),
            {
                "description": "New",
                "owner_agency": aw["police"].pk,
                "lead_role": "x",
                "due_date": later,
            },
        ),
        (
            reverse("assurance:recommendation_new", args=[slug]),
            {"number": 9, "text": "x", "scope": "multi_agency", "accepted": "yes"},
        ),
        (
            reverse("assurance:recommendation_edit", args=[rec.pk]),
            {"number": 1, "text": "x", "scope": "multi_agency", "accepted": "yes"},
        ),
        (reverse("assurance:plan_settings", args=[slug]), {"show_what_we_did": "on"}),
        (reverse("assurance:report_edit", args=[2026]), {"introduction": "x", "publish": "yes"}),
        (
            reverse("assurance:people"),
            {f"agency-{aw['a_users']['scrutineer'].pk}": aw["police"].pk},
        ),
        (reverse("assurance:import"), {"file": SimpleUploadedFile("p.csv", b"review_slug\n")}),
    ]


def test_the_scrutineer_reads_everything_and_every_write_is_refused(aw):
    client = aw["clients"]["scrutineer"]
    for url in (
        reverse("assurance:dashboard"),
        reverse("assurance:plan", args=[aw["a_review"].slug]),
        reverse("assurance:action", args=[aw["action"].pk]),
        reverse("assurance:action", args=[aw["health_action"].pk]),
        reverse("assurance:overdue"),
        reverse("assurance:report", args=[2026]),
        reverse("assurance:report_csv"),
    ):
        assert client.get(url).status_code == 200, url
    before = snapshot(aw)
    for url, data in write_requests(aw):
        assert client.post(url, data).status_code == 403, url
    assert snapshot(aw) == before
    assert ReviewPlan.objects.count() == 0
    aw["health_action"].refresh_from_db()
    assert aw["health_action"].status == ActionStatus.COMPLETE
    # ... but challenges, yes
    response = client.post(
        reverse("assurance:challenge_recommendation", args=[aw["rec"].pk]),
        {"text": "Why is education not addressed?"},
    )
    assert response.status_code == 302
    assert Challenge.objects.filter(recommendation=aw["rec"]).count() == 1


def test_an_action_owner_gets_403_on_another_agencys_action(aw):
    client = aw["clients"]["owner_health"]  # health; the police action is not theirs
    before = snapshot(aw)
    action = aw["action"]
    for name in ("action_progress", "action_revise_due", "evidence_new", "action_complete"):
        url = reverse(f"assurance:{name}", args=[action.pk])
        assert client.get(url).status_code == 403, url
    for url, data in write_requests(aw)[:5]:
        assert client.post(url, data).status_code == 403, url
    assert snapshot(aw) == before
    # their own agency's action: allowed
    own = aw["health_action"]
    assert client.get(reverse("assurance:action", args=[own.pk])).status_code == 200


def test_an_owner_records_progress_and_evidence_on_their_own_action(aw):
    client = aw["clients"]["action_owner"]
    action = aw["action"]
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("assurance:action_progress", args=[action.pk]),
        {"status": "on_track", "text": "All DIs briefed", "date": today},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("assurance:evidence_new", args=[action.pk]),
        {
            "kind": "practice_change",
            "date": today,
            "description": "Audit of 20 discussions",
            "file": SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(action=action)
    # the file: only through the checked view, as an attachment
    url = reverse("assurance:evidence_file", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert Client().get(url).status_code == 302  # signed out: sign in
    editor = signed_in(make_role_user("viewseditor", EDITOR))
    assert editor.get(url).status_code == 403  # staff without an assurance role
    # a bad file: a message, nothing saved
    response = client.post(
        reverse("assurance:evidence_new", args=[action.pk]),
        {
            "kind": "outcome",
            "date": today,
            "description": "x",
            "file": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert b"must be one of" in response.content
    assert Evidence.objects.filter(action=action).count() == 1


def test_closing_through_the_pages(aw):
    owner, lead = aw["clients"]["action_owner"], aw["clients"]["assurance_lead"]
    action = aw["action"]
    owner.post(reverse("assurance:action_complete", args=[action.pk]), {"text": "Done"})
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE
    response = lead.post(reverse("assurance:action_sign_off", args=[action.pk]))
    assert response.status_code == 400  # no practice-change or outcome evidence
    assert b"practice change or of outcome" in response.content
    owner.post(
        reverse("assurance:evidence_new", args=[action.pk]),
        {
            "kind": "outcome",
            "date": timezone.localdate().isoformat(),
            "description": "Seen",
            "link": "https://example.org/outcome",
        },
    )
    assert lead.post(reverse("assurance:action_sign_off", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.ASSURED


def test_the_same_lead_cannot_sign_off_what_they_completed(aw):
    lead = aw["clients"]["assurance_lead"]
    action = aw["action"]
    lead.post(
        reverse("assurance:evidence_new", args=[action.pk]),
        {
            "kind": "outcome",
            "date": timezone.localdate().isoformat(),
            "description": "Seen",
            "link": "https://example.org/outcome",
        },
    )
    lead.post(reverse("assurance:action_complete", args=[action.pk]), {"text": ""})
    response = lead.post(reverse("assurance:action_sign_off", args=[action.pk]))
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE


def test_staff_without_the_second_factor_are_sent_to_sign_in(aw):
    client = Client()
    client.force_login(aw["a_users"]["assurance_lead"])  # password only
    response = client.get(reverse("assurance:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_dashboard_counts(aw):
    client = aw["clients"]["scrutineer"]
    response = client.get(reverse("assurance:dashboard"))
    d = response.context["d"]
    assert d.total == 2
    assert d.awaiting_sign_off == 1
    assert d.open_challenges == 1
    assert dict((label, n) for _, label, n in d.by_rag) == {
        "Red": 0,
        "Amber": 1,
        "Green": 1,
        "Blue": 0,
    }
    html = response.content.decode()
    assert html.count('role="img"') == 4  # four charts, each with a table beside it
    assert 'id="table-agency"' in html and 'id="table-theme"' in html


def test_what_we_did_shows_only_public_things_when_the_review_says_so(aw):
    review = aw["a_review"]
    url = review.get_absolute_url()
    assert "What we did" not in Client().get(url).content.decode()
    ReviewPlan.objects.create(review=review, show_what_we_did=True)
    html = Client().get(url).content.decode()
    assert "What we did" in html
    assert aw["rec"].text in html
    assert "Police now attend strategy discussions." in html
    for private in ("Detective inspector", "Named nurse", "How will you know?", "Audit: 9 of 10"):
        assert private not in html
    review.status = Status.DRAFT
    review.save()
    assert Client().get(url).status_code == 404


def test_an_empty_challenge_or_reply_gets_a_message_not_an_error(aw):
    client = aw["clients"]["scrutineer"]
    response = client.post(reverse("assurance:challenge_action", args=[aw["action"].pk]), {})
    assert response.status_code == 400
    assert b"Enter your challenge" in response.content
    response = client.post(reverse("assurance:challenge", args=[aw["challenge"].pk]), {"text": ""})
    assert response.status_code == 400
    assert b"Enter your reply" in response.content
    assert Challenge.objects.count() == 1
