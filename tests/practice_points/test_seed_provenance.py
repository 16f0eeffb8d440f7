"""Seed content a partnership can stand behind (issue 14): every review says who
published it and when, every link is the document's own or says it is only the
publisher's website, every theme and practice week paragraph says where it comes from,
and loading never claims a review by the partnership.

The YAML files are read as plain data here (no loader, no models); the rules are
written out in this file, independently of ``themes.provenance`` and the loader. The
last tests load the files and check what the loader wrote.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from content.models import Publishable
from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import GlossaryTerm, PracticeWeek, Theme
from themes.provenance import unmarked

SEED = Path(settings.SEED_CONTENT_DIR)
PUBLISHER_WEBSITE = "publisher_website"
# A provenance line, as the seed files write it (see the header of themes.yaml).
MARK = re.compile(
    r"^\[(Source: (?P<sources>[^\]]+)|Partnership(, drawing on: (?P<drawn>[^\]]+))?)\]$"
)


def load(name):
    return yaml.safe_load((SEED / name).read_text(encoding="utf-8"))


def every_seed_file():
    return sorted(SEED.glob("*.yaml")) + sorted((SEED / "practice_points").glob("*.yaml"))


def paragraphs(text):
    return [block.strip() for block in re.split(r"\n\s*\n", (text or "").strip()) if block.strip()]


def provenance_texts():
    """(where, text) of every theme body and practice week introduction."""
    texts = [(f"themes.yaml {row['slug']}", row.get("body")) for row in load("themes.yaml")]
    week = load("practice_week.yaml")
    texts.append(("practice_week.yaml introduction", week.get("introduction")))
    texts += [
        (f"practice_week.yaml {day['weekday']}", day.get("introduction")) for day in week["days"]
    ]
    return texts


def known_sources():
    return {row["slug"] for row in load("reviews.yaml")} | {
        row["slug"] for row in load("resources.yaml")
    }


# --- The files ------------------------------------------------------------------------


def test_every_review_names_its_publisher_and_date():
    problems = []
    for row in load("reviews.yaml"):
        if not (row.get("partnership") or "").strip():
            problems.append(f"{row['slug']}: no publisher")
        if not row.get("published_on") and not (row.get("published_label") or "").strip():
            problems.append(f"{row['slug']}: no date (a day, or the date as the source gives it)")
        if not (row.get("area") or "").strip():
            problems.append(f"{row['slug']}: no area")
        if not (row.get("reuse_note") or "").strip():
            problems.append(f"{row['slug']}: no reuse note")
    assert problems == []


def test_no_resource_links_to_a_bare_home_page_without_saying_so():
    problems = []
    for row in load("resources.yaml"):
        parts = urlsplit(row["url"])
        bare_home = parts.path in ("", "/") and not parts.query
        if bare_home and row.get("link_kind") != PUBLISHER_WEBSITE:
            problems.append(f"{row['slug']}: {row['url']} is a home page, not labelled")
    assert problems == []


def test_every_resource_names_its_area_and_none_is_merely_local():
    rows = load("resources.yaml")
    assert [row["slug"] for row in rows if not (row.get("area") or "").strip()] == []
    assert [row["slug"] for row in rows if "scope" in row] == []  # "local" to whom?
    assert {row.get("link_kind", "document") for row in rows} <= {"document", PUBLISHER_WEBSITE}


def test_every_theme_and_practice_week_paragraph_says_where_it_comes_from():
    known = known_sources()
    problems = []
    for where, text in provenance_texts():
        for paragraph in paragraphs(text):
            lines = [line.strip() for line in paragraph.splitlines()]
            if sum(1 for line in lines[:-1] if MARK.match(line)):
                problems.append(f"{where}: a mark inside a paragraph: {paragraph[:60]!r}")
            match = MARK.match(lines[-1])
            if match is None:
                problems.append(f"{where}: no source or partnership mark: {paragraph[:60]!r}")
                continue
            named = match.group("sources") or match.group("drawn") or ""
            for key in (k.strip() for k in named.split(";") if k.strip()):
                if key not in known:
                    problems.append(f"{where}: unknown source {key!r}")
    assert problems == []


def test_the_mark_check_fails_on_an_unmarked_paragraph():
    """The rule above, and the one the app uses, both catch a paragraph without a mark."""
    text = "Quoted.\n[Source: child-d]\n\nNobody said this.\n\nOurs.\n[Partnership]"
    assert unmarked(text) == ["Nobody said this."]
    marks = [MARK.match(p.splitlines()[-1]) for p in paragraphs(text)]
    assert [m is not None for m in marks] == [True, False, True]


def test_no_seed_file_sets_last_reviewed():
    for path in every_seed_file():
        assert "last_reviewed" not in path.read_text(encoding="utf-8"), path.name


def test_the_unsourced_claims_the_issue_found_are_gone():
    themes = {row["slug"]: row for row in load("themes.yaml")}
    week = load("practice_week.yaml")
    everything = yaml.safe_dump(load("themes.yaml")) + yaml.safe_dump(week)
    assert "Working Together" not in everything
    assert "integrated care board" not in everything
    assert "do not rely on family members to interpret" not in everything
    assert "They operate the Domestic Violence Disclosure Scheme" not in everything
    for slug in ("placements-for-complex-needs", "young-carers", "cultural-understanding"):
        summary = " ".join(themes[slug]["summary"].split())
        assert "an emerging priority from the National Panel" not in summary
        assert '"struck us as relatively recent emerging priorities"' in summary


def test_the_national_panel_points_belong_to_the_summary_that_holds_them():
    reviews = {row["slug"]: row for row in load("reviews.yaml")}
    points = load("practice_points/national_panel.yaml")
    summary = reviews[points["review"]]
    assert summary["title"] == (
        "Summary of Jon Trew's Key Learning from Child Safeguarding Practice Review Panel: "
        "2022-2023"
    )
    assert str(summary["published_on"]) == "2024-07-04"
    report = reviews[summary["summary_of"]]
    assert report["partnership"] == "Child Safeguarding Practice Review Panel"


def test_the_child_d_review_links_to_its_own_page():
    reviews = {row["slug"]: row for row in load("reviews.yaml")}
    assert urlsplit(reviews["child-d"]["source_url"]).path == "/child_d"


# --- What the loader writes -----------------------------------------------------------


PUBLISHABLE = (Review, PracticePoint, Resource, Theme, PracticeWeek, GlossaryTerm)


@pytest.mark.django_db
def test_loading_never_sets_last_reviewed(seed):
    call_command("load_seed_content", "--update", verbosity=0)
    for model in PUBLISHABLE:
        assert issubclass(model, Publishable)
        if model is GlossaryTerm:  # reference data from a migration, not the seed files
            continue
        stamped = model.objects.filter(last_reviewed__isnull=False).count()
        assert (model.__name__, stamped) == (model.__name__, 0)
        assert model.objects.exists()


@pytest.mark.django_db
def test_a_seed_review_shows_its_own_date_and_not_yet_reviewed(seed, client):
    html = client.get("/reviews/summary-panel-annual-report-2022-23/").content.decode()
    assert "4 July 2024" in html
    assert "Not yet reviewed by the partnership" in html
    assert "Last reviewed" not in html
    report = client.get("/reviews/national-panel-annual-report-2022-23/").content.decode()
    assert "knows this report through a summary of it" in report
    assert "Summary of Jon Trew" in report


@pytest.mark.django_db
def test_reviews_with_learning_are_listed_before_those_only_cited(seed, client):
    response = client.get("/reviews/")
    html = response.content.decode()
    with_points = [r for r in Review.objects.published() if r.practice_points.published().exists()]
    without = [r for r in Review.objects.published() if not r.practice_points.published().exists()]
    assert with_points and without

    def card(review):
        return html.index(f'card__title"><a class="govuk-link" href="{review.get_absolute_url()}"')

    last_with = max(card(r) for r in with_points)
    first_without = min(card(r) for r in without)
    assert last_with < html.index("Cited as further reading") < first_without


@pytest.mark.django_db
def test_a_theme_page_says_where_each_paragraph_comes_from(seed, client):
    theme = Theme.objects.get(slug="myth-busting")
    html = client.get(theme.get_absolute_url()).content.decode()
    assert "[Partnership" not in html and "[Source" not in html  # marks are never shown
    expected = len(paragraphs(theme.body))
    assert html.count('class="govuk-body-s app-provenance"') == expected
    assert "Written by the partnership" in html


@pytest.mark.django_db
def test_another_areas_procedure_is_marked(seed, client, settings):
    settings.PARTNERSHIP_AREA = "Hampshire"
    response = client.get("/resources/", {"q": "Neglect procedure"})
    html = response.content.decode()
    # Each procedure from another area found is marked (the page's introduction quotes
    # the words too, so count the marks on the resources themselves).
    others = [
        r
        for r in response.context["resources"]
        if r.resource_type == "procedure" and r.area.strip() not in ("", "Hampshire", "National")
    ]
    mark = "app-other-area\"><strong>Another area's procedure: check your own.</strong>"
    assert html.count(mark) == len(others) > 0
    own = client.get("/resources/", {"area": "own"}).context["result_count"]
    expected = Resource.objects.published().filter(area="Hampshire").count()
    assert own == expected > 0
    settings.PARTNERSHIP_AREA = "Leeds"
    html = client.get("/resources/", {"area": "own"}).content.decode()
    assert "Leeds (our area)" in html
