import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from tests.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER, admin_login, make_role_user
from themes.models import Theme

IN_CI = os.environ.get("CI", "").lower() == "true"


def _load_seed():
    call_command("load_seed_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the bundled seed content: the real material."""
    with django_db_blocker.unblock():
        _load_seed()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate limits, the API throttle and content
    gaps count there, and one test's counts must not decide another's."""
    cache.clear()


@pytest.fixture
def seed(db):
    """The seed content, reloaded if a transactional test flushed it."""
    if not Theme.objects.exists():
        _load_seed()


@pytest.fixture
def staff_client(client, django_user_model):
    """A superuser signed in to the admin."""
    user = django_user_model.objects.create_user(
        "staff", "staff@example.org.uk", "a-long-test-password", is_staff=True, is_superuser=True
    )
    return admin_login(client, user)


@pytest.fixture
def editor(db):
    return make_role_user("editor", EDITOR)


@pytest.fixture
def publisher(db):
    return make_role_user("publisher", PUBLISHER)


@pytest.fixture
def partnership_admin(db):
    return make_role_user("partnershipadmin", PARTNERSHIP_ADMIN)


@pytest.fixture
def editor_client(client, editor):
    return admin_login(client, editor)


@pytest.fixture
def publisher_client(client, publisher):
    return admin_login(client, publisher)


@pytest.fixture
def partnership_admin_client(client, partnership_admin):
    return admin_login(client, partnership_admin)


def pytest_collection_modifyitems(config, items):
    """Tests that belong to one of the two runs are deselected in the other, never
    skipped (a skip could hide a missing service): PostgreSQL-only tests run in the
    PostgreSQL run; the small load test once, in the SQLite run, under CI or with
    LOADTEST_SMALL=1 (it starts its own PostgreSQL)."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    load = IN_CI or os.environ.get("LOADTEST_SMALL") == "1"

    def belongs(item) -> bool:
        if "postgresql" in item.keywords and not on_postgres:
            return False
        return "loadtest" not in item.keywords or (load and not on_postgres)

    left_out = [item for item in items if not belongs(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if belongs(item)]


def pytest_report_header(config):
    return (
        f"database: {settings.DATABASES['default']['ENGINE']} "
        f"(expected: {os.environ.get('EXPECT_DB_VENDOR', 'any')}); CI={IN_CI}"
    )
