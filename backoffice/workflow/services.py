"""The publishing workflow: draft -> in review -> published -> archived, by role.

Every status change (the admin's change form and its bulk actions alike) goes through
``content_set_status``: it checks the user's rights, validates and saves the object with
``save()`` (so the ``version`` used for concurrent-edit locking moves on and the search
index signals fire), records a django-reversion revision with who did it and why, and
writes an admin ``LogEntry`` so the admin's history answers "who published this and when".

Rights:
- moving content to or from *published* or *archived* needs ``<app>.publish_<model>``
  (the Publisher role);
- submitting a draft for review, and sending an item in review back to draft, needs the
  change permission (the Editor role);
- Editors create and edit drafts and items in review only: published and archived items
  are read-only for them (``user_can_edit``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from backoffice.locking import locked_row
from reviews_toolkit.content import Publishable, Status, a_year_from_today, today

P = TypeVar("P", bound=Publishable)

# Statuses only a Publisher may move content into, or out of.
PUBLISHER_STATUSES = frozenset({Status.PUBLISHED, Status.ARCHIVED})

PUBLISHER_ONLY = "Only a Publisher can publish, unpublish or archive content."
PUBLISHER_ONLY_TO_EDIT = (
    "Only a Publisher can change published or archived content. "
    "Ask a Publisher to unpublish it first."
)


class WorkflowError(PermissionDenied):
    """A status change the user may not make, with a message to show them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _perm(model: type[models.Model] | models.Model, action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def user_can_publish(user, model: type[models.Model] | models.Model) -> bool:
    """May ``user`` publish, unpublish and archive this kind of content?"""
    return bool(user and user.is_active and user.has_perm(_perm(model, "publish")))


def user_can_edit(user, obj: Publishable) -> bool:
    """May ``user`` change ``obj`` (its fields, its review dates)? Published and archived
    items only with the publish permission."""
    if not (user and user.is_active and user.has_perm(_perm(obj, "change"))):
        return False
    return obj.status not in PUBLISHER_STATUSES or user_can_publish(user, obj)


def status_choices_for(user, model: type[models.Model]) -> list[tuple[str, str]]:
    """The statuses ``user`` may choose in the change form."""
    if user_can_publish(user, model):
        return list(Status.choices)
    return [(value, label) for value, label in Status.choices if value not in PUBLISHER_STATUSES]


def transition_allowed(user, obj: Publishable, old: str, new: str) -> bool:
    if old in PUBLISHER_STATUSES or new in PUBLISHER_STATUSES:
        return user_can_publish(user, obj)
    return bool(user and user.is_active and user.has_perm(_perm(obj, "change")))


def transition_refusal(old: str, new: str) -> str:
    if new == Status.PUBLISHED:
        return "Only a Publisher can publish content."
    if new == Status.ARCHIVED:
        return "Only a Publisher can archive content."
    if old == Status.PUBLISHED:
        return "Only a Publisher can unpublish content."
    if old == Status.ARCHIVED:
        return "Only a Publisher can bring back archived content."
    return "You do not have permission to change this content."


def status_change_label(old: str, new: str) -> str:
    """What happened, in a word or two: the revision comment and the log message start so."""
    if new == Status.PUBLISHED:
        return "Published"
    if new == Status.ARCHIVED:
        return "Archived"
    if new == Status.IN_REVIEW:
        return "Submitted for review"
    if old == Status.PUBLISHED:
        return "Unpublished (back to draft)"
    if old == Status.ARCHIVED:
        return "Restored from the archive (back to draft)"
    return "Sent back to draft"


def status_change_message(old: str, new: str, comment: str = "") -> str:
    """e.g. "Published. Status: draft -> published." (plus the user's comment)."""
    message = (
        f"{status_change_label(old, new)}. "
        f"Status: {Status(old).label.lower()} -> {Status(new).label.lower()}."
    )
    comment = " ".join((comment or "").split())
    return f"{message} {comment}" if comment else message


def stored_status(obj: Publishable) -> str:
    """The status ``obj`` has in the database, its row locked until the transaction ends
    (a new object counts as a draft)."""
    if obj.pk is None or obj._state.adding:
        return Status.DRAFT
    row = locked_row(type(obj), obj.pk)
    return row.status if row is not None else Status.DRAFT


def log_change(user, obj: models.Model, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def _save_recorded(obj, *, user, message: str, save: Callable[[], None], log_entry: bool):
    """``save()`` as a revision by ``user`` with ``message``, and in the admin's log."""
    with reversion.create_revision():
        save()
        reversion.set_user(user)
        reversion.set_comment(message)
    if log_entry:
        log_change(user, obj, message)


@transaction.atomic
def content_set_status(
    obj: P,
    status: str,
    *,
    user,
    comment: str = "",
    log_entry: bool = True,
    save: Callable[[], None] | None = None,
) -> P:
    """Move ``obj`` to ``status`` as ``user``, saving any other changes made to ``obj``.

    Raises ``WorkflowError`` (a ``PermissionDenied``) when the user may not make this
    change and ``ValidationError`` when the object is not valid; nothing is saved then.
    ``log_entry=False`` leaves the admin ``LogEntry`` to the caller (the admin's change
    form writes its own, with ``status_change_message`` in it); ``save`` replaces
    ``obj.save()`` (the admin passes its ``save_model`` chain). A change to the status
    the object already has saves nothing.
    """
    if status not in Status.values:
        raise WorkflowError(f"‘{status}’ is not a status content can have.")
    new = Status(status)
    old = Status(stored_status(obj))
    if old == new and not obj._state.adding:
        return obj
    if not transition_allowed(user, obj, old, new):
        raise WorkflowError(transition_refusal(old, new))
    obj.status = new
    if new == Status.PUBLISHED and old != Status.PUBLISHED:
        obj.published_at = timezone.now()
        # Publishing is a person's check of the content: it counts as reviewed today.
        obj.last_reviewed = today()
        obj.review_by = a_year_from_today()
    obj.full_clean()
    message = status_change_message(old, new, comment)
    _save_recorded(obj, user=user, message=message, save=save or obj.save, log_entry=log_entry)
    return obj


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


@transaction.atomic
def content_mark_reviewed(obj: P, *, user, log_entry: bool = True) -> P:
    """Record that ``obj`` was checked against current guidance today: last reviewed
    today, next review due a year from today."""
    if not user_can_edit(user, obj):
        raise WorkflowError(
            PUBLISHER_ONLY_TO_EDIT
            if obj.status in PUBLISHER_STATUSES
            else "You do not have permission to change this content."
        )
    obj.last_reviewed = today()
    obj.review_by = a_year_from_today()
    obj.full_clean()
    message = (
        f"Marked as reviewed on {_date(obj.last_reviewed)}; next review by {_date(obj.review_by)}."
    )
    _save_recorded(obj, user=user, message=message, save=obj.save, log_entry=log_entry)
    return obj


# --- The change form's buttons --------------------------------------------------------

# What each button does: the status it moves the item to (``None``: keep the status).
WORKFLOW_ACTIONS: dict[str, tuple[str, str | None]] = {
    "save_draft": ("Save draft", Status.DRAFT),
    "submit": ("Submit for review", Status.IN_REVIEW),
    "publish": ("Publish", Status.PUBLISHED),
    "save_published": ("Save and keep published", Status.PUBLISHED),
    "unpublish": ("Unpublish", Status.DRAFT),
}
# Buttons that move content to or from published: a Publisher's.
PUBLISHER_BUTTONS = frozenset({"publish", "save_published", "unpublish"})


def workflow_buttons(user, obj: Publishable | None, model: type[models.Model]) -> list[dict]:
    """The buttons ``user`` is offered on the change form of ``obj`` (``None``: a new
    item): an Editor saves drafts and submits them for review; a Publisher also
    publishes, saves published items and unpublishes them."""
    status = obj.status if obj is not None and obj.pk else Status.DRAFT
    publisher = user_can_publish(user, model)
    if obj is not None and obj.pk and not user_can_edit(user, obj):
        return []
    if status == Status.PUBLISHED:
        actions = ["save_published", "unpublish"]
    elif status == Status.ARCHIVED:
        actions = ["save_draft", "publish"]
    else:
        actions = ["save_draft", "submit", "publish"]
    if not publisher:
        actions = [action for action in actions if action not in PUBLISHER_BUTTONS]
    return [{"action": action, "label": WORKFLOW_ACTIONS[action][0]} for action in actions]


def workflow_action_status(action: str, current: str) -> str | None:
    """The status a button moves an item to; ``None`` for an unknown button."""
    if action not in WORKFLOW_ACTIONS:
        return None
    return WORKFLOW_ACTIONS[action][1] or current
