"""Who may do what with evidence of use (one place the views ask).

Staff pages need a signed-in, active staff user with a verified second factor, as the
admin does (reviews_toolkit.admin_site); anyone else goes to the admin's sign-in page.
Then, by role:

- the dashboard and its CSV: any staff role (Editor, Publisher, Partnership admin), and
  the assurance app's Independent scrutineer (read only);
- feedback answers (hide one) and the good-practice queue: any staff role;
- publishing good practice on a theme page: a Publisher (as for content);
- the allowed email domains: a Partnership admin.

Superusers may do everything.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from assurance.roles import SCRUTINEER
from backoffice.roles import PARTNERSHIP_ADMIN, PUBLISHER, STAFF_ROLES


def _groups(user) -> set[str]:
    cached = getattr(user, "_evidence_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._evidence_groups = cached
    return cached


def is_verified_staff(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
    )


def is_staff_role(user) -> bool:
    return is_verified_staff(user) and (user.is_superuser or bool(_groups(user) & set(STAFF_ROLES)))


def can_view_dashboard(user) -> bool:
    return is_staff_role(user) or (is_verified_staff(user) and SCRUTINEER in _groups(user))


def can_publish(user) -> bool:
    return is_staff_role(user) and (user.is_superuser or PUBLISHER in _groups(user))


def can_edit_domains(user) -> bool:
    return is_staff_role(user) and (user.is_superuser or PARTNERSHIP_ADMIN in _groups(user))


def private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def staff_view(test):
    """Not signed in as verified staff: the admin's sign-in page (then back here).
    Verified staff failing ``test``: 403. Every response private, never stored."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_verified_staff(request.user):
                query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
                return private(redirect(f"{reverse('admin:login')}?{query}"))
            if not test(request.user):
                return private(
                    render(request, "evidence/forbidden.html", {"nav_section": None}, status=403)
                )
            return private(view(request, *args, **kwargs))

        return wrapper

    return decorator
