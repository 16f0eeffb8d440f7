"""Helpers shared by the session pack tests (and the browser test)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from session_packs.models import TRAINER_GROUP

PASSWORD = "correct-horse-battery-staple-42"


def make_user(username: str, *, trainer: bool = True, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org.uk", PASSWORD, first_name=username.title(), **extra
    )
    if trainer:
        # get_or_create: a transactional test's flush removes the migration's group.
        group, _ = Group.objects.get_or_create(name=TRAINER_GROUP)
        user.groups.add(group)
    return user
