"""Every change is kept: who changed what and when, one-click restore of an earlier
version, and deleted items can be recovered, all within the publishing workflow."""

import datetime

import pytest
import reversion
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from backoffice.history import version_restore
from content.models import Status
from practice_points.models import PracticePoint
from search import services
from search.kinds import KINDS
from tests.factories import PracticePointFactory, ReviewFactory, ThemeFactory
from tests.roles import EDITOR, PUBLISHER, admin_login, make_role_user
from themes.models import GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme, Weekday

from .change_forms import change_url, form_data

pytestmark = pytest.mark.django_db


def history_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])


def revision_url(obj, version):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_revision", args=[obj.pk, version.pk])


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision").order_by("pk"))


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit(client, obj, **changes):
    url = change_url(obj)
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def found(q):
    return [
        p.slug for p in services.search_practice_points(KINDS["practice_points"].published(), q)
    ]


@pytest.fixture
def publisher_():
    return make_role_user("priya", PUBLISHER)


@pytest.fixture
def publisher_admin(publisher_):
    return admin_login(Client(), publisher_)


@pytest.fixture
def editor_():
    return make_role_user("eddie", EDITOR)


@pytest.fixture
def editor_admin(editor_):
    return admin_login(Client(), editor_)


@pytest.fixture
def themes():
    return ThemeFactory(name="Neglect"), ThemeFactory(name="Domestic abuse")


def test_each_admin_save_is_a_version_with_who_and_what_changed(editor_admin, editor_, themes):
    point = PracticePointFactory(status=Status.DRAFT, text="Original text.", themes=themes[:1])
    edit(editor_admin, point, text="Changed text.")
    edit(editor_admin, point, themes=themes)

    versions = versions_of(point)
    assert len(versions) == 2
    assert all(v.revision.user == editor_ for v in versions)
    assert versions[0].revision.get_comment() == "Changed Learning point."
    assert "Themes" in versions[1].revision.get_comment()

    page = editor_admin.get(history_url(point))
    assert page.status_code == 200
    html = page.content.decode()
    assert "eddie" in html
    # What the latest version changed, before and after.
    assert "Before: Neglect" in html
    assert "After: Domestic abuse, Neglect" in html


def test_adding_in_the_admin_is_the_first_version(editor_admin, editor_):
    add_url = reverse("admin:themes_glossaryterm_add")
    data = form_data(editor_admin.get(add_url), term="QQV", slug="qqv", definition="New.")
    data["status"] = Status.DRAFT
    assert editor_admin.post(add_url, data).status_code == 302
    term = GlossaryTerm.objects.get(slug="qqv")
    (version,) = versions_of(term)
    assert version.revision.user == editor_
    assert version.revision.get_comment() == "Added."
    assert term.version == 1


def test_restoring_an_earlier_version_brings_back_its_text_and_themes(publisher_admin, themes):
    point = PracticePointFactory(
        text="Zanzibarine original wording.", themes=themes[:1], status=Status.PUBLISHED
    )
    edit(publisher_admin, point)  # the first recorded version: as it was
    edit(publisher_admin, point, text="Quillwort new wording.", themes=themes[1:])
    assert found("zanzibarine") == [] and found("quillwort") == [point.slug]
    original = versions_of(point)[0]

    preview = publisher_admin.get(revision_url(point, original))
    assert preview.status_code == 200
    assert "Zanzibarine original wording." in preview.content.decode()
    point.refresh_from_db()
    assert point.text == "Quillwort new wording."  # looking changes nothing

    restored = publisher_admin.post(revision_url(point, original), form_data(preview))
    assert restored.status_code == 302
    point.refresh_from_db()
    assert point.text == "Zanzibarine original wording."
    assert [t.name for t in point.themes.all()] == ["Neglect"]
    latest = versions_of(point)[-1]
    assert latest.revision.get_comment().startswith("Restored the version saved on")
    # The restore was a normal save: the search index follows it.
    assert found("zanzibarine") == [point.slug] and found("quillwort") == []


def test_restoring_is_protected_against_concurrent_edits_too(publisher_admin, themes):
    point = PracticePointFactory(text="First wording.", status=Status.DRAFT)
    edit(publisher_admin, point)
    edit(publisher_admin, point, text="Second wording.")
    preview = publisher_admin.get(revision_url(point, versions_of(point)[0]))
    other = admin_login(Client(), make_role_user("olu", PUBLISHER))
    edit(other, point, text="Someone else's wording.")

    refused = publisher_admin.post(revision_url(point, versions_of(point)[0]), form_data(preview))
    assert refused.status_code == 200
    assert "Someone else changed this item while you were editing it (by olu" in (
        refused.content.decode()
    )
    point.refresh_from_db()
    assert point.text == "Someone else's wording."


