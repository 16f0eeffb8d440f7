"""RAG derivation, due dates, and the rules the database itself keeps."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from assurance.models import Action, ActionStatus, Rag, Recommendation, rag_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
LATER = TODAY + datetime.timedelta(days=5)
EARLIER = TODAY - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (ActionStatus.ASSURED, EARLIER, Rag.BLUE),  # assured is blue even if once late
        (ActionStatus.COMPLETE, EARLIER, Rag.GREEN),  # done: waiting for sign-off
        (ActionStatus.ON_TRACK, LATER, Rag.GREEN),
        (ActionStatus.ON_TRACK, TODAY, Rag.GREEN),  # due today is not overdue
        (ActionStatus.ON_TRACK, EARLIER, Rag.RED),  # overdue
        (ActionStatus.AT_RISK, LATER, Rag.AMBER),
        (ActionStatus.AT_RISK, EARLIER, Rag.RED),
        (ActionStatus.NOT_STARTED, LATER, Rag.AMBER),
        (ActionStatus.NOT_STARTED, EARLIER, Rag.RED),
        (ActionStatus.OFF_TRACK, LATER, Rag.RED),
    ],
)
def test_rag_is_derived_from_status_and_due_date(status, due, expected):
    assert rag_for(status, due, TODAY) == expected


def test_the_revised_due_date_decides_overdue(aw):
    action = aw["action"]
    action.due_date = EARLIER
    action.revised_due_date = LATER
    action.revised_reason = "Waiting for the new system"
    action.status = ActionStatus.ON_TRACK
    action.save()
    assert action.effective_due == LATER
    assert action.rag(TODAY) == Rag.GREEN
    assert not action.is_overdue(TODAY)
    assert list(Action.objects.overdue(TODAY)) == []


def test_a_revised_due_date_without_a_reason_is_refused_by_the_database(aw):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=aw["action"].pk).update(revised_due_date=LATER, revised_reason="")


def test_a_recommendation_not_accepted_needs_a_reason_in_the_database(aw):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=aw["rec"].pk).update(accepted=False, response_reason="")


def test_numbers_are_unique_within_a_review(aw):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(review=aw["a_review"], number=1, text="Again")
