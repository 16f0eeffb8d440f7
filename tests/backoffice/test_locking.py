"""Concurrent-edit protection: two people editing the same item cannot overwrite each
other's work; the second save is refused and told what changed."""

import threading
import time
import uuid

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client

from content.models import ConcurrentEditError, Status
from practice_points.models import PracticePoint
from tests.factories import PracticePointFactory, ReviewFactory, ThemeFactory
from tests.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER, admin_login, make_role_user
from themes.models import GlossaryTerm

from .change_forms import change_url, form_data

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def two_editors():
    first = make_role_user("amina", EDITOR, first_name="Amina", last_name="Shah")
    second = make_role_user("ben", PUBLISHER)
    return admin_login(Client(), first), admin_login(Client(), second)


@pytest.fixture
def point():
    themes = [ThemeFactory(name="Neglect"), ThemeFactory(name="Voice of the child")]
    point = PracticePointFactory(
        status=Status.DRAFT,
        text="Ask who else lives in the home.",
        guidance="Check the household at every visit.",
        themes=themes[:1],
    )
    point.refresh_from_db()
    point.extra_theme = themes[1]
    return point


def test_the_second_of_two_concurrent_saves_is_refused_and_told_what_changed(two_editors, point):
    amina, ben = two_editors
    opened_version = point.version
    url = change_url(point)
    amina_page, ben_page = amina.get(url), ben.get(url)
    assert amina_page.status_code == ben_page.status_code == 200

    saved = amina.post(url, form_data(amina_page, text="Ask who lives in the home and visits."))
    assert saved.status_code == 302

    refused = ben.post(
        url,
        form_data(ben_page, guidance="Speak to the child alone.", themes=[point.extra_theme]),
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Someone else changed this item while you were editing it (by Amina Shah at" in html
    assert "Nothing was saved." in html
    # The fields changed since Ben opened the page, with their saved values now.
    assert "Learning point: Ask who lives in the home and visits." in html
    errors = refused.context["adminform"].form.non_field_errors()
    assert not any(message.startswith("Themes:") for message in errors)
    assert not any(message.startswith("How to enhance your practice:") for message in errors)
    # Nothing of Ben's was written; Amina's change is there; one save, one version step.
    point.refresh_from_db()
    assert point.text == "Ask who lives in the home and visits."
    assert point.guidance == "Check the household at every visit."
    assert [t.name for t in point.themes.all()] == ["Neglect"]
    assert point.version == opened_version + 1


def test_after_a_refusal_the_editor_can_reapply_their_edit_and_save(two_editors, point):
    amina, ben = two_editors
    url = change_url(point)
    amina_page, ben_page = amina.get(url), ben.get(url)
    amina.post(url, form_data(amina_page, text="Ask who lives in the home and visits."))
    refused = ben.post(url, form_data(ben_page, guidance="Speak to the child alone."))
    assert refused.status_code == 200

    # The form came back with Ben's edit, now carrying the saved version: he takes
    # Amina's new text in and saves again.
    again = ben.post(url, form_data(refused, text="Ask who lives in the home and visits."))
    assert again.status_code == 302
    point.refresh_from_db()
    assert point.text == "Ask who lives in the home and visits."
    assert point.guidance == "Speak to the child alone."


def test_the_same_editor_saving_twice_from_fresh_pages_is_not_refused(two_editors, point):
    amina, _ben = two_editors
    url = change_url(point)
    assert amina.post(url, form_data(amina.get(url), text="First.")).status_code == 302
    assert amina.post(url, form_data(amina.get(url), text="Second.")).status_code == 302
    point.refresh_from_db()
    assert point.text == "Second."


def test_a_change_made_outside_the_admin_also_refuses_a_stale_form(two_editors, point):
    amina, _ben = two_editors
    url = change_url(point)
    page = amina.get(url)
    stored = PracticePoint.objects.get(pk=point.pk)
    stored.status = Status.IN_REVIEW
    stored.save()

    refused = amina.post(url, form_data(page, text="Stale edit."))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Someone else changed this item while you were editing it" in html
    assert "Status: In review" in html
    point.refresh_from_db()
    assert point.text == "Ask who else lives in the home."


def test_a_tampered_version_is_a_clear_error_not_a_crash(two_editors, point):
    amina, _ben = two_editors
    url = change_url(point)
    response = amina.post(url, form_data(amina.get(url), text="X", opened_version="abc"))
    assert response.status_code == 200
    assert "Reload the page and try again." in response.content.decode()
    point.refresh_from_db()
    assert point.text == "Ask who else lives in the home."


# The save itself -----------------------------------------------------------------------


def test_every_save_of_an_existing_row_moves_the_version_on(point):
    start = point.version
    point.save()
    point.save()
    point.refresh_from_db()
    assert point.version == start + 2
    # Writing only what the application keeps itself (not an edit) leaves it alone.
    point.save(update_fields=["search_vector"])
    point.refresh_from_db()
    assert point.version == start + 2
    # ...an edit with update_fields moves it on.
    point.text = "Edited."
    point.save(update_fields=["text"])
    point.refresh_from_db()
    assert point.version == start + 3


def test_a_stale_save_is_refused_by_the_database_not_by_the_copy_in_memory(point):
    first = PracticePoint.objects.get(pk=point.pk)
    second = PracticePoint.objects.get(pk=point.pk)
    opened = first.version
    first.text = "First."
    first.save(expected_version=opened)

    second.text = "Second."
    assert second.version == opened  # the stale copy still believes it is current
    with pytest.raises(ConcurrentEditError) as refused:
        second.save(expected_version=opened)
    assert refused.value.current_version == opened + 1
    point.refresh_from_db()
    assert (point.text, point.version) == ("First.", opened + 1)


def test_a_save_expecting_a_version_does_not_bring_back_a_deleted_row(point):
    stale = PracticePoint.objects.get(pk=point.pk)
    PracticePoint.objects.filter(pk=point.pk).delete()
    with pytest.raises(ConcurrentEditError) as refused:
        stale.save(expected_version=stale.version)
    assert refused.value.current_version is None
    assert not PracticePoint.objects.filter(pk=point.pk).exists()


def _in_thread(target, results, key):
    """Run ``target`` in a thread with its own database connection (so its own
    transaction), recording its result or exception under ``key``."""

    def run():
        try:
            results[key] = target()
        except Exception as exc:  # noqa: BLE001 - recorded for the test to check
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for(condition, what: str):
    for _ in range(600):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def test_concurrent_saves_of_the_same_version_one_wins_the_other_is_refused():
    """Two transactions save the same version at the same time: the second waits for the
    first's row lock, then finds the new version and is refused (PostgreSQL). On SQLite
    (no row locks: one writer at a time) the same two saves are refused in turn."""
    slug = f"race-{uuid.uuid4().hex[:8]}"
    results: dict = {}

    def create():
        return GlossaryTerm.objects.create(term="RACE", slug=slug, definition="Start.").pk

    if connection.vendor != "postgresql":
        pk = create()
        first, second = GlossaryTerm.objects.get(pk=pk), GlossaryTerm.objects.get(pk=pk)
        first.definition, second.definition = "First.", "Second."
        with transaction.atomic():
            first.save(expected_version=1)
        with pytest.raises(ConcurrentEditError):
            second.save(expected_version=1)
        assert GlossaryTerm.objects.get(pk=pk).definition == "First."
        return

    # Committed rows, written and read by other connections than the test's own.
    _in_thread(create, results, "pk").join()
    pk = results["pk"]
    holding, release = threading.Event(), threading.Event()

    def first_save():
        with transaction.atomic():
            term = GlossaryTerm.objects.get(pk=pk)
            term.definition = "First."
            term.save(expected_version=1)
            holding.set()
            release.wait(timeout=60)  # keeps the row locked until the test says so
        return "saved"

    def second_save():
        term = GlossaryTerm.objects.get(pk=pk)
        term.definition = "Second."
        term.save(expected_version=1)
        return "saved"

    def waiting_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            # (the test's transaction would otherwise keep seeing its first snapshot)
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    try:
        first = _in_thread(first_save, results, "first")
        _wait_for(holding.is_set, "the first save to hold the row")
        second = _in_thread(second_save, results, "second")
        _wait_for(waiting_on_a_lock, "the second save to wait for the row lock")
        release.set()
        first.join(timeout=60)
        second.join(timeout=60)
        assert results["first"] == "saved"
        assert isinstance(results["second"], ConcurrentEditError)
        assert results["second"].current_version == 2
        stored = GlossaryTerm.objects.filter(pk=pk).values_list("definition", "version").get()
        assert stored == ("First.", 2)
    finally:
        release.set()
        _in_thread(lambda: GlossaryTerm.objects.filter(pk=pk).delete(), results, "x").join()


def test_a_save_overtaken_between_the_check_and_the_write_writes_nothing(two_editors, point):
    """Should another save land after the form's check (SQLite has no row locks), the
    conditional write refuses: nothing is written and the editor is told. (The other
    save is simulated just before the write, on every attempt.)"""
    amina, _ben = two_editors
    url = change_url(point)
    page = amina.get(url)
    table = PracticePoint._meta.db_table

    def another_save_lands_first(execute, sql, params, many, context):
        if sql.startswith(f'UPDATE "{table}" SET "version"'):
            execute(
                f'UPDATE "{table}" SET "version" = "version" + 1 WHERE "id" = %s',
                [point.pk],
                False,
                context,
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(another_save_lands_first):
        response = amina.post(url, form_data(page, text="Overtaken."))
    assert response.status_code == 302 and response["Location"] == url
    assert any("Nothing was saved." in m for m in messages_of(response))
    point.refresh_from_db()
    assert point.text == "Ask who else lives in the home."


def test_restoring_with_django_reversion_itself_moves_the_version_on(point):
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        PracticePoint.objects.get(pk=point.pk).save()
    stored = PracticePoint.objects.get(pk=point.pk)
    stored.text = "Later."
    stored.save()
    before = stored.version
    Version.objects.get_for_object(point).first().revision.revert()
    point.refresh_from_db()
    assert point.text == "Ask who else lives in the home."
    assert point.version == before + 1  # a form opened before the restore is now stale


def test_read_only_pages_carry_no_version_fields(point):
    viewer = admin_login(Client(), make_role_user("pat", PARTNERSHIP_ADMIN))
    editor = admin_login(Client(), make_role_user("eve", EDITOR))
    published = PracticePointFactory(status=Status.PUBLISHED)
    for client, obj in ((viewer, point), (editor, published)):
        page = client.get(change_url(obj))
        assert page.status_code == 200
        assert "opened_version" not in page.content.decode()
    assert "opened_version" in editor.get(change_url(point)).content.decode()


def test_points_edited_in_their_reviews_page_are_checked_too(two_editors):
    amina, ben = two_editors
    review = ReviewFactory(status=Status.DRAFT)
    edited = PracticePointFactory(review=review, text="Point one.", status=Status.DRAFT)
    untouched = PracticePointFactory(review=review, text="Point two.", status=Status.DRAFT)
    review_url = change_url(review)
    review_page = ben.get(review_url)
    assert 'name="practice_points-0-opened_version"' in review_page.content.decode()
    # Meanwhile Amina edits the first point on its own page.
    page = amina.get(change_url(edited))
    assert amina.post(change_url(edited), form_data(page, text="Amina's one.")).status_code == 302

    refused = ben.post(
        review_url, form_data(review_page, **{"practice_points-0-text": "Ben's one."})
    )
    assert refused.status_code == 200
    assert "Someone else changed this item while you were editing it (by Amina Shah" in (
        refused.content.decode()
    )
    edited.refresh_from_db()
    assert edited.text == "Amina's one."

    # Even changing only the other point, the stale page would write the first point's
    # old text back over Amina's: refused too.
    stale = ben.post(review_url, form_data(review_page, **{"practice_points-1-text": "Two."}))
    assert stale.status_code == 200
    edited.refresh_from_db()
    assert edited.text == "Amina's one."
    # From a fresh page, only what Ben changes is saved. A row he did not change is not
    # written, so it is not checked (here Amina tags the first point meanwhile: the
    # review's page does not show tags, so nothing of hers can be overwritten).
    fresh = ben.get(review_url)
    page = amina.get(change_url(edited))
    theme = ThemeFactory(name="Neglect")
    assert amina.post(change_url(edited), form_data(page, themes=[theme])).status_code == 302
    saved = ben.post(review_url, form_data(fresh, **{"practice_points-1-text": "Ben's two."}))
    assert saved.status_code == 302
    edited.refresh_from_db()
    untouched.refresh_from_db()
    assert (edited.text, untouched.text) == ("Amina's one.", "Ben's two.")
    assert [t.name for t in edited.themes.all()] == ["Neglect"]
