"""A practitioner's journeys through the public site, in a real browser."""

import re

import pytest

from practice_points.models import PracticePoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def page_types():
    point = PracticePoint.objects.published().filter(review__slug="child-d").first()
    return {
        "home": "/",
        "themes": "/themes/",
        "theme": "/themes/professional-curiosity/",
        "myth-busting": "/themes/myth-busting/",
        "finder": "/practice-points/",
        "finder filtered": "/practice-points/?day=thursday&agency=police&theme=supervision",
        "finder searched": "/practice-points/?q=supervison&agency=police",
        "glossary": "/glossary/",
        "finder nothing found": "/practice-points/?q=zzzzqqqq&theme=nope",
        "practice point": f"/practice-points/{point.pk}/",
        "reviews": "/reviews/",
        "review": "/reviews/child-d/",
        "resources": "/resources/?theme=neglect",
        "accessibility": "/accessibility/",
        "not found": "/themes/no-such-theme/",
    }


def test_a_practitioners_journey(page, site):
    page.goto(site + "/")
    page.get_by_role("link", name="Thursday").first.click()
    page.wait_for_url(re.compile(r"day=thursday"))
    thursday = int(page.locator("#result-count").inner_text())
    assert thursday > 0

    # With JavaScript the results follow the filters: no "Apply filters" to press.
    assert not page.get_by_role("button", name="Apply filters").is_visible()
    page.get_by_label(re.compile(r"^Police")).check()
    page.wait_for_url(re.compile(r"agency=police"))
    page.wait_for_selector("#finder-results:not([aria-busy])")
    assert "day=thursday" in page.url
    narrowed = int(page.locator("#result-count").inner_text())
    assert 0 < narrowed <= thursday
    assert page.get_by_role("link", name=re.compile("Remove filter Agency: Police")).is_visible()

    first = page.locator(".app-point .app-result__title a").first
    point_text = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/practice-points/\d+/\?"))
    assert page.locator("h1").inner_text() == point_text
    review_link = page.locator(".govuk-summary-list__value a[href^='/reviews/']").first
    review_title = review_link.inner_text()
    review_link.click()
    page.wait_for_url(re.compile(r"/reviews/[\w-]+/$"))
    assert page.locator("h1").inner_text() == review_title
    page.console_errors.check()


def test_exit_this_page_button_leaves_at_once(page, site):
    page.goto(site + "/practice-points/")
    page.get_by_role("button", name=re.compile("Exit this page")).click()
    page.wait_for_url("https://www.bbc.co.uk/weather**")
    assert page.title() == "BBC Weather"


def test_pressing_shift_three_times_leaves(page, site):
    page.goto(site + "/themes/neglect/")
    page.locator("h1").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("https://www.bbc.co.uk/weather**", timeout=10_000)


def test_every_page_type_has_no_axe_violations(page, site, axe_source):
    failures = {}
    for name, path in page_types().items():
        before = len(page.console_errors)
        page.goto(site + path)
        if name == "not found":  # the page itself answers 404, which Chromium logs
            del page.console_errors[before:]
        page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}) e.g. {v['nodes'][0]['html'][:120]}"
            for v in result["violations"]
        ]
        if violations:
            failures[name] = violations
    assert failures == {}
    page.console_errors.check()


def test_every_page_type_fits_320_pixels(playwright_browser, site):
    context = playwright_browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = {}
    for name, path in page_types().items():
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
    context.close()
    assert too_wide == {}


def test_the_finder_works_by_keyboard_alone(page, site):
    page.goto(site + "/practice-points/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    else:
        pytest.fail("the search box cannot be reached with the Tab key")
    page.keyboard.type("neglect")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=neglect"))
    assert int(page.locator("#result-count").inner_text()) > 0
    # focus is visible: GOV.UK's yellow focus state on the focused link
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle + '|' + s.boxShadow + '|' + s.backgroundColor; })()"
    )
    assert "none|none|rgba(0, 0, 0, 0)" != style


def test_theme_pages_print_as_a_clean_handout(page, site):
    page.goto(site + "/themes/supervision/")
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".govuk-exit-this-page").is_visible()
    assert not page.locator(".govuk-footer").is_visible()
    assert page.locator("h1").is_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('main a[href^=\"http\"]'), '::after').content"
    )
    assert "http" in after
