"""Exporting all the content (JSON, YAML) and the practice points (CSV): downloads for
staff who may view content, formula-safe CSV, and a round trip into an empty database
that gives back the same content."""

import csv
import datetime
import io
import json

import pytest
import yaml
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from backoffice.transfer.export import content_export, csv_safe
from backoffice.transfer.parse import csv_unescape, import_parse
from backoffice.transfer.schema import CSV_COLUMNS
from backoffice.transfer.write import content_import
from content.models import Status
from practice_points.models import PracticePoint, Review
from resources.models import Resource
from tests.factories import PracticePointFactory, ReviewFactory
from tests.roles import admin_login, make_role_user
from themes.models import Agency, GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/content/export/"
MODELS = (
    Agency,
    Theme,
    Resource,
    GlossaryTerm,
    Review,
    PracticePoint,
    PracticeWeek,
    PracticeWeekDay,
)
# Not content: ids, timestamps kept by the database, the locking counter, derived data.
NOT_CONTENT = {"id", "created_at", "updated_at", "version", "search_vector", "weekday_order"}
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1:A2)", "'quoted"]


def canonical_dump() -> dict:
    """Every content field of every record, foreign keys and many-to-many as slugs."""
    dump = {}
    for model in MODELS:
        rows = {}
        for obj in model.objects.all():
            row = {}
            for field in model._meta.get_fields():
                if (
                    field.auto_created
                    or field.name in NOT_CONTENT
                    or field.name.startswith("link_")
                ):
                    continue
                if isinstance(field, models.ManyToManyField):
                    row[field.name] = sorted(
                        getattr(obj, field.name).values_list("slug", flat=True)
                    )
                elif isinstance(field, models.ForeignKey):
                    target = getattr(obj, field.name)
                    row[field.name] = target.slug if target else None
                elif field.concrete:
                    row[field.name] = getattr(obj, field.name)
            key = f"{obj.week.slug}:{obj.weekday}" if model is PracticeWeekDay else obj.slug
            rows[key] = row
        dump[model._meta.label] = rows
    return dump


def delete_all_content():
    PracticePoint.objects.all().delete()
    PracticeWeek.objects.all().delete()
    Review.objects.all().delete()
    Resource.objects.all().delete()
    GlossaryTerm.objects.all().delete()
    Theme.objects.all().delete()
    Agency.objects.all().delete()
    assert not any(model.objects.exists() for model in MODELS)


@pytest.fixture
def extra_content():
    """Beside the seed: drafts, a point without a review, a glossary term, formula-like text."""
    review = ReviewFactory(slug="test-export", status=Status.DRAFT, source_url="")
    PracticePointFactory(
        slug="test-export-01",
        review=review,
        text=FORMULAS[0],
        guidance="\n".join(FORMULAS[1:]),
        status=Status.IN_REVIEW,
        themes=list(Theme.objects.filter(slug="neglect")),
    )
    PracticePointFactory(slug="no-review", review=None, text="A point of no review.", position=0)
    GlossaryTerm.objects.create(
        slug="test-export-term",
        term="TXT",
        expansion="Test Export Term",
        definition="A term for the export tests.",
        synonyms="test export, TET",
        status=Status.PUBLISHED,
        last_reviewed=datetime.date(2025, 1, 2),
        review_by=datetime.date(2026, 1, 2),
    )


