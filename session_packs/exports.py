"""A session pack taken into the room: a PDF handout, a Word document, a PowerPoint
deck and a one-page 7-minute briefing. Each shows the pack's title, audience,
objectives, its items in order with the trainer's notes and the resource links, and the
date it was generated. Content that is no longer published is named as withdrawn,
never shown and never silently dropped."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.text import Truncator, slugify

from reviews_toolkit.richtext import plain_text

from .models import ItemKind, PackItem, SessionPack
from .selectors import pack_items, single_theme

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

_BULLET = re.compile(r"^\s*[-*•]\s+")


class NotASingleThemePack(Exception):
    """A 7-minute briefing is made from a pack about one theme."""


@dataclass
class Block:
    """A paragraph (``items`` empty) or a bulleted list."""

    text: str = ""
    items: list[str] = field(default_factory=list)


def blocks(text: str | None) -> list[Block]:
    """Content text as paragraphs and bulleted lists, as the site's `prose` filter reads
    it: blank lines separate paragraphs, lines starting with '-' or '*' are bullets."""
    result: list[Block] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        # Plain words: no markup reaches the PDF's HTML, the Word document or the slides.
        lines = [plain_text(line.strip()) for line in chunk.splitlines() if line.strip()]
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        bullets = [line for line in lines if _BULLET.match(line)]
        if bullets and len(bullets) == len(lines):
            result.append(Block(items=[_BULLET.sub("", line) for line in lines]))
        elif bullets and not _BULLET.match(lines[0]) and len(bullets) == len(lines) - 1:
            result.append(Block(text=lines[0]))
            result.append(Block(items=[_BULLET.sub("", line) for line in lines[1:]]))
        else:
            result.append(Block(text=" ".join(lines)))
    return result


@dataclass
class Link:
    title: str
    url: str


@dataclass
class Section:
    heading: str
    blocks: list[Block]


@dataclass
class ExportItem:
    number: int
    kind: str
    kind_label: str
    title: str
    minutes: int | None
    withdrawn: str = ""
    source: str = ""
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)

    @property
    def notes_text(self) -> str:
        return "\n\n".join(
            block.text if not block.items else "\n".join(f"- {i}" for i in block.items)
            for block in self.notes
        )


@dataclass
class ExportPack:
    title: str
    audience: str
    agencies: list[str]
    duration_minutes: int
    total_minutes: int
    objectives: list[str]
    items: list[ExportItem]
    resources: list[Link]
    generated_on: str
    partnership: str
    site_name: str

    @property
    def slug(self) -> str:
        return slugify(self.title) or "session-pack"

    @property
    def audience_line(self) -> str:
        parts = [self.audience] if self.audience else []
        if self.agencies:
            parts.append("Agencies: " + ", ".join(self.agencies))
        return ". ".join(parts)


def _export_item(number: int, item: PackItem) -> ExportItem:
    export = ExportItem(
        number=number,
        kind=item.kind,
        kind_label=item.get_kind_display(),
        title=item.get_kind_display(),
        minutes=item.minutes,
        notes=blocks(item.trainer_notes),
    )
    if item.is_withdrawn:
        export.withdrawn = item.withdrawn_message + "."
        return export
    content = item.content
    if item.kind == ItemKind.PRACTICE_POINT:
        review = content.review
        export.title = f"Learning from {review.title}" if review else "Practice point"
        if review:
            export.source = f"From {review.title} ({review.get_review_type_display()})"
        export.blocks = blocks(content.text)
        if content.guidance:
            export.sections.append(
                Section("How to enhance your practice", blocks(content.guidance))
            )
        export.links = [Link(r.title, r.url) for r in content.resources.all()]
    elif item.kind == ItemKind.RESOURCE:
        export.title = content.title
        details = [content.get_resource_type_display(), content.get_scope_display().lower()]
        if content.publisher:
            details.append(content.publisher)
        export.source = ", ".join(details).capitalize()
        export.blocks = blocks(content.summary)
        export.links = [Link(content.title, content.url)]
    elif item.kind == ItemKind.THEME_OVERVIEW:
        export.title = content.name
        export.source = content.get_kind_display()
        export.blocks = blocks(content.summary)
        if content.key_message_list:
            messages = [plain_text(message) for message in content.key_message_list]
            export.sections.append(Section("Key messages", [Block(items=messages)]))
        if content.body:
            export.sections.append(Section("Why it matters", blocks(content.body)))
    elif item.kind == ItemKind.REVIEW_SUMMARY:
        export.title = content.title
        details = [content.get_review_type_display()]
        if content.partnership:
            details.append(content.partnership)
        if content.published_on:
            details.append(f"{content.published_on:%B %Y}")
        export.source = ", ".join(details)
        export.blocks = blocks(content.summary)
        if content.source_url:
            export.links = [Link(f"Read the full report: {content.title}", content.source_url)]
    else:
        export.blocks = blocks(item.body)
    return export


def pack_export(pack: SessionPack, items: list[PackItem] | None = None) -> ExportPack:
    items = items if items is not None else pack_items(pack)
    exported = [_export_item(number, item) for number, item in enumerate(items, start=1)]
    resources: list[Link] = []
    seen: set[str] = set()
    for item in exported:
        for link in item.links:
            if link.url not in seen:
                seen.add(link.url)
                resources.append(link)
    return ExportPack(
        title=pack.title,
        audience=pack.audience,
        agencies=[agency.name for agency in pack.audience_agencies.all()],
        duration_minutes=pack.duration_minutes,
        total_minutes=sum(item.minutes or 0 for item in items),
        objectives=pack.objective_list,
        items=exported,
        resources=resources,
        generated_on=dateformat.format(timezone.localdate(), "j F Y"),
        partnership=settings.PARTNERSHIP_NAME,
        site_name=settings.SITE_NAME,
    )


def filename(export: ExportPack, extension: str, suffix: str = "") -> str:
    return f"{export.slug}{suffix}.{extension}"


# --- PDF -----------------------------------------------------------------------------


def _refuse_fetch(url: str, *args, **kwargs):
    """Exports never fetch anything: all they need is in the HTML."""
    raise ValueError(f"session pack exports do not fetch {url}")


def _pdf(html: str):
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch)


def _write_pdf(document) -> bytes:
    # PDF/UA-1: tagged (headings, lists, links in the structure tree), with the
    # document's language and title.
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(export: ExportPack) -> bytes:
    html = render_to_string("session_packs/exports/handout.html", {"pack": export})
    return _write_pdf(_pdf(html).render())


# Text budgets for the one-page briefing, tried in turn until it fits one page.
BRIEFING_BUDGETS = [
    {"why": 900, "messages": 5, "points": 4, "point_words": 40, "questions": 3},
    {"why": 600, "messages": 4, "points": 3, "point_words": 30, "questions": 2},
    {"why": 400, "messages": 3, "points": 2, "point_words": 22, "questions": 2},
    {"why": 250, "messages": 3, "points": 1, "point_words": 18, "questions": 1},
]


def render_briefing(pack: SessionPack) -> bytes:
    """A 7-minute briefing on the pack's one theme: what, why, what it means for
    practice and questions, on one A4 page."""
    from .services import theme_reflective_questions

    items = pack_items(pack)
    theme = single_theme(pack, items)
    if theme is None or not theme.is_published:
        raise NotASingleThemePack(
            "A 7-minute briefing is made from a pack about one theme: add one theme’s "
            "overview to the pack (and no other theme’s)."
        )
    export = pack_export(pack, items)
    points = [
        item.practice_point
        for item in items
        if item.kind == ItemKind.PRACTICE_POINT and not item.is_withdrawn
    ]
    questions = [
        plain_text(" ".join(item.body.split()))
        for item in items
        if item.kind == ItemKind.REFLECTIVE_QUESTION
    ] or theme_reflective_questions(theme)
    why = " ".join(block.text or " ".join(block.items) for block in blocks(theme.body))
    document = None
    for budget in BRIEFING_BUDGETS:
        html = render_to_string(
            "session_packs/exports/briefing.html",
            {
                "pack": export,
                "theme": theme,
                "why": Truncator(why).chars(budget["why"]),
                "summary": plain_text(theme.summary),
                "messages": [plain_text(m) for m in theme.key_message_list[: budget["messages"]]],
                "points": [
                    Truncator(plain_text(" ".join(point.text.split()))).words(budget["point_words"])
                    for point in points[: budget["points"]]
                ],
                "questions": questions[: budget["questions"]],
            },
        )
        document = _pdf(html).render()
        if len(document.pages) == 1:
            break
    return _write_pdf(document)


# --- Word ----------------------------------------------------------------------------


def _docx_hyperlink(paragraph, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D70B8")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend([colour, underline])
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _docx_blocks(document, items: list[Block]) -> None:
    for block in items:
        if block.items:
            for entry in block.items:
                document.add_paragraph(entry, style="List Bullet")
        else:
            document.add_paragraph(block.text)


def _docx_links(document, links: list[Link]) -> None:
    for link in links:
        paragraph = document.add_paragraph(style="List Bullet")
        _docx_hyperlink(paragraph, link.title, link.url)
        paragraph.add_run(f" ({link.url})")


def render_docx(export: ExportPack) -> bytes:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.core_properties.title = export.title
    document.core_properties.language = "en-GB"
    document.core_properties.author = export.partnership
    # The document's language, for spell checkers and screen readers.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    run_properties.append(language)

    document.add_heading(export.title, level=1)
    if export.audience_line:
        document.add_paragraph(f"For: {export.audience_line}")
    document.add_paragraph(
        f"Duration: {export.duration_minutes} minutes (the items add up to "
        f"{export.total_minutes} minutes)"
    )
    document.add_paragraph(f"Generated on {export.generated_on} from the {export.site_name}.")
    if export.objectives:
        document.add_heading("Learning objectives", level=2)
        for objective in export.objectives:
            document.add_paragraph(objective, style="List Bullet")
    document.add_heading("Session plan", level=2)
    for item in export.items:
        document.add_heading(f"{item.number}. {item.title}", level=3)
        meta = [item.kind_label]
        if item.minutes:
            meta.append(f"{item.minutes} minutes")
        meta_paragraph = document.add_paragraph()
        meta_paragraph.add_run(", ".join(meta)).italic = True
        if item.withdrawn:
            document.add_paragraph().add_run(item.withdrawn).bold = True
        if item.source:
            document.add_paragraph(item.source)
        _docx_blocks(document, item.blocks)
        for section in item.sections:
            document.add_heading(section.heading, level=4)
            _docx_blocks(document, section.blocks)
        if item.links:
            document.add_heading("Links", level=4)
            _docx_links(document, item.links)
        if item.notes:
            document.add_heading("Trainer’s notes", level=4)
            _docx_blocks(document, item.notes)
    if export.resources:
        document.add_heading("Resources", level=2)
        _docx_links(document, export.resources)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PowerPoint ----------------------------------------------------------------------


def _pptx_text(frame, paragraphs: list[tuple[str, int]], size: int = 20) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt

    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    first = True
    for text, level in paragraphs:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.text = text
        paragraph.level = level
        for run in paragraph.runs:
            run.font.size = Pt(size - 2 * level)


def _pptx_block_lines(items: list[Block], level: int = 0) -> list[tuple[str, int]]:
    lines: list[tuple[str, int]] = []
    for index, block in enumerate(items):
        if block.items:
            indent = level + 1 if index > 0 else level
            lines.extend((entry, indent) for entry in block.items)
        else:
            lines.append((block.text, level))
    return lines


def render_pptx(export: ExportPack) -> bytes:
    from pptx import Presentation
    from pptx.util import Pt

    deck = Presentation()
    deck.core_properties.title = export.title
    deck.core_properties.language = "en-GB"
    deck.core_properties.author = export.partnership
    title_layout, content_layout = deck.slide_layouts[0], deck.slide_layouts[1]

    slide = deck.slides.add_slide(title_layout)
    slide.shapes.title.text = export.title
    subtitle = [export.audience_line] if export.audience_line else []
    subtitle += [f"{export.duration_minutes} minutes", f"Generated on {export.generated_on}"]
    slide.placeholders[1].text = "\n".join(subtitle)
    slide.notes_slide.notes_text_frame.text = (
        f"{export.title}. {export.partnership}, {export.site_name}."
    )

    if export.objectives:
        slide = deck.slides.add_slide(content_layout)
        slide.shapes.title.text = "Learning objectives"
        _pptx_text(slide.placeholders[1].text_frame, [(o, 0) for o in export.objectives], 24)

    for item in export.items:
        slide = deck.slides.add_slide(content_layout)
        slide.shapes.title.text = item.title
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(32 if len(item.title) < 50 else 24)
        if item.withdrawn:
            lines = [(item.withdrawn, 0)]
        else:
            lines = _pptx_block_lines(item.blocks)
            for section in item.sections[:1]:
                lines.append((section.heading, 0))
                lines.extend(_pptx_block_lines(section.blocks, level=1))
            lines.extend((f"{link.title}: {link.url}", 1) for link in item.links[:3])
        if item.minutes:
            lines.append((f"{item.kind_label}, {item.minutes} minutes", 0))
        _pptx_text(slide.placeholders[1].text_frame, lines or [(item.kind_label, 0)])
        notes = [item.notes_text] if item.notes else []
        if item.source:
            notes.append(item.source)
        if item.withdrawn:
            notes.append(item.withdrawn)
        slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)

    slide = deck.slides.add_slide(content_layout)
    slide.shapes.title.text = "Resources"
    frame = slide.placeholders[1].text_frame
    if export.resources:
        _pptx_text(frame, [(link.title, 0) for link in export.resources], 18)
        for paragraph, link in zip(frame.paragraphs, export.resources, strict=True):
            paragraph.runs[0].hyperlink.address = link.url
    else:
        _pptx_text(frame, [("Find more in the Learning from Reviews Toolkit", 0)])
    slide.notes_slide.notes_text_frame.text = "\n".join(
        f"{link.title}: {link.url}" for link in export.resources
    )

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
