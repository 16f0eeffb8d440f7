"""Read replica routing: off by default; when on, public content reads go to the replica
and writes, other reads and reads inside a transaction to the primary."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from practice_points.models import PracticePoint
from reviews_toolkit.dbrouter import PublicReadRouter
from themes.models import Theme


def test_off_by_default():
    assert "replica" not in settings.DATABASES
    assert not getattr(settings, "DATABASE_ROUTERS", [])


@pytest.mark.django_db(transaction=True)
def test_public_reads_go_to_the_replica_and_the_rest_to_the_primary():
    router = PublicReadRouter()
    assert router.db_for_read(PracticePoint) == "replica"
    assert router.db_for_read(Theme) == "replica"
    assert router.db_for_read(get_user_model()) is None  # the default: the primary
    assert router.db_for_write(PracticePoint) == "default"
    assert router.allow_migrate("replica", "practice_points") is False
    from django.db import transaction

    with transaction.atomic():
        assert router.db_for_read(PracticePoint) == "default"
