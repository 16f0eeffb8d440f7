"""Imports that teach (issue 14, part 6): every problem on every row, the preview shows
each row's themes, agencies and status as matched, a template to start from (CSV and
YAML) that round-trips, and after confirming the admin list filtered to exactly what was
imported."""

import copy
import csv
import io
import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from backoffice.models import ImportJob
from backoffice.transfer.schema import CSV_COLUMNS
from content.models import Status
from practice_points.models import PracticePoint
from resources.models import Resource
from tests.backoffice.test_import import csv_bytes, review_rows
from tests.roles import admin_login
from themes.models import Agency, Theme

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/content/import/"
POINTS_LIST = "admin:practice_points_practicepoint_changelist"


def upload(client, name, content: bytes):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)}, follow=True)


def records(response) -> dict:
    return {record["where"]: record for record in response.context["result"]["records"]}


def confirm(client, preview):
    job = preview.context["job"]
    assert preview.context["result"]["ok"], [
        r for r in preview.context["result"]["records"] if r["errors"]
    ]
    return client.post(reverse("transfer:import_confirm", args=[job.pk]))


# -- Every problem on every row --------------------------------------------------------


def test_a_csv_row_with_six_problems_reports_all_six(publisher_client):
    rows = review_rows()
    rows[1].update(
        position="second",
        all_agencies="perhaps",
        status="gossip",
        themes="no-such-theme;neglect",
        agencies="nobody",
        resources="nothing-here",
    )

    response = upload(publisher_client, "z.csv", csv_bytes(rows))

    row = records(response)["Line 3"]
    assert row["errors"] == [
        "Position must be a whole number, not 'second'.",
        "all_agencies must be yes or no (or true/false), not 'perhaps'.",
        "Unknown status 'gossip': use one of draft, in_review, published, archived.",
        "Unknown theme 'no-such-theme'.",
        "Unknown agency 'nobody'.",
        "Unknown resource 'nothing-here'.",
    ]
    page = response.content.decode()
    assert "6 problems:" in page
    assert "Unknown resource &#x27;nothing-here&#x27;." in page
    # The other rows are checked too, and say they have no problem of their own.
    assert records(response)["Line 2"]["errors"] == []
    assert not PracticePoint.objects.filter(review__slug="child-z").exists()


def test_a_document_row_gets_its_field_problems_and_the_models_checks_together(
    publisher_client,
):
    document = {
        "resources": [
            {
                "slug": "new-resource",
                "title": "",
                "url": "not a link",
                "resource_type": "leaflet-ish",
                "themes": ["nope", "neglect"],
            }
        ]
    }
    response = upload(publisher_client, "r.json", json.dumps(document).encode())

    errors = records(response)["resources[1]"]["errors"]
    assert any(error.startswith("Unknown resource type 'leaflet-ish'") for error in errors)
    assert "Unknown theme 'nope'." in errors
    assert any("Enter a valid URL." in error for error in errors)
    assert any(error.startswith("Title:") for error in errors)
    assert not Resource.objects.filter(slug="new-resource").exists()


# -- The preview shows what each row matched -------------------------------------------


def test_the_preview_shows_each_rows_themes_agencies_and_status_as_matched(publisher_client):
    response = upload(publisher_client, "z.csv", csv_bytes(review_rows(status="published")))

    first = records(response)["Line 2"]
    # Expected names from the database, not from the import: the file gave slugs and names.
    themes = [
        Theme.objects.get(slug="professional-curiosity").name,
        Theme.objects.get(slug="neglect").name,
    ]
    agencies = [Agency.objects.get(slug="health").name]
    resources = [Resource.objects.get(slug="leeds-was-not-brought").title]
    assert first["tags"] == [["themes", themes], ["agencies", agencies], ["resources", resources]]
    assert first["status"] == "Published"
    page = response.content.decode()
    assert f"{themes[0]}; {themes[1]}" in page
    assert "Tags as matched" in page


def test_an_editors_preview_shows_the_status_it_will_really_have(editor_client):
    response = upload(editor_client, "z.csv", csv_bytes(review_rows(status="published")))
    first = records(response)["Line 2"]
    assert first["status"] == "Draft"
    assert first["notes"] == ["Arrives as a draft: you cannot make it published."]


def test_an_existing_points_tags_are_shown_when_the_file_leaves_them_out(publisher_client):
    point = PracticePoint.objects.filter(themes__isnull=False).distinct().first()
    document = {"points": [{"slug": point.slug, "text": point.text}]}
    document = {"reviews": [{"slug": point.review.slug, **document}]} if point.review else document
    response = upload(publisher_client, "p.json", json.dumps(document).encode())
    row = next(r for r in response.context["result"]["records"] if r["key"] == point.slug)
    shown = dict((name, labels) for name, labels in row["tags"])
    assert sorted(shown["themes"]) == sorted(point.themes.values_list("name", flat=True))
    assert row["status"] == point.get_status_display()


