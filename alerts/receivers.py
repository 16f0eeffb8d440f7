"""What the alerts app does when content is published (``content.signals``, sent by the
workflow after the publication commits): record the change note, find the point's
similar learning again, and send the "immediately" alerts of a major change."""

from __future__ import annotations

import logging

from practice_points.models import PracticePoint

from .models import Frequency
from .services import change_note_record
from .tasks import refresh_recurrence, send_alert_digests

logger = logging.getLogger(__name__)


def on_content_published(sender, instance, user=None, major=False, change_note="", **kwargs):
    # The workflow checked the note already; a sender that did not still gets a row
    # (a major change without a note reads "Updated.") rather than an error after commit.
    note = " ".join((change_note or "").split())[:200] or ("Updated." if major else "")
    change_note_record(instance=instance, user=user, major=bool(major), note=note)
    try:
        if isinstance(instance, PracticePoint):
            refresh_recurrence.enqueue([instance.pk])
        if major:
            send_alert_digests.enqueue(Frequency.IMMEDIATELY)
    except Exception:  # noqa: BLE001 - the nightly jobs catch up if the queue is down
        logger.exception("Could not queue the alert jobs after publishing %r", instance)
