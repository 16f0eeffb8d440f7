"""The session pack as PowerPoint slides: 16:9, on a master branded with the
partnership's name and colour (settings.PARTNERSHIP_NAME, PARTNERSHIP_COLOUR).

Text always fits: each slide's text is measured with the font's real widths
(textfit); it steps down from its size to a floor, and what still does not fit goes on
continuation slides titled "(2 of 3)". The guidance, the source and the trainer's notes
go in the speaker notes. Resources are listed on a closing slide as titles (linked)
with short links; the deck ends with the "After the session" questions.
"""

from __future__ import annotations

import copy
import io
import re

from django.utils.text import Truncator

from . import textfit
from .exports import ExportItem, ExportPack, blocks_text

FONT = "Arial"  # Liberation Sans where Arial is missing: the same widths
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.6
BAND_IN = 0.55
BODY_TOP_IN = 1.75
BODY_BOTTOM_IN = 6.25  # above the line giving the item's kind, minutes and source
FULL_BODY_BOTTOM_IN = 6.75  # slides without that line
BODY_SIZES = (28, 24, 22, 20, 18)
TITLE_SIZES = (30, 26, 22)
INSET_PT = 7.2  # a text box's default inset, left and right (0.1 inch)
INDENT_PT = 20


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.upper())


def _pt(inches: float) -> float:
    return inches * 72


# --- The master ------------------------------------------------------------------------


def _widen_for_16_9(deck) -> None:
    """The default template's placeholders are laid out for 4:3: stretch them across."""
    from pptx.util import Emu

    factor = SLIDE_W_IN / 10
    for holder in [deck.slide_master, *deck.slide_layouts]:
        for shape in holder.placeholders:
            if shape.left is not None and shape.width is not None:
                shape.left = Emu(int(shape.left * factor))
                shape.width = Emu(int(shape.width * factor))


def _brand_master(deck, partnership: str, colour: str) -> None:
    """A band in the partnership's colour along the foot of every slide with its name,
    and a thin rule at the top: drawn on a scratch slide, then moved to the master."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches, Pt

    scratch = deck.slides.add_slide(deck.slide_layouts[6])
    band = scratch.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, 0, Inches(SLIDE_H_IN - BAND_IN), deck.slide_width, Inches(BAND_IN)
    )
    rule = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, deck.slide_width, Inches(0.12))
    for shape in (band, rule):
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(colour)
        shape.line.fill.background()
        shape.shadow.inherit = False
    name = scratch.shapes.add_textbox(
        Inches(MARGIN_IN),
        Inches(SLIDE_H_IN - BAND_IN),
        Inches(SLIDE_W_IN - 2 * MARGIN_IN),
        Inches(BAND_IN),
    )
    frame = name.text_frame
    frame.word_wrap = True
    from pptx.enum.text import MSO_ANCHOR

    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = Truncator(partnership).chars(90)
    run.font.size = Pt(14)
    run.font.bold = True
    run.font.name = FONT
    run.font.color.rgb = _rgb("FFFFFF")
    tree = deck.slide_master.shapes._spTree
    for shape in (band, rule, name):
        tree.append(copy.deepcopy(shape._element))
    # Drop the scratch slide (its part is no longer referenced, so never saved).
    slide_ids = deck.slides._sldIdLst
    scratch_id = slide_ids[-1]
    deck.part.drop_rel(scratch_id.rId)
    slide_ids.remove(scratch_id)


# --- Text that fits ----------------------------------------------------------------------


def _fits(paragraphs, size, width_pt, height_pt) -> bool:
    return textfit.height(paragraphs, size, width_pt, indent=INDENT_PT) <= height_pt


def _split_long(paragraphs, width_pt, height_pt):
    """Paragraphs too tall for a whole slide at the floor size, cut into sentences (and
    a sentence too long, into halves)."""
    floor = BODY_SIZES[-1]
    result = []
    queue = list(paragraphs)
    while queue:
        text, level = queue.pop(0)
        if _fits([(text, level)], floor, width_pt, height_pt):
            result.append((text, level))
            continue
        sentences = re.split(r"(?<=[.!?;:])\s+", text)
        if len(sentences) == 1:
            words = text.split()
            half = len(words) // 2
            sentences = [" ".join(words[:half]), " ".join(words[half:])]
        middle = len(sentences) // 2
        queue[:0] = [(" ".join(sentences[:middle]), level), (" ".join(sentences[middle:]), level)]
    return result


def _pages(paragraphs, width_pt, height_pt) -> list[tuple[list, int]]:
    """The paragraphs as slides: one slide at the largest size that fits, or several
    at the floor size."""
    for size in BODY_SIZES:
        if _fits(paragraphs, size, width_pt, height_pt):
            return [(paragraphs, size)]
    floor = BODY_SIZES[-1]
    pages: list[list] = [[]]
    for paragraph in _split_long(paragraphs, width_pt, height_pt):
        if pages[-1] and not _fits([*pages[-1], paragraph], floor, width_pt, height_pt):
            pages.append([])
        pages[-1].append(paragraph)
    return [(page, floor) for page in pages]


def _set_bullet(paragraph, level: int, bullet: bool) -> None:
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    properties = paragraph._p.get_or_add_pPr()
    if bullet:
        properties.set("marL", str(Pt(INDENT_PT * (level + 1))))
        properties.set("indent", str(-Pt(INDENT_PT)))
        for old in properties.findall(qn("a:buNone")):
            properties.remove(old)
        character = properties.makeelement(qn("a:buChar"), {"char": "•"})
        properties.append(character)
    else:
        properties.set("marL", str(Pt(INDENT_PT * level)))
        properties.set("indent", "0")
        properties.append(properties.makeelement(qn("a:buNone"), {}))


def _write(frame, paragraphs, size: int, *, colour: str = "0B0C0C", links=None) -> None:
    """Paragraphs ``(text, level)`` into a frame: level 0 a paragraph, 1+ a bullet."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for index, (text, level) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _set_bullet(paragraph, max(level - 1, 0), bullet=level > 0)
        paragraph.space_after = Pt(round(size * 0.45))
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.name = FONT
        run.font.color.rgb = _rgb(colour)
        if links and index < len(links) and links[index]:
            run.hyperlink.address = links[index]


