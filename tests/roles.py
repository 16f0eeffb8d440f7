"""Staff and trainer users in each role, and signing them in to the admin.

Every admin test signs in through ``admin_login`` so that what the admin requires of a
session (e.g. a verified second factor) is met in one place.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from backoffice.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER, TRAINER

PASSWORD = "a-long-test-password"  # noqa: S105


def make_role_user(username: str, *groups: str, is_staff: bool = True, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org.uk", PASSWORD, is_staff=is_staff, **extra
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def admin_login(client, user):
    """Sign ``user`` in for the admin and return the client."""
    client.force_login(user)
    return client


__all__ = [
    "EDITOR",
    "PARTNERSHIP_ADMIN",
    "PASSWORD",
    "PUBLISHER",
    "TRAINER",
    "admin_login",
    "make_role_user",
]