def test_an_editor_cannot_publish_by_restoring_a_published_version(
    publisher_admin, editor_admin, editor_
):
    point = PracticePointFactory(text="Published wording.", status=Status.PUBLISHED)
    edit(publisher_admin, point)  # recorded while published
    edit(publisher_admin, point, _workflow="unpublish", text="Draft wording.")
    published_version = versions_of(point)[0]
    assert published_version.field_dict["status"] == Status.PUBLISHED

    url = revision_url(point, published_version)
    for response in (editor_admin.get(url), editor_admin.post(url, {"text": "x"})):
        assert response.status_code == 302
        assert response["Location"] == history_url(point)
        assert any("Only a Publisher can restore" in m for m in messages_of(response))
    point.refresh_from_db()
    assert (point.status, point.text) == (Status.DRAFT, "Draft wording.")
    with pytest.raises(PermissionDenied):
        version_restore(published_version, user=editor_)
    point.refresh_from_db()
    assert point.status == Status.DRAFT

    # A Publisher may.
    preview = publisher_admin.get(url)
    assert publisher_admin.post(url, form_data(preview)).status_code == 302
    point.refresh_from_db()
    assert (point.status, point.text) == (Status.PUBLISHED, "Published wording.")


def test_an_editor_restores_an_earlier_draft_of_a_draft(editor_admin):
    point = PracticePointFactory(text="Draft one.", status=Status.DRAFT)
    edit(editor_admin, point)
    edit(editor_admin, point, text="Draft two.")
    url = revision_url(point, versions_of(point)[0])
    assert editor_admin.post(url, form_data(editor_admin.get(url))).status_code == 302
    point.refresh_from_db()
    assert point.text == "Draft one."


def test_a_restore_brings_back_only_that_item_not_others_saved_with_it(publisher_admin):
    review = ReviewFactory(status=Status.DRAFT)
    first = PracticePointFactory(review=review, text="First.", status=Status.DRAFT)
    second = PracticePointFactory(review=review, text="Second.", status=Status.DRAFT)
    # Both points are saved in one revision, through the review's inline.
    url = change_url(review)
    data = form_data(
        publisher_admin.get(url),
        **{"practice_points-0-text": "First point.", "practice_points-1-text": "Second point."},
    )
    assert publisher_admin.post(url, data).status_code == 302
    assert versions_of(first)[0].revision == versions_of(second)[0].revision
    # ...then each is edited on its own.
    edit(publisher_admin, first, text="First point, edited.")
    edit(publisher_admin, second, text="Second point, edited.")

    url = revision_url(first, versions_of(first)[0])
    assert publisher_admin.post(url, form_data(publisher_admin.get(url))).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "First point."
    assert second.text == "Second point, edited."  # untouched


