"""A 7-minute briefing whose title already says so is not named twice ("7-minute briefing:
7-Minute Briefing on Neglect") in the record form's choices nor on the dashboard."""

from __future__ import annotations

import pytest
from django.utils import timezone

from evidence.dashboard import uptake_figures
from evidence.forms import used_choices_for
from evidence.models import DeliveredSession, Source
from resources.models import ResourceType
from tests.evidence.support import record_session
from tests.factories import ResourceFactory
from tests.roles import EDITOR, make_role_user

pytestmark = pytest.mark.django_db


def test_briefings_are_named_once(client):
    named = ResourceFactory(
        title="7-Minute Briefing on Neglect", resource_type=ResourceType.SEVEN_MINUTE_BRIEFING
    )
    plain = ResourceFactory(title="Safer sleep", resource_type=ResourceType.SEVEN_MINUTE_BRIEFING)
    labels = dict(used_choices_for(make_role_user("qa-trainer", EDITOR)))
    assert labels[f"briefing:{named.pk}"] == "7-Minute Briefing on Neglect"
    assert labels[f"briefing:{plain.pk}"] == "7-minute briefing: Safer sleep"

    today = timezone.localdate()
    session = record_session(delivered_on=today)
    DeliveredSession.objects.filter(pk=session.pk).update(
        source=Source.BRIEFING, briefing=named, pack=None, used_title=named.title
    )
    figures = uptake_figures(today.replace(day=1), today)
    assert [r.label for r in figures.most_used] == ["7-Minute Briefing on Neglect"]
