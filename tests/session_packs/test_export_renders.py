"""Every export rendered and measured, not only read: the PDF handout and the briefing
through pdftotext's word boxes; the Word document and the slides converted to PDF by
LibreOffice and measured the same way. No word may fall outside its page or slide (nor,
on a slide, into the band at its foot); the briefing is one A4 page with its sections
numbered 1 to 7 and no text under 9 pt; Word is A4; slides are 16:9; no slide title is
used on more than 3 slides.

The exports are rendered and converted once for the module (LibreOffice is slow), with
a private LibreOffice profile so parallel runs do not clash. Without LibreOffice or
pdftotext the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from docx import Document
from pptx import Presentation

from session_packs import exports, renderers, services
from session_packs.models import ItemKind, Visibility
from session_packs.selectors import pack_items
from tests.factories import PracticePointFactory, ResourceFactory, ReviewFactory, ThemeFactory

from .support import make_user

# The module's fixture builds its packs in the test database (pytest-django creates it
# only for a session that has tests marked as using it).
pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)
SLIDE_BAND = 0.55 / 7.5  # the branded band at the foot of each slide, as a share of its height
SENTENCE = (
    "Practitioners should ask who lives in the home, check what they are told with the "
    "other agencies who know the family, and record why they reached their view. "
)


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    message = (
        f"{tool} is not installed (Debian: libreoffice-writer, libreoffice-impress, poppler-utils)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Measured:
    pages: list[tuple[float, float]]
    words: list[Word]

    def outside(self, *, bottom_share: float = 0.0, allowed: set[str] = frozenset()):
        """Words outside their page (or below its last ``bottom_share`` of height)."""
        bad = []
        for word in self.words:
            width, height = self.pages[word.page]
            limit = height * (1 - bottom_share) if bottom_share else height
            if word.x0 < 0 or word.y0 < 0 or word.x1 > width + 0.5 or word.y1 > height + 0.5:
                bad.append(word)
            elif bottom_share and word.y1 > limit + 0.5 and word.text not in allowed:
                bad.append(word)
        return bad


def overlapping(measured: Measured) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other on the same page (text laid on text)."""
    pairs = []
    by_page: dict[int, list[Word]] = {}
    for word in measured.words:
        by_page.setdefault(word.page, []).append(word)
    for words in by_page.values():
        for index, a in enumerate(words):
            for b in words[index + 1 :]:
                overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
                overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
                # lines set close (a title's 90% spacing) touch a little: not a clash
                least = min(a.y1 - a.y0, b.y1 - b.y0)
                if overlap_x > 1 and overlap_y > 0.3 * least:
                    pairs.append((a.text, b.text))
    return pairs


def measure(pdf: Path) -> Measured:
    """pdftotext's word boxes: each page's size and each word's box."""
    out = pdf.with_suffix(".bbox.html")
    subprocess.run([_need("pdftotext"), "-bbox", str(pdf), str(out)], check=True, timeout=120)
    markup = out.read_text(encoding="utf-8")
    pages: list[tuple[float, float]] = []
    words: list[Word] = []
    for page_match in re.finditer(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', markup, re.S
    ):
        pages.append((float(page_match.group(1)), float(page_match.group(2))))
        for word in re.finditer(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>',
            page_match.group(3),
        ):
            x0, y0, x1, y1 = (float(word.group(n)) for n in range(1, 5))
            words.append(Word(len(pages) - 1, html.unescape(word.group(5)), x0, y0, x1, y1))
    return Measured(pages, words)