def test_staff_who_view_content_see_the_export_page(editor_client):
    response = editor_client.get(EXPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    for fmt in ("json", "yaml", "csv"):
        assert reverse("transfer:export_download", args=[fmt]) in page


@pytest.mark.parametrize("fmt", ["json", "yaml", "csv"])
def test_downloads_are_private_attachments(publisher_client, fmt):
    response = publisher_client.get(reverse("transfer:export_download", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_a_partnership_admin_can_export(partnership_admin_client):
    assert partnership_admin_client.get(EXPORT_URL).status_code == 200
    response = partnership_admin_client.get(reverse("transfer:export_download", args=["json"]))
    assert response.status_code == 200
    assert json.loads(response.content)["format"] == "reviews-toolkit-content"


def test_others_cannot_export(client):
    download = reverse("transfer:export_download", args=["json"])
    for url in (EXPORT_URL, download):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    admin_login(client, make_role_user("t", "Trainer", is_staff=False))
    for url in (EXPORT_URL, download):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    admin_login(client, make_role_user("nobody"))  # staff, no role
    for url in (EXPORT_URL, download):
        assert client.get(url).status_code == 403


def test_an_unknown_format_is_not_found(publisher_client):
    url = reverse("transfer:export_download", args=["xlsx"])
    assert publisher_client.get(url).status_code == 404


def test_csv_cells_that_look_like_formulas_are_escaped(extra_content):
    PracticePointFactory(slug="tab", text="\t=1+1", guidance="\r=2+2", review=None)
    rows = list(csv.DictReader(io.StringIO(content_export("csv").lstrip("\ufeff"))))
    by_slug = {row["point_slug"]: row for row in rows}
    assert by_slug["test-export-01"]["text"] == "'" + FORMULAS[0]
    assert by_slug["test-export-01"]["guidance"].startswith("'+1+2\n")
    assert by_slug["tab"]["text"] == "'\t=1+1"
    assert by_slug["tab"]["guidance"] == "'\r=2+2"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row


@pytest.mark.parametrize("payload", [*FORMULAS, "\t=1", "\r=1", "''", "plain", "", "-"])
def test_csv_escaping_is_undone_by_the_import(payload):
    assert csv_unescape(csv_safe(payload)) == payload
    assert not csv_safe(payload).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_full_export_into_an_empty_database_gives_the_same_content(extra_content, publisher, fmt):
    before = canonical_dump()
    exported = content_export(fmt)
    delete_all_content()

    result = content_import(import_parse(f"all.{fmt}", exported.encode()), user=publisher)

    assert result.saved, result.rows_with_errors[:3]
    assert result.counts["created"] == sum(len(rows) for rows in before.values())
    assert canonical_dump() == before
    # And importing it again changes nothing.
    again = content_import(import_parse(f"all.{fmt}", exported.encode()), user=publisher)
    assert again.saved and set(again.counts) == {"unchanged"}
    assert canonical_dump() == before


def test_exports_are_the_documented_structure(extra_content):
    data = yaml.safe_load(content_export("yaml"))
    assert json.loads(content_export("json"))["reviews"] == data["reviews"]
    child_q = next(review for review in data["reviews"] if review["slug"] == "test-export")
    assert child_q["status"] == "draft"
    assert child_q["points"][0]["themes"] == ["neglect"]
    assert [point["slug"] for point in data["points"]] == ["no-review"]
    week = data["practice_weeks"][0]
    assert [day["weekday"] for day in week["days"]][:2] == ["monday", "tuesday"]
    term = next(term for term in data["glossary"] if term["slug"] == "test-export-term")
    assert term["synonyms"] == "test export, TET"
    assert term["last_reviewed"] == "2025-01-02"


def test_points_csv_round_trip(extra_content, publisher):
    fields = ("slug", "text", "guidance", "position", "all_agencies", "status", "review")
    before = canonical_dump()
    exported = content_export("csv")
    assert exported.lstrip("\ufeff").startswith(",".join(CSV_COLUMNS))
    PracticePoint.objects.all().delete()
    Review.objects.all().delete()

    result = content_import(import_parse("points.csv", exported.encode()), user=publisher)

    assert result.saved, result.rows_with_errors[:3]
    after = canonical_dump()
    point_fields = (*fields, "themes", "agencies", "resources")
    assert {
        slug: {name: row[name] for name in point_fields}
        for slug, row in after["practice_points.PracticePoint"].items()
    } == {
        slug: {name: row[name] for name in point_fields}
        for slug, row in before["practice_points.PracticePoint"].items()
    }
    for slug, row in after["practice_points.Review"].items():
        old = before["practice_points.Review"][slug]
        assert (row["title"], row["review_type"], row["source_url"]) == (
            old["title"],
            old["review_type"],
            old["source_url"],
        )
    # Importing the same CSV again changes nothing.
    again = content_import(import_parse("points.csv", exported.encode()), user=publisher)
    assert set(again.counts) == {"unchanged"}


def test_export_content_command(tmp_path, extra_content):
    out = io.StringIO()
    call_command("export_content", "--format", "yaml", stdout=out)
    assert yaml.safe_load(out.getvalue())["format"] == "reviews-toolkit-content"
    target = tmp_path / "points.csv"
    call_command("export_content", "--format", "csv", "-o", str(target), stderr=io.StringIO())
    assert "test-export-01" in target.read_text(encoding="utf-8")
