"""A session pack taken into the room: a PDF handout, a Word document, a PowerPoint
deck and a one-page 7-minute briefing (as PDF, and as Word to edit before sending).

Everything an export shows is read here, in the request, into plain dataclasses
(``ExportPack``, ``Briefing``); the renderers (this module's PDF ones, ``worddoc`` and
``slides``) only lay those out, so they can run in a worker thread (export_jobs).

Each item is headed by what it is: a point's heading (its headline, or its first
words), a theme's name, a resource's title, a review's title with its year and area.
Resources are shown as their title with a short link, never a raw URL. Content that is
no longer published is named as withdrawn, never shown and never silently dropped.
Each export ends with the "After the session" questions, worded once, in
``session_packs/exports/after_the_session.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.text import Truncator, slugify

from content.qr import qr_svg
from content.richtext import plain_text
from resources.models import Resource
from themes.provenance import strip_marks, with_inline_sources

from .models import ItemKind, PackItem, SessionPack
from .selectors import pack_items, single_theme
from .services import theme_reflective_questions

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
AFTER_THE_SESSION_TEMPLATE = "session_packs/exports/after_the_session.txt"
# A handout of more than this many items starts with a table of contents.
TOC_FROM_ITEMS = 11
SHORT_LINK_CHARS = 48

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
    text = strip_marks(text)  # provenance lines (themes.provenance) are not words to show
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


def blocks_text(items: list[Block]) -> str:
    return "\n\n".join(
        block.text if not block.items else "\n".join(f"- {entry}" for entry in block.items)
        for block in items
    )


def short_link(url: str) -> str:
    """A link as a person reads it aloud: the site and the path's last part, without
    the scheme or 'www.' ('gov.uk/…/working-together-to-safeguard-children')."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if not path:
        return host
    whole = host + path
    if len(whole) <= SHORT_LINK_CHARS:
        return whole
    last = path.rsplit("/", 1)[-1]
    room = SHORT_LINK_CHARS - len(host) - 3
    if len(last) > room:
        last = last[: max(room - 1, 8)] + "…"
    return f"{host}/…/{last}"


@dataclass
class Link:
    title: str
    url: str

    @property
    def short(self) -> str:
        return short_link(self.url)


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
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def notes_text(self) -> str:
        return blocks_text(self.notes)

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"


@dataclass
class AfterTheSession:
    heading: str
    questions: list[str]


def after_the_session() -> AfterTheSession:
    """The three questions every export ends with (one template holds the wording)."""
    lines = [
        line.strip()
        for line in render_to_string(AFTER_THE_SESSION_TEMPLATE).splitlines()
        if line.strip() and not line.strip().startswith("{#")
    ]
    return AfterTheSession(heading=lines[0], questions=lines[1:])


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
    colour: str = "1D70B8"
    share_url: str = ""
    after: AfterTheSession | None = None

    @property
    def slug(self) -> str:
        return slugify(self.title) or "session-pack"

    @property
    def audience_line(self) -> str:
        parts = [self.audience] if self.audience else []
        if self.agencies:
            parts.append("Agencies: " + ", ".join(self.agencies))
        return ". ".join(parts)

    @property
    def has_toc(self) -> bool:
        return len(self.items) >= TOC_FROM_ITEMS

    @property
    def qr_svg(self) -> str:
        return qr_svg(self.share_url) if self.share_url else ""


def review_heading(review) -> str:
    """'Child Q (2022, City and Hackney)': the review's title, its year and area."""
    details = []
    if review.published_on:
        details.append(str(review.published_on.year))
    if review.partnership:
        details.append(review.partnership)
    return f"{review.title} ({', '.join(details)})" if details else review.title


def content_heading(kind: str, content) -> str:
    if kind == ItemKind.PRACTICE_POINT:
        return content.heading
    if kind == ItemKind.THEME_OVERVIEW:
        return content.name
    if kind == ItemKind.RESOURCE:
        return content.title
    if kind == ItemKind.REVIEW_SUMMARY:
        return review_heading(content)
    return ""


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
        export.title = f"{item.get_kind_display()} (withdrawn)"
        export.withdrawn = item.withdrawn_message + "."
        return export
    content = item.content
    if content is not None:
        export.title = content_heading(item.kind, content)
    if item.kind == ItemKind.PRACTICE_POINT:
        review = content.review
        if review:
            export.source = f"From {review_heading(review)}, {review.get_review_type_display()}"
        export.blocks = blocks(content.text)
        if content.guidance:
            export.sections.append(
                Section("How to enhance your practice", blocks(content.guidance))
            )
        export.links = [Link(r.title, r.url) for r in content.resources.all()]
    elif item.kind == ItemKind.RESOURCE:
        details = [content.get_resource_type_display(), content.get_scope_display()]
        if content.publisher:
            details.append(content.publisher)
        export.source = ", ".join(details)
        export.blocks = blocks(content.summary)
        export.links = [Link(content.title, content.url)]
    elif item.kind == ItemKind.THEME_OVERVIEW:
        export.source = content.get_kind_display()
        export.blocks = blocks(content.summary)
        if content.key_message_list:
            messages = [plain_text(message) for message in content.key_message_list]
            export.sections.append(Section("Key messages", [Block(items=messages)]))
        if content.body:
            why = blocks(with_inline_sources(content.body))  # each paragraph's source
            export.sections.append(Section("Why it matters", why))
    elif item.kind == ItemKind.REVIEW_SUMMARY:
        export.source = content.get_review_type_display()
        export.blocks = blocks(content.summary)
        if content.source_url:
            export.links = [Link(f"The full report: {content.title}", content.source_url)]
    else:
        export.blocks = blocks(item.body)
    return export


