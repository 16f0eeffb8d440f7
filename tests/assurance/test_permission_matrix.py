"""The assurance permission matrix: every assurance URL requested as every role of the
site (anonymous, trainer, editor, publisher, partnership admin) and the three assurance
roles, from the refused side: each refused role gets the refusal and nothing changes.

Joined to the site's coverage check through tests/security/matrix_extensions.py
(``matrix_urls``)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assurance import services
from assurance.models import (
    Action,
    Challenge,
    ChallengeMessage,
    DueDateChange,
    Evidence,
    PlanImport,
    ProgressUpdate,
    Recommendation,
    ReviewPlan,
    YearlyReport,
)
from assurance.roles import user_agency
from tests.assurance.support import PDF, build, signed_in
from tests.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER, make_role_user
from tests.session_packs.support import make_user

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "trainer",
    "editor",
    "publisher",
    "partnership_admin",
    "action_owner",
    "assurance_lead",
    "scrutineer",
)
SIGN_IN = 302
# Not signed in with the second factor: the admin's sign-in; staff without an assurance
# role: 403.
OUTSIDERS = {
    "anonymous": SIGN_IN,
    "trainer": SIGN_IN,
    "editor": 403,
    "publisher": 403,
    "partnership_admin": 403,
}


def expect(owner, lead, scrutineer) -> dict:
    return {**OUTSIDERS, "action_owner": owner, "assurance_lead": lead, "scrutineer": scrutineer}


READ = expect(200, 200, 200)
LEAD = expect(403, 200, 403)
OWNER_OR_LEAD = expect(200, 200, 403)
CHALLENGER = expect(403, 200, 200)


def _objects(w: dict) -> dict:
    """The objects the URLs name (keys of the assurance world)."""
    return {
        "slug": w["a_review"].slug,
        "rec": w["rec"].pk,
        "action": w["action"].pk,  # the police action (the action owner's agency)
        "other": w["health_action"].pk,  # another agency's, marked complete
        "challenge": w["challenge"].pk,
        "evidence": w["evidence"].pk,
        "job": w["import_job"].pk,
    }


def get_rows(w: dict) -> list[tuple[str, dict]]:
    o = _objects(w)
    year = timezone.localdate().year
    r = reverse
    return [
        (r("assurance:dashboard"), READ),
        (r("assurance:plans"), READ),
        (r("assurance:plan", args=[o["slug"]]), READ),
        (r("assurance:plan", args=["no-such-review"]), expect(404, 404, 404)),
        (r("assurance:plan_settings", args=[o["slug"]]), LEAD),
        (r("assurance:recommendation_new", args=[o["slug"]]), LEAD),
        (r("assurance:recommendation_edit", args=[o["rec"]]), LEAD),
        (r("assurance:action_new", args=[o["rec"]]), LEAD),
        (r("assurance:challenge_recommendation", args=[o["rec"]]), CHALLENGER),
        (r("assurance:action", args=[o["action"]]), READ),
        (r("assurance:action", args=[o["other"]]), READ),
        (r("assurance:action_edit", args=[o["action"]]), LEAD),
        (r("assurance:action_progress", args=[o["action"]]), OWNER_OR_LEAD),
        (r("assurance:action_progress", args=[o["other"]]), expect(403, 200, 403)),
        (r("assurance:action_revise_due", args=[o["action"]]), OWNER_OR_LEAD),
        (r("assurance:action_revise_due", args=[o["other"]]), expect(403, 200, 403)),
        (r("assurance:evidence_new", args=[o["action"]]), OWNER_OR_LEAD),
        (r("assurance:evidence_new", args=[o["other"]]), expect(403, 200, 403)),
        (r("assurance:action_complete", args=[o["action"]]), OWNER_OR_LEAD),
        (r("assurance:action_complete", args=[o["other"]]), expect(403, 200, 403)),
        (r("assurance:action_sign_off", args=[o["other"]]), LEAD),
        (r("assurance:action_return", args=[o["other"]]), LEAD),
        (r("assurance:challenge_action", args=[o["action"]]), CHALLENGER),
        (r("assurance:evidence_file", args=[o["evidence"]]), READ),
        (r("assurance:mine"), READ),
        (r("assurance:overdue"), READ),
        (r("assurance:at_risk"), READ),
        (r("assurance:challenges"), READ),
        (r("assurance:challenge", args=[o["challenge"]]), READ),
        (r("assurance:challenge_close", args=[o["challenge"]]), expect(405, 405, 405)),
        (r("assurance:people"), READ),
        (r("assurance:report_index"), READ),
        (r("assurance:report_csv"), READ),
        (r("assurance:report", args=[year]), READ),
        (r("assurance:report", args=[1999]), expect(404, 404, 404)),
        (r("assurance:report_edit", args=[year]), READ),
        (r("assurance:import"), LEAD),
        (r("assurance:import_template"), READ),
        (r("assurance:import_preview", args=[o["job"]]), LEAD),
    ]


def post_rows(w: dict) -> list[tuple[str, dict, dict]]:
    """Writes, with the status each refused role gets (None: allowed, tested elsewhere)."""
    o = _objects(w)
    today = timezone.localdate().isoformat()
    year = timezone.localdate().year
    r = reverse
    lead_only = expect(403, None, 403)
    owner_write = expect(None, None, 403)
    other_agency = expect(403, None, 403)
    return [
        (r("assurance:plan_settings", args=[o["slug"]]), {"show_what_we_did": "on"}, lead_only),
        (
            r("assurance:recommendation_new", args=[o["slug"]]),
            {"number": 5, "text": "x", "scope": "multi_agency", "accepted": "yes"},
            lead_only,
        ),
        (
            r("assurance:recommendation_edit", args=[o["rec"]]),
            {"number": 1, "text": "x", "scope": "national", "accepted": "yes"},
            lead_only,
        ),
        (
            r("assurance:action_new", args=[o["rec"]]),
            {
                "description": "x",
                "owner_agency": w["police"].pk,
                "lead_role": "x",
                "due_date": today,
            },
            lead_only,
        ),
        (
            r("assurance:action_edit", args=[o["action"]]),
            {
                "description": "x",
                "owner_agency": w["health"].pk,
                "lead_role": "x",
                "due_date": today,
            },
            lead_only,
        ),
        (
            r("assurance:action_progress", args=[o["action"]]),
            {"status": "off_track", "text": "x", "date": today},
            owner_write,
        ),
        (
            r("assurance:action_progress", args=[o["other"]]),
            {"status": "off_track", "text": "x", "date": today},
            other_agency,
        ),
        (
            r("assurance:action_revise_due", args=[o["action"]]),
            {"new_due": "2030-01-01", "reason": "x"},
            owner_write,
        ),
        (
            r("assurance:action_revise_due", args=[o["other"]]),
            {"new_due": "2030-01-01", "reason": "x"},
            other_agency,
        ),
        (
            r("assurance:evidence_new", args=[o["action"]]),
            {"kind": "outcome", "date": today, "description": "x", "link": "https://e.org/"},
            owner_write,
        ),
        (
            r("assurance:evidence_new", args=[o["other"]]),
            {"kind": "outcome", "date": today, "description": "x", "link": "https://e.org/"},
            other_agency,
        ),
        (r("assurance:action_complete", args=[o["action"]]), {"text": ""}, owner_write),
        (r("assurance:action_complete", args=[o["other"]]), {"text": ""}, other_agency),
        (r("assurance:action_sign_off", args=[o["other"]]), {}, lead_only),
        (r("assurance:action_return", args=[o["other"]]), {"reason": "x"}, lead_only),
        (
            r("assurance:challenge_action", args=[o["action"]]),
            {"text": "x"},
            expect(403, None, None),
        ),
        (
            r("assurance:challenge_recommendation", args=[o["rec"]]),
            {"text": "x"},
            expect(403, None, None),
        ),
        (r("assurance:challenge", args=[o["challenge"]]), {"text": "x"}, expect(None, None, None)),
        (r("assurance:challenge_close", args=[o["challenge"]]), {}, expect(403, None, None)),
        (
            r("assurance:people"),
            {f"agency-{w['a_users']['scrutineer'].pk}": w["police"].pk},
            lead_only,
        ),
        (
            r("assurance:report_edit", args=[year]),
            {"introduction": "x", "publish": "yes"},
            lead_only,
        ),
        (r("assurance:import"), {"file": "upload"}, lead_only),
        (r("assurance:import_preview", args=[o["job"]]), {}, lead_only),
    ]


def _clients(w: dict) -> dict:
    clients = {"anonymous": Client()}
    trainer = Client()
    trainer.force_login(make_user("amtrainer"))
    clients["trainer"] = trainer
    for role, group in (
        ("editor", EDITOR),
        ("publisher", PUBLISHER),
        ("partnership_admin", PARTNERSHIP_ADMIN),
    ):
        clients[role] = signed_in(make_role_user(f"am{role}", group))
    for role in ("action_owner", "assurance_lead", "scrutineer"):
        clients[role] = signed_in(w["a_users"][role])
    return clients


@pytest.fixture
def matrix_world(db, settings, tmp_path):
    w = build("m")
    # the evidence item with a file (the link-only one has nothing to download)
    file_evidence = services.evidence_add(
        w["health_action"],
        by=None,
        kind="output",
        date=timezone.localdate(),
        description="Procedure",
        upload=SimpleUploadedFile("p.pdf", PDF),
    )
    w["evidence"] = file_evidence
    w["clients"] = _clients(w)
    return w


def state() -> tuple:
    """Everything a write could change."""
    return (
        list(Recommendation.objects.order_by("pk").values_list("number", "text", "scope")),
        list(
            Action.objects.order_by("pk").values_list(
                "description", "owner_agency", "status", "revised_due_date", "signed_off_by"
            )
        ),
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
        DueDateChange.objects.count(),
        Challenge.objects.count(),
        ChallengeMessage.objects.count(),
        list(Challenge.objects.values_list("state", flat=True)),
        ReviewPlan.objects.count(),
        YearlyReport.objects.count(),
        PlanImport.objects.filter(state="imported").count(),
    )


def test_every_page_as_every_role(matrix_world):
    failures = []
    for url, expected in get_rows(matrix_world):
        for role in ROLES:
            response = matrix_world["clients"][role].get(url)
            if response.status_code != expected[role]:
                failures.append(
                    f"GET {url} as {role}: {response.status_code}, not {expected[role]}"
                )
            if response.status_code == SIGN_IN and role in ("anonymous", "trainer"):
                assert response["Location"].startswith(reverse("admin:login")), url
            if response.status_code == 200:
                assert "no-store" in response.get("Cache-Control", ""), (url, role)
    assert not failures, "\n".join(failures)


def test_every_write_is_refused_to_whoever_may_not_make_it(matrix_world):
    w = matrix_world
    membership_before = {r: user_agency(u) for r, u in w["a_users"].items()}
    failures = []
    for url, data, expected in post_rows(w):
        for role in ROLES:
            if expected[role] is None:
                continue
            if data.get("file") == "upload":
                data = {"file": SimpleUploadedFile("p.csv", b"review_slug\n")}
            before = state()
            response = w["clients"][role].post(url, data)
            if response.status_code != expected[role]:
                failures.append(
                    f"POST {url} as {role}: {response.status_code}, not {expected[role]}"
                )
            if state() != before:
                failures.append(f"POST {url} as {role} changed something")
    assert not failures, "\n".join(failures)
    assert {r: user_agency(u) for r, u in w["a_users"].items()} == membership_before


def matrix_urls(world: dict) -> list[str]:
    """For the site's coverage check: the URLs this matrix requests, on an assurance world
    built beside the site's."""
    w = build("x")
    return [url for url, _ in get_rows(w)] + [url for url, _, _ in post_rows(w)]
