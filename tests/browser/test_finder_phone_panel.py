"""The finder on a phone: the full-screen filter panel keeps focus on itself while open
(the page behind is inert: WCAG 2.2 2.4.11 Focus Not Obscured), closes on Escape and
gives focus back to "Show filter"; a result's headline is never cut at 320 px."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_PANEL = "() => !!document.activeElement.closest('.moj-filter-layout__filter')"


def test_the_open_filter_keeps_focus_and_escape_closes_it(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/practice-points/")
    show = page.locator(".moj-action-bar__filter button")
    assert show.inner_text() == "Show filter"
    show.click()
    assert show.get_attribute("aria-expanded") == "true"
    outside = []
    for n in range(40):
        page.keyboard.press("Tab")
        if not page.evaluate(IN_PANEL):
            outside.append(
                (n, page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)"))
            )
    assert outside == []
    for n in range(5):  # backwards too
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(IN_PANEL), n
    # Nothing behind the panel can be reached while it is open.
    assert page.evaluate("() => document.querySelector('footer').closest('[inert]') !== null")
    page.keyboard.press("Escape")
    assert show.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Show filter"
    assert page.evaluate("() => document.querySelectorAll('[inert]').length") == 0
    # Close returns focus to the button too, and the page is usable again.
    show.click()
    page.keyboard.press("Shift+Tab")  # from the panel's start: round to its end
    assert page.evaluate(IN_PANEL)
    page.get_by_role("button", name="Close").click()
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Show filter"
    assert page.evaluate("() => document.querySelectorAll('[inert]').length") == 0
    page.console_errors.check()


def test_on_a_desktop_nothing_is_inert(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site + "/practice-points/")
    page.get_by_label("Search practice points").focus()
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.querySelectorAll('[inert]').length") == 0
    page.console_errors.check()


def test_headlines_are_never_cut_at_320px(page, site):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(site + "/practice-points/?page_size=100")
    cut = page.evaluate(
        "[...document.querySelectorAll('.app-result__title')]"
        ".filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.textContent.trim())"
    )
    assert page.locator(".app-result__title").count() > 20
    assert cut == []
