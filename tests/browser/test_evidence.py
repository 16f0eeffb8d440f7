"""Evidence of use in a browser: a team lead records a session from a shared pack with a
one-time code, answers its follow-up from the email, and staff see the dashboard change;
every new page has no axe violations and fits 320 pixels.

Set EVIDENCE_SHOTS_DIR to keep screenshots of the pages at 390 and 1280 pixels."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from evidence import services
from evidence.models import AllowedDomain, DeliveredSession
from practice_points.models import PracticePoint
from session_packs import services as pack_services
from session_packs.models import ItemKind, Visibility
from tests.roles import PASSWORD, make_role_user, totp_device
from tests.session_packs.support import make_user
from themes.models import Agency, Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SHOTS = os.environ.get("EVIDENCE_SHOTS_DIR")
WIDEST = """() => [...document.querySelectorAll('body *')].filter(
  (el) => el.getBoundingClientRect().right > 321).slice(0, 5).map(
  (el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""


def axe_violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [f"{v['id']}: {n['html'][:140]}" for v in result["violations"] for n in v["nodes"]]


SMALLEST_CHART_TEXT = """() => Math.min(99, ...[...document.querySelectorAll(
  '.app-chart__label, .app-chart text')].map(e => parseFloat(getComputedStyle(e).fontSize)
  * (e.getScreenCTM ? e.getScreenCTM().a : 1)))"""  # px as drawn (an SVG's scale counted)


class Checked:
    """Each page visited: axe, 320 pixels, and (when asked) screenshots."""

    def __init__(self, axe_source):
        self.axe_source = axe_source
        self.failures = {}

    def __call__(self, page, name: str):
        violations = axe_violations(page, self.axe_source)
        if violations:
            self.failures[f"{name} (axe)"] = violations
        size = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 640})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            self.failures[f"{name} (320 px)"] = (width, page.evaluate(WIDEST))
        smallest = page.evaluate(SMALLEST_CHART_TEXT)  # charts' labels readable on a phone
        if smallest < 14:
            self.failures[f"{name} (chart text at 320 px)"] = smallest
        if SHOTS:
            for shot_width in (390, 1280):
                page.set_viewport_size({"width": shot_width, "height": 900})
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/{name}-{shot_width}.png", full_page=True)
        page.set_viewport_size(size)


def staff_sign_in(page, site):
    user = make_role_user("evstaff", is_superuser=True)
    device = totp_device(user)
    page.goto(site + "/admin/evidence/")
    page.get_by_label("Username").fill("evstaff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(
        f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/admin/evidence/")  # back to the dashboard after sign-in


def test_record_from_a_shared_pack_answer_the_follow_up_and_see_the_dashboard(
    page, site, axe_source, playwright_browser
):
    check = Checked(axe_source)
    theme = Theme.objects.public().order_by("name").first()
    pack = pack_services.pack_create(
        owner=make_user("evbrowser"),
        title="Curiosity in practice",
        duration_minutes=30,
        visibility=Visibility.SHARED,
    )
    pack_services.pack_add_item(pack, kind=ItemKind.THEME_OVERVIEW, content=theme)
    AllowedDomain.objects.create(domain="council.gov.uk")
    agency = Agency.objects.order_by("name").first()

    staff_sign_in(page, site)
    before = int(page.locator("#figure-sessions").inner_text())
    people_before = int(page.locator("#figure-people").inner_text())

    # A team lead, without an account, in a browser of their own.
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    lead = context.new_page()
    lead.goto(site + pack.get_shared_url())
    lead.get_by_role("link", name="Record a session you ran with this pack").click()
    lead.wait_for_url(re.compile(r"/evidence/shared/.+/$"))
    check(lead, "shared-start")
    lead.get_by_label("Your work email address").fill("lead@council.gov.uk")
    lead.get_by_role("button", name="Email me a code").click()
    lead.wait_for_url(re.compile(r"/code/$"))
    check(lead, "shared-code")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    lead.get_by_label("Code").fill(code)
    lead.get_by_role("button", name="Continue").click()
    lead.wait_for_url(re.compile(r"/record/$"))
    check(lead, "record")
    delivered = timezone.localdate() - datetime.timedelta(days=1)
    lead.get_by_label("Date of the session").fill(delivered.isoformat())
    lead.get_by_label("Agency").select_option(str(agency.pk))
    lead.get_by_label("Team", exact=True).fill("North locality team")
    lead.get_by_label("How many attended").fill("14")
    lead.get_by_label("Their roles").fill("social workers and a manager")
    lead.get_by_label("Team meeting").check()
    lead.get_by_label("What was discussed").fill("Who else lives in the home.")
    lead.locator("#id_actions-0-action").fill("Ask who else lives at home on every visit")
    lead.locator("#id_actions-0-owner_role").fill("Team manager")
    lead.locator("#id_actions-0-due_on").fill(timezone.localdate().isoformat())
    lead.get_by_label("Email me a short follow-up form on the follow-up date").check()
    lead.get_by_role("button", name="Record the session").click()
    lead.wait_for_url(re.compile(r"/evidence/recorded/"))
    expect(lead.get_by_role("heading", name="Session recorded")).to_be_visible()
    check(lead, "recorded")

    # The follow-up date comes: the email goes, with its link.
    session = DeliveredSession.objects.get(team="North locality team")
    DeliveredSession.objects.filter(pk=session.pk).update(follow_up_on=timezone.localdate())
    assert services.follow_ups_send_due() == 1
    link = re.search(r"http\S+/evidence/follow-up/\S+/", mail.outbox[-1].body).group(0)
    lead.goto(site + link.split("127.0.0.1:8000", 1)[1])
    check(lead, "follow-up")
    lead.locator(f"#id_action_{session.actions.get().pk}_0").check()  # Done
    lead.get_by_label("What changed in practice?").fill("Every visit asks who else lives there.")
    lead.get_by_label("An example (anonymised)").fill("A worker met a new adult and shared it.")
    lead.locator("#id_confidence_before_1").check()  # 2
    lead.locator("#id_confidence_now_3").check()  # 4
    lead.get_by_label("Yes, staff may publish the example on the theme’s page").check()
    lead.get_by_role("button", name="Send the follow-up").click()
    expect(lead.get_by_role("heading", name="Follow-up sent")).to_be_visible()
    check(lead, "follow-up-sent")

    # Feedback on a practice point page, as a practitioner (a person takes a moment).
    point = PracticePoint.objects.public().first()
    lead.goto(site + point.get_absolute_url())
    check(lead, "point-with-feedback")
    lead.wait_for_timeout(2500)
    lead.locator("#id_useful_0").check()
    lead.get_by_label("Will you do anything differently? (optional)").fill("Ask more questions.")
    lead.get_by_role("button", name="Send", exact=True).click()
    expect(lead.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    check(lead, "feedback-thanks")
    context.close()

    # The dashboard has changed.
    page.reload()
    assert int(page.locator("#figure-sessions").inner_text()) == before + 1
    assert int(page.locator("#figure-people").inner_text()) == people_before + 14
    assert page.locator("#figure-actions-done").inner_text() == "100%"
    assert "North" not in page.locator("#key-figures").inner_text()
    check(page, "dashboard")
    for name, path in {
        "good-practice": "/admin/evidence/good-practice/",
        "good-practice-review": f"/admin/evidence/good-practice/{session.follow_up.pk}/",
        "feedback-answers": "/admin/evidence/feedback/",
        "domains": "/admin/evidence/domains/",
    }.items():
        page.goto(site + path)
        check(page, name)
    assert check.failures == {}, "\n".join(f"{k}: {v}" for k, v in check.failures.items())
