"""Staff and trainer users in each role, and signing them in to the admin.

Every admin test signs in through ``admin_login`` so that what the admin requires of a
session (e.g. a verified second factor) is met in one place.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER, TRAINER

PASSWORD = "a-long-test-password"  # noqa: S105


def make_role_user(username: str, *groups: str, is_staff: bool = True, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org.uk", PASSWORD, is_staff=is_staff, **extra
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def totp_device(user):
    """The user's confirmed TOTP device (made if missing): its ``bin_key`` gives codes."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"confirmed": True}
    )
    return device


def admin_login(client, user):
    """Sign ``user`` in for the admin, as if with the password and a code from their
    authenticator app (the admin requires a verified second factor), and return the
    client."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client


__all__ = [
    "EDITOR",
    "PARTNERSHIP_ADMIN",
    "PASSWORD",
    "PUBLISHER",
    "TRAINER",
    "admin_login",
    "make_role_user",
    "totp_device",
]
