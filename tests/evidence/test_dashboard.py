"""The uptake and impact dashboard: its figures equal figures computed here by hand from
the rows this test makes; the CSV escapes formulas; the yearly report's section."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from evidence.dashboard import csv_safe, dashboard_figures, months_back
from evidence.models import AgreedAction, DeliveredSession, Feedback, FollowUp
from evidence.report import SECTION_HEADING, evidence_report_section
from tests.factories import AgencyFactory, PracticePointFactory, ThemeFactory
from tests.roles import EDITOR, admin_login, make_role_user
from themes.models import Agency

from .support import record_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    """A small world, with the expected figures written out by hand beside it."""
    today = timezone.localdate()
    police = AgencyFactory(name="Police test agency")
    health = AgencyFactory(name="Health test agency")
    AgencyFactory(name="Unreached test agency")
    neglect = ThemeFactory(name="Neglect test")
    curiosity = ThemeFactory(name="Curiosity test")
    a = record_session(
        agency=police,
        attendees=10,
        delivered_on=today - datetime.timedelta(days=5),
        actions=2,
        themes=[neglect],
    )
    b = record_session(
        agency=police,
        attendees=4,
        delivered_on=today - datetime.timedelta(days=70),
        actions=1,
        themes=[neglect, curiosity],
    )
    c = record_session(
        agency=health,
        attendees=7,
        delivered_on=today - datetime.timedelta(days=200),
        actions=3,
        themes=[curiosity],
    )
    # Too old for the 12 months (and for "reached").
    record_session(
        agency=health,
        attendees=50,
        delivered_on=months_back(today.replace(day=1), 12) - datetime.timedelta(days=1),
    )
    # Follow-ups: b answered (1 action done), c answered (done, partly, not done).
    for session, outcomes, before, now in (
        (b, ["done"], 2, 4),
        (c, ["done", "partly", "not_done"], 3, 3),
    ):
        for action, outcome in zip(session.actions.order_by("position"), outcomes, strict=True):
            action.outcome = outcome
            action.save()
        FollowUp.objects.filter(session=session).update(
            answered_at=timezone.now(), confidence_before=before, confidence_now=now
        )
    point = PracticePointFactory(headline="Ask who else lives there")
    for useful in (True, True, False):
        Feedback.objects.create(practice_point=point, useful=useful)
    Feedback.objects.create(theme=neglect, useful=True)
    return {"a": a, "b": b, "c": c, "police": police, "health": health, "point": point}


def test_dashboard_figures_equal_the_hand_counted_ones(rows):
    figures = dashboard_figures()
    assert (figures.sessions, figures.people) == (3, 10 + 4 + 7)
    by_agency = {r.label: (r.sessions, r.people) for r in figures.by_agency}
    assert by_agency == {"Police test agency": (2, 14), "Health test agency": (1, 7)}
    by_theme = {r.label: (r.sessions, r.people) for r in figures.by_theme}
    assert by_theme["Neglect test"] == (2, 14) and by_theme["Curiosity test"] == (2, 11)
    assert len(figures.by_month) == 12
    assert sum(r.sessions for r in figures.by_month) == 3
    assert sum(r.people for r in figures.by_month) == 21
    this_month = figures.by_month[-1]
    expected_now = sum(
        s.attendees
        for s in (rows["a"], rows["b"], rows["c"])
        if s.delivered_on.replace(day=1) == timezone.localdate().replace(day=1)
    )
    assert this_month.people == expected_now
    # Actions at follow-up: 4 actions in answered follow-ups, 2 done, 1 partly -> 50%.
    assert (figures.actions_total, figures.actions_done, figures.actions_partly) == (4, 2, 1)
    assert figures.actions_done_percent == 50
    # Confidence: before (2+3)/2 = 2.5, now (4+3)/2 = 3.5, change +1.0.
    assert (figures.confidence_before, figures.confidence_now, figures.confidence_change) == (
        2.5,
        3.5,
        1.0,
    )
    assert (figures.feedback_yes, figures.feedback_no, figures.feedback_percent_yes) == (3, 1, 75)
    point_row = next(u for u in figures.usefulness if u.kind == "Practice point")
    assert (point_row.label, point_row.yes, point_row.no, point_row.percent_yes) == (
        "Ask who else lives there",
        2,
        1,
        67,
    )
    # Every agency without a session in 6 months, including the seed's, and only those.
    since = months_back(timezone.localdate(), 6)
    reached = set(
        DeliveredSession.objects.filter(delivered_on__gte=since).values_list(
            "agency__name", flat=True
        )
    )
    assert figures.unreached == sorted(set(Agency.objects.values_list("name", flat=True)) - reached)
    assert (
        "Unreached test agency" in figures.unreached
        and "Police test agency" not in figures.unreached
    )
    # Health's only session in the period was 200 days ago: more than six months.
    assert "Health test agency" in figures.unreached


def test_the_page_shows_the_figures_in_tables_beside_svg_charts(rows, client):
    admin_login(client, make_role_user("evdash", EDITOR))
    response = client.get("/admin/evidence/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd id="figure-sessions">3</dd>' in html and '<dd id="figure-people">21</dd>' in html
    assert '<dd id="figure-actions-done">50%</dd>' in html
    assert html.count('<figure class="app-chart"') == 5 and 'role="img"' in html
    # Labels and values are page text above each bar (readable on a phone), the bars SVG.
    assert '<p class="app-chart__label">Police test agency: <span class="app-chart__value">' in html
    assert html.count('<svg class="app-chart__track"') >= 5
    assert 'id="table-by-agency"' in html and "Police test agency" in html
    assert "no-store" in response["Cache-Control"]


def test_csv_export_escapes_formulas(rows, client):
    AgreedAction.objects.all()  # noqa: B018
    DeliveredSession.objects.filter(pk=rows["a"].pk).update(used_title='=HYPERLINK("http://x")')
    rows["police"].name = "+44 Police"
    rows["police"].save()
    admin_login(client, make_role_user("evcsv", EDITOR))
    response = client.get("/admin/evidence/dashboard.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'+44 Police" in cells and "+44 Police" not in cells
    assert any(
        cell.startswith("'Pack: =HYPERLINK") or cell == 'Pack: =HYPERLINK("http://x")'
        for cell in cells
    )
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert not any(
        cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit() for cell in cells
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
        (-1.0, "-1.0"),
        (3, "3"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_the_yearly_report_section(rows):
    from assurance.report_sections import SECTIONS

    assert evidence_report_section in SECTIONS  # registered from EvidenceConfig.ready
    year = timezone.localdate().year
    section = evidence_report_section(year)
    assert section.heading == SECTION_HEADING == "Evidence of learning into practice"
    in_year = DeliveredSession.objects.filter(delivered_on__year=year)
    sessions, people = in_year.count(), sum(in_year.values_list("attendees", flat=True))
    assert f"{sessions} session" in section.paragraphs[0] and f"{people} " in section.paragraphs[0]
    agency_table = section.tables[0]
    assert agency_table.headers == ["Agency", "Sessions", "People reached"]
    assert sum(int(row[1]) for row in agency_table.rows) == sessions
