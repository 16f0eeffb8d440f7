"""Importing learning points from a new review (CSV, YAML, JSON): the preview shows every
row with its errors or what it will do; nothing is saved unless every row is right;
importing again changes nothing; Editors' imports arrive as drafts."""

import csv
import io
import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from reversion.models import Revision

from backoffice.transfer.parse import import_parse
from backoffice.transfer.schema import CSV_COLUMNS, MAX_IMPORT_BYTES
from backoffice.transfer.write import content_import
from content.models import Status
from practice_points.models import PracticePoint, Review
from tests.roles import admin_login, make_role_user

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/content/import/"
NO_JOB = "00000000-0000-0000-0000-000000000000"


def csv_bytes(rows, columns=CSV_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue().encode("utf-8")


def review_rows(status="published"):
    """Three learning points of a new review, tagged with seed themes, agencies, resources."""
    base = {
        "review_slug": "child-z",
        "review_title": "Child Z",
        "review_type": "lcspr",
        "review_url": "https://example.org.uk/child-z",
        "status": status,
    }
    return [
        {
            **base,
            "position": "1",
            "text": "Practitioners should see the baby, not only hear about the baby.",
            "guidance": "Read the Was not brought guidance.",
            "themes": "professional-curiosity;Neglect",
            "agencies": "health",
            "all_agencies": "yes",
            "resources": "leeds-was-not-brought",
        },
        {
            **base,
            "position": "2",
            "text": "Fathers and male carers must be part of every assessment.",
            "themes": "working-with-families",
        },
        {
            **base,
            "position": "3",
            "text": "Record why information was or was not shared.",
            "themes": "information-exchange",
            "agencies": "education;health",
        },
    ]


def upload(client, name, content: bytes):
    """Upload a file and follow to the page that shows its preview."""
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)}, follow=True)


def confirm_url(preview) -> str:
    return reverse("transfer:import_confirm", args=[preview.context["job"].pk])


def confirm(client, preview):
    assert preview.status_code == 200, preview.content.decode()[:2000]
    result = preview.context["result"]
    assert result["ok"], [r for r in result["records"] if r["errors"]]
    return client.post(confirm_url(preview))


def rows_with_errors(result) -> list:
    return [record for record in result.records if record.errors]


