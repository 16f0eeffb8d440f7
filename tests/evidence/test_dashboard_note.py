"""The uptake dashboard says a chart shows only the top ones when, and only when, it does:
the month chart always has every month of the year, the agency chart the 10 agencies with
the most sessions. Counted here from the sessions the test records."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from evidence.dashboard import months_back
from tests.evidence.support import record_session
from tests.factories import AgencyFactory
from tests.roles import EDITOR, admin_login, make_role_user

pytestmark = pytest.mark.django_db
NOTE = re.compile(r"The chart shows the (\d+) with the most sessions; the table has all (\d+)\.")


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find('<h2 class="govuk-heading-l"', start + 1)
    return page[start : end if end != -1 else len(page)]


def test_the_top_10_note_only_under_a_chart_that_leaves_rows_out(client):
    first_month = months_back(timezone.localdate().replace(day=1), 11)
    agencies = [AgencyFactory(name=f"QA agency {n:02}") for n in range(12)]
    for n in range(12):  # one session in each of the 12 months, each by its own agency
        record_session(
            agency=agencies[n],
            delivered_on=months_back(first_month, -n) + datetime.timedelta(days=2),
        )
    admin_login(client, make_role_user("qa-evdash", EDITOR))
    page = client.get("/admin/evidence/").content.decode()

    by_month = section(page, "by-month")
    assert by_month.count("<svg") == 12  # a bar for each month: all 12 are in the chart
    assert not NOTE.search(by_month)
    by_agency = section(page, "by-agency")
    assert by_agency.count("<svg") == 10  # the chart's top 10 of the 12 agencies
    assert NOTE.search(by_agency).groups() == ("10", "12")
