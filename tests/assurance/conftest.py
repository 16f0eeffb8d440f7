import pytest

from tests.assurance.support import build, signed_in


@pytest.fixture(autouse=True)
def _private_evidence_folder(settings, tmp_path):
    settings.ASSURANCE_EVIDENCE_ROOT = str(tmp_path / "evidence")
    # The world makes several users a test: a quick hasher keeps it within the time budget.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def aw(db):
    world = build()
    world["clients"] = {role: signed_in(user) for role, user in world["a_users"].items()}
    return world
