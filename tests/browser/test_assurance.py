"""Browser test (pytest -m browser): an action owner records progress and evidence and
marks the action complete, a second person (an assurance lead) signs it off, and the
dashboard's figures change; every assurance page has no axe violations and fits 320 px."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from playwright.sync_api import expect

from assurance.models import ActionStatus, ReviewPlan
from tests.assurance.support import build
from tests.roles import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def session_for(user) -> str:
    """A session signed in with the password and the second factor (as after the admin's
    sign-in page), for the browser's cookie."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    store.create()
    return store.session_key


def sign_in_as(page, site, user) -> None:
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_for(user), "url": site}]
    )


def axe(page, source) -> list[str]:
    page.evaluate(source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [f"{v['id']}: {n['html'][:100]}" for v in result["violations"] for n in v["nodes"]]


SMALLEST_CHART_TEXT = """() => Math.min(99, ...[...document.querySelectorAll(
  '.app-chart__label, .app-chart text')].map(e => parseFloat(getComputedStyle(e).fontSize)
  * (e.getScreenCTM ? e.getScreenCTM().a : 1)))"""  # px as drawn (an SVG's scale counted)


def check(page, source, failures: dict, name: str) -> None:
    violations = axe(page, source)
    if violations:
        failures[name] = violations
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        failures[f"{name} at 320 px"] = [f"{width} px wide"]
    smallest = page.evaluate(SMALLEST_CHART_TEXT)  # charts' labels readable on a phone
    if smallest < 14:
        failures[f"{name} chart text at 320 px"] = [f"{smallest:.1f} px"]
    page.set_viewport_size(size)


def figure(page, fig_id: str) -> int:
    return int(page.locator(f"#{fig_id}").inner_text())


def blue(page) -> int:
    return int(page.locator('#table-rag td[data-rag="blue"]').inner_text())


def test_owner_records_progress_and_evidence_a_lead_signs_off_and_the_dashboard_changes(
    page, site, axe_source
):
    w = build("b")
    owner, lead = w["a_users"]["action_owner"], w["a_users"]["assurance_lead"]
    action = w["action"]
    failures: dict = {}

    sign_in_as(page, site, owner)
    page.goto(site + reverse("assurance:dashboard"))
    check(page, axe_source, failures, "dashboard")
    before = {
        "awaiting": figure(page, "fig-awaiting"),
        "assured": figure(page, "fig-assured"),
        "blue": blue(page),
    }
    page.get_by_role("link", name="My agency's actions").click()
    check(page, axe_source, failures, "my agency")
    page.get_by_role("link", name=re.compile("Police attend every strategy")).click()
    check(page, axe_source, failures, "action")

    page.get_by_role("link", name="Record progress").click()
    check(page, axe_source, failures, "progress form")
    page.get_by_role("button", name="Record the update").click()  # empty: errors, no 500
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.console_errors.clear()  # the page answers a form with problems with 400, on purpose
    check(page, axe_source, failures, "progress form with errors")
    page.get_by_label("On track").check()
    page.get_by_label("Progress made").fill("Every DI briefed; attendance audited monthly.")
    page.get_by_role("button", name="Record the update").click()
    expect(page.get_by_text("The progress update is recorded.")).to_be_visible()

    page.get_by_role("link", name="Add evidence").click()
    check(page, axe_source, failures, "evidence form")
    page.get_by_label("Practice change (e.g. an audit shows it)").check()
    page.get_by_label("Description").fill("Audit: police at 19 of 20 strategy discussions.")
    page.get_by_label("Link (optional)").fill("https://example.org/audit-2026")
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.get_by_text("The evidence is added.")).to_be_visible()

    page.get_by_role("link", name="Mark complete").click()
    check(page, axe_source, failures, "mark complete")
    page.get_by_role("button", name="Mark complete").click()
    expect(page.locator("#action-status")).to_contain_text("Complete, awaiting evidence")
    assert page.get_by_role("link", name="Sign off").count() == 0  # not an assurance lead

    sign_in_as(page, site, lead)
    page.goto(site + reverse("assurance:dashboard"))
    assert figure(page, "fig-awaiting") == before["awaiting"] + 1
    page.goto(site + action.get_absolute_url())
    page.get_by_role("link", name="Sign off").click()
    check(page, axe_source, failures, "sign off")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text("The action is assured and closed.")).to_be_visible()
    expect(page.locator("#action-status")).to_contain_text("Assured and closed")
    action.refresh_from_db()
    assert action.status == ActionStatus.ASSURED and action.signed_off_by == lead

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    assert figure(page, "fig-awaiting") == before["awaiting"]
    assert figure(page, "fig-assured") == before["assured"] + 1
    assert blue(page) == before["blue"] + 1

    # every other assurance page, as the lead
    for name, url in [
        ("plans", reverse("assurance:plans")),
        ("plan", reverse("assurance:plan", args=[w["a_review"].slug])),
        ("plan settings", reverse("assurance:plan_settings", args=[w["a_review"].slug])),
        ("new recommendation", reverse("assurance:recommendation_new", args=[w["a_review"].slug])),
        ("new action", reverse("assurance:action_new", args=[w["rec"].pk])),
        ("revise due", reverse("assurance:action_revise_due", args=[w["health_action"].pk])),
        ("return", reverse("assurance:action_return", args=[w["health_action"].pk])),
        ("overdue", reverse("assurance:overdue")),
        ("at risk", reverse("assurance:at_risk")),
        ("challenges", reverse("assurance:challenges")),
        ("challenge", reverse("assurance:challenge", args=[w["challenge"].pk])),
        ("raise a challenge", reverse("assurance:challenge_action", args=[action.pk])),
        ("people", reverse("assurance:people")),
        ("report", reverse("assurance:report_index")),
        ("report text", reverse("assurance:report_edit", args=[2026])),
        ("import", reverse("assurance:import")),
        ("import preview", reverse("assurance:import_preview", args=[w["import_job"].pk])),
    ]:
        page.goto(site + url)
        check(page, axe_source, failures, name)
    # the public review page with "What we did" (signed out)
    ReviewPlan.objects.update_or_create(review=w["a_review"], defaults={"show_what_we_did": True})
    page.context.clear_cookies()
    page.goto(site + w["a_review"].get_absolute_url())
    expect(page.get_by_role("heading", name="What we did")).to_be_visible()
    expect(page.get_by_text("Done and checked")).to_be_visible()  # the signed-off action
    check(page, axe_source, failures, "public review page")
    assert failures == {}
    page.console_errors.check()
