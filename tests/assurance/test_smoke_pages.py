"""Every assurance page renders for an assurance lead (GOV.UK layout, no errors)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_a_lead(aw):
    client = aw["clients"]["assurance_lead"]
    rec, action, challenge = aw["rec"], aw["action"], aw["challenge"]
    slug = aw["a_review"].slug
    urls = [
        reverse("assurance:dashboard"),
        reverse("assurance:plans"),
        reverse("assurance:plan", args=[slug]),
        reverse("assurance:plan_settings", args=[slug]),
        reverse("assurance:recommendation_new", args=[slug]),
        reverse("assurance:recommendation_edit", args=[rec.pk]),
        reverse("assurance:action_new", args=[rec.pk]),
        reverse("assurance:challenge_recommendation", args=[rec.pk]),
        reverse("assurance:action", args=[action.pk]),
        reverse("assurance:action", args=[aw["health_action"].pk]),
        reverse("assurance:action_edit", args=[action.pk]),
        reverse("assurance:action_progress", args=[action.pk]),
        reverse("assurance:action_revise_due", args=[action.pk]),
        reverse("assurance:evidence_new", args=[action.pk]),
        reverse("assurance:action_complete", args=[action.pk]),
        reverse("assurance:action_sign_off", args=[aw["health_action"].pk]),
        reverse("assurance:action_return", args=[aw["health_action"].pk]),
        reverse("assurance:challenge_action", args=[action.pk]),
        reverse("assurance:mine"),
        reverse("assurance:overdue"),
        reverse("assurance:at_risk"),
        reverse("assurance:challenges"),
        reverse("assurance:challenge", args=[challenge.pk]),
        reverse("assurance:people"),
        reverse("assurance:report_index"),
        reverse("assurance:report_edit", args=[2026]),
        reverse("assurance:import"),
        reverse("assurance:import_preview", args=[aw["import_job"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"govuk-template" in response.content, url
    for url in (
        reverse("assurance:report", args=[2026]),
        reverse("assurance:report_csv"),
        reverse("assurance:import_template"),
    ):
        assert client.get(url).status_code == 200, url
