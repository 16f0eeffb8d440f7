"""The publishing workflow: draft -> in review -> published -> archived, by role.

- ``transitions``: THE table of which status may follow which and who may make each move.
- ``services``: ``content_set_status`` (the one way content is published, unpublished,
  archived or submitted) and ``content_mark_reviewed``.
- ``buttons``: the change form's buttons, read from the table.
"""

from .buttons import (
    PUBLISHER_BUTTONS,
    WORKFLOW_ACTIONS,
    WORKFLOW_BUTTONS,
    workflow_action_status,
    workflow_buttons,
)
from .services import (
    CHANGE_NOTE_REQUIRED,
    WorkflowError,
    change_note_check,
    content_mark_reviewed,
    content_publish_change,
    content_set_status,
    log_change,
    stored_status,
)
from .transitions import (
    PUBLISHER_ONLY,
    PUBLISHER_ONLY_TO_EDIT,
    PUBLISHER_STATUSES,
    TRANSITIONS,
    Transition,
    sources,
    status_change_label,
    status_change_message,
    status_choices_for,
    transition,
    transition_allowed,
    transition_check,
    transition_refusal,
    user_can_edit,
    user_can_publish,
)

__all__ = [
    "CHANGE_NOTE_REQUIRED",
    "PUBLISHER_BUTTONS",
    "PUBLISHER_ONLY",
    "PUBLISHER_ONLY_TO_EDIT",
    "PUBLISHER_STATUSES",
    "TRANSITIONS",
    "WORKFLOW_ACTIONS",
    "WORKFLOW_BUTTONS",
    "Transition",
    "WorkflowError",
    "change_note_check",
    "content_mark_reviewed",
    "content_publish_change",
    "content_set_status",
    "log_change",
    "sources",
    "status_change_label",
    "status_change_message",
    "status_choices_for",
    "stored_status",
    "transition",
    "transition_allowed",
    "transition_check",
    "transition_refusal",
    "user_can_edit",
    "user_can_publish",
    "workflow_action_status",
    "workflow_buttons",
]
