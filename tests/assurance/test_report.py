"""The yearly report's sections and figures (computed here from the rows the test makes,
not from the report's own code), the Word document, and the CSV of actions."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from assurance import services
from assurance.models import ReviewPlan, YearlyReport
from assurance.report import report_sections
from assurance.report_sections import SECTIONS, ReportSection, register_report_section
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Reviews started and published in {year}",
    "Learning themes",
    "Recommendations and the actions taken on them",
    "Evidence of impact",
    "Areas with little or no progress",
    "Scrutiny challenges and their answers",
]


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def report_world(aw, year):
    lead, owner = aw["a_users"]["assurance_lead"], aw["a_users"]["action_owner"]
    # a second review: started this year, published last year
    other = ReviewFactory(
        title="Child AR", slug="child-a-r", published_on=datetime.date(year - 1, 5, 1)
    )
    ReviewPlan.objects.create(review=other, started_on=datetime.date(year, 2, 1))
    ReviewPlan.objects.create(review=aw["a_review"], started_on=datetime.date(year - 1, 3, 1))
    aw["a_review"].published_on = datetime.date(year, 4, 1)
    aw["a_review"].save()
    rec2 = services.recommendation_create(
        other,
        by=lead,
        text='=HYPERLINK("http://evil")',
        accepted=False,
        response_reason="Covered by recommendation 1 of Child AQ",
    )
    slipped = services.action_create(
        rec2,
        by=lead,
        description="-1 slipped action",
        owner_agency=aw["police"],
        lead_role="@lead",
        due_date=timezone.localdate() + datetime.timedelta(days=5),
    )
    services.action_revise_due(
        slipped,
        by=owner,
        new_due=timezone.localdate() + datetime.timedelta(days=50),
        reason="New IT system late",
    )
    services.action_record_progress(aw["action"], by=owner, text="Stuck", status="off_track")
    services.challenge_reply(aw["challenge"], by=owner, text="We will audit in March.")
    return {**aw, "other": other, "rec2": rec2, "slipped": slipped}


def test_every_section_is_there_with_the_right_figures(report_world, year):
    w = report_world
    sections = {s.heading: s for s in report_sections(year)}
    assert list(sections)[:6] == [h.format(year=year) for h in HEADINGS]

    reviews = sections[f"Reviews started and published in {year}"]
    # started this year: Child AR only; published this year: Child AQ only
    assert reviews.paragraphs[0] == (
        f"Reviews started in {year}: 1. Reviews published in {year}: 1."
    )
    assert sorted(row[0] for row in reviews.tables[0].rows) == ["Child AQ", "Child AR"]

    themes = sections["Learning themes"]
    # one recommendation (Child AQ's) has the theme, with its 2 actions
    assert themes.tables[0].rows == [[w["theme"].name, "1", "2"]]

    recs = sections["Recommendations and the actions taken on them"]
    assert recs.paragraphs[0].startswith("2 recommendations (1 accepted) with 3 actions")
    assert "off track 1" in recs.paragraphs[0]
    assert "complete, awaiting evidence 1" in recs.paragraphs[0]
    captions = [t.caption for t in recs.tables]
    assert captions[0].startswith("Child AQ, recommendation 1 (accepted): Strategy")
    assert captions[1].startswith(
        "Child AR, recommendation 1 (not accepted: Covered by recommendation 1 of Child AQ)"
    )
    assert [len(t.rows) for t in recs.tables] == [2, 1]
    assert recs.tables[1].rows[0][3] == "Not started (Amber)"  # slipped, not yet late

    impact = sections["Evidence of impact"]
    assert impact.paragraphs[0].startswith("1 evidence item of impact")
    assert impact.tables[0].rows[0][4] == "Audit: 9 of 10 discussions had health records."

    little = sections["Areas with little or no progress"]
    # the off-track police action and the slipped one
    assert little.paragraphs[0].startswith("2 open actions")
    reasons = {row[1]: row[5] for row in little.tables[0].rows}
    assert reasons["-1 slipped action"] == "New IT system late"

    challenges = sections["Scrutiny challenges and their answers"]
    assert challenges.paragraphs[0] == f"1 challenge raised in {year}; 0 still waiting for a reply."
    assert challenges.tables[0].rows[0][1:] == [
        "How will you know?",
        "We will audit in March.",
        "Answered",
    ]


def test_a_registered_section_is_added_in_its_order(report_world, year):
    def evidence_of_use(y: int) -> ReportSection:
        return ReportSection(
            heading="Evidence of learning into practice", paragraphs=[str(y)], order=15
        )

    register_report_section(evidence_of_use)
    try:
        headings = [s.heading for s in report_sections(year)]
        assert headings[1] == "Evidence of learning into practice"
    finally:
        SECTIONS.remove(evidence_of_use)


def test_the_word_report_is_a4_with_headings_and_the_staff_text(report_world, year):
    lead = report_world["clients"]["assurance_lead"]
    response = lead.post(
        reverse("assurance:report_edit", args=[year]),
        {"introduction": "Our year in learning.", "note-3": "We are proud of this."},
    )
    assert response.status_code == 302
    record = YearlyReport.objects.get(year=year)
    assert record.notes == {"Evidence of impact": "We are proud of this."}
    response = lead.get(reverse("assurance:report", args=[year]))
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join([response.content])))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:6] == [h.format(year=year) for h in HEADINGS]
    texts = [p.text for p in document.paragraphs]
    assert "Our year in learning." in texts
    assert texts.index("We are proud of this.") == texts.index("Evidence of impact") + 1
    assert any("Draft" in t for t in texts)
    assert len(document.tables) >= 6
    # publish: the text is then fixed
    lead.post(
        reverse("assurance:report_edit", args=[year]), {"introduction": "x", "publish": "yes"}
    )
    record.refresh_from_db()
    assert record.is_published and record.introduction == "x"
    lead.post(reverse("assurance:report_edit", args=[year]), {"introduction": "changed"})
    record.refresh_from_db()
    assert record.introduction == "x"


def test_the_csv_has_every_action_and_no_formulas(report_world):
    client = report_world["clients"]["scrutineer"]
    response = client.get(reverse("assurance:report_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    slipped = next(r for r in rows if r["action"].endswith("slipped action"))
    assert slipped["recommendation"] == '\'=HYPERLINK("http://evil")'
    assert slipped["action"] == "'-1 slipped action"
    assert slipped["lead_role"] == "'@lead"
    assert slipped["revised_reason"] == "New IT system late"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
