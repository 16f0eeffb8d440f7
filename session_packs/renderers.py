"""The session pack's export formats, listed once: each format's file, its label on the
pack page, and what renders it. The URLs (``urls.py``), the pack page's links and the
export view (``views.py``) all read ``FORMATS``.

The PDF renderers are ``exports``' own; Word and PowerPoint are built by ``worddoc`` and
``slides`` from the same export data (they import ``exports``; ``exports`` does not
import them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import exports, slides, worddoc
from .exports import Briefing, ExportPack

# Each looks its renderer up when called (not when this module is imported), so a
# replaced renderer (a test counting renders) is the one used.


def render_pdf(export: ExportPack) -> bytes:
    return exports.render_pdf(export)


def render_briefing_pdf(candidates: list[Briefing]) -> bytes:
    return exports.render_briefing_pdf(candidates)


def render_docx(export: ExportPack) -> bytes:
    return worddoc.render_docx(export)


def render_pptx(export: ExportPack) -> bytes:
    return slides.render_pptx(export)


def render_briefing_docx(candidates: list[Briefing]) -> bytes:
    """The Word briefing of the first candidate theme (as the PDF briefing chooses)."""
    return worddoc.render_briefing_docx(candidates[0])


@dataclass(frozen=True)
class ExportFormat:
    key: str  # in the URL: /packs/<pk>/export/<key>/
    extension: str
    content_type: str
    render: Callable[[Any], bytes]
    briefing: bool = False  # a 7-minute briefing on the pack's one theme, not the pack
    suffix: str = ""  # added to the file name
    label: str = ""  # on the pack page's list of downloads ("" for the briefings)
    short_label: str = ""


FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat("pdf", "pdf", exports.PDF_TYPE, render_pdf, label="handout", short_label="PDF"),
        ExportFormat(
            "docx", "docx", exports.DOCX_TYPE, render_docx, label="Word document",
            short_label="DOCX",
        ),
        ExportFormat(
            "pptx", "pptx", exports.PPTX_TYPE, render_pptx, label="PowerPoint slides",
            short_label="PPTX",
        ),
        ExportFormat(
            "briefing", "pdf", exports.PDF_TYPE, render_briefing_pdf, briefing=True,
            suffix="-7-minute-briefing",
        ),
        ExportFormat(
            "briefing-docx", "docx", exports.DOCX_TYPE, render_briefing_docx, briefing=True,
            suffix="-7-minute-briefing",
        ),
    )
}  # fmt: skip

# The URL pattern's group of every format.
FORMAT_PATTERN = "(?P<fmt>" + "|".join(re.escape(key) for key in FORMATS) + ")"


def pack_export_links() -> list[tuple[str, str, str]]:
    """(key, label, short label) of the pack's own downloads, for the pack page."""
    return [(f.key, f.label, f.short_label) for f in FORMATS.values() if not f.briefing]
