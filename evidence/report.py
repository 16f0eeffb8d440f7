"""The yearly report's section "Evidence of learning into practice", from the same
figures as the dashboard (``dashboard.year_figures``). Registered with the assurance
app's report (``assurance.report_sections``) from ``EvidenceConfig.ready``."""

from __future__ import annotations

from assurance.report_sections import ReportSection, ReportTable, register_report_section

from .dashboard import year_figures

SECTION_HEADING = "Evidence of learning into practice"
SECTION_ORDER = 80  # after the report's own sections (10..70)


def evidence_report_section(year: int):
    """The section for ``year`` (sessions delivered that calendar year)."""
    figures = year_figures(year)
    # Never made-up figures in a report to the partnership without saying so.
    paragraphs = [figures.demo_note] if figures.demo_note else []
    paragraphs += [
        f"In {year}, {figures.sessions} session{'s' if figures.sessions != 1 else ''} "
        f"using the toolkit's packs and 7-minute briefings were recorded, reaching "
        f"{figures.people} {'person' if figures.people == 1 else 'people'} across "
        f"{len(figures.by_agency)} agenc{'y' if len(figures.by_agency) == 1 else 'ies'}."
    ]
    if figures.actions_total:
        paragraphs.append(
            f"At follow-up ({figures.follow_ups_answered} answered), "
            f"{figures.actions_done} of {figures.actions_total} agreed actions "
            f"({figures.actions_done_percent}%) had been done and {figures.actions_partly} "
            "partly done."
        )
    else:
        paragraphs.append("No follow-ups of agreed actions were answered this year.")
    if figures.confidence_answers:
        paragraphs.append(
            f"Teams' confidence moved from {figures.confidence_before} to "
            f"{figures.confidence_now} on a 1 to 5 scale (change "
            f"{figures.confidence_change:+}, {figures.confidence_answers} answers)."
        )
    if figures.feedback_answers:
        paragraphs.append(
            f"Practitioners answered 'Was this useful?' {figures.feedback_answers} times: "
            f"{figures.feedback_percent_yes}% yes."
        )
    if figures.unreached:
        paragraphs.append(
            f"No recorded use in the six months to {figures.end:%-d %B %Y}: "
            + ", ".join(figures.unreached)
            + "."
        )
    tables = [
        ReportTable(
            caption=f"Sessions and people reached by agency, {year}",
            headers=["Agency", "Sessions", "People reached"],
            rows=[[r.label, str(r.sessions), str(r.people)] for r in figures.by_agency],
        ),
        ReportTable(
            caption=f"Sessions and people reached by theme, {year}",
            headers=["Theme", "Sessions", "People reached"],
            rows=[[r.label, str(r.sessions), str(r.people)] for r in figures.by_theme],
        ),
        ReportTable(
            caption=f"Most used packs and briefings, {year}",
            headers=["Pack or briefing", "Sessions", "People reached"],
            rows=[[r.label, str(r.sessions), str(r.people)] for r in figures.most_used],
        ),
    ]
    return ReportSection(
        heading=SECTION_HEADING, paragraphs=paragraphs, tables=tables, order=SECTION_ORDER
    )


def report_section_register() -> None:
    """Add the section to the assurance app's yearly report (from EvidenceConfig.ready)."""
    register_report_section(evidence_report_section)
