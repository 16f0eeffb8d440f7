"""A trainer builds a session pack from the finder, reorders it and takes it into the
room: in a real browser, downloads included."""

import io
import re

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from session_packs.models import SessionPack
from tests.session_packs.support import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FINDER = "/practice-points/?theme=professional-curiosity"


def sign_in(page, site, next_url: str):
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("trainer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def item_ids(page) -> list[str]:
    return page.locator(".app-pack-item").evaluate_all("items => items.map(i => i.dataset.itemId)")


def point_texts(page) -> list[str]:
    return [text.strip() for text in page.locator(".app-pack-item__text").all_inner_texts()]


def axe_violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']}: {v['help']} e.g. {v['nodes'][0]['html'][:160]}" for v in result["violations"]
    ]


def drag(page, source: str, target: str) -> None:
    """Drag as a hand does: press, move a little, move over the target, release."""
    start = page.locator(source).bounding_box()
    end = page.locator(target).bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(start["x"] + 10, start["y"] - 10, steps=3)
    page.mouse.move(end["x"] + 5, end["y"] + 2, steps=10)
    page.mouse.up()


def download(page, link_name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    file = info.value
    with open(file.path(), "rb") as handle:
        return file.suggested_filename, handle.read()


def test_a_trainer_builds_reorders_and_downloads_a_pack(page, site, axe_source):
    make_user("trainer")
    sign_in(page, site, FINDER)
    page.wait_for_url(re.compile(r"/practice-points/\?theme=professional-curiosity$"))
    assert page.get_by_role("link", name="Session packs").is_visible()

    # "Add to pack" on the first result: with no packs yet, it starts one.
    cards = page.locator(".app-point")
    texts = [
        " ".join(cards.nth(n).locator(".app-result__title").inner_text().split()) for n in range(3)
    ]
    cards.nth(0).get_by_role("button", name=re.compile(r"^Add to a new session pack")).click()
    page.wait_for_url(re.compile(r"/packs/\d+/edit/\?next="))
    page.get_by_label("Title", exact=True).fill("Professional curiosity: team meeting")
    page.get_by_label("How long is the session, in minutes?").fill("30")
    page.get_by_label("Who is the session for?").fill("Health visitors")
    page.get_by_role("button", name="Save the details").click()
    page.wait_for_url(re.compile(r"/packs/\d+/$"))
    pack = SessionPack.objects.get()
    assert pack.title == "Professional curiosity: team meeting"

    # Two more results, into that pack (already chosen: it is the newest).
    page.goto(site + FINDER)
    for n in (1, 2):
        card = page.locator(".app-point").nth(n)
        assert card.get_by_role("combobox").input_value() == str(pack.pk)
        card.get_by_role("button", name=re.compile(r"^Add to pack")).click()
        page.wait_for_url(re.compile(r"#point-\d+$"))
        assert page.locator(".app-point").nth(n).get_by_text("In your pack").is_visible()
    assert pack.items.count() == 3

    page.goto(site + pack.get_absolute_url())
    # each item headed by the point's heading, as the finder showed it
    headings = page.locator(".app-pack-item__heading").all_inner_texts()
    assert [" ".join(h.split()) for h in headings] == texts
    first, second, third = item_ids(page)

    # Without JavaScript's help: the Move down button (a POST form).
    page.locator(f"#item-{first}").get_by_role("button", name=re.compile("^Move down")).click()
    page.wait_for_url(re.compile(rf"#item-{first}$"))
    assert item_ids(page) == [second, first, third]

    # Drag the last item to the top (a tall window, so both ends are in view).
    page.set_viewport_size({"width": 1280, "height": 3000})
    with page.expect_response(lambda r: r.url.endswith(f"/packs/{pack.pk}/reorder/")) as saved:
        drag(
            page, f"#item-{third} .app-pack-item__header", f"#item-{second} .app-pack-item__header"
        )
    assert saved.value.ok
    assert page.locator("#reorder-status").inner_text() == "New order saved."
    assert page.locator(".app-pack-item__number").all_inner_texts() == ["1.", "2.", "3."]
    assert not page.locator(f"#item-{third} .app-move-up").is_visible()
    page.reload()
    assert item_ids(page) == [third, second, first]
    expected_order = point_texts(page)

    # Notes for the first item, which become its speaker notes.
    page.locator(f"#item-{third} summary").filter(has_text="Edit notes and minutes").click()
    page.locator(f"#item-{third}").get_by_label("Your notes for running this part").fill(
        "Start with a story from practice."
    )
    page.locator(f"#item-{third}").get_by_label("Minutes").fill("10")
    page.locator(f"#item-{third}").get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url(re.compile(rf"#item-{third}$"))
    # 10 minutes set by hand, and the usual 5 for each of the other two points
    assert page.get_by_text("Planned time: 20 of 30 minutes").is_visible()

    assert axe_violations(page, axe_source) == []

    # The three downloads, opened and read.
    name, data = download(page, "Download the handout (PDF)")
    assert name == "professional-curiosity-team-meeting.pdf"
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    positions = [text.index(point[:30]) for point in expected_order]
    assert positions == sorted(positions)
    assert "Start with a story from practice." in text

    name, data = download(page, "Download the Word document (DOCX)")
    assert name == "professional-curiosity-team-meeting.docx"
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Professional curiosity: team meeting"
    body = "\n".join(p.text for p in document.paragraphs)
    positions = [body.index(point[:30]) for point in expected_order]
    assert positions == sorted(positions)

    name, data = download(page, "Download the PowerPoint slides (PPTX)")
    assert name == "professional-curiosity-team-meeting.pptx"
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert slides[0].shapes.title.text == "Professional curiosity: team meeting"
    assert slides[-1].shapes.title.text == "After the session"
    first_item = slides[1]
    assert expected_order[0][:30] in " ".join(
        shape.text_frame.text for shape in first_item.shapes if shape.has_text_frame
    )
    assert first_item.notes_slide.notes_text_frame.text.startswith("Start with a story")

    page.console_errors.check()


def test_signed_in_pages_have_no_axe_violations_and_fit_320_pixels(page, site, axe_source):
    make_user("trainer")
    sign_in(page, site, "/themes/professional-curiosity/")
    page.wait_for_url(re.compile(r"/themes/professional-curiosity/$"))
    failures = {}
    page.get_by_role("button", name="Start a 30-minute session on this theme").click()
    page.wait_for_url(re.compile(r"/packs/\d+/$"))
    pages = {
        "theme with form": "/themes/professional-curiosity/",
        "finder with forms": FINDER,
        "packs": "/packs/",
        "new pack": "/packs/new/",
        "pack": page.url.replace(site, ""),
        "password change": "/accounts/password_change/",
    }
    for name, path in pages.items():
        page.goto(site + path)
        violations = axe_violations(page, axe_source)
        if violations:
            failures[name] = violations
    # ... and they fit a 320 pixel wide screen.
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for name, path in pages.items():
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
    assert too_wide == {}
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/logout/$"))
    assert page.get_by_role("heading", name="You have signed out").is_visible()
    for name, path in {"sign in": "/accounts/login/", "reset": "/accounts/password_reset/"}.items():
        page.goto(site + path)
        violations = axe_violations(page, axe_source)
        if violations:
            failures[name] = violations
    assert failures == {}
    page.console_errors.check()
