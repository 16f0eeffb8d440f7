"""Evidence of use's permission matrix: every URL of the app as every role of the site
(anonymous, trainers, Editor, Publisher, Partnership admin) and the assurance app's
Independent scrutineer, from the refused side. Registered in
tests/security/matrix_extensions.py, so the site's coverage check counts these URLs."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from assurance.roles import SCRUTINEER
from evidence import services
from evidence.models import AllowedDomain, Feedback, ShareStatus
from tests.roles import admin_login, make_role_user
from tests.security.test_permission_matrix import ROLES as SITE_ROLES

from .support import record_session

pytestmark = pytest.mark.django_db

ROLES = (*SITE_ROLES, "scrutineer")


def expect(anonymous, trainer, other_trainer, editor, publisher, partnership_admin, scrutineer):
    values = (anonymous, trainer, other_trainer, editor, publisher, partnership_admin, scrutineer)
    return dict(zip(ROLES, values, strict=True))


def everyone(status):
    return dict.fromkeys(ROLES, status)


# Not verified staff -> the admin's sign-in page (302).
DASHBOARD = expect(302, 302, 302, 200, 200, 200, 200)
STAFF_ONLY = expect(302, 302, 302, 200, 200, 200, 403)
ADMINS_ONLY = expect(302, 302, 302, 403, 403, 200, 403)


def objects(world: dict) -> dict:
    """What the rows need, made once per world."""
    if "evidence" not in world:
        session = record_session(pack=world["shared_pack"], email="lead@council.gov.uk")
        offered = record_session(pack=world["shared_pack"])
        answered = services.follow_up_answer(
            offered.follow_up,
            {
                "example": "An example",
                "confidence_before": "2",
                "confidence_now": "3",
                "share": "yes",
            },
            {action.pk: "done" for action in offered.actions.all()},
        )
        world["evidence"] = {
            "follow_up_token": services.follow_up_token(session.follow_up),
            "good_practice": answered,
            "feedback": Feedback.objects.create(
                practice_point=world["point"], useful=True, differently="x"
            ),
            "domain": AllowedDomain.objects.create(domain="matrix.gov.uk"),
        }
    return world["evidence"]


def rows(world: dict) -> list[tuple[str, str, dict, dict | None]]:
    """(method, url, expected, data)."""
    ev = objects(world)
    shared, private = world["shared_pack"].share_token, world["private_pack"].share_token
    gp = ev["good_practice"].pk
    return [
        ("get", reverse("evidence:record"), expect(302, 200, 200, 403, 403, 403, 403), None),
        ("post", reverse("evidence:record"), expect(302, 400, 400, 403, 403, 403, 403), {}),
        ("get", reverse("evidence:recorded"), everyone(200), None),
        ("get", reverse("evidence:shared_start", args=[shared]), everyone(200), None),
        ("get", reverse("evidence:shared_start", args=[private]), everyone(404), None),
        (
            "post",
            reverse("evidence:shared_start", args=[shared]),
            everyone(400),
            {"email": "x@gmail.com"},
        ),
        ("get", reverse("evidence:shared_code", args=[shared]), everyone(302), None),
        ("get", reverse("evidence:shared_code", args=[private]), everyone(404), None),
        ("get", reverse("evidence:shared_record", args=[shared]), everyone(302), None),
        ("post", reverse("evidence:shared_record", args=[shared]), everyone(302), {}),
        ("get", reverse("evidence:shared_record", args=[private]), everyone(404), None),
        ("get", reverse("evidence:follow_up", args=[ev["follow_up_token"]]), everyone(200), None),
        ("get", reverse("evidence:follow_up", args=["not-a-token"]), everyone(404), None),
        ("get", reverse("evidence:feedback"), everyone(405), None),
        ("post", reverse("evidence:feedback"), everyone(400), {"token": "forged", "useful": "yes"}),
        ("get", reverse("evidence_staff:dashboard"), DASHBOARD, None),
        ("get", reverse("evidence_staff:dashboard_csv"), DASHBOARD, None),
        ("get", reverse("evidence_staff:good_practice"), STAFF_ONLY, None),
        ("get", reverse("evidence_staff:good_practice_review", args=[gp]), STAFF_ONLY, None),
        (
            "post",
            reverse("evidence_staff:good_practice_review", args=[gp]),
            expect(302, 302, 302, 403, 302, 403, 403),
            {"decision": "publish", "shared_text": "Published by the matrix"},
        ),
        ("get", reverse("evidence_staff:feedback"), STAFF_ONLY, None),
        (
            "get",
            reverse("evidence_staff:feedback_hide", args=[ev["feedback"].pk]),
            everyone(405),
            None,
        ),
        (
            "post",
            reverse("evidence_staff:feedback_hide", args=[ev["feedback"].pk]),
            expect(302, 302, 302, 302, 302, 302, 403),
            {"hidden": "0"},
        ),
        ("get", reverse("evidence_staff:domains"), ADMINS_ONLY, None),
        (
            "post",
            reverse("evidence_staff:domains"),
            expect(302, 302, 302, 403, 403, 400, 403),
            {"domain": "not a domain"},
        ),
        (
            "get",
            reverse("evidence_staff:domain_remove", args=[ev["domain"].pk]),
            everyone(405),
            None,
        ),
        (
            "post",
            reverse("evidence_staff:domain_remove", args=[ev["domain"].pk]),
            expect(302, 302, 302, 403, 403, 302, 403),
            {},
        ),
    ]


def matrix_urls(world: dict) -> list[str]:
    return [url for _, url, _, _ in rows(world)]


@pytest.fixture
def clients(world):
    scrutineer = make_role_user("mscrutineer", SCRUTINEER)
    world["users"]["scrutineer"] = scrutineer
    return {**world["clients"], "scrutineer": admin_login(Client(), scrutineer)}


def test_evidence_matrix(world, clients):
    failures = []
    for method, url, expected, data in rows(world):
        for role in ROLES:
            cache.clear()
            response = getattr(clients[role], method)(url, data or {})
            if response.status_code != expected[role]:
                failures.append(
                    f"{method.upper()} {url} as {role}: got {response.status_code}, expected {expected[role]}"
                )
            if response.status_code == 200:
                assert "no-store" in response.get("Cache-Control", ""), (url, role)
            if (
                response.status_code == 302
                and expected[role] == 302
                and role in ("anonymous", "trainer", "other_trainer")
                and "/admin/evidence/" in url
            ):
                assert response.url.startswith("/admin/login/"), (url, role, response.url)
    assert not failures, "\n".join(failures)
    # From the refused side: only the Publisher's publish happened, only the Partnership
    # admin removed the domain.
    good_practice = world["evidence"]["good_practice"]
    good_practice.refresh_from_db()
    assert good_practice.share_status == ShareStatus.PUBLISHED
    assert good_practice.reviewed_by == world["users"]["publisher"]
    assert not AllowedDomain.objects.filter(domain="matrix.gov.uk").exists()


def test_scrutineer_reads_the_dashboard_but_no_staff_action(world, clients):
    feedback = objects(world)["feedback"]
    response = clients["scrutineer"].post(
        reverse("evidence_staff:feedback_hide", args=[feedback.pk])
    )
    assert response.status_code == 403
    feedback.refresh_from_db()
    assert not feedback.hidden
    page = clients["scrutineer"].get(reverse("evidence_staff:dashboard")).content.decode()
    assert "Uptake and impact" in page and "waiting for review" not in page
