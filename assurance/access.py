"""Who may do what in assurance: one place the views and services ask.

Every page needs a signed-in, active staff user with a verified second factor (as the
admin: reviews_toolkit.admin_site.StaffAdminSite.has_permission) holding one of the three
assurance roles. Not signed in (or without the second factor): the admin's sign-in page.
Signed in without an assurance role: 403.

- read: any assurance role.
- update an action (progress, evidence, revised due date, mark complete): an assurance
  lead, or an action owner acting for the action's owner agency.
- plan (recommendations, actions, per-review settings, import, yearly report): assurance
  lead.
- sign off: an assurance lead who did not mark the action complete.
- challenge (raise, close): independent scrutineer or assurance lead; reply: whoever the
  challenge asks (the owner agency's action owners, or for a recommendation the owners of
  any agency it is addressed to) or an assurance lead or scrutineer.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .roles import ACTION_OWNER, ASSURANCE_LEAD, SCRUTINEER, user_agency, user_roles


def is_verified_staff(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
    )


def can_read(user) -> bool:
    return bool(user_roles(user))


def is_lead(user) -> bool:
    return ASSURANCE_LEAD in user_roles(user)


def is_scrutineer(user) -> bool:
    return SCRUTINEER in user_roles(user)


def can_update_action(user, action) -> bool:
    roles = user_roles(user)
    if ASSURANCE_LEAD in roles:
        return True
    if ACTION_OWNER in roles:
        agency = user_agency(user)
        return agency is not None and agency.pk == action.owner_agency_id
    return False


def can_sign_off(user, action) -> bool:
    return is_lead(user) and action.completed_by_id != user.pk


def can_challenge(user) -> bool:
    return bool(user_roles(user) & {SCRUTINEER, ASSURANCE_LEAD})


def can_reply(user, challenge) -> bool:
    roles = user_roles(user)
    if roles & {ASSURANCE_LEAD, SCRUTINEER}:
        return True
    if ACTION_OWNER not in roles:
        return False
    agency = user_agency(user)
    if agency is None:
        return False
    if challenge.action_id:
        return challenge.action.owner_agency_id == agency.pk
    rec = challenge.recommendation
    return (
        rec.agencies.filter(pk=agency.pk).exists()
        or rec.actions.filter(owner_agency=agency).exists()
    )


def require(check, *args) -> None:
    if not check(*args):
        raise PermissionDenied


def assurance_view(view):
    """Signed in with the second factor (else the admin's sign-in page) and holding an
    assurance role (else 403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_verified_staff(request.user):
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return redirect(f"{reverse('admin:login')}?{query}")
        if not can_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