def text_of(pdf: Path) -> str:
    result = subprocess.run(
        [_need("pdftotext"), str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return " ".join(result.stdout.decode().split())


def convert(files: list[Path], outdir: Path) -> None:
    """LibreOffice headless, once for all the files, with a profile of its own."""
    soffice = _need("libreoffice")
    profile = Path(f"/tmp/lo_test_{os.getpid()}_{uuid.uuid4().hex[:8]}")
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def build_packs():
    """A 12-item pack (a table of contents; long points; long titles and links; a
    word longer than a line) and a one-theme pack for the briefing."""
    trainer = make_user("render-trainer")
    theme = ThemeFactory(
        name="Professional curiosity",
        slug="render-curiosity",
        summary="Being curious about what you see and hear, and checking it. " * 3,
        body=("Reviews keep finding that practitioners accepted what they were told. " * 12),
        key_messages="\n".join(f"Remember point {n}: ask, check and challenge." for n in range(8)),
    )
    review = ReviewFactory(
        title="Child Q: a local child safeguarding practice review of the multi-agency response",
        partnership="City and Hackney Safeguarding Children Partnership",
    )
    resources = [
        ResourceFactory(
            title=f"Resource {n}: multi-agency guidance on professional curiosity and challenge",
            url=f"https://www.example.org.uk/safeguarding/procedures/chapter-{n}/"
            "professional-curiosity-and-respectful-uncertainty-in-practice?version=2024",
        )
        for n in range(9)
    ]
    for resource in resources:
        resource.themes.add(theme)
    points = []
    for n in range(7):
        point = PracticePointFactory(
            headline=f"Point {n}: ask who lives in the home and check what you are told",
            text=SENTENCE * (14 if n < 2 else 2),
            guidance=(f"Guidance {n}: use open questions. " * 10),
            review=review,
            themes=[theme],
        )
        point.resources.add(*resources[n : n + 2])
        points.append(point)
    pack = services.pack_create(
        owner=trainer,
        title="Professional curiosity in multi-agency practice: a full session for health "
        "visitors, school nurses, early help and children's social care",
        audience="Health visitors, school nurses, early help workers and social workers " * 2,
        duration_minutes=90,
        learning_objectives="Ask who lives in the home\nCheck what you are told\nChallenge",
        visibility=Visibility.SHARED,
    )
    services.pack_add_item(pack, kind=ItemKind.THEME_OVERVIEW, content=theme)
    for point in points:
        services.pack_add_item(
            pack,
            kind=ItemKind.PRACTICE_POINT,
            content=point,
            trainer_notes="Ask the room for an example. " + "x" * 90,  # a word longer than a line
        )
    for n in range(3):
        services.pack_add_item(
            pack, kind=ItemKind.REFLECTIVE_QUESTION, body=f"Question {n}: who else? " * 6
        )
    services.pack_add_item(pack, kind=ItemKind.REVIEW_SUMMARY, content=review)
    briefing_pack = services.pack_create_from_theme(theme, trainer)
    return pack, briefing_pack


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every export of the packs, written to files, the Word and slides converted to
    PDF: once for the module."""
    _need("pdftotext")
    _need("libreoffice")
    folder = tmp_path_factory.mktemp("exports")
    with django_db_blocker.unblock(), transaction.atomic():
        pack, briefing_pack = build_packs()
        export = exports.pack_export(
            pack, pack_items(pack), share_url="https://toolkit.example.org.uk/packs/shared/x/"
        )
        candidates = exports.briefings(briefing_pack, pack_items(briefing_pack))
        files = {
            "handout.pdf": exports.render_pdf(export),
            "pack.docx": renderers.render_docx(export),
            "slides.pptx": renderers.render_pptx(export),
            "briefing.pdf": exports.render_briefing_pdf(candidates),
            "briefing-word.docx": renderers.render_briefing_docx(candidates),
        }
        transaction.set_rollback(True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    convert([folder / "pack.docx", folder / "slides.pptx", folder / "briefing-word.docx"], folder)
    return {"folder": folder, "files": files, "items": len(export.items)}


def test_the_handout_has_every_word_inside_its_a4_pages(rendered):
    measured = measure(rendered["folder"] / "handout.pdf")
    assert len(measured.pages) > 1
    assert all(size == pytest.approx(A4, abs=1) for size in measured.pages)
    assert measured.words and measured.outside() == []
    assert overlapping(measured) == []
    text = text_of(rendered["folder"] / "handout.pdf")
    # more than 10 items: a table of contents with page numbers, then the plan
    assert rendered["items"] > 10
    assert re.search(r"Contents 1\. Professional curiosity \.* ?\d", text)
    assert "Open this pack online" in text
    assert text.rindex("After the session") > text.rindex("Session plan")
    assert "https://www.example.org.uk" not in text  # a short link, not the raw address


def test_the_briefing_is_one_a4_page_with_seven_numbered_sections(rendered):
    pdf = rendered["folder"] / "briefing.pdf"
    measured = measure(pdf)
    assert len(measured.pages) == 1
    assert measured.pages[0] == pytest.approx(A4, abs=1)
    assert measured.outside() == []
    # no text smaller than 9 pt: a word's box is at least its font size tall
    assert min(word.y1 - word.y0 for word in measured.words) >= 9
    assert overlapping(measured) == []
    text = text_of(pdf)
    positions = [text.index(f"{number} {title}") for number, title in exports.BRIEFING_SECTIONS]
    assert positions == sorted(positions)
    assert "Safeguarding Children Partnership" in text
    assert re.search(
        r"[Aa]nd \d+ more (points|resources|key messages): see the", text
    )  # trimmed, said
    assert "After the session" in text


def test_the_word_document_is_a4_and_every_word_is_inside_its_pages(rendered):
    document = Document(io.BytesIO(rendered["files"]["pack.docx"]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.header.paragraphs[0].text == "Safeguarding Children Partnership"
    footer_xml = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles
    measured = measure(rendered["folder"] / "pack.pdf")
    assert all(size == pytest.approx(A4, abs=1) for size in measured.pages)
    assert measured.words and measured.outside() == []
    text = text_of(rendered["folder"] / "pack.pdf")
    assert "Page 1 of" in text  # the PAGE and NUMPAGES fields, filled in


def test_the_word_briefing_is_a4_with_its_seven_sections(rendered):
    document = Document(io.BytesIO(rendered["files"]["briefing-word.docx"]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [
        *[f"{n}. {title}" for n, title in exports.BRIEFING_SECTIONS],
        "After the session",
    ]
    converted = measure(rendered["folder"] / "briefing-word.pdf")
    assert all(size == pytest.approx(A4, abs=1) for size in converted.pages)
    assert converted.words and converted.outside() == []


def test_the_slides_are_16_9_and_no_word_leaves_its_slide(rendered):
    deck = Presentation(io.BytesIO(rendered["files"]["slides.pptx"]))
    assert deck.slide_width * 9 == pytest.approx(deck.slide_height * 16, rel=0.001)
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert max(Counter(titles).values()) <= 3, Counter(titles).most_common(3)
    # the long points went on continuation slides rather than overflowing
    assert any(title.endswith("(1 of 2)") or "(1 of 3)" in title for title in titles)
    converted = rendered["folder"] / "slides.pdf"
    measured = measure(converted)
    assert len(measured.pages) == len(deck.slides)
    width, height = measured.pages[0]
    assert width * 9 == pytest.approx(height * 16, rel=0.01)
    band_words = set("Safeguarding Children Partnership".split())
    assert measured.outside(bottom_share=SLIDE_BAND, allowed=band_words) == []
    assert overlapping(measured) == []
    # speaker notes keep the guidance and the trainer's notes
    notes = " ".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    assert "Guidance 0: use open questions." in notes and "Ask the room for an example." in notes
    # resources: titles with short links on the closing slides, linked
    text = text_of(converted)
    assert "Resources" in text and "example.org.uk/…/" in text
    assert "https://www.example.org.uk" not in text