def _collect_links(exported: list[ExportItem]) -> list[Link]:
    resources: list[Link] = []
    seen: set[str] = set()
    for item in exported:
        for link in item.links:
            if link.url not in seen:
                seen.add(link.url)
                resources.append(link)
    return resources


def pack_export(
    pack: SessionPack, items: list[PackItem] | None = None, *, share_url: str = ""
) -> ExportPack:
    items = items if items is not None else pack_items(pack)
    exported = [_export_item(number, item) for number, item in enumerate(items, start=1)]
    return ExportPack(
        title=pack.title,
        audience=pack.audience,
        agencies=[agency.name for agency in pack.audience_agencies.all()],
        duration_minutes=pack.duration_minutes,
        total_minutes=sum(item.minutes or 0 for item in items),
        objectives=pack.objective_list,
        items=exported,
        resources=_collect_links(exported),
        generated_on=dateformat.format(timezone.localdate(), "j F Y"),
        partnership=settings.PARTNERSHIP_NAME,
        site_name=settings.SITE_NAME,
        colour=settings.PARTNERSHIP_COLOUR,
        share_url=share_url,
        after=after_the_session(),
    )


def filename(export, extension: str, suffix: str = "") -> str:
    return f"{export.slug}{suffix}.{extension}"


# --- PDF -----------------------------------------------------------------------------


def _refuse_fetch(url: str, *args, **kwargs):
    """Exports never fetch anything: all they need is in the HTML."""
    raise ValueError(f"session pack exports do not fetch {url}")


def _pdf(html: str):
    # Lazy on purpose: WeasyPrint (and pango under it) is heavy to load, and only an
    # export needs it (allowed in tests/test_architecture.py).
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch)


def _write_pdf(document) -> bytes:
    # PDF/UA-1: tagged (headings, lists, links in the structure tree), with the
    # document's language and title.
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(export: ExportPack) -> bytes:
    html = render_to_string("session_packs/exports/handout.html", {"pack": export})
    return _write_pdf(_pdf(html).render())


# --- The 7-minute briefing -------------------------------------------------------------

BRIEFING_SECTIONS = [
    (1, "What it is"),
    (2, "Why it matters"),
    (3, "What the reviews found"),
    (4, "What it means for practice"),
    (5, "What good looks like"),
    (6, "Resources and further reading"),
    (7, "Questions for your team"),
]
# Text budgets for the one-page briefing, tried in turn until it fits one page.
BRIEFING_BUDGETS = [
    {"what": 420, "why": 520, "found": 4, "words": 34, "practice": 5, "good": 4, "links": 5,
     "questions": 3},
    {"what": 340, "why": 420, "found": 3, "words": 28, "practice": 4, "good": 3, "links": 4,
     "questions": 3},
    {"what": 280, "why": 320, "found": 3, "words": 22, "practice": 3, "good": 3, "links": 4,
     "questions": 2},
    {"what": 220, "why": 240, "found": 2, "words": 18, "practice": 3, "good": 2, "links": 3,
     "questions": 2},
    {"what": 160, "why": 160, "found": 2, "words": 14, "practice": 2, "good": 2, "links": 2,
     "questions": 1},
]  # fmt: skip


@dataclass
class BriefingSection:
    number: int
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    more: str = ""


@dataclass
class BriefingSource:
    """What a briefing can say, read from the pack before any trimming."""

    theme_name: str
    summary: str
    why: str
    findings: list[str]
    practice: list[str]
    good: list[str]
    links: list[Link]
    questions: list[str]


@dataclass
class Briefing:
    title: str
    theme_name: str
    pack_title: str
    partnership: str
    site_name: str
    generated_on: str
    colour: str
    sections: list[BriefingSection]
    after: AfterTheSession
    share_url: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.pack_title) or "session-pack"


