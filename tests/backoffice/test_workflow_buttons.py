"""The change form offers the workflow as buttons, by role (issue 14): an Editor saves
drafts and submits them for review; a Publisher also publishes and unpublishes. The
refused side is tested by POSTing the buttons an Editor is not offered."""

import datetime

import pytest
from django.urls import reverse

from content.models import Status, today
from practice_points.models import PracticePoint
from tests.factories import PracticePointFactory, ResourceFactory

from .change_forms import form_data

pytestmark = pytest.mark.django_db

OLD = datetime.date(2020, 1, 1)


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def buttons(page) -> list[str]:
    """The labels of the workflow buttons, as rendered."""
    html = page.content.decode()
    return [
        label
        for value, label in (
            ("save_draft", "Save draft"),
            ("submit", "Submit for review"),
            ("publish", "Publish"),
            ("save_published", "Save and keep published"),
            ("unpublish", "Unpublish"),
        )
        if f'name="_workflow" value="{value}"' in html
    ]


@pytest.fixture
def draft(db):
    return PracticePointFactory(status=Status.DRAFT, last_reviewed=None, review_by=OLD)


@pytest.fixture
def published(db):
    return PracticePointFactory(status=Status.PUBLISHED, last_reviewed=OLD, review_by=OLD)


def test_an_editor_is_offered_save_draft_and_submit_for_review(editor_client, draft):
    page = editor_client.get(change_url(draft))
    assert page.status_code == 200
    assert buttons(page) == ["Save draft", "Submit for review"]
    assert "status" not in page.context["adminform"].form.fields  # no drop-down


def test_an_editor_is_offered_nothing_on_published_content(editor_client, published):
    page = editor_client.get(change_url(published))
    assert buttons(page) == []


def test_a_publisher_is_also_offered_publish_and_unpublish(publisher_client, draft, published):
    assert buttons(publisher_client.get(change_url(draft))) == [
        "Save draft",
        "Submit for review",
        "Publish",
    ]
    assert buttons(publisher_client.get(change_url(published))) == [
        "Save and keep published",
        "Unpublish",
    ]
    add = publisher_client.get(reverse("admin:resources_resource_add"))
    assert buttons(add) == ["Save draft", "Submit for review", "Publish"]


def test_an_editor_submits_a_draft_for_review(editor_client, draft):
    page = editor_client.get(change_url(draft))
    response = editor_client.post(
        change_url(draft), form_data(page, guidance="Checked.", _workflow="submit")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.guidance) == (Status.IN_REVIEW, "Checked.")
    assert draft.last_reviewed is None  # submitting is not a review by the partnership


@pytest.mark.parametrize("action", ["publish", "save_published", "unpublish"])
def test_an_editors_publish_or_unpublish_is_refused_and_nothing_is_saved(
    editor_client, draft, action
):
    page = editor_client.get(change_url(draft))
    response = editor_client.post(
        change_url(draft), form_data(page, guidance="Sneaky.", _workflow=action), follow=True
    )
    html = response.content.decode()
    assert "Only a Publisher can publish" in html and "Nothing was saved" in html
    draft.refresh_from_db()
    assert (draft.status, draft.guidance, draft.last_reviewed) == (
        Status.DRAFT,
        "Test guidance.",
        None,
    )


def test_an_editors_post_to_published_content_is_refused(editor_client, published):
    page = editor_client.get(change_url(published))  # read-only for an Editor
    data = form_data(page, _workflow="unpublish") if "adminform" in page.context else {}
    data["_workflow"] = "unpublish"
    editor_client.post(change_url(published), data)
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_publishing_marks_the_item_reviewed_today(publisher_client, draft):
    page = publisher_client.get(change_url(draft))
    response = publisher_client.post(change_url(draft), form_data(page, _workflow="publish"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.last_reviewed == today()
    assert draft.review_by > today()


def test_saving_a_change_to_published_content_marks_it_reviewed(publisher_client, published):
    page = publisher_client.get(change_url(published))
    publisher_client.post(
        change_url(published), form_data(page, guidance="Updated.", _workflow="save_published")
    )
    published.refresh_from_db()
    assert (published.status, published.guidance) == (Status.PUBLISHED, "Updated.")
    assert published.last_reviewed == today()


def test_unpublishing_puts_it_back_to_draft(publisher_client, published, client):
    page = publisher_client.get(change_url(published))
    publisher_client.post(change_url(published), form_data(page, _workflow="unpublish"))
    published.refresh_from_db()
    assert published.status == Status.DRAFT
    assert client.get(published.get_absolute_url()).status_code == 404


def test_a_new_resource_saved_as_draft_is_not_reviewed(publisher_client):
    add = publisher_client.get(reverse("admin:resources_resource_add"))
    data = form_data(
        add,
        title="A new briefing",
        slug="a-new-briefing",
        url="https://www.example.org.uk/briefing.pdf",
        resource_type="seven_minute_briefing",
        link_kind="document",
        area="Hampshire",
        _workflow="save_draft",
    )
    response = publisher_client.post(reverse("admin:resources_resource_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    resource = ResourceFactory._meta.model.objects.get(slug="a-new-briefing")
    assert (resource.status, resource.last_reviewed) == (Status.DRAFT, None)
    assert resource.scope == "local" and resource.area_label == "Hampshire (our area)"
    assert PracticePoint.objects.exists()
