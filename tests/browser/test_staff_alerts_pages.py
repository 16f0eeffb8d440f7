"""The staff report of recurring findings, the privacy notice, a theme page and the
subscribe page it leads to, in a real browser: axe finds nothing and each fits 320 px
(the report's themes table scrolls in its own focusable region). With
TOOLKIT_SHOTS_DIR set, each is saved at 390 and 1280 px wide, to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django_otp.oath import totp

from alerts import recurrence
from tests.browser.test_evidence import axe_violations
from tests.roles import PASSWORD, make_role_user, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("TOOLKIT_SHOTS_DIR")
PAST_THE_EDGE = """() => [...document.querySelectorAll('body *')].filter((el) => {
  if (el.getBoundingClientRect().right <= 321) return false;
  for (let up = el.parentElement; up; up = up.parentElement) {
    if (getComputedStyle(up).overflowX === 'auto') return false;
  }
  return true;
}).slice(0, 5).map((el) => `${el.tagName}.${el.className}`)"""


def sign_in(page, site, path):
    user = make_role_user("f1staff", is_superuser=True)
    device = totp_device(user)
    page.goto(site + path)
    page.get_by_label("Username").fill("f1staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(
        f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + path)


def test_changed_pages_have_no_axe_violations_and_fit_320_pixels(page, site, axe_source):
    recurrence.recurrence_refresh()
    sign_in(page, site, "/admin/recurring-findings/")
    pages = {
        "recurring-findings": "/admin/recurring-findings/",
        "privacy": "/privacy/",
        "theme": "/themes/resolution/",
        "subscribe-from-theme": "/alerts/subscribe/?theme=resolution&from=theme",
    }
    failures = {}
    for name, path in pages.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(site + path)
        violations = axe_violations(page, axe_source)
        if violations:
            failures[f"{name} (axe, 1280)"] = violations
        page.set_viewport_size({"width": 320, "height": 640})
        page.reload()
        width = page.evaluate("document.documentElement.scrollWidth")
        outside = page.evaluate(PAST_THE_EDGE)
        if width > 320 or outside:
            failures[f"{name} (320 px)"] = (width, outside)
        violations = axe_violations(page, axe_source)
        if violations:
            failures[f"{name} (axe, 320)"] = violations
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            for shot in (390, 1280):
                page.set_viewport_size({"width": shot, "height": 900})
                page.screenshot(path=f"{SHOTS}/{name}-{shot}.png", full_page=True)
    assert failures == {}
    # The report's table scrolls in a region a keyboard user can reach and that is named.
    page.goto(site + "/admin/recurring-findings/")
    region = page.get_by_role("region", name="Themes by number of reviews")
    assert region.get_attribute("tabindex") == "0"
    # From the theme page to the subscribe page and back.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/themes/resolution/")
    page.get_by_role("link", name="Get emails about Resolution").click()
    page.get_by_role("link", name="Back to Resolution").click()
    page.wait_for_url(site + "/themes/resolution/")
    page.console_errors.check()