def test_the_upload_page_explains_the_formats(publisher_client):
    response = publisher_client.get(IMPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert ", ".join(CSV_COLUMNS) in page
    assert 'enctype="multipart/form-data"' in page
    assert reverse("transfer:import_template", args=["csv"]) in page
    assert reverse("transfer:import_template", args=["yaml"]) in page


def test_preview_shows_each_rows_errors_and_saves_nothing(publisher_client):
    rows = review_rows()
    rows[0]["themes"] = "professional-curiosity;no-such-theme"
    rows[1]["text"] = "   "
    rows.append(
        {
            "review_slug": "child-y",
            "review_title": "Child Y",
            "review_type": "lcspr",
            "review_url": "not a url",
            "text": "A point of a review with a bad link.",
        }
    )
    rows.append({**review_rows()[2], "position": "4", "review_type": "serious_case_review"})
    points_before = PracticePoint.objects.count()

    response = upload(publisher_client, "child-z.csv", csv_bytes(rows))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown theme &#x27;no-such-theme&#x27;." in page
    assert "Missing text" in page
    assert "Enter a valid URL." in page
    assert "review details (review_type) differ from line 2" in page
    assert "Confirm the import" not in page
    assert "Nothing can be imported" in page
    result = response.context["result"]
    assert {record["where"] for record in result["records"] if record["errors"]} == {
        "Line 2",
        "Line 3",
        "Line 5",
        "Line 6",
    }
    assert PracticePoint.objects.count() == points_before
    assert not Review.objects.filter(slug__in=["child-z", "child-y"]).exists()
    # Nothing can be confirmed.
    publisher_client.post(confirm_url(response))
    assert not Review.objects.filter(slug__in=["child-z", "child-y"]).exists()


def test_one_bad_row_among_good_ones_saves_nothing(publisher):
    rows = review_rows()
    rows.insert(1, {**rows[0], "position": "9", "agencies": "no-such-agency"})
    points_before = PracticePoint.objects.count()

    result = content_import(import_parse("z.csv", csv_bytes(rows)), user=publisher)

    assert not result.saved
    assert [record.line for record in rows_with_errors(result)] == [3]
    assert rows_with_errors(result)[0].errors == ["Unknown agency 'no-such-agency'."]
    assert PracticePoint.objects.count() == points_before
    assert not Review.objects.filter(slug="child-z").exists()


def test_confirm_saves_with_a_revision_and_goes_to_the_points(publisher_client):
    preview = upload(publisher_client, "child-z.csv", csv_bytes(review_rows()))
    assert "4 created, 0 updated, 0 unchanged" in preview.content.decode()
    assert PracticePoint.objects.filter(review__slug="child-z").count() == 0

    response = confirm(publisher_client, preview)

    assert response.status_code == 302
    job = preview.context["job"]
    assert response["Location"] == (
        reverse("admin:practice_points_practicepoint_changelist") + f"?import={job.pk}"
    )
    points = PracticePoint.objects.filter(review__slug="child-z").order_by("position")
    assert [point.slug for point in points] == ["child-z-01", "child-z-02", "child-z-03"]
    first = points[0]
    assert first.status == Status.PUBLISHED
    assert first.all_agencies
    assert sorted(first.themes.values_list("slug", flat=True)) == [
        "neglect",
        "professional-curiosity",
    ]
    assert list(first.agencies.values_list("slug", flat=True)) == ["health"]
    assert list(first.resources.values_list("slug", flat=True)) == ["leeds-was-not-brought"]
    review = Review.objects.get(slug="child-z")
    assert (review.title, review.source_url) == ("Child Z", "https://example.org.uk/child-z")
    revision = Revision.objects.get(comment="Imported from child-z.csv")
    assert revision.user.username == "publisher"
    page = publisher_client.get(response["Location"]).content.decode()
    assert "Imported child-z.csv: 4 created, 0 updated, 0 unchanged." in page
    # The confirmation cannot be replayed.
    again = publisher_client.post(confirm_url(preview), follow=True)
    assert "not waiting to be confirmed" in again.content.decode()
    assert PracticePoint.objects.filter(review__slug="child-z").count() == 3
    assert Revision.objects.filter(comment="Imported from child-z.csv").count() == 1


def test_confirm_of_an_unknown_or_unchecked_job_saves_nothing(publisher_client):
    preview = upload(publisher_client, "child-z.csv", csv_bytes(review_rows()))
    unknown = reverse("transfer:import_confirm", args=[NO_JOB])
    assert publisher_client.post(unknown).status_code == 404
    assert not Review.objects.filter(slug="child-z").exists()
    assert publisher_client.get(confirm_url(preview)).status_code == 405


def test_reimporting_the_same_file_changes_nothing(publisher_client):
    content = csv_bytes(review_rows())
    confirm(publisher_client, upload(publisher_client, "child-z.csv", content))
    points = PracticePoint.objects.count()
    version = PracticePoint.objects.get(slug="child-z-01").version

    preview = upload(publisher_client, "child-z.csv", content)
    assert "0 created, 0 updated, 4 unchanged" in preview.content.decode()
    confirm(publisher_client, preview)

    assert PracticePoint.objects.count() == points
    assert Review.objects.filter(slug="child-z").count() == 1
    assert PracticePoint.objects.get(slug="child-z-01").version == version


def test_an_edited_row_updates_its_point_without_a_duplicate(publisher):
    rows = review_rows()
    content_import(import_parse("z.csv", csv_bytes(rows)), user=publisher)
    rows[1]["text"] = "Fathers and male carers must be part of every single assessment."
    result = content_import(import_parse("z.csv", csv_bytes(rows)), user=publisher)
    assert result.saved
    assert result.counts == {"updated": 1, "unchanged": 3}
    assert PracticePoint.objects.get(slug="child-z-02").text.endswith("every single assessment.")
    assert PracticePoint.objects.filter(review__slug="child-z").count() == 3


def test_an_editors_import_arrives_as_draft(editor_client):
    preview = upload(editor_client, "child-z.csv", csv_bytes(review_rows(status="published")))
    assert "Arrives as a draft" in preview.content.decode()
    confirm(editor_client, preview)

    statuses = set(
        PracticePoint.objects.filter(review__slug="child-z").values_list("status", flat=True)
    )
    assert statuses == {Status.DRAFT}
    review = Review.objects.get(slug="child-z")
    assert review.status == Status.DRAFT and review.published_at is None
    assert not PracticePoint.objects.published().filter(review__slug="child-z").exists()


def test_an_editor_cannot_change_published_content_by_import(editor):
    point = PracticePoint.objects.published().get(slug="child-d-01")
    document = {
        "review": {"slug": "child-d"},
        "points": [{"slug": "child-d-01", "text": "Changed by an editor's import."}],
    }
    result = content_import(import_parse("d.json", json.dumps(document).encode()), user=editor)
    assert not result.saved
    assert rows_with_errors(result)[0].errors == [
        "Only a Publisher can change published or archived content. "
        "Ask a Publisher to unpublish it first."
    ]
    point.refresh_from_db()
    assert point.text != "Changed by an editor's import."


def test_yaml_review_document(publisher_client):
    document = {
        "review": {
            "slug": "child-x",
            "title": "Child X",
            "review_type": "Rapid review",
            "partnership": "Test partnership",
            "published_on": "2025-03-01",
            "summary": "A rapid review.",
            "status": "published",
        },
        "points": [
            {"text": "See the child.", "themes": ["neglect"], "agencies": ["Education"]},
            {"slug": "child-x-second", "text": "Hear the child.", "all_agencies": True},
        ],
    }
    preview = upload(publisher_client, "child-x.yaml", yaml.safe_dump(document).encode())
    assert "3 created" in preview.content.decode()
    confirm(publisher_client, preview)
    review = Review.objects.get(slug="child-x")
    assert review.review_type == "rapid_review" and str(review.published_on) == "2025-03-01"
    assert list(review.practice_points.values_list("slug", "position")) == [
        ("child-x-01", 1),
        ("child-x-second", 2),
    ]
    assert list(
        PracticePoint.objects.get(slug="child-x-01").agencies.values_list("slug", flat=True)
    ) == ["education"]


def test_json_review_document_with_errors(publisher_client):
    document = {
        "review": {"slug": "child-w", "title": "Child W", "review_type": "gossip"},
        "points": [
            {"slug": "w1", "text": "One."},
            {"slug": "w1", "text": "Two."},
            {"slug": "w3", "text": "Three.", "colour": "red"},
        ],
    }
    response = upload(publisher_client, "child-w.json", json.dumps(document).encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown review type &#x27;gossip&#x27;: use one of lcspr" in page
    assert "Duplicate practice point slug &#x27;w1&#x27; in this file" in page
    assert "Unknown field(s): colour." in page
    assert not Review.objects.filter(slug="child-w").exists()


def test_cells_are_shown_escaped(publisher_client):
    rows = review_rows()
    rows[0]["text"] = "<script>alert('x')</script> =HYPERLINK(\"http://evil\")"
    rows[1]["themes"] = "<img src=x onerror=alert(1)>"
    response = upload(publisher_client, "<b>bold</b>.csv", csv_bytes(rows))
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("points.csv", b"", "The file is empty."),
        ("points.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "not a text file"),
        ("points.csv", "text\nCafé crème\n".encode("latin-1"), "not UTF-8"),
        ("points.xlsx", b"PK\x03\x04 spreadsheet", "not CSV, YAML or JSON"),
        ("points.json", b'{"review": ', "not valid JSON"),
        ("points.yaml", b"review: [unclosed\n", "not valid YAML"),
        ("points.yaml", b"a: &x [1, 2]\nb: [*x, *x]\n", "aliases"),
        ("points.json", b"[1, 2, 3]", "must be a mapping"),
        ("points.json", b'{"themes": 5}', "&#x27;themes&#x27; must be a list"),
        ("points.yaml", b"secret_key: 1\n", "Unknown key(s): secret_key"),
        ("points.csv", b"txt,guidance\nhello,there\n", "Unknown column(s): txt"),
        ("points.csv", b"guidance\nthere\n", "including text"),
        ("points.csv", b'text\n"unclosed\n', "not valid CSV"),
        ("points.csv", b"text\n\n\n", "no content to import"),
    ],
)
def test_bad_files_get_a_clear_message_not_a_500(publisher_client, name, content, message):
    response = upload(publisher_client, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Confirm the import" not in response.content.decode()


def test_a_huge_upload_is_refused(publisher_client):
    content = b"text\n" + b"x" * MAX_IMPORT_BYTES
    response = upload(publisher_client, "huge.csv", content)
    assert response.status_code == 400
    assert "too large: the limit is 5 MB" in response.content.decode()


def test_no_file_is_a_form_error(publisher_client):
    response = publisher_client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_anonymous_is_sent_to_the_admin_login(client):
    for url in (IMPORT_URL, reverse("transfer:import_confirm", args=[NO_JOB])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_trainer_cannot_import(client):
    trainer = make_role_user("t", "Trainer", is_staff=False)
    admin_login(client, trainer)
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("child-z.csv", csv_bytes(review_rows()))}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not Review.objects.filter(slug="child-z").exists()


def test_a_partnership_admin_cannot_import(partnership_admin_client):
    assert partnership_admin_client.get(IMPORT_URL).status_code == 403
    response = upload(partnership_admin_client, "child-z.csv", csv_bytes(review_rows()))
    assert response.status_code == 403
    confirm = reverse("transfer:import_confirm", args=[NO_JOB])
    assert partnership_admin_client.post(confirm).status_code == 403
    assert not Review.objects.filter(slug="child-z").exists()


def test_import_content_command(tmp_path, editor):
    path = tmp_path / "child-z.csv"
    path.write_bytes(csv_bytes(review_rows()))
    out = io.StringIO()
    call_command("import_content", str(path), "--dry-run", stdout=out)
    assert "Importing would give: 4 created, 0 updated, 0 unchanged." in out.getvalue()
    assert not Review.objects.filter(slug="child-z").exists()

    call_command("import_content", str(path), "--user", "editor", stdout=out)
    assert PracticePoint.objects.filter(review__slug="child-z", status=Status.DRAFT).count() == 3

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([{"text": "x", "themes": "nope"}]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_content", str(bad), stdout=out, stderr=io.StringIO())
    with pytest.raises(CommandError, match="No user named"):
        call_command("import_content", str(path), "--user", "nobody", stdout=out)


def test_formula_looking_cells_import_as_text(publisher):
    rows = review_rows()
    rows[0]["text"] = "=1+1 is what the form showed"
    rows[0]["guidance"] = "@mention the safeguarding lead"
    result = content_import(import_parse("z.csv", csv_bytes(rows)), user=publisher)
    assert result.saved
    point = PracticePoint.objects.get(slug="child-z-01")
    assert point.text == "=1+1 is what the form showed"
    assert point.guidance == "@mention the safeguarding lead"


def test_a_full_export_uploaded_again_is_all_unchanged(publisher_client, settings):
    # Larger than a page-load import: a background job, run here as soon as it is queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    exported = publisher_client.get(reverse("transfer:export_download", args=["json"]))
    preview = upload(publisher_client, "content.json", exported.content)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert result["ok"] and set(result["counts"]) == {"unchanged"}
    assert "Confirm the import" in preview.content.decode()