def _title(slide, text: str, colour: str, *, top=0.35, height=1.25, sizes=TITLE_SIZES) -> None:
    from pptx.util import Inches, Pt

    shape = slide.shapes.title
    shape.left, shape.top = Inches(MARGIN_IN), Inches(top)
    shape.width, shape.height = Inches(SLIDE_W_IN - 2 * MARGIN_IN), Inches(height)
    width_pt = _pt(SLIDE_W_IN - 2 * MARGIN_IN) - 2 * INSET_PT
    height_pt = _pt(height) - 7.2

    def tall(words: str, size: int) -> float:
        return textfit.height([(words, 0)], size, width_pt, indent=0, space_after=0, bold=True)

    size = next((candidate for candidate in sizes if tall(text, candidate) <= height_pt), 0)
    if not size:
        size = sizes[-1]
        while len(text) > 20 and tall(text, size) > height_pt:
            text = Truncator(text).chars(len(text) - 10)
    frame = shape.text_frame
    frame.word_wrap = True
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN

    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.text = text
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = True
        run.font.name = FONT
        run.font.color.rgb = _rgb(colour)


def _body_box(slide, top_in: float = BODY_TOP_IN, bottom_in: float = BODY_BOTTOM_IN):
    from pptx.util import Inches

    return slide.shapes.add_textbox(
        Inches(MARGIN_IN),
        Inches(top_in),
        Inches(SLIDE_W_IN - 2 * MARGIN_IN),
        Inches(bottom_in - top_in),
    )


BODY_WIDTH_PT = _pt(SLIDE_W_IN - 2 * MARGIN_IN) - 2 * INSET_PT
BODY_HEIGHT_PT = _pt(BODY_BOTTOM_IN - BODY_TOP_IN) - 7.2


