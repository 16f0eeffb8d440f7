"""The transition table is the one source of which status may follow which, and who may
make the move: the service, the change form's buttons, the bulk actions and the import
all follow it (issue 16, item 3).

The expected answers come from the table written out again below, by hand, as the
README's role table says it (Editors submit drafts and send items in review back;
Publishers also publish, unpublish, archive and bring back; nobody moves published or
archived content straight to "in review"), never from ``backoffice.workflow``."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from backoffice.history import version_restore
from backoffice.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER
from backoffice.transfer.parse import import_parse
from backoffice.transfer.write import content_import
from backoffice.workflow import TRANSITIONS, WorkflowError, content_set_status, workflow_buttons
from tests.roles import make_role_user
from themes.models import GlossaryTerm, Theme

from .change_forms import messages_of

pytestmark = pytest.mark.django_db

D, R, P, A = "draft", "in_review", "published", "archived"
STATUSES = (D, R, P, A)
# (from, to): the least role that may make the move. Pairs not listed: nobody.
EXPECTED = {
    (D, R): "editor",
    (D, P): "publisher",
    (D, A): "publisher",
    (R, D): "editor",
    (R, P): "publisher",
    (R, A): "publisher",
    (P, D): "publisher",
    (P, A): "publisher",
    (A, D): "publisher",
    (A, P): "publisher",
}
ROLES = {
    "no role": (),
    "partnership admin": (PARTNERSHIP_ADMIN,),
    "editor": (EDITOR,),
    "publisher": (PUBLISHER,),
}
PAIRS = [(old, new) for old in STATUSES for new in STATUSES if old != new]


def expected_allowed(role: str, old: str, new: str) -> bool:
    needed = EXPECTED.get((old, new))
    if needed == "editor":
        return role in ("editor", "publisher")
    if needed == "publisher":
        return role == "publisher"
    return False


def test_the_table_has_exactly_the_expected_moves():
    assert {(str(old), str(new)) for old, new in TRANSITIONS} == set(EXPECTED)
    needs = {(str(m.old), str(m.new)): m.needs for m in TRANSITIONS.values()}
    assert needs == {
        pair: ("change" if role == "editor" else "publish") for pair, role in EXPECTED.items()
    }


@pytest.mark.parametrize("role", list(ROLES))
def test_every_move_by_every_role_through_the_publish_service(role):
    user = make_role_user(role.replace(" ", ""), *ROLES[role])
    outcomes = {}
    for number, (old, new) in enumerate(PAIRS):
        term = GlossaryTerm.objects.create(
            term=f"QT{number}", slug=f"qt{number}", definition="For the table.", status=old
        )
        try:
            content_set_status(term, new, user=user)
        except WorkflowError:
            pass
        term.refresh_from_db()
        assert term.status in (old, new)
        outcomes[(old, new)] = term.status == new
    assert outcomes == {(old, new): expected_allowed(role, old, new) for old, new in PAIRS}


def test_an_inactive_publisher_may_make_no_move():
    user = make_role_user("gone", PUBLISHER, is_active=False)
    term = GlossaryTerm.objects.create(term="QTI", slug="qti", definition="x", status=D)
    with pytest.raises(WorkflowError):
        content_set_status(term, P, user=user)


def test_a_refused_pair_says_to_go_back_to_draft_first():
    publisher = make_role_user("publisher", PUBLISHER)
    term = GlossaryTerm.objects.create(term="QTP", slug="qtp", definition="x", status=P)
    with pytest.raises(WorkflowError) as refused:
        content_set_status(term, R, user=publisher)
    assert str(refused.value) == (
        "Published content cannot be moved to in review: move it back to draft first."
    )


@pytest.mark.parametrize("role", ["editor", "publisher"])
@pytest.mark.parametrize("status", STATUSES)
def test_the_buttons_offer_only_moves_the_table_allows(role, status):
    user = make_role_user(role, *ROLES[role])
    term = GlossaryTerm.objects.create(term="QTB", slug="qtb", definition="x", status=status)
    targets = {
        "save_draft": D,
        "submit": R,
        "publish": P,
        "save_published": P,
        "unpublish": D,
    }
    offered = [button["action"] for button in workflow_buttons(user, term, GlossaryTerm)]
    for action in offered:
        target = targets[action]
        assert target == status or expected_allowed(role, status, target), (action, status)
    # Every move the role may make to draft, in review or published has its button.
    editable = role == "publisher" or status in (D, R)
    for target in (D, R, P):
        if editable and target != status and expected_allowed(role, status, target):
            assert any(targets[action] == target for action in offered), (status, target)


@pytest.mark.parametrize(
    ("action", "target", "moved_from"),
    [
        ("submit_for_review", R, {D}),
        ("publish_selected", P, {D, R, A}),
        ("unpublish_selected", D, {P}),
        ("archive_selected", A, {D, R, P}),
    ],
)
def test_bulk_actions_move_only_what_the_table_lets_them(client, action, target, moved_from):
    from tests.roles import admin_login

    admin_login(client, make_role_user("publisher", PUBLISHER))
    terms = {
        status: GlossaryTerm.objects.create(
            term=f"QK{n}", slug=f"qk{n}", definition="Bulk.", status=status
        )
        for n, status in enumerate(STATUSES)
    }
    response = client.post(
        reverse("admin:themes_glossaryterm_changelist"),
        {"action": action, "_selected_action": [str(t.pk) for t in terms.values()]},
        follow=True,
    )
    assert response.status_code == 200
    after = {status: GlossaryTerm.objects.get(pk=t.pk).status for status, t in terms.items()}
    assert after == {status: (target if status in moved_from else status) for status in STATUSES}, (
        messages_of(response)
    )


def _import(user, document):
    return content_import(import_parse("t.json", json.dumps(document).encode()), user=user)


@pytest.mark.parametrize("user_role", ["publisher", None])
@pytest.mark.parametrize(("old", "new"), [(P, R), (A, R)])
def test_the_import_refuses_a_move_the_table_refuses(user_role, old, new):
    """Even a Publisher, even a trusted command-line import (no user): the table has no
    move from published or archived to in review."""
    user = make_role_user("publisher", PUBLISHER) if user_role else None
    theme = Theme.objects.order_by("pk").first()
    Theme.objects.filter(pk=theme.pk).update(status=old)
    result = _import(user, {"themes": [{"slug": theme.slug, "summary": "Changed.", "status": new}]})
    assert not result.saved
    [record] = result.rows_with_errors
    assert record.errors == [
        f"{dict(zip(STATUSES, ['Draft', 'In review', 'Published', 'Archived']))[old]} content "
        "cannot be moved to in review: move it back to draft first."
    ]
    theme.refresh_from_db()
    assert (theme.status, theme.summary) == (old, Theme.objects.get(pk=theme.pk).summary)
    assert theme.summary != "Changed."


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_the_import_follows_the_table_for_an_editor(editor, old, new):
    theme = Theme.objects.order_by("pk").first()
    Theme.objects.filter(pk=theme.pk).update(status=old)
    result = _import(editor, {"themes": [{"slug": theme.slug, "status": new}]})
    theme.refresh_from_db()
    allowed = expected_allowed("editor", old, new)
    assert result.saved == allowed, result.rows_with_errors
    assert theme.status == (new if allowed else old)


def test_a_restore_is_a_move_of_the_table_too(publisher):
    """Restoring an "in review" version over published content would move it published ->
    in review, which the table refuses even to a Publisher."""
    term = GlossaryTerm.objects.create(term="QTR", slug="qtr", definition="First.", status=D)
    content_set_status(term, R, user=publisher)
    content_set_status(term, P, user=publisher)
    in_review = next(v for v in Version.objects.get_for_object(term) if v.field_dict["status"] == R)
    with pytest.raises(PermissionDenied) as refused:
        version_restore(in_review, user=publisher)
    assert str(refused.value) == (
        "Published content cannot be moved to in review: move it back to draft first. "
        "Nothing was restored."
    )
    term.refresh_from_db()
    assert term.status == P
    content_set_status(term, D, user=publisher)  # unpublished: now draft -> in review
    version_restore(in_review, user=publisher)
    term.refresh_from_db()
    assert term.status == R
