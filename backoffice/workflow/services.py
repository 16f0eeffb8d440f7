"""The publishing workflow: draft -> in review -> published -> archived, by role.

Every status change (the admin's change form and its bulk actions alike) goes through
``content_set_status``: it checks the user's rights, validates and saves the object with
``save()`` (so the ``version`` used for concurrent-edit locking moves on and the search
index signals fire), records a django-reversion revision with who did it and why, and
writes an admin ``LogEntry`` so the admin's history answers "who published this and when".

Which status may follow which, and who may make each move, is the table in
``backoffice.workflow.transitions`` (``TRANSITIONS``): this service asks it, it does
not say it again. Editors create and edit drafts and items in review only: published
and archived items are read-only for them (``user_can_edit``).

Publishing happens here and only here (features listen to ``content.signals``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from backoffice.locking import locked_row
from content.models import Publishable, Status, a_year_from_today, today
from content.signals import content_published

from .transitions import (
    NO_PERMISSION,
    PUBLISHER_ONLY_TO_EDIT,
    PUBLISHER_STATUSES,
    status_change_message,
    transition_check,
    user_can_edit,
)

P = TypeVar("P", bound=Publishable)


class WorkflowError(PermissionDenied):
    """A status change the user may not make, with a message to show them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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


# Change notes: a published change is major (new learning, changed guidance) or minor (a
# typo); a major one needs a one-line note, shown on the item's page and sent to alerts.
CHANGE_NOTE_REQUIRED = "A major change needs a one-line change note: say what changed."
CHANGE_NOTE_MAX = 200
FIRST_PUBLISHED_NOTE = "First published."


def change_note_check(major: bool, change_note: str | None) -> str:
    """The note as kept (one line); ``ValidationError`` for a major change without one."""
    note = " ".join((change_note or "").split())
    if major and not note:
        raise ValidationError({"change_note": CHANGE_NOTE_REQUIRED})
    if len(note) > CHANGE_NOTE_MAX:
        raise ValidationError(
            {"change_note": f"Keep the change note to {CHANGE_NOTE_MAX} characters or fewer."}
        )
    return note


def _announce_published(obj, *, user, major: bool, note: str) -> None:
    """``content_published`` once the transaction commits (features listen to it)."""
    transaction.on_commit(
        lambda: content_published.send(
            sender=type(obj), instance=obj, user=user, major=major, change_note=note
        )
    )


@transaction.atomic
def content_publish_change(
    obj: P,
    *,
    user,
    major: bool,
    change_note: str = "",
    log_entry: bool = True,
    save: Callable[[], None] | None = None,
) -> P:
    """Save a change to an item that is published and stays so ("Save and keep
    published"): a Publisher's, counted as reviewed today, announced with its change
    note. ``ValidationError`` for a major change without a note; nothing is saved then."""
    note = change_note_check(major, change_note)
    if not user_can_edit(user, obj):
        raise WorkflowError(PUBLISHER_ONLY_TO_EDIT)
    obj.last_reviewed = today()
    obj.review_by = a_year_from_today()
    obj.full_clean()
    kind = "Major change" if major else "Minor change"
    message = f"Published a change ({kind.lower()}).{' ' + note if note else ''}"
    _save_recorded(obj, user=user, message=message, save=save or obj.save, log_entry=log_entry)
    _announce_published(obj, user=user, major=major, note=note)
    return obj


@transaction.atomic
def content_set_status(
    obj: P,
    status: str,
    *,
    user,
    comment: str = "",
    log_entry: bool = True,
    save: Callable[[], None] | None = None,
    major: bool | None = None,
    change_note: str = "",
) -> P:
    """Move ``obj`` to ``status`` as ``user``, saving any other changes made to ``obj``.

    Raises ``WorkflowError`` (a ``PermissionDenied``) when the user may not make this
    change and ``ValidationError`` when the object is not valid; nothing is saved then.
    ``log_entry=False`` leaves the admin ``LogEntry`` to the caller (the admin's change
    form writes its own, with ``status_change_message`` in it); ``save`` replaces
    ``obj.save()`` (the admin passes its ``save_model`` chain). A change to the status
    the object already has saves nothing.

    Publishing sends ``content.signals.content_published`` after the commit, with
    ``major`` and ``change_note`` (a major change needs a note: ``ValidationError``);
    ``major=None`` (bulk actions) makes a first publication a major change noted
    "First published." and a re-publication minor.
    """
    if status not in Status.values:
        raise WorkflowError(f"‘{status}’ is not a status content can have.")
    new = Status(status)
    old = Status(stored_status(obj))
    if old == new and not obj._state.adding:
        return obj
    refusal = transition_check(user, obj, old, new)
    if refusal is not None:
        raise WorkflowError(refusal)
    if new == Status.PUBLISHED:
        if major is None:
            major = old != Status.ARCHIVED or bool(change_note)
            change_note = change_note or (FIRST_PUBLISHED_NOTE if major else "")
        note = change_note_check(major, change_note)
    obj.status = new
    if new == Status.PUBLISHED and old != Status.PUBLISHED:
        obj.published_at = timezone.now()
        # Publishing is a person's check of the content: it counts as reviewed today.
        obj.last_reviewed = today()
        obj.review_by = a_year_from_today()
    obj.full_clean()
    message = status_change_message(old, new, comment)
    _save_recorded(obj, user=user, message=message, save=save or obj.save, log_entry=log_entry)
    if new == Status.PUBLISHED:
        _announce_published(obj, user=user, major=major, note=note)
    return obj


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


@transaction.atomic
def content_mark_reviewed(obj: P, *, user, log_entry: bool = True) -> P:
    """Record that ``obj`` was checked against current guidance today: last reviewed
    today, next review due a year from today."""
    if not user_can_edit(user, obj):
        raise WorkflowError(
            PUBLISHER_ONLY_TO_EDIT if obj.status in PUBLISHER_STATUSES else NO_PERMISSION
        )
    obj.last_reviewed = today()
    obj.review_by = a_year_from_today()
    obj.full_clean()
    message = (
        f"Marked as reviewed on {_date(obj.last_reviewed)}; next review by {_date(obj.review_by)}."
    )
    _save_recorded(obj, user=user, message=message, save=obj.save, log_entry=log_entry)
    return obj