# -- Templates ---------------------------------------------------------------------------


def download(client, fmt):
    response = client.get(reverse("transfer:import_template", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response


def test_the_csv_template_round_trip(editor_client):
    response = download(editor_client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 1  # the header and one example row
    example = rows[0]
    for slug in example["themes"].split(";"):
        assert Theme.objects.filter(slug=slug).exists()
    assert Agency.objects.filter(slug=example["agencies"]).exists()

    # Fill it as a person would: their review, two points of their own.
    filled = [
        {**example, "review_slug": "child-t", "review_title": "Child T", "text": "See Child T."},
        {**example, "review_slug": "child-t", "position": "2", "text": "Hear Child T."},
    ]
    filled[1].update(review_title="", review_type="", review_url="")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(filled)

    preview = upload(editor_client, "filled.csv", buffer.getvalue().encode("utf-8"))
    assert "3 created, 0 updated, 0 unchanged" in preview.content.decode()
    done = confirm(editor_client, preview)

    points = PracticePoint.objects.filter(review__slug="child-t").order_by("position")
    assert [p.text for p in points] == ["See Child T.", "Hear Child T."]
    assert {p.status for p in points} == {Status.DRAFT}
    assert sorted(points[0].themes.values_list("slug", flat=True)) == sorted(
        example["themes"].split(";")
    )
    # The person lands on the list of exactly those two points.
    listing = editor_client.get(done["Location"])
    assert done["Location"].startswith(reverse(POINTS_LIST) + "?import=")
    assert set(listing.context["cl"].queryset.values_list("pk", flat=True)) == {
        p.pk for p in points
    }
    assert "Imported filled.csv: 3 created, 0 updated, 0 unchanged." in listing.content.decode()


def test_the_csv_template_imports_as_it_is(publisher_client):
    preview = upload(publisher_client, "t.csv", download(publisher_client, "csv").content)
    assert preview.context["result"]["ok"]


def test_the_yaml_template_round_trip(publisher_client):
    response = download(publisher_client, "yaml")
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("# ")  # it explains itself
    document = yaml.safe_load(text)
    assert set(document) == {"review", "points"} and len(document["points"]) == 1

    document["review"].update(slug="child-u", title="Child U")
    first = document["points"][0]
    document["points"] = [
        {**copy.deepcopy(first), "text": "Ask about the fathers."},
        {**copy.deepcopy(first), "text": "Record the child's words.", "themes": []},
    ]
    preview = upload(publisher_client, "u.yaml", yaml.safe_dump(document).encode("utf-8"))
    assert "3 created, 0 updated, 0 unchanged" in preview.content.decode()
    confirm(publisher_client, preview)

    points = PracticePoint.objects.filter(review__slug="child-u").order_by("position")
    assert [p.slug for p in points] == ["child-u-01", "child-u-02"]
    assert sorted(points[0].themes.values_list("slug", flat=True)) == sorted(first["themes"])
    assert not points[1].themes.exists()


def test_an_unknown_template_is_404_and_a_partnership_admin_gets_none(
    publisher_client, partnership_admin
):
    assert (
        publisher_client.get(reverse("transfer:import_template", args=["xlsx"])).status_code == 404
    )
    url = reverse("transfer:import_template", args=["csv"])
    other = admin_login(Client(), partnership_admin)
    assert other.get(url).status_code == 403


# -- The list filtered to the import --------------------------------------------------------


def test_the_filter_shows_only_the_persons_own_import(publisher_client, editor):
    preview = upload(publisher_client, "z.csv", csv_bytes(review_rows()))
    done = confirm(publisher_client, preview)
    job = ImportJob.objects.get()
    reviews = reverse("admin:practice_points_review_changelist") + f"?import={job.pk}"
    # The message on the points list links to the other list of the same import.
    assert reviews in publisher_client.get(done["Location"]).content.decode()
    listing = publisher_client.get(reviews)
    assert [r.slug for r in listing.context["cl"].queryset] == ["child-z"]

    other = admin_login(Client(), editor)
    assert other.get(reviews).context["cl"].result_count == 0
    for junk in ("not-a-uuid", "1 OR 1=1", ""):
        response = other.get(reverse(POINTS_LIST), {"import": junk})
        assert response.status_code in (200, 302)
