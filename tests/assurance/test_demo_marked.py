"""The assurance demo's plans say they are demo wherever they can be read: a lead who
turns on "What we did" for a demo plan shows the public only lines marked "Demo:" (each
action's public summary as well as its recommendation)."""

from __future__ import annotations

import re

import pytest

from assurance.demo import demo_data_generate
from assurance.models import Action, ReviewPlan
from tests.factories import AgencyFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_what_we_did_on_a_demo_plan_is_marked_demo_line_by_line(client):
    review = ReviewFactory(title="Child QA", slug="child-qa")
    for n in range(3):
        AgencyFactory(name=f"QA agency {n}")
    demo_data_generate(seed=1)
    summaries = list(
        Action.objects.exclude(public_summary="").values_list("public_summary", flat=True)
    )
    assert summaries and all(s.startswith("Demo: ") for s in summaries)

    ReviewPlan.objects.filter(review=review).update(show_what_we_did=True)
    page = client.get(review.get_absolute_url()).content.decode()
    section = page[
        page.index('id="what-we-did"') : page.index("</section>", page.index('id="what-we-did"'))
    ]
    lines = re.findall(r"<li><strong>[^<]+:</strong> ([^<]*)</li>", section)
    texts = re.findall(r'<p class="govuk-body">([^<]*)</p>', section)[1:]  # after the intro
    assert lines and texts
    assert all(line.startswith("Demo: ") for line in lines + texts)
