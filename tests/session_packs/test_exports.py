"""Each export opened and read: the pack's title, audience, objectives, items in order,
notes, resource links and the date it was generated."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from content.models import Status
from session_packs import services
from session_packs.models import ItemKind, Visibility
from themes.models import Theme

pytestmark = pytest.mark.django_db

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "briefing": "application/pdf",
}
# Each item headed by what it is: a theme's name, a point's heading (no headline yet:
# its text, short enough to be whole), a resource's title, a review's title (year, area).
CHILD_Q = "Child Q (2024, Test Safeguarding Children Partnership)"
ITEM_TITLES = [
    "Professional curiosity",
    "Point 1: ask about the adults in the home.",
    "Point 2: ask about the adults in the home.",
    "Point 3: ask about the adults in the home.",
    "Reflective question",
    "Curiosity toolkit",
    CHILD_Q,
    "Timed activity",
]


def today() -> str:
    return dateformat.format(timezone.localdate(), "j F Y")


def download(client, pack, fmt, status=200):
    response = client.get(reverse("session_packs:export", args=[pack.pk, fmt]))
    assert response.status_code == status, response.content[:300]
    return response


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def in_order(text: str, fragments: list[str]) -> bool:
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        if found < 0:
            raise AssertionError(f"{fragment!r} missing or out of order")
        position = found + len(fragment)
    return True


def struct_roles(reader: PdfReader) -> list[str]:
    """The structure types (H1, H2, P, L, Link ...) of the PDF's tag tree."""
    roles: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            roles.append(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return roles


@pytest.mark.parametrize("fmt", ["pdf", "docx", "pptx", "briefing"])
def test_downloads_have_the_right_type_and_a_file_name_from_the_title(trainer_client, pack, fmt):
    response = download(trainer_client, pack, fmt)
    assert response["Content-Type"] == TYPES[fmt]
    extension = "pdf" if fmt == "briefing" else fmt
    suffix = "-7-minute-briefing" if fmt == "briefing" else ""
    assert response["Content-Disposition"] == (
        f'attachment; filename="curiosity-team-meeting{suffix}.{extension}"'
    )
    assert "no-store" in response["Cache-Control"]


def test_a_title_with_quotes_and_accents_makes_a_safe_file_name(trainer_client, pack):
    pack.title = 'Café "quotes"; & \u2018more\u2019 / ../etc'
    pack.save()
    response = download(trainer_client, pack, "pdf")
    assert response["Content-Disposition"] == 'attachment; filename="cafe-quotes-more-etc.pdf"'


def test_the_pdf_handout(trainer_client, pack):
    data = download(trainer_client, pack, "pdf").content
    text = pdf_text(data)
    in_order(
        text,
        [
            "Curiosity: team meeting",
            "For: Health visitors",
            "45 minutes",
            f"Generated on {today()}",
            "Learning objectives",
            "Ask about the adults in the home",
            "Check what you are told",
            "Session plan",
            "1. Professional curiosity",
            "Remember to ask who lives in the home.",
            "2. Point 1: ask about the adults in the home.",
            "From Child Q (2024,",
            "Guidance 1: use open questions.",
            "Curiosity toolkit example.org/curiosity",
            "Notes for Point 1",
            "3. Point 2: ask about",
            "4. Point 3: ask about",
            "5. Reflective question",
            "Think of a family you work with.",
            "6. Curiosity toolkit",
            "7. Child Q (2024, Test Safeguarding Children Partnership)",
            "What happened to Q.",
            "8. Timed activity",
            "Pairs: map the family network.",
            "Resources",
            "Curiosity toolkit",
            "After the session",
            "What did you discuss?",
            "What will you do differently?",
            "How will you know it worked?",
        ],
    )
    # Resources are a title and a short link, never the raw address.
    assert "https://example.org/curiosity" not in text


def test_the_pdf_is_tagged_with_its_language_title_and_headings(trainer_client, pack):
    reader = PdfReader(io.BytesIO(download(trainer_client, pack, "pdf").content))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "en-GB"
    assert reader.metadata.title == "Curiosity: team meeting"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    roles = struct_roles(reader)
    assert roles.count("/H1") == 1
    assert roles.count("/H2") >= 4  # objectives, session plan, resources, after the session
    assert "/H3" in roles and "/L" in roles and "/Link" in roles
    # PDF/UA-1 identification in the XMP metadata
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp and re.search(r"pdfuaid:part[^0-9]*1", xmp)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_the_word_document(trainer_client, pack):
    document = Document(io.BytesIO(download(trainer_client, pack, "docx").content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0] == ("Heading 1", "Curiosity: team meeting")
    headings = [text for style, text in paragraphs if style == "Heading 3"]
    assert headings == [f"{n}. {title}" for n, title in enumerate(ITEM_TITLES, start=1)]
    assert [text for style, text in paragraphs if style == "Heading 2"] == [
        "Learning objectives",
        "Session plan",
        "Resources",
        "After the session",
    ]
    text = "\n".join(text for _, text in paragraphs)
    in_order(
        text,
        [
            "For: Health visitors",
            "Duration: 45 minutes",
            f"Generated on {today()}",
            "Ask about the adults in the home",
            "Point 1: ask about the adults in the home.",
            "How to enhance your practice",
            "Guidance 1: use open questions.",
            "Curiosity toolkit example.org/curiosity",
            "Notes for Point 1",
            "Point 2:",
            "Think of a family you work with.",
            "Pairs: map the family network.",
        ],
    )
    links = [
        rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")
    ]
    assert "https://example.org/curiosity" in links
    assert document.core_properties.title == "Curiosity: team meeting"
    box = document.tables[-1].cell(0, 0).text
    assert "What did you discuss?" in box and "How will you know it worked?" in box


def test_the_slide_deck(trainer_client, pack):
    deck = Presentation(io.BytesIO(download(trainer_client, pack, "pptx").content))
    slides = list(deck.slides)
    titles = [slide.shapes.title.text for slide in slides]
    assert titles == [
        "Curiosity: team meeting",
        "Learning objectives",
        *[f"{n}. {title}" for n, title in enumerate(ITEM_TITLES, start=1)],
        "Resources",
        "After the session",
    ]
    title_text = " ".join(
        shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame
    )
    assert "Health visitors" in title_text and f"Generated on {today()}" in title_text
    notes = [slide.notes_slide.notes_text_frame.text for slide in slides]
    for n, slide_notes in enumerate(notes[3:6], start=1):
        # the guidance and the trainer's notes are kept for the speaker
        assert f"Guidance {n}: use open questions." in slide_notes
        assert f"Notes for Point {n}" in slide_notes
    body = " ".join(shape.text_frame.text for shape in slides[3].shapes if shape.has_text_frame)
    assert "Point 1: ask about the adults in the home." in body
    resources = slides[-2]
    addresses = [
        run.hyperlink.address
        for shape in resources.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]
    assert "https://example.org/curiosity" in addresses


def test_the_exports_follow_the_packs_order(trainer_client, pack):
    order = list(pack.items.order_by("position").values_list("pk", flat=True))
    services.pack_reorder(pack, list(reversed(order)))
    deck = Presentation(io.BytesIO(download(trainer_client, pack, "pptx").content))
    assert [s.shapes.title.text for s in deck.slides][2:-2] == [
        f"{n}. {title}" for n, title in enumerate(reversed(ITEM_TITLES), start=1)
    ]
    text = pdf_text(download(trainer_client, pack, "pdf").content)
    in_order(text, ["1. Timed activity", "2. Child Q (2024", "8. Professional curiosity"])


def test_withdrawn_content_is_named_in_every_export(trainer_client, pack, content):
    point = content["points"][0]
    point.status = Status.ARCHIVED
    point.save()
    message = "This practice point has been withdrawn from the toolkit"
    text = pdf_text(download(trainer_client, pack, "pdf").content)
    assert message in text and "Point 1: ask about" not in text
    assert "Notes for Point 1" in text
    document = Document(io.BytesIO(download(trainer_client, pack, "docx").content))
    words = "\n".join(p.text for p in document.paragraphs)
    assert message in words and "Point 1: ask about" not in words
    deck = Presentation(io.BytesIO(download(trainer_client, pack, "pptx").content))
    slide = list(deck.slides)[3]
    assert slide.shapes.title.text == "2. Practice point (withdrawn)"
    assert message in " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_an_empty_pack_exports_too(trainer_client, trainer):
    pack = services.pack_create(owner=trainer, title="Empty")
    assert "This pack has no items yet" in pdf_text(download(trainer_client, pack, "pdf").content)
    assert download(trainer_client, pack, "docx").content
    deck = Presentation(io.BytesIO(download(trainer_client, pack, "pptx").content))
    assert [s.shapes.title.text for s in deck.slides] == ["Empty", "After the session"]


def test_the_7_minute_briefing_is_one_page(trainer_client, pack):
    reader = PdfReader(io.BytesIO(download(trainer_client, pack, "briefing").content))
    assert len(reader.pages) == 1
    assert str(reader.trailer["/Root"]["/Lang"]) == "en-GB"
    assert reader.metadata.title == "7-minute briefing: Professional curiosity"
    text = pdf_text(download(trainer_client, pack, "briefing").content)
    in_order(
        text,
        [
            "7-minute briefing: Professional curiosity",
            f"Safeguarding Children Partnership · {today()}",
            "1 What it is",
            "Being curious about what you see and hear.",
            "2 Why it matters",
            "Reviews find practitioners accepted what parents said.",
            "3 What the reviews found",
            "Point 1: ask about the adults in the home.",
            "4 What it means for practice",
            "Remember to ask who lives in the home.",
            "5 What good looks like",
            "Guidance 1: use open questions.",
            "6 Resources and further reading",
            "Curiosity toolkit example.org/curiosity",
            "7 Questions for your team",
            "Think of a family you work with.",
            "After the session",
            "What did you discuss?",
        ],
    )


def test_a_briefing_from_the_real_content_still_fits_one_page(trainer_client, trainer, seed):
    for theme in Theme.objects.published():
        pack = services.pack_create_from_theme(theme, trainer)
        reader = PdfReader(io.BytesIO(download(trainer_client, pack, "briefing").content))
        assert len(reader.pages) == 1, theme.slug


def test_a_briefing_is_refused_for_a_pack_that_is_not_about_one_theme(
    trainer_client, pack, content
):
    from tests.factories import ThemeFactory

    services.pack_add_item(pack, kind=ItemKind.THEME_OVERVIEW, content=ThemeFactory())
    response = download(trainer_client, pack, "briefing", status=400)
    assert "A 7-minute briefing needs a pack about one theme" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    html = trainer_client.get(pack.get_absolute_url()).content.decode()
    assert "export/briefing/" not in html

    no_theme = services.pack_create(owner=pack.owner, title="Just notes")
    services.pack_add_item(no_theme, kind=ItemKind.FACILITATOR_NOTE, body="Welcome.")
    download(trainer_client, no_theme, "briefing", status=400)


def test_shared_link_exports_match_the_owners(client, trainer_client, pack):
    pack.visibility = Visibility.SHARED
    pack.save()
    for fmt in ("pdf", "docx", "pptx", "briefing"):
        shared = client.get(reverse("session_packs:shared_export", args=[pack.share_token, fmt]))
        assert shared.status_code == 200
        assert shared["Content-Type"] == TYPES[fmt]
        assert (
            shared["Content-Disposition"]
            == download(trainer_client, pack, fmt)["Content-Disposition"]
        )
    text = pdf_text(
        client.get(reverse("session_packs:shared_export", args=[pack.share_token, "pdf"])).content
    )
    assert "Notes for Point 1" in text


def test_an_unknown_format_is_404(trainer_client, pack):
    assert trainer_client.get(f"/packs/{pack.pk}/export/html/").status_code == 404
