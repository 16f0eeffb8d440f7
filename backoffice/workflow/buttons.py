"""The change form's workflow buttons, each a move of the transition table (or a save
that keeps the status): what ``user`` is offered is what the table lets them do."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from content.models import Publishable, Status

from .transitions import (
    PUBLISH,
    PUBLISHER_STATUSES,
    TRANSITIONS,
    transition,
    transition_allowed,
    user_can_edit,
)


@dataclass(frozen=True)
class Button:
    label: str
    status: Status  # the status the item has after it
    verbs: frozenset[str]  # the table's moves it makes (by verb)
    keeps: bool  # also offered on an item already in ``status`` (a plain save)


WORKFLOW_BUTTONS: dict[str, Button] = {
    "save_draft": Button(
        "Save draft", Status.DRAFT, frozenset({"send_back", "restore"}), keeps=True
    ),
    "submit": Button("Submit for review", Status.IN_REVIEW, frozenset({"submit"}), keeps=True),
    "publish": Button("Publish", Status.PUBLISHED, frozenset({"publish"}), keeps=False),
    "save_published": Button("Save and keep published", Status.PUBLISHED, frozenset(), keeps=True),
    "unpublish": Button("Unpublish", Status.DRAFT, frozenset({"unpublish"}), keeps=False),
}
# What each button does: (its label, the status it moves the item to).
WORKFLOW_ACTIONS: dict[str, tuple[str, str]] = {
    name: (button.label, button.status) for name, button in WORKFLOW_BUTTONS.items()
}
# Buttons that only a Publisher may press (a forged POST of one is refused): those that
# end in a Publisher's status, or make only moves the table gives the Publisher.
PUBLISHER_BUTTONS = frozenset(
    name
    for name, button in WORKFLOW_BUTTONS.items()
    if button.status in PUBLISHER_STATUSES
    or (
        button.verbs
        and all(move.needs == PUBLISH for move in TRANSITIONS.values() if move.verb in button.verbs)
    )
)


def _offered(button: Button, status: str) -> bool:
    if status == button.status:
        return button.keeps
    move = transition(status, button.status)
    return move is not None and move.verb in button.verbs


def workflow_buttons(user, obj: Publishable | None, model: type[models.Model]) -> list[dict]:
    """The buttons ``user`` is offered on the change form of ``obj`` (``None``: a new
    item): the saves that keep its status, and the moves the table lets ``user`` make."""
    status = obj.status if obj is not None and obj.pk else Status.DRAFT
    if obj is not None and obj.pk and not user_can_edit(user, obj):
        return []
    return [
        {"action": name, "label": button.label}
        for name, button in WORKFLOW_BUTTONS.items()
        if _offered(button, status)
        and (status == button.status or transition_allowed(user, model, status, button.status))
    ]


def workflow_action_status(action: str, current: str) -> str | None:
    """The status a button moves an item to; ``None`` for an unknown button."""
    if action not in WORKFLOW_BUTTONS:
        return None
    return WORKFLOW_BUTTONS[action].status