def test_a_deleted_practice_point_is_recovered_with_its_themes(publisher_admin, themes):
    point = PracticePointFactory(text="Recoverable learning.", themes=themes)
    pk, slug = point.pk, point.slug
    delete = publisher_admin.post(
        reverse("admin:practice_points_practicepoint_delete", args=[pk]), {"post": "yes"}
    )
    assert delete.status_code == 302
    assert not PracticePoint.objects.filter(pk=pk).exists()
    assert found("recoverable") == []

    listing = publisher_admin.get(reverse("admin:practice_points_practicepoint_recoverlist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Recoverable learning." in html and "priya" in html
    deleted = listing.context["deleted"].get(object_id=str(pk))
    recover_url = reverse("admin:practice_points_practicepoint_recover", args=[deleted.pk])
    assert recover_url in html

    preview = publisher_admin.get(recover_url)
    assert preview.status_code == 200
    assert not PracticePoint.objects.filter(pk=pk).exists()  # looking changes nothing
    assert publisher_admin.post(recover_url, form_data(preview)).status_code == 302
    point = PracticePoint.objects.get(pk=pk)
    assert (point.slug, point.text) == (slug, "Recoverable learning.")
    assert {t.name for t in point.themes.all()} == {"Neglect", "Domestic abuse"}
    assert found("recoverable") == [slug]


def test_items_deleted_in_bulk_can_be_recovered(publisher_admin):
    points = [PracticePointFactory(text=f"Bulk deleted {n}.") for n in range(2)]
    changelist = reverse("admin:practice_points_practicepoint_changelist")
    response = publisher_admin.post(
        changelist,
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [str(p.pk) for p in points],
        },
    )
    assert response.status_code == 302
    assert not PracticePoint.objects.filter(pk__in=[p.pk for p in points]).exists()
    listing = publisher_admin.get(reverse("admin:practice_points_practicepoint_recoverlist"))
    html = listing.content.decode()
    assert "Bulk deleted 0." in html and "Bulk deleted 1." in html


def test_a_deleted_practice_week_comes_back_with_its_days(publisher_admin):
    theme = ThemeFactory(name="Neglect")
    week = PracticeWeek.objects.create(
        title="Practice week",
        slug="practice-week-test",
        partnership="Test partnership",
        start_date=datetime.date(2026, 3, 2),
        status=Status.DRAFT,
    )
    day = PracticeWeekDay.objects.create(week=week, weekday=Weekday.values[0], title="Day one")
    day.themes.set([theme])
    edit(publisher_admin, week)  # recorded with its days
    publisher_admin.post(
        reverse("admin:themes_practiceweek_delete", args=[week.pk]), {"post": "yes"}
    )
    assert not PracticeWeekDay.objects.filter(pk=day.pk).exists()

    deleted = Version.objects.get_deleted(PracticeWeek).get(object_id=str(week.pk))
    url = reverse("admin:themes_practiceweek_recover", args=[deleted.pk])
    assert publisher_admin.post(url, form_data(publisher_admin.get(url))).status_code == 302
    day = PracticeWeekDay.objects.get(pk=day.pk)
    assert day.week_id == week.pk and [t.name for t in day.themes.all()] == ["Neglect"]


def test_an_editor_cannot_recover_a_deleted_published_item(publisher_admin, editor_admin):
    point = PracticePointFactory(text="Was published.", status=Status.PUBLISHED)
    publisher_admin.post(
        reverse("admin:practice_points_practicepoint_delete", args=[point.pk]), {"post": "yes"}
    )
    deleted = Version.objects.get_deleted(PracticePoint).get(object_id=str(point.pk))
    url = reverse("admin:practice_points_practicepoint_recover", args=[deleted.pk])
    response = editor_admin.post(url, {"text": "x"})
    assert response.status_code == 302
    assert any("Only a Publisher can restore" in m for m in messages_of(response))
    assert not PracticePoint.objects.filter(pk=point.pk).exists()


def test_a_restore_via_the_service_is_a_normal_save(publisher_, themes):
    point = PracticePointFactory(text="Xylophonist wording.", themes=themes[:1])
    with reversion.create_revision():
        PracticePoint.objects.get(pk=point.pk).save()
    point.text = "Other wording."
    point.save()
    point.themes.set(themes[1:])
    start = PracticePoint.objects.get(pk=point.pk).version

    restored = version_restore(versions_of(point)[0], user=publisher_)
    assert restored.text == "Xylophonist wording."
    assert [t.name for t in restored.themes.all()] == ["Neglect"]
    assert restored.version == start + 1
    assert found("xylophonist") == [point.slug]
    assert versions_of(point)[-1].revision.user == publisher_


def test_a_restore_leaves_out_tags_deleted_since(publisher_admin, themes):
    point = PracticePointFactory(text="Tagged twice.", themes=themes, status=Status.DRAFT)
    edit(publisher_admin, point)
    edit(publisher_admin, point, text="Edited.")
    themes[1].delete()
    url = revision_url(point, versions_of(point)[0])
    assert publisher_admin.post(url, form_data(publisher_admin.get(url))).status_code == 302
    point.refresh_from_db()
    assert point.text == "Tagged twice."
    assert [t.name for t in point.themes.all()] == ["Neglect"]
    connection.check_constraints()  # no link to the deleted theme was written


def test_recovering_an_item_whose_review_or_slug_is_gone_is_a_clear_message(publisher_admin):
    review = ReviewFactory(status=Status.DRAFT)
    orphan = PracticePointFactory(review=review, text="Orphan.", slug="orphan")
    clash = PracticePointFactory(review=None, text="Clash.", slug="clash")
    for point in (orphan, clash):
        publisher_admin.post(
            reverse("admin:practice_points_practicepoint_delete", args=[point.pk]),
            {"post": "yes"},
        )
    review.delete()
    PracticePointFactory(review=None, text="Took the slug.", slug="clash")

    for point, problem in ((orphan, "its review no longer exists"), (clash, "its slug")):
        deleted = Version.objects.get_deleted(PracticePoint).get(object_id=str(point.pk))
        url = reverse("admin:practice_points_practicepoint_recover", args=[deleted.pk])
        for response in (publisher_admin.get(url), publisher_admin.post(url, {"text": "x"})):
            assert response.status_code == 302
            assert any(problem in m for m in messages_of(response)), messages_of(response)
        assert not PracticePoint.objects.filter(pk=point.pk).exists()
    connection.check_constraints()


def test_a_deleted_theme_is_recovered_with_the_points_it_tagged(publisher_admin):
    theme = ThemeFactory(name="Fabricated illness")
    points = [PracticePointFactory(themes=[theme]) for _ in range(2)]
    untagged = PracticePointFactory()
    publisher_admin.post(reverse("admin:themes_theme_delete", args=[theme.pk]), {"post": "yes"})
    assert all(not p.themes.exists() for p in points)

    deleted = Version.objects.get_deleted(Theme).get(object_id=str(theme.pk))
    assert deleted.revision.get_comment() == "Deleted theme ‘Fabricated illness’."
    url = reverse("admin:themes_theme_recover", args=[deleted.pk])
    assert publisher_admin.post(url, form_data(publisher_admin.get(url))).status_code == 302
    assert {p.pk for p in Theme.objects.get(pk=theme.pk).practice_points.all()} == {
        p.pk for p in points
    }
    assert not untagged.themes.exists()
