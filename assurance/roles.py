"""The assurance roles, as Django groups (made by migration assurance.0002_roles), and
which agency a person acts for.

- Action owner: updates the actions of their own agency only (``AgencyMembership``).
- Assurance lead: edits action plans, signs off actions (never one they marked complete),
  edits and publishes the yearly report, imports plans.
- Independent scrutineer: reads everything in assurance; writes nothing except challenges.

Each holder is a staff user (``is_staff``) with the admin's second factor: the assurance
pages require a verified device, as the admin does. Superusers count as assurance leads.
"""

from __future__ import annotations

from .models import AgencyMembership

ACTION_OWNER = "Action owner"
ASSURANCE_LEAD = "Assurance lead"
SCRUTINEER = "Independent scrutineer"

ASSURANCE_ROLES = (ACTION_OWNER, ASSURANCE_LEAD, SCRUTINEER)


def user_roles(user) -> set[str]:
    """The assurance roles ``user`` holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_assurance_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ASSURANCE_ROLES).values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ASSURANCE_LEAD)
        user._assurance_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in user_roles(user)


def user_agency(user):
    """The ``themes.Agency`` ``user`` acts for in assurance (``None`` if none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = AgencyMembership.objects.filter(user=user).select_related("agency").first()
    return membership.agency if membership else None


def user_agency_set(user, agency) -> None:
    """Make ``user`` act for ``agency`` (or for none, with ``None``)."""
    if agency is None:
        AgencyMembership.objects.filter(user=user).delete()
    else:
        AgencyMembership.objects.update_or_create(user=user, defaults={"agency": agency})
