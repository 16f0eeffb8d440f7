"""The Content-Security-Policy is enforced and nothing on the site breaks it: public pages,
the finder, a theme, the API docs, the trainers' sign-in, and the staff admin signed in
with two factors (autocomplete, prepopulated slugs, date widgets, "add another" popups).
The ``page`` fixture fails a test on any violation; these visit every kind of page."""

import re

import pytest
from django_otp.oath import totp

from tests.roles import PASSWORD, make_role_user, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response


def test_violations_are_caught(page, site):
    """The watch itself works: an injected inline script is refused and reported."""
    visit(page, site + "/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.append(s) }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert any("script-src" in v for v in page.csp_violations), page.csp_violations
    page.csp_violations.clear()
    page.console_errors.clear()


def test_public_pages_run_under_the_policy(page, site):
    for path in (
        "/",
        "/practice-points/?theme=supervision",
        "/themes/professional-curiosity/",
        "/reviews/",
        "/search/?q=neglect",
        "/glossary/",
        "/accessibility/",
    ):
        response = visit(page, site + path)
        assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"], path
        # GOV.UK Frontend ran (it marks the body once initialised): the nonce'd module loaded
        assert "govuk-frontend-supported" in page.locator("body").get_attribute("class"), path
    page.console_errors.check()
    # the 404 page: its own status is the only console message
    response = visit(page, site + "/no-such-page/")
    assert response.status == 404
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    assert [e for e in page.console_errors if "404" not in e] == []
    page.console_errors.clear()
    assert page.csp_violations == []


def test_the_finder_filters_work_under_the_policy(page, site):
    visit(page, site + "/practice-points/")
    # The finder's script fetches the results as a filter changes (no Apply to press).
    page.get_by_label(re.compile(r"^Police")).check()
    page.wait_for_url(re.compile(r"agency=police"))
    page.wait_for_selector("#finder-results:not([aria-busy])")
    assert page.locator(".app-selected-filters .moj-filter__tag").count() == 1
    page.console_errors.check()
    assert page.csp_violations == []


def test_exit_this_page_works_under_the_policy(page, site):
    visit(page, site + "/themes/professional-curiosity/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url("https://www.bbc.co.uk/**")
    assert page.csp_violations == []


def test_the_api_docs_run_under_the_policy(page, site):
    visit(page, site + "/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 3
    page.console_errors.check()
    assert page.csp_violations == []


def test_the_trainer_sign_in_runs_under_the_policy(page, site):
    visit(page, site + "/accounts/login/")
    page.locator("#id_password").fill("something")
    page.get_by_role("button", name="Show password").click()
    assert page.locator("#id_password").get_attribute("type") == "text"
    page.console_errors.check()
    assert page.csp_violations == []


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


def test_the_admin_runs_under_the_policy(page, site):
    user = make_role_user("cspadmin", is_superuser=True)
    device = totp_device(user)

    visit(page, site + "/admin/")
    page.get_by_label("Username").fill("cspadmin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(_code(device))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/admin/")
    assert page.get_by_role("heading", name="Curate the learning").is_visible()

    # A theme: the slug is prepopulated from the name as it is typed.
    visit(page, site + "/admin/themes/theme/add/")
    page.locator("#id_name").fill("Working with fathers")
    page.locator("#id_name").blur()
    assert page.locator("#id_slug").input_value() == "working-with-fathers"

    # A practice point: select2 autocomplete asks the server (connect-src 'self').
    visit(page, site + "/admin/practice_points/practicepoint/add/")
    page.locator("#id_themes").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-search__field").last.fill("neglect")
    option = page.locator(".select2-results__option", has_text=re.compile("Neglect", re.I)).first
    option.wait_for()
    option.click()
    assert page.locator(".select2-selection__choice").count() >= 1

    # "Add another" review opens the admin's popup window, which runs under the policy too.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_review").click()
    popup = popup_info.value
    popup.wait_for_load_state("networkidle")
    assert "_popup=1" in popup.url
    popup.close()

    # A review: date widgets (calendar and "Today") and the practice point inlines.
    visit(page, site + "/admin/practice_points/review/add/")
    page.locator("#id_published_on").locator("xpath=..").get_by_role(
        "link", name="Today"
    ).first.click()
    assert re.match(
        r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", page.locator("#id_published_on").input_value()
    )
    # inlines.js draws the "Add another" link for the inline practice points
    rows = page.locator(".dynamic-practice_points:not(.empty-form)")
    before = rows.count()
    page.locator(".add-row a").first.click()
    assert rows.count() == before + 1

    # The partnership admin's view of an authenticator: its QR code image loads.
    visit(page, site + f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    assert page.locator("img.qrcode-image").evaluate("img => img.naturalWidth") > 0

    page.console_errors.check()
    assert page.csp_violations == []