def _content_slides(deck, title: str, paragraphs, colour: str, *, links=None, notes: str = "",
                    meta: str = ""):  # fmt: skip
    """One or more slides holding ``paragraphs``; the slides after the first are
    continuations, each title saying which of how many."""
    from pptx.util import Inches

    bottom = BODY_BOTTOM_IN if meta else FULL_BODY_BOTTOM_IN
    height_pt = _pt(bottom - BODY_TOP_IN) - 7.2
    pages = _pages(paragraphs, BODY_WIDTH_PT, height_pt)
    link_of = dict(zip((text for text, _ in paragraphs), links or [], strict=False))
    slides = []
    for number, (page, size) in enumerate(pages, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        heading = title if len(pages) == 1 else f"{title} ({number} of {len(pages)})"
        _title(slide, heading, colour)
        box = _body_box(slide, bottom_in=bottom)
        page_links = [link_of.get(text) for text, _ in page] if links else None
        _write(box.text_frame, page, size, links=page_links)
        if meta:
            line = slide.shapes.add_textbox(
                Inches(MARGIN_IN),
                Inches(BODY_BOTTOM_IN + 0.08),
                Inches(SLIDE_W_IN - 2 * MARGIN_IN),
                Inches(0.5),
            )
            text = meta
            while len(text) > 20 and len(textfit.wrap(text, 14, BODY_WIDTH_PT)) > 1:
                text = Truncator(text).chars(len(text) - 8)
            _write(line.text_frame, [(text, 0)], 14, colour="484949")
        slide.notes_slide.notes_text_frame.text = notes
        slides.append(slide)
    return slides


def _item_paragraphs(item: ExportItem) -> list[tuple[str, int]]:
    if item.withdrawn:
        return [(item.withdrawn, 0)]
    lines: list[tuple[str, int]] = []
    for block in item.blocks:
        if block.items:
            lines.extend((entry, 1) for entry in block.items)
        else:
            lines.append((block.text, 0))
    for section in item.sections:
        if section.heading == "Key messages":
            lines.append((f"{section.heading}:", 0))
            for block in section.blocks:
                lines.extend((entry, 1) for entry in block.items)
                if block.text:
                    lines.append((block.text, 1))
    return lines or [(item.kind_label, 0)]


def _item_notes(item: ExportItem) -> str:
    """The speaker's notes: the trainer's own first, then the source, the guidance and
    the links."""
    notes = []
    if item.notes:
        notes.append(item.notes_text)
    if item.source:
        notes.append(item.source)
    if item.withdrawn:
        notes.append(item.withdrawn)
    for section in item.sections:
        if section.heading != "Key messages":
            notes.append(f"{section.heading}:\n{blocks_text(section.blocks)}")
    if item.links:
        notes.append("Links:\n" + "\n".join(f"- {link.title}: {link.url}" for link in item.links))
    return "\n\n".join(notes)


def _title_slide(deck, export: ExportPack) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _title(slide, export.title, export.colour, top=1.0, height=2.2, sizes=(40, 36, 32, 28))
    lines = []
    if export.audience_line:
        lines.append((Truncator(export.audience_line).chars(240), 0))
    lines.append((f"{export.duration_minutes} minutes", 0))
    lines.append((export.partnership, 0))
    lines.append((f"Generated on {export.generated_on} from the {export.site_name}", 0))
    top = 3.4  # below the title's box (1.0 + 2.2 inches)
    height = _pt(BODY_BOTTOM_IN - top) - 7.2
    size = next((s for s in (24, 22, 20, 18, 16) if _fits(lines, s, BODY_WIDTH_PT, height)), 16)
    box = _body_box(slide, top_in=top)
    _write(box.text_frame, lines, size)
    slide.notes_slide.notes_text_frame.text = (
        f"{export.title}. {export.partnership}, {export.site_name}."
    )


def render_pptx(export: ExportPack) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    deck.core_properties.title = export.title
    deck.core_properties.language = "en-GB"
    deck.core_properties.author = export.partnership
    _widen_for_16_9(deck)
    _brand_master(deck, export.partnership, export.colour)

    _title_slide(deck, export)
    if export.objectives:
        _content_slides(
            deck, "Learning objectives", [(o, 1) for o in export.objectives], export.colour
        )
    for item in export.items:
        meta = [item.kind_label]
        if item.minutes:
            meta.append(f"{item.minutes} minutes")
        if item.source:
            meta.append(item.source)
        _content_slides(
            deck,
            item.heading,
            _item_paragraphs(item),
            export.colour,
            notes=_item_notes(item),
            meta=" · ".join(meta),
        )
    if export.resources:
        lines = [(f"{link.title} – {link.short}", 1) for link in export.resources]
        _content_slides(
            deck,
            "Resources",
            lines,
            export.colour,
            links=[link.url for link in export.resources],
            notes="\n".join(f"{link.title}: {link.url}" for link in export.resources),
        )
    if export.after:
        _content_slides(
            deck,
            export.after.heading,
            [(question, 1) for question in export.after.questions],
            export.colour,
            notes="Ask the group to note their answers before they leave.",
        )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