def trim(text: str, limit: int) -> str:
    """Whole sentences up to ``limit`` characters; a first sentence longer than that is
    cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    return kept or Truncator(text).chars(limit)


def _text_section(number: int, title: str, text: str, limit: int) -> BriefingSection:
    """A section of prose, cut to whole sentences; when cut, it says where the rest is."""
    kept = trim(text, limit)
    more = "read the rest in the theme overview" if len(kept) < len(" ".join(text.split())) else ""
    return BriefingSection(number, title, [kept] if kept else [], more=more)


def _more(count: int, noun: str, where: str = "see the full pack") -> str:
    if count <= 0:
        return ""
    plural = noun if count == 1 else noun + "s"
    return f"and {count} more {plural}: {where}"


def _first_guidance(point) -> str:
    for block in blocks(point.guidance):
        if block.items:
            return block.items[0]
        if block.text:
            return block.text
    return ""


def briefing_source(pack: SessionPack, items: list[PackItem]) -> BriefingSource:
    """Everything a briefing on the pack's one theme may use (reads the database)."""

    theme = single_theme(pack, items)
    if theme is None or not theme.is_published:
        raise NotASingleThemePack(
            "A 7-minute briefing is made from a pack about one theme: add one theme’s "
            "overview to the pack (and no other theme’s)."
        )
    points = [
        item.practice_point
        for item in items
        if item.kind == ItemKind.PRACTICE_POINT and not item.is_withdrawn
    ]
    links: list[Link] = []
    seen: set[str] = set()

    def add(title: str, url: str) -> None:
        if url not in seen:
            seen.add(url)
            links.append(Link(title, url))

    for item in items:
        if item.kind == ItemKind.RESOURCE and not item.is_withdrawn:
            add(item.resource.title, item.resource.url)
    for point in points:
        for resource in point.resources.all():
            add(resource.title, resource.url)
    for resource in Resource.objects.public().filter(themes=theme).order_by("scope", "title"):
        add(resource.title, resource.url)
    questions = [
        plain_text(" ".join(item.body.split()))
        for item in items
        if item.kind == ItemKind.REFLECTIVE_QUESTION
    ] or theme_reflective_questions(theme)
    return BriefingSource(
        theme_name=theme.name,
        summary=plain_text(" ".join(theme.summary.split())),
        why=" ".join(block.text or " ".join(block.items) for block in blocks(theme.body)),
        findings=[plain_text(" ".join(point.text.split())) for point in points],
        practice=[plain_text(message) for message in theme.key_message_list],
        good=[text for text in (_first_guidance(point) for point in points) if text],
        links=links,
        questions=questions,
    )


def briefing(
    pack: SessionPack, source: BriefingSource, budget: dict, *, share_url: str = ""
) -> Briefing:
    """The briefing within one text budget: every list cut short says how much more
    there is and where to find it."""
    found, practice, good = source.findings, source.practice, source.good
    links, questions = source.links, source.questions
    sections = [
        _text_section(1, "What it is", source.summary, budget["what"]),
        _text_section(2, "Why it matters", source.why, budget["why"]),
        BriefingSection(
            3,
            "What the reviews found",
            bullets=[Truncator(text).words(budget["words"]) for text in found[: budget["found"]]],
            more=_more(len(found) - budget["found"], "point"),
        ),
        BriefingSection(
            4,
            "What it means for practice",
            bullets=practice[: budget["practice"]],
            more=_more(len(practice) - budget["practice"], "key message", "see the theme"),
        ),
        BriefingSection(
            5,
            "What good looks like",
            bullets=[Truncator(text).words(budget["words"]) for text in good[: budget["good"]]],
            more=_more(len(good) - budget["good"], "example"),
        ),
        BriefingSection(
            6,
            "Resources and further reading",
            links=links[: budget["links"]],
            more=_more(len(links) - budget["links"], "resource"),
        ),
        BriefingSection(
            7,
            "Questions for your team",
            bullets=questions[: budget["questions"]],
            more=_more(len(questions) - budget["questions"], "question"),
        ),
    ]
    if not found:
        sections[2].paragraphs = [
            "Add practice points on this theme to the pack to list them here."
        ]
    if not good:
        sections[4].paragraphs = ["See the guidance with each practice point in the full pack."]
    if not links:
        sections[5].paragraphs = [f"Search the {settings.SITE_NAME} for resources on this theme."]
    return Briefing(
        title=f"7-minute briefing: {source.theme_name}",
        theme_name=source.theme_name,
        pack_title=pack.title,
        partnership=settings.PARTNERSHIP_NAME,
        site_name=settings.SITE_NAME,
        generated_on=dateformat.format(timezone.localdate(), "j F Y"),
        colour=settings.PARTNERSHIP_COLOUR,
        sections=sections,
        after=after_the_session(),
        share_url=share_url,
    )


def briefings(pack: SessionPack, items: list[PackItem], *, share_url: str = "") -> list[Briefing]:
    """The briefing at each budget, fullest first (the renderer takes the first that
    fits one page)."""
    source = briefing_source(pack, items)
    return [briefing(pack, source, budget, share_url=share_url) for budget in BRIEFING_BUDGETS]


def render_briefing_pdf(candidates: list[Briefing]) -> bytes:
    """The fullest of the candidates that fits one A4 page."""
    document = None
    for candidate in candidates:
        html = render_to_string("session_packs/exports/briefing.html", {"briefing": candidate})
        document = _pdf(html).render()
        if len(document.pages) == 1:
            break
    return _write_pdf(document)


def render_briefing(pack: SessionPack) -> bytes:
    """The 7-minute briefing PDF of a pack, read and rendered at once."""
    return render_briefing_pdf(briefings(pack, pack_items(pack)))
