"""The finder on a phone (390 px) and a desktop (1280 px), as a practitioner uses it."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from themes.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THREE_FILTERS = "/practice-points/?theme=neglect&theme=professional-curiosity&agency=police"
# A phone's first screen (iPhone 12 to 15) and a laptop's.
SCREENS = {390: 844, 1280: 800}


@pytest.fixture(params=sorted(SCREENS), ids=lambda width: f"{width}px")
def sized_page(request, page):
    width = request.param
    page.set_viewport_size({"width": width, "height": SCREENS[width]})
    page.width = width
    return page


def test_selected_filters_and_the_count_are_in_the_first_screen(sized_page, site):
    page = sized_page
    page.goto(site + THREE_FILTERS)
    screen = SCREENS[page.width]
    tags = page.locator(".app-selected-filters .moj-filter__tag")
    assert tags.count() == 3
    for n in range(3):
        box = tags.nth(n).bounding_box()
        assert box and box["y"] + box["height"] <= screen, (n, box)
    count = page.locator("#results-heading").bounding_box()
    assert count["y"] + count["height"] <= screen
    assert tags.nth(2).inner_text().strip().endswith("Agency: Police")
    page.console_errors.check()


def test_each_result_is_at_most_160px_tall_on_a_phone(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (THREE_FILTERS, "/practice-points/", "/practice-points/?q=supervision"):
        page.goto(site + path)
        heights = page.evaluate(
            "[...document.querySelectorAll('.app-result')]"
            ".map(e => e.getBoundingClientRect().height)"
        )
        assert heights, path
        assert max(heights) <= 160, (path, max(heights))


def test_back_to_results_keeps_the_filters(sized_page, site):
    page = sized_page
    page.goto(site + THREE_FILTERS + "&sort=theme")
    first = page.locator(".app-result__title a").first
    headline = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/practice-points/\d+/\?"))
    assert page.locator("h1").inner_text() == headline
    page.get_by_role("link", name="Back to results").click()
    page.wait_for_url(re.compile(r"/practice-points/\?"))
    assert "theme=neglect" in page.url and "agency=police" in page.url
    assert "sort=theme" in page.url
    assert page.locator(".app-selected-filters .moj-filter__tag").count() == 3
    page.console_errors.check()


def test_a_point_page_links_its_themes(page, site):
    page.goto(site + "/practice-points/?theme=neglect")
    page.locator(".app-result__title a").first.click()
    page.wait_for_url(re.compile(r"/practice-points/\d+/"))
    neglect = page.locator("main a[href='/themes/neglect/']")
    assert neglect.count() >= 1
    neglect.first.click()
    page.wait_for_url(re.compile(r"/themes/neglect/$"))


def test_changing_a_filter_updates_the_results_and_announces_the_count(page, site):
    page.goto(site + "/practice-points/")
    everything = int(page.locator("#result-count").inner_text())
    page.get_by_label(re.compile(r"^Neglect \(")).check()
    page.wait_for_url(re.compile(r"theme=neglect"))
    page.wait_for_function(
        "n => Number(document.querySelector('#result-count').textContent) < n", arg=everything
    )
    page.wait_for_selector("#finder-results:not([aria-busy])")
    neglect = int(page.locator("#result-count").inner_text())
    status = page.locator("#finder-status")
    assert status.get_attribute("role") == "status"
    page.wait_for_function(
        "() => document.querySelector('#finder-status').textContent.trim() !== ''"
    )
    assert status.inner_text().startswith(f"{neglect} practice point")
    # The count beside every other theme now says what adding it would give.
    label = page.locator("label[for='theme-supervision']").inner_text()
    with_supervision = int(re.search(r"\((\d+)\)", label).group(1))
    page.get_by_label(re.compile(r"^Supervision \(")).check()
    page.wait_for_url(re.compile(r"theme=supervision"))
    page.wait_for_function(
        "n => Number(document.querySelector('#result-count').textContent) === n",
        arg=with_supervision,
    )
    # Back in the browser's history returns to the state before.
    page.go_back()
    page.wait_for_url(re.compile(r"theme=neglect$"))
    page.wait_for_function(
        "n => Number(document.querySelector('#result-count').textContent) === n", arg=neglect
    )
    page.console_errors.check()


def test_the_finder_works_without_javascript(playwright_browser, site):
    context = playwright_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/practice-points/")
    page.get_by_label(re.compile(r"^Neglect \(")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"theme=neglect"))
    assert page.locator(".app-selected-filters .moj-filter__tag").count() == 1
    context.close()


def test_every_theme_prints_on_at_most_two_a4_pages(page, site):
    page.emulate_media(media="print")
    pages = {}
    for slug in Theme.objects.published().values_list("slug", flat=True):
        page.goto(f"{site}/themes/{slug}/")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        pages[slug] = len(PdfReader(io.BytesIO(pdf)).pages)
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        text = unicodedata.normalize("NFKC", text)  # ligatures: "ﬂ" is "fl"
        # The live address is written out in full, and nothing relative is printed.
        assert f"{site}/themes/{slug}/" in text.replace("\n", ""), slug
        assert "(/" not in text, slug
    assert pages and max(pages.values()) <= 2, {k: v for k, v in pages.items() if v > 2}
    page.console_errors.check()
