"""Made-up demo sessions and answers are said to be demo wherever their figures go: the
yearly report's evidence section (sent to the partnership) as well as the dashboard. The
expected counts are those of the rows this test makes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from evidence.models import DeliveredSession, Feedback
from evidence.report import evidence_report_section
from tests.evidence.support import record_session
from tests.factories import PracticePointFactory
from tests.roles import EDITOR, admin_login, make_role_user

pytestmark = pytest.mark.django_db


def test_the_yearly_report_says_which_figures_are_demo(client):
    today = timezone.localdate()
    real = record_session(delivered_on=today)
    demo = [record_session(delivered_on=today) for _ in range(2)]
    DeliveredSession.objects.filter(pk__in=[s.pk for s in demo]).update(is_demo=True)
    point = PracticePointFactory()
    Feedback.objects.create(practice_point=point, useful=True)
    Feedback.objects.create(practice_point=point, useful=False, is_demo=True)

    section = evidence_report_section(today.year)
    text = " ".join(section.paragraphs)
    assert "Demo data: 2 of the 3 sessions and 1 of the 2 'Was this useful?' answers" in text
    assert section.paragraphs[0].startswith("Demo data:")  # before any figure

    admin_login(client, make_role_user("qa-evdemo", EDITOR))
    page = client.get("/admin/evidence/").content.decode().replace("&#x27;", "'")
    assert "Demo data: 2 of the 3 sessions and 1 of the 2 'Was this useful?' answers" in page

    DeliveredSession.objects.exclude(pk=real.pk).delete()
    Feedback.objects.filter(is_demo=True).delete()
    assert "Demo data" not in " ".join(evidence_report_section(today.year).paragraphs)
