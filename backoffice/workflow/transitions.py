"""Which status may follow which, and who may make each move: THE table.

``TRANSITIONS`` is the one source of the workflow's rule. The admin's change-form buttons
(``backoffice.workflow.buttons``), its bulk actions (``backoffice.content_admin``), the
import and the seed loader (``backoffice.transfer.write``) and the publish service
(``content_set_status``) all ask it; none writes the rule again.

Each move names the permission it needs: ``change`` (``<app>.change_<model>``, the
Editor role) or ``publish`` (``<app>.publish_<model>``, the Publisher role). A pair of
statuses that is not in the table is refused to everyone (e.g. published -> in review:
unpublish it first). Staying in the same status is not a move.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from content.models import Publishable, Status

EDIT = "change"  # the Editor's permission
PUBLISH = "publish"  # the Publisher's permission


@dataclass(frozen=True)
class Transition:
    old: Status
    new: Status
    verb: str  # what the move is called (the buttons and bulk actions pick moves by verb)
    label: str  # what happened: the revision comment and the log message start so
    needs: str  # EDIT or PUBLISH


_MOVES = (
    # old                new               verb         label                                        needs
    (Status.DRAFT, Status.IN_REVIEW, "submit", "Submitted for review", EDIT),
    (Status.DRAFT, Status.PUBLISHED, "publish", "Published", PUBLISH),
    (Status.DRAFT, Status.ARCHIVED, "archive", "Archived", PUBLISH),
    (Status.IN_REVIEW, Status.DRAFT, "send_back", "Sent back to draft", EDIT),
    (Status.IN_REVIEW, Status.PUBLISHED, "publish", "Published", PUBLISH),
    (Status.IN_REVIEW, Status.ARCHIVED, "archive", "Archived", PUBLISH),
    (Status.PUBLISHED, Status.DRAFT, "unpublish", "Unpublished (back to draft)", PUBLISH),
    (Status.PUBLISHED, Status.ARCHIVED, "archive", "Archived", PUBLISH),
    (
        Status.ARCHIVED,
        Status.DRAFT,
        "restore",
        "Restored from the archive (back to draft)",
        PUBLISH,
    ),
    (Status.ARCHIVED, Status.PUBLISHED, "publish", "Published", PUBLISH),
)
TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (old, new): Transition(old, new, verb, label, needs) for old, new, verb, label, needs in _MOVES
}

# Statuses only a Publisher may move content into, or out of (derived from the table).
PUBLISHER_STATUSES = frozenset(
    status
    for status in Status
    if all(move.needs == PUBLISH for move in TRANSITIONS.values() if status in (move.old, move.new))
)

PUBLISHER_ONLY = "Only a Publisher can publish, unpublish or archive content."
PUBLISHER_ONLY_TO_EDIT = (
    "Only a Publisher can change published or archived content. "
    "Ask a Publisher to unpublish it first."
)
NO_PERMISSION = "You do not have permission to change this content."


def transition(old: str, new: str) -> Transition | None:
    """The move from ``old`` to ``new``; ``None`` when the table has no such move."""
    if old not in Status.values or new not in Status.values:
        return None
    return TRANSITIONS.get((Status(old), Status(new)))


def sources(new: str, *verbs: str) -> frozenset[Status]:
    """The statuses content may move to ``new`` from (by one of ``verbs``, if given)."""
    return frozenset(
        move.old
        for move in TRANSITIONS.values()
        if move.new == new and (not verbs or move.verb in verbs)
    )


def _perm(model: type[models.Model] | models.Model, action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def user_has(user, model: type[models.Model] | models.Model, action: str) -> bool:
    """Does the active ``user`` hold ``<app>.<action>_<model>``?"""
    return bool(user and user.is_active and user.has_perm(_perm(model, action)))


def user_can_publish(user, model: type[models.Model] | models.Model) -> bool:
    """May ``user`` publish, unpublish and archive this kind of content?"""
    return user_has(user, model, PUBLISH)


def user_can_edit(user, obj: Publishable) -> bool:
    """May ``user`` change ``obj`` (its fields, its review dates)? Published and archived
    items only with the publish permission."""
    if not user_has(user, obj, EDIT):
        return False
    return obj.status not in PUBLISHER_STATUSES or user_can_publish(user, obj)


def status_choices_for(user, model: type[models.Model]) -> list[tuple[str, str]]:
    """The statuses ``user`` may choose in the change form."""
    if user_can_publish(user, model):
        return list(Status.choices)
    return [(value, label) for value, label in Status.choices if value not in PUBLISHER_STATUSES]


def transition_allowed(user, model: type[models.Model] | models.Model, old: str, new: str) -> bool:
    """May ``user`` move content of this kind from ``old`` to ``new``?"""
    move = transition(old, new)
    return move is not None and user_has(user, model, move.needs)


def transition_check(
    user, model: type[models.Model] | models.Model, old: str, new: str, *, trusted: bool = False
) -> str | None:
    """``None`` when the move is allowed, else why not. ``trusted`` (a command-line import,
    the seed loader: no user) skips the permission check, never the table."""
    move = transition(old, new)
    if move is not None and (trusted or user_has(user, model, move.needs)):
        return None
    return transition_refusal(old, new)


def transition_refusal(old: str, new: str) -> str:
    """Why a move is refused, in the words staff see."""
    if transition(old, new) is None:
        return (
            f"{Status(old).label} content cannot be moved to "
            f"{Status(new).label.lower()}: move it back to draft first."
        )
    if new == Status.PUBLISHED:
        return "Only a Publisher can publish content."
    if new == Status.ARCHIVED:
        return "Only a Publisher can archive content."
    if old == Status.PUBLISHED:
        return "Only a Publisher can unpublish content."
    if old == Status.ARCHIVED:
        return "Only a Publisher can bring back archived content."
    return NO_PERMISSION


def status_change_label(old: str, new: str) -> str:
    """What happened, in a word or two: the revision comment and the log message start so."""
    move = transition(old, new)
    return move.label if move is not None else f"Moved to {Status(new).label.lower()}"


def status_change_message(old: str, new: str, comment: str = "") -> str:
    """e.g. "Published. Status: draft -> published." (plus the user's comment)."""
    message = (
        f"{status_change_label(old, new)}. "
        f"Status: {Status(old).label.lower()} -> {Status(new).label.lower()}."
    )
    comment = " ".join((comment or "").split())
    return f"{message} {comment}" if comment else message
