"""Demo data: on the seed reviews, marked as demo, made once, removed cleanly."""

import pytest
from django.utils import timezone

from assurance.demo import demo_data_generate, demo_data_remove
from assurance.models import Action, Challenge, Evidence, ProgressUpdate, Recommendation
from assurance.selectors import dashboard
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_demo_data_fills_the_dashboard_once_and_goes_away(seed):
    assert not Recommendation.objects.exists()  # the real seed holds no recommendations
    synthetic = ReviewFactory(title="A demo review", slug="demo-1-review-1")  # search's demo
    message = demo_data_generate(seed=1)
    assert "marked as demo" in message
    counts = (Recommendation.objects.count(), Action.objects.count(), Evidence.objects.count())
    assert counts[1] >= 8
    assert all(r.is_demo and r.text.startswith("Demo: ") for r in Recommendation.objects.all())
    assert all(a.is_demo for a in Action.objects.all())
    assert not synthetic.recommendations.exists()
    assert not Action.objects.filter(owner_agency__slug__startswith="demo-").exists()
    d = dashboard(timezone.localdate())
    assert d.total == counts[1]
    assert all(n > 0 for _, _, n in d.by_rag)  # every RAG rating shows
    assert d.revisions > 0 and d.open_challenges == 1 and d.days_to_assured_median is not None
    assert "already there" in demo_data_generate(seed=2)  # idempotent
    assert (
        Recommendation.objects.count(),
        Action.objects.count(),
        Evidence.objects.count(),
    ) == counts
    demo_data_remove()
    assert not Recommendation.objects.exists()
    assert not (Action.objects.exists() or ProgressUpdate.objects.exists())
    assert not Challenge.objects.exists()


def test_each_demo_action_is_owned_by_the_agency_that_would_do_it(seed):
    demo_data_generate(seed=3)
    # Written out here from the action's own words, not read from the demo's table.
    expected = {
        "detective sergeant": ("police", "Detective inspector"),
        "strategy discussion procedure": ("childrens-social-care", "Head of service"),
        "health visiting contacts": ("health-visiting", "Named nurse"),
        "social workers": ("childrens-social-care", "Principal social worker"),
        "designated safeguarding leads": ("education", "Education safeguarding lead"),
    }
    actions = list(Action.objects.select_related("owner_agency", "recommendation"))
    assert actions
    for action in actions:
        (slug, role) = next(v for k, v in expected.items() if k in action.description)
        assert action.owner_agency.slug == slug, action.description
        assert action.lead_role.startswith(role), action.description
        assert action.recommendation.agencies.filter(pk=action.owner_agency_id).exists()
    demo_data_remove()
