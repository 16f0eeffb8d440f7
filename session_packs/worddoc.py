"""The session pack and the 7-minute briefing as Word documents: A4 with the
partnership's margins, its name in the header and page numbers (PAGE and NUMPAGES
fields) in the footer; every heading, list, note and link by a named style (Word's
navigation pane and accessibility checker read them), never by direct formatting;
links as titled hyperlinks followed by a short link for those reading on paper."""

from __future__ import annotations

import io

from .exports import AfterTheSession, Block, Briefing, ExportPack, Link

FONT = "Arial"
DETAILS = "Item details"
WITHDRAWN = "Withdrawn"
NOTES = "Trainer notes"
HYPERLINK = "Hyperlink"
SHORT_LINK = "Short link"
BOX = "After the session"


def _document(title: str, partnership: str, colour: str):
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    document.core_properties.title = title
    document.core_properties.language = "en-GB"
    document.core_properties.author = partnership
    # The document's language, for spell checkers and screen readers.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    run_properties.append(language)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)

    brand = RGBColor.from_string(colour.upper())
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 24), ("Heading 1", 20), ("Heading 2", 16), ("Heading 3", 13),
                       ("Heading 4", 11)):  # fmt: skip
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = brand if name != "Heading 4" else RGBColor(0x0B, 0x0C, 0x0C)
        style.paragraph_format.keep_with_next = True
    for name in ("Title",):
        styles[name].font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)

    details = styles.add_style(DETAILS, WD_STYLE_TYPE.PARAGRAPH)
    details.base_style = normal
    details.font.italic = True
    details.font.color.rgb = RGBColor(0x48, 0x49, 0x49)
    withdrawn = styles.add_style(WITHDRAWN, WD_STYLE_TYPE.PARAGRAPH)
    withdrawn.base_style = normal
    withdrawn.font.bold = True
    withdrawn.font.color.rgb = RGBColor(0xAA, 0x2A, 0x2A)
    notes = styles.add_style(NOTES, WD_STYLE_TYPE.PARAGRAPH)
    notes.base_style = normal
    notes.paragraph_format.left_indent = Mm(5)
    notes.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    link = styles.add_style(HYPERLINK, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x1D, 0x70, 0xB8)
    link.font.underline = True
    short = styles.add_style(SHORT_LINK, WD_STYLE_TYPE.CHARACTER)
    short.font.color.rgb = RGBColor(0x48, 0x49, 0x49)
    short.font.size = Pt(9.5)

    header = section.header.paragraphs[0]
    header.text = partnership
    header.style = styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    return document


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice fill in the number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _hyperlink(paragraph, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), paragraph.part.document.styles[HYPERLINK].style_id)
    properties.append(style)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _links(document, links: list[Link]) -> None:
    for link in links:
        paragraph = document.add_paragraph(style="List Bullet")
        _hyperlink(paragraph, link.title, link.url)
        paragraph.add_run(" ")
        paragraph.add_run(link.short, style=SHORT_LINK)


def _blocks(document, items: list[Block], style: str | None = None) -> None:
    for block in items:
        if block.items:
            for entry in block.items:
                document.add_paragraph(entry, style="List Bullet")
        else:
            document.add_paragraph(block.text, style=style)


def _after(document, after: AfterTheSession, level: int) -> None:
    """The "After the session" questions, in a bordered box (a one-cell table)."""
    document.add_heading(after.heading, level=level)
    table = document.add_table(rows=1, cols=1)
    table.style = document.styles["Table Grid"]
    cell = table.rows[0].cells[0]
    first = True
    for question in after.questions:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.style = document.styles["List Number"]
        paragraph.add_run(question)
        cell.add_paragraph("")  # room to write the answer


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(export: ExportPack) -> bytes:
    document = _document(export.title, export.partnership, export.colour)
    document.add_heading(export.title, level=1)
    if export.audience_line:
        document.add_paragraph(f"For: {export.audience_line}")
    document.add_paragraph(
        f"Duration: {export.duration_minutes} minutes (the items add up to "
        f"{export.total_minutes} minutes)"
    )
    document.add_paragraph(
        f"Generated on {export.generated_on} from the {export.site_name}, {export.partnership}.",
        style=DETAILS,
    )
    if export.share_url:
        paragraph = document.add_paragraph("Open this pack online: ")
        _hyperlink(paragraph, export.title, export.share_url)
    if export.objectives:
        document.add_heading("Learning objectives", level=2)
        for objective in export.objectives:
            document.add_paragraph(objective, style="List Bullet")
    document.add_heading("Session plan", level=2)
    for item in export.items:
        document.add_heading(item.heading, level=3)
        meta = [item.kind_label]
        if item.minutes:
            meta.append(f"{item.minutes} minutes")
        if item.source:
            meta.append(item.source)
        document.add_paragraph(", ".join(meta), style=DETAILS)
        if item.withdrawn:
            document.add_paragraph(item.withdrawn, style=WITHDRAWN)
        _blocks(document, item.blocks)
        for section in item.sections:
            document.add_heading(section.heading, level=4)
            _blocks(document, section.blocks)
        if item.links:
            document.add_heading("Links", level=4)
            _links(document, item.links)
        if item.notes:
            document.add_heading("Trainer’s notes", level=4)
            _blocks(document, item.notes, style=NOTES)
    if export.resources:
        document.add_heading("Resources", level=2)
        _links(document, export.resources)
    if export.after:
        _after(document, export.after, level=2)
    return _save(document)


def render_briefing_docx(briefing: Briefing) -> bytes:
    """The briefing to edit before sending: the same seven numbered sections."""
    document = _document(briefing.title, briefing.partnership, briefing.colour)
    document.add_heading(briefing.title, level=1)
    document.add_paragraph(
        f"{briefing.partnership}, {briefing.generated_on}. From the session pack "
        f"‘{briefing.pack_title}’ ({briefing.site_name}).",
        style=DETAILS,
    )
    for section in briefing.sections:
        document.add_heading(f"{section.number}. {section.title}", level=2)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for bullet in section.bullets:
            document.add_paragraph(bullet, style="List Bullet")
        if section.links:
            _links(document, section.links)
        if section.more:
            document.add_paragraph(section.more.capitalize() + ".", style=DETAILS)
    _after(document, briefing.after, level=2)
    return _save(document)
