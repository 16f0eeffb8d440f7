"""Text typed into the assurance forms has a limit: a pasted document (more than
TEXT_MAX characters) is refused with a message and a 400, nothing saved; at the limit it
is kept. The limit is written here, not read from the form."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assurance.models import Action, ProgressUpdate

LIMIT = 5000
pytestmark = pytest.mark.django_db


def test_a_reason_or_progress_note_longer_than_the_limit_is_refused(aw):
    action = aw["action"]
    owner = aw["clients"]["action_owner"]
    later = (timezone.localdate() + datetime.timedelta(days=99)).isoformat()
    today = timezone.localdate().isoformat()
    due = reverse("assurance:action_revise_due", args=[action.pk])
    progress = reverse("assurance:action_progress", args=[action.pk])
    updates = ProgressUpdate.objects.filter(action=action).count()

    response = owner.post(due, {"new_due": later, "reason": "y" * (LIMIT + 1)})
    assert response.status_code == 400
    assert f"at most {LIMIT} characters" in response.content.decode()
    assert Action.objects.get(pk=action.pk).revised_due_date is None

    response = owner.post(progress, {"status": "at_risk", "text": "z" * (LIMIT + 1), "date": today})
    assert response.status_code == 400
    assert ProgressUpdate.objects.filter(action=action).count() == updates

    assert owner.post(due, {"new_due": later, "reason": "y" * LIMIT}).status_code == 302
    assert Action.objects.get(pk=action.pk).revised_reason == "y" * LIMIT
