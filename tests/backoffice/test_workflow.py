"""The publishing workflow by role: what Editors, Publishers and Partnership admins can
and cannot do to content in the admin, and the record it leaves (admin history and
django-reversion revisions)."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from backoffice.workflow import WorkflowError, content_mark_reviewed, content_set_status
from content.models import Status
from tests.factories import PracticePointFactory, ResourceFactory, ThemeFactory
from tests.roles import admin_login
from themes.models import GlossaryTerm, Theme

from .change_forms import form_data as admin_form_data
from .change_forms import messages_of

pytestmark = pytest.mark.django_db

GLOSSARY_CHANGELIST = "admin:themes_glossaryterm_changelist"


def glossary_term(status=Status.DRAFT, **fields):
    fields.setdefault("term", "QXZ")
    fields.setdefault("slug", fields["term"].lower())
    fields.setdefault("definition", "A term for tests.")
    return GlossaryTerm.objects.create(status=status, **fields)


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def log_entries(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("action_time", "pk")


def action(client, changelist, name, objects):
    return client.post(
        reverse(changelist),
        {"action": name, "_selected_action": [str(obj.pk) for obj in objects]},
        follow=True,
    )


# Editors -----------------------------------------------------------------------------


def test_an_editor_adds_a_draft(editor_client, editor):
    add = editor_client.get(reverse("admin:themes_glossaryterm_add"))
    assert add.status_code == 200
    data = admin_form_data(add, term="ZQV", slug="zqv", definition="New.", status="draft")
    response = editor_client.post(reverse("admin:themes_glossaryterm_add"), data)
    assert response.status_code == 302
    term = GlossaryTerm.objects.get(slug="zqv")
    assert term.status == Status.DRAFT and term.published_at is None
    entry = log_entries(term).get()
    assert entry.action_flag == ADDITION and entry.user == editor


def test_an_editor_is_offered_save_draft_and_submit_for_review_only(editor_client):
    add = editor_client.get(reverse("admin:themes_glossaryterm_add"))
    assert "status" not in add.context["adminform"].form.fields  # buttons, not a drop-down
    labels = [button["label"] for button in add.context["workflow_buttons"]]
    assert labels == ["Save draft", "Submit for review"]
    html = add.content.decode()
    assert 'name="_workflow" value="submit"' in html and 'value="publish"' not in html


def test_an_editor_edits_a_draft_and_submits_it_for_review(editor_client, editor):
    term = glossary_term()
    page = editor_client.get(change_url(term))
    assert page.status_code == 200
    response = editor_client.post(
        change_url(term), admin_form_data(page, definition="Edited.", _workflow="submit")
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.status == Status.IN_REVIEW and term.definition == "Edited."
    entry = log_entries(term).last()
    assert entry.user == editor and entry.action_flag == CHANGE
    assert entry.get_change_message().startswith(
        "Submitted for review. Status: draft -> in review."
    )
    version = Version.objects.get_for_object(term).first()
    assert version.revision.user == editor
    assert version.revision.comment.startswith("Submitted for review")


def test_an_editors_forged_publish_in_the_form_is_refused_and_nothing_is_saved(editor_client):
    term = glossary_term()
    page = editor_client.get(change_url(term))
    response = editor_client.post(
        change_url(term),
        admin_form_data(page, definition="Sneaky edit.", _workflow="publish"),
        follow=True,
    )
    assert "Only a Publisher can publish" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    term.refresh_from_db()
    assert term.status == Status.DRAFT and term.definition == "A term for tests."
    assert not log_entries(term).exists()


def test_an_editor_cannot_add_content_already_published(editor_client):
    add = editor_client.get(reverse("admin:themes_glossaryterm_add"))
    data = admin_form_data(add, term="ZQW", slug="zqw", _workflow="publish")
    response = editor_client.post(reverse("admin:themes_glossaryterm_add"), data, follow=True)
    assert "Only a Publisher can publish" in response.content.decode()
    assert not GlossaryTerm.objects.filter(slug="zqw").exists()


def test_publish_actions_are_not_offered_to_an_editor(editor_client):
    response = editor_client.get(reverse(GLOSSARY_CHANGELIST))
    offered = {name for name, _ in response.context["action_form"].fields["action"].choices}
    assert {"submit_for_review", "mark_reviewed"} <= offered
    assert not offered & {"publish_selected", "unpublish_selected", "archive_selected"}


@pytest.mark.parametrize("name", ["publish_selected", "unpublish_selected", "archive_selected"])
def test_an_editors_forged_publish_action_is_refused_and_changes_nothing(editor_client, name):
    draft, published = glossary_term(term="QXA"), glossary_term(Status.PUBLISHED, term="QXB")
    response = action(editor_client, GLOSSARY_CHANGELIST, name, [draft, published])
    assert response.status_code == 200
    assert any("Only a Publisher can publish" in m for m in messages_of(response))
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (Status.DRAFT, Status.PUBLISHED)
    assert not LogEntry.objects.exists()


def test_an_editor_submits_drafts_for_review_in_bulk(editor_client, editor):
    drafts = [glossary_term(term=f"QY{n}") for n in range(2)]
    published = glossary_term(Status.PUBLISHED, term="QYP")
    response = action(editor_client, GLOSSARY_CHANGELIST, "submit_for_review", drafts)
    assert "2 item(s) submitted for review." in messages_of(response)
    assert set(
        GlossaryTerm.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)
    ) == {Status.IN_REVIEW}
    assert log_entries(drafts[0]).get().user == editor
    # A published item is not sent back for review by an Editor.
    response = action(editor_client, GLOSSARY_CHANGELIST, "submit_for_review", [published])
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_published_content_is_read_only_for_an_editor(editor_client):
    term = glossary_term(Status.PUBLISHED)
    page = editor_client.get(change_url(term))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert "Only a Publisher can change published or archived content" in page.content.decode()
    response = editor_client.post(change_url(term), {"term": "Changed", "status": "draft"})
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.term == "QXZ" and term.status == Status.PUBLISHED


def test_an_editor_cannot_publish_through_the_service(editor):
    term = glossary_term()
    with pytest.raises(WorkflowError, match="Only a Publisher can publish content."):
        content_set_status(term, Status.PUBLISHED, user=editor)
    term.refresh_from_db()
    assert term.status == Status.DRAFT
    with pytest.raises(WorkflowError, match="not a status"):
        content_set_status(term, "live", user=editor)


# Publishers --------------------------------------------------------------------------


def test_a_publisher_publishes_unpublishes_and_archives(publisher_client, publisher):
    term = glossary_term(Status.IN_REVIEW)
    response = action(publisher_client, GLOSSARY_CHANGELIST, "publish_selected", [term])
    assert "1 item(s) published." in messages_of(response)
    term.refresh_from_db()
    assert term.status == Status.PUBLISHED and term.published_at is not None
    entry = log_entries(term).last()
    assert entry.user == publisher
    assert entry.get_change_message() == "Published. Status: in review -> published."
    revision = Version.objects.get_for_object(term).first().revision
    assert revision.user == publisher and revision.comment.startswith("Published")

    action(publisher_client, GLOSSARY_CHANGELIST, "unpublish_selected", [term])
    term.refresh_from_db()
    assert term.status == Status.DRAFT
    assert log_entries(term).last().get_change_message().startswith("Unpublished")

    action(publisher_client, GLOSSARY_CHANGELIST, "archive_selected", [term])
    term.refresh_from_db()
    assert term.status == Status.ARCHIVED
    assert log_entries(term).last().get_change_message().startswith("Archived")
    history = publisher_client.get(
        reverse("admin:themes_glossaryterm_history", args=[term.pk])
    ).content.decode()
    assert "Published. Status: in review -&gt; published." in history
    assert history.count("publisher") >= 3


def test_a_publisher_publishes_from_the_change_form(publisher_client, publisher):
    theme = ThemeFactory(status=Status.DRAFT)
    page = publisher_client.get(change_url(theme))
    labels = [button["label"] for button in page.context["workflow_buttons"]]
    assert labels == ["Save draft", "Submit for review", "Publish"]
    response = publisher_client.post(
        change_url(theme), admin_form_data(page, _workflow="publish", summary="Ready.")
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.status == Status.PUBLISHED and theme.summary == "Ready."
    message = log_entries(theme).last().get_change_message()
    assert message.startswith("Published. Status: draft -> published.")
    assert "Summary" in message
    revision = Version.objects.get_for_object(theme).first().revision
    assert revision.user == publisher and revision.comment.startswith("Published")


def test_a_publisher_edits_published_content(publisher_client):
    term = glossary_term(Status.PUBLISHED)
    page = publisher_client.get(change_url(term))
    assert page.context["has_change_permission"] is True
    response = publisher_client.post(change_url(term), admin_form_data(page, definition="New."))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.definition == "New." and term.status == Status.PUBLISHED


def test_a_bulk_publish_with_an_invalid_item_changes_nothing(publisher_client):
    good, bad = glossary_term(term="QGA"), glossary_term(term="QGB")
    GlossaryTerm.objects.filter(pk=bad.pk).update(slug="not a slug!")
    response = action(publisher_client, GLOSSARY_CHANGELIST, "publish_selected", [good, bad])
    assert any(m.startswith("Nothing was changed") for m in messages_of(response))
    assert set(
        GlossaryTerm.objects.filter(pk__in=[good.pk, bad.pk]).values_list("status", flat=True)
    ) == {Status.DRAFT}
    assert not LogEntry.objects.exists()


def test_publishing_a_theme_in_bulk_reindexes_its_points_and_saves_each_theme(
    publisher_client,
):
    theme = ThemeFactory(status=Status.DRAFT, name="Quincunx")
    PracticePointFactory(themes=[theme])
    before = theme.updated_at
    action(publisher_client, "admin:themes_theme_changelist", "publish_selected", [theme])
    theme.refresh_from_db()
    assert theme.status == Status.PUBLISHED and theme.updated_at > before
    assert Theme.objects.published().filter(pk=theme.pk).exists()


# Partnership admins and others -------------------------------------------------------


def test_a_partnership_admin_cannot_change_content(partnership_admin_client):
    term = glossary_term()
    page = partnership_admin_client.get(change_url(term))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    response = partnership_admin_client.post(change_url(term), {"term": "X", "status": "draft"})
    assert response.status_code == 403
    assert partnership_admin_client.get(reverse("admin:themes_glossaryterm_add")).status_code == (
        403
    )
    response = action(partnership_admin_client, GLOSSARY_CHANGELIST, "publish_selected", [term])
    term.refresh_from_db()
    assert term.status == Status.DRAFT and term.term == "QXZ"


# Freshness: marking reviewed, due for review -----------------------------------------


def test_marking_as_reviewed_sets_today_and_a_year_ahead(editor_client, editor):
    term = glossary_term(
        last_reviewed=datetime.date(2020, 1, 1), review_by=datetime.date(2021, 1, 1)
    )
    response = action(editor_client, GLOSSARY_CHANGELIST, "mark_reviewed", [term])
    assert any("marked as reviewed" in m for m in messages_of(response))
    term.refresh_from_db()
    today = datetime.date.today()
    assert term.last_reviewed == today
    assert term.review_by == today + datetime.timedelta(days=365)
    assert log_entries(term).last().user == editor


def test_an_editor_cannot_mark_published_content_reviewed(editor, publisher):
    term = glossary_term(Status.PUBLISHED, review_by=datetime.date(2021, 1, 1))
    with pytest.raises(WorkflowError, match="Only a Publisher"):
        content_mark_reviewed(term, user=editor)
    content_mark_reviewed(term, user=publisher)
    term.refresh_from_db()
    assert term.review_by > datetime.date.today()


def test_the_due_for_review_filter(editor_client):
    stale = ResourceFactory(title="Stale procedure", review_by=datetime.date(2020, 5, 1))
    fresh = ResourceFactory(title="Fresh procedure")
    url = reverse("admin:resources_resource_changelist")
    due = editor_client.get(url, {"due_for_review": "due"})
    shown = {obj.pk for obj in due.context["cl"].result_list}
    assert stale.pk in shown and fresh.pk not in shown
    not_due = editor_client.get(url, {"due_for_review": "not_due"})
    shown = {obj.pk for obj in not_due.context["cl"].result_list}
    assert fresh.pk in shown and stale.pk not in shown
    links = editor_client.get(url, {"link_status__exact": "broken"})
    assert links.status_code == 200


def test_the_due_for_review_page_lists_stale_items_oldest_first(editor_client):
    older = ThemeFactory(name="Older stale theme", review_by=datetime.date(2019, 2, 1))
    old = ResourceFactory(title="Old stale resource", review_by=datetime.date(2020, 3, 1))
    ResourceFactory(title="A fresh resource")
    ResourceFactory(
        title="Archived stale resource",
        status=Status.ARCHIVED,
        review_by=datetime.date(2020, 3, 1),
    )
    response = editor_client.get(reverse("backoffice_due_for_review"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Older stale theme" in page and "Old stale resource" in page
    assert "A fresh resource" not in page and "Archived stale resource" not in page
    assert page.index("Older stale theme") < page.index("Old stale resource")
    assert change_url(older) in page and change_url(old) in page


def test_the_due_for_review_page_is_for_staff_only(client, django_user_model):
    response = client.get(reverse("backoffice_due_for_review"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_editors_cannot_edit_published_themes_from_the_list(editor_client, publisher):
    theme = ThemeFactory(position=5)
    url = reverse("admin:themes_theme_changelist")
    assert editor_client.get(url).context["cl"].formset is None
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(theme.pk),
        "form-0-position": "1",
        "_save": "Save",
    }
    editor_client.post(url, data)
    theme.refresh_from_db()
    assert theme.position == 5
    publisher_client = admin_login(editor_client, publisher)  # the same client, now signed in
    assert publisher_client.get(url).context["cl"].formset is not None
