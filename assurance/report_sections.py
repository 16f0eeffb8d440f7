"""Sections of the yearly report that other apps contribute (evidence of use adds
"Evidence of learning into practice"). assurance/report_sections.py holds this exact API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ReportTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class ReportSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    order: int = 100  # position among the report's sections


SectionBuilder = Callable[[int], ReportSection]  # year -> section
SECTIONS: list[SectionBuilder] = []


def register_report_section(builder: SectionBuilder) -> SectionBuilder:
    """Called from another app's AppConfig.ready(); the yearly report adds every section."""
    if builder not in SECTIONS:
        SECTIONS.append(builder)
    return builder
