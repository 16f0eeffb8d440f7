"""Import applies exactly the workflow rules the admin applies (issue 15, finding 1), to
every model and every nested row; and a lone UTF-16 surrogate in a JSON value is a row
error, not a 500 (finding 10).

The expected answers come from the admin itself: the same user opening the same item's
change form in the admin (``has_change_permission``), or the role table in README.md
(Editors edit drafts and items in review; only Publishers change published or archived
content), never from the import code."""

import json

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from backoffice.transfer.parse import import_parse
from backoffice.transfer.write import content_import
from content.models import Status
from practice_points.models import PracticePoint
from resources.models import Resource
from themes.models import GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/content/import/"
NEW_MONDAY = "A Monday title an Editor should not be able to publish"


def run(user, document, dry_run=False):
    return content_import(
        import_parse("file.json", json.dumps(document).encode()), user=user, dry_run=dry_run
    )


def admin_allows_change(user, obj) -> bool:
    """What the admin's change form would let ``user`` do with ``obj``."""
    request = RequestFactory().get("/")
    request.user = user
    return site._registry[type(obj)].has_change_permission(request, obj)


def week_document(**day):
    return {"practice_weeks": [{"slug": "hampshire-2024", "days": [day]}]}


def test_an_editor_importing_a_published_weeks_day_is_refused(editor):
    week = PracticeWeek.objects.get(slug="hampshire-2024")
    assert week.status == Status.PUBLISHED
    assert not admin_allows_change(editor, week)  # the admin refuses the same change
    monday_before = week.days.get(weekday="monday").title

    result = run(editor, week_document(weekday="monday", title=NEW_MONDAY))

    assert not result.saved
    [day] = [record for record in result.records if record.kind.key == "days"]
    assert day.errors == [
        "Only a Publisher can change published or archived content. "
        "Ask a Publisher to unpublish it first."
    ]
    assert week.days.get(weekday="monday").title == monday_before


def test_an_editor_cannot_replace_a_published_days_themes(editor, client):
    tuesday = PracticeWeekDay.objects.get(week__slug="hampshire-2024", weekday="tuesday")
    themes_before = set(tuesday.themes.values_list("slug", flat=True))

    result = run(editor, week_document(weekday="tuesday", themes=["neglect"]))

    assert not result.saved
    assert set(tuesday.themes.values_list("slug", flat=True)) == themes_before
    # The public home page's programme is unchanged too.
    assert NEW_MONDAY not in client.get("/").content.decode()


def test_the_editors_upload_page_shows_the_refusal(editor_client):
    document = week_document(weekday="monday", title=NEW_MONDAY)
    response = editor_client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("week.json", json.dumps(document).encode())},
        follow=True,
    )
    page = response.content.decode()
    assert "Only a Publisher can change published or archived content." in page
    assert "Confirm the import" not in page


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED]
)
@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_days_follow_the_admins_rule_for_their_week(request, role, status):
    user = request.getfixturevalue(role)
    PracticeWeek.objects.filter(slug="hampshire-2024").update(status=status)
    week = PracticeWeek.objects.get(slug="hampshire-2024")
    allowed = admin_allows_change(user, week)
    # The README's role table, independently: Editors only change drafts and items in review.
    assert allowed == (role == "publisher" or status in (Status.DRAFT, Status.IN_REVIEW))

    result = run(user, week_document(weekday="monday", title=NEW_MONDAY))

    assert result.saved == allowed, result.rows_with_errors
    saved_title = week.days.get(weekday="monday").title
    assert (saved_title == NEW_MONDAY) == allowed


def test_an_editor_cannot_add_a_day_to_a_published_week(editor):
    week = PracticeWeek.objects.get(slug="hampshire-2024")
    week.days.filter(weekday="friday").delete()
    result = run(editor, week_document(weekday="friday", title="A new Friday"))
    assert not result.saved
    assert not week.days.filter(weekday="friday").exists()


def _published(model, **filters):
    return model.objects.published().filter(**filters).order_by("pk").first()


