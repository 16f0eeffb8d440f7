"""A small assurance world for the tests: two agencies, a review with a recommendation and
actions, people in each assurance role (signed in with the second factor)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from assurance import services
from assurance.models import PlanImport
from assurance.roles import (
    ACTION_OWNER,
    ASSURANCE_LEAD,
    ASSURANCE_ROLES,
    SCRUTINEER,
    user_agency_set,
)
from tests.factories import AgencyFactory, ReviewFactory, ThemeFactory
from tests.roles import admin_login, make_role_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(prefix: str = "a") -> dict:
    today = timezone.localdate()
    for name in ASSURANCE_ROLES:  # a transactional test's flush removes the migration's groups
        Group.objects.get_or_create(name=name)
    police = AgencyFactory(name=f"{prefix} Police", slug=f"{prefix}-police")
    health = AgencyFactory(name=f"{prefix} Health", slug=f"{prefix}-health")
    theme = ThemeFactory(name=f"{prefix} Information sharing", slug=f"{prefix}-info-sharing")
    review = ReviewFactory(title=f"Child {prefix.upper()}Q", slug=f"child-{prefix}-q")
    owner = make_role_user(f"{prefix}owner", ACTION_OWNER)
    user_agency_set(owner, police)
    owner_health = make_role_user(f"{prefix}ownerhealth", ACTION_OWNER)
    user_agency_set(owner_health, health)
    lead = make_role_user(f"{prefix}lead", ASSURANCE_LEAD)
    lead2 = make_role_user(f"{prefix}leadtwo", ASSURANCE_LEAD)
    scrutineer = make_role_user(f"{prefix}scrutineer", SCRUTINEER)
    rec = services.recommendation_create(
        review,
        by=None,
        text="Strategy discussions should include the police.",
        agencies=[police, health],
        themes=[theme],
    )
    action = services.action_create(
        rec,
        by=None,
        description="Police attend every strategy discussion.",
        owner_agency=police,
        lead_role="Detective inspector",
        due_date=today + datetime.timedelta(days=30),
        public_summary="Police now attend strategy discussions.",
    )
    health_action = services.action_create(
        rec,
        by=None,
        description="Health visitors share records before discussions.",
        owner_agency=health,
        lead_role="Named nurse",
        due_date=today + datetime.timedelta(days=10),
    )
    services.evidence_add(
        health_action,
        by=owner_health,
        kind="practice_change",
        date=today,
        description="Audit: 9 of 10 discussions had health records.",
        link="https://example.org/audit",
    )
    services.action_mark_complete(health_action, by=owner_health)
    challenge = services.challenge_raise(action, by=scrutineer, text="How will you know?")
    job = PlanImport.objects.create(user=lead, filename="plan.csv", text="review_slug\n")
    return {
        "police": police,
        "health": health,
        "theme": theme,
        "a_review": review,
        "rec": rec,
        "action": action,
        "health_action": health_action,
        "evidence": health_action.evidence.first(),
        "challenge": challenge,
        "import_job": job,
        "a_users": {
            "action_owner": owner,
            "owner_health": owner_health,
            "assurance_lead": lead,
            "lead2": lead2,
            "scrutineer": scrutineer,
        },
    }


def signed_in(user) -> Client:
    return admin_login(Client(), user)