@pytest.mark.parametrize(
    ("key", "model", "field"),
    [
        ("themes", Theme, "summary"),
        ("resources", Resource, "summary"),
        ("glossary", GlossaryTerm, "definition"),
        ("practice_weeks", PracticeWeek, "introduction"),
    ],
)
def test_an_editor_cannot_change_published_content_of_any_kind(editor, key, model, field):
    obj = _published(model)
    assert not admin_allows_change(editor, obj)
    result = run(editor, {key: [{"slug": obj.slug, field: "Changed by an Editor's import."}]})
    assert not result.saved
    [record] = result.rows_with_errors
    assert record.errors[0].startswith("Only a Publisher can change published")
    obj.refresh_from_db()
    assert getattr(obj, field) != "Changed by an Editor's import."


def test_an_editor_may_change_a_draft_point_of_a_published_review(editor):
    """The admin lets an Editor edit a draft point on its own page, whatever its review's
    status: the import does the same."""
    point = PracticePoint.objects.public().exclude(review=None).first()
    PracticePoint.objects.filter(pk=point.pk).update(status=Status.DRAFT)
    point.refresh_from_db()
    assert admin_allows_change(editor, point)
    document = {
        "reviews": [
            {"slug": point.review.slug, "points": [{"slug": point.slug, "text": "Edited draft."}]}
        ]
    }
    result = run(editor, document)
    assert result.saved, result.rows_with_errors
    point.refresh_from_db()
    assert point.text == "Edited draft." and point.status == Status.DRAFT


def test_an_editor_may_submit_a_draft_for_review_by_import(editor):
    """The admin lets an Editor submit a draft for review: so does the import."""
    theme = _published(Theme)
    Theme.objects.filter(pk=theme.pk).update(status=Status.DRAFT)
    result = run(editor, {"themes": [{"slug": theme.slug, "status": "in_review"}]})
    assert result.saved, result.rows_with_errors
    theme.refresh_from_db()
    assert theme.status == Status.IN_REVIEW


def test_an_editor_cannot_publish_an_existing_draft_by_import(editor):
    theme = _published(Theme)
    Theme.objects.filter(pk=theme.pk).update(status=Status.DRAFT)
    result = run(editor, {"themes": [{"slug": theme.slug, "status": "published"}]})
    assert not result.saved
    assert result.rows_with_errors[0].errors == ["Only a Publisher can publish content."]
    theme.refresh_from_db()
    assert theme.status == Status.DRAFT


# -- Finding 10: a lone surrogate ---------------------------------------------------------

LONE_SURROGATE_JSON = (
    b'{"review": {"slug": "child-s", "title": "Child S", "review_type": "lcspr"},'
    b' "points": [{"text": "Bad \\ud800 text"}, {"text": "Good text", "themes": ["\\udfff"]}]}'
)


def test_a_lone_surrogate_in_json_is_a_row_error_not_a_500(publisher_client):
    response = publisher_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("s.json", LONE_SURROGATE_JSON)}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing can be imported" in page
    records = response.context["result"]["records"]
    problems = [e for record in records for e in record["errors"] if "lone UTF-16 surrogate" in e]
    assert problems == [
        "text: holds a lone UTF-16 surrogate (\\ud800), which is not text: correct it in the file.",
        "themes: holds a lone UTF-16 surrogate (\\udfff), which is not text: correct it in the file.",
    ]
    assert "lone UTF-16 surrogate (\\ud800)" in page
    assert "Confirm the import" not in page
    assert not PracticePoint.objects.filter(review__slug="child-s").exists()


@pytest.mark.parametrize(
    "content",
    [
        b'{"themes": [{"slug": "x\\ud83d", "name": "X", "summary": "s"}]}',
        b'{"themes": [{"slug": "x", "\\udc00": 1}]}',
        b'{"\\ud800": []}',
        b'{"review": {"slug": "s", "title": "\\udbff\\udbff"}, "points": []}',
    ],
)
def test_lone_surrogates_anywhere_give_a_clear_message(publisher_client, content):
    response = publisher_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("s.json", content)}, follow=True
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "surrogate" in page
    assert "Confirm the import" not in page
