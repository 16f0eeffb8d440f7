"""Separation of duties for staff roles (docs/security.md, "Roles and separation of
duties").

- Nobody changes their own roles (the staff form shows them read-only on one's own
  account, and ``roles_apply`` refuses).
- Giving someone Publisher or Partnership admin (``SECOND_PERSON_ROLES``) takes two people:
  when a Partnership admin gives it, a pending ``RoleGrant`` is made instead, and the role
  is given only when another Partnership admin approves it (never the one who asked,
  never the person it is for). A superuser's change applies at once.
- Every role change (given, taken away, asked for, approved, refused) is written to the
  admin log on the person's account and emailed to every Partnership admin.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from backoffice.models import RoleGrant
from backoffice.roles import PARTNERSHIP_ADMIN, PUBLISHER

SECOND_PERSON_ROLES = (PUBLISHER, PARTNERSHIP_ADMIN)

OWN_ROLES = "Nobody can change their own roles: ask another Partnership admin."
NOT_AN_APPROVER = "Only a Partnership admin can approve or refuse a role."
OWN_REQUEST = "You asked for this role: another Partnership admin must approve or refuse it."
OWN_GRANT = "This role is for you: another Partnership admin must approve or refuse it."
DECIDED = "This request has already been {status}."


@dataclass
class RoleChange:
    """What happened to one person's roles, for the log and the email."""

    user: object
    by: object
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.added, self.removed, self.pending, self.approved, self.refused))

    def summary(self) -> str:
        parts = []
        for label, names in (
            ("added", self.added),
            ("removed", self.removed),
            ("waiting for a second Partnership admin's approval", self.pending),
            ("approved", self.approved),
            ("refused", self.refused),
        ):
            if names:
                parts.append(f"{label} {', '.join(names)}")
        return "Roles: " + "; ".join(parts) + "."


def _names(groups: Iterable[Group]) -> list[str]:
    return sorted(group.name for group in groups)


def is_partnership_admin(user) -> bool:
    return user.is_active and user.groups.filter(name=PARTNERSHIP_ADMIN).exists()


def partnership_admin_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=PARTNERSHIP_ADMIN)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _record(change: RoleChange, request=None) -> None:
    """The admin log entry on the person's account, and the email to every Partnership
    admin (sent when the transaction commits)."""
    user = change.user
    LogEntry.objects.log_actions(
        user_id=change.by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=change.summary(),
        single_object=True,
    )
    grants_path = reverse("admin:backoffice_rolegrant_changelist")
    context = {
        "change": change,
        "person": user,
        "by": change.by,
        "when": timezone.localtime(),
        "grants_url": request.build_absolute_uri(grants_path) if request else grants_path,
    }
    subject = render_to_string("backoffice/email/role_change_subject.txt", context)
    body = render_to_string("backoffice/email/role_change.txt", context)
    recipients = partnership_admin_emails()
    if recipients:
        subject = " ".join(subject.split())
        messages = [(subject, body, None, [address]) for address in recipients]
        # One message to each, once the change is committed (never for a rolled-back one).
        transaction.on_commit(lambda: send_mass_mail(messages))


@transaction.atomic
def roles_apply(user, wanted: Iterable[Group], *, by, request=None) -> RoleChange:
    """Give ``user`` the roles ``wanted`` (and take away the others), as ``by`` asks:
    Publisher and Partnership admin wait for a second Partnership admin unless ``by`` is a
    superuser. Refuses a change of one's own roles."""
    if user.pk == by.pk:
        raise PermissionDenied(OWN_ROLES)
    wanted = set(wanted)
    current = set(user.groups.all())
    to_add, to_remove = wanted - current, current - wanted
    change = RoleChange(user=user, by=by)
    if not by.is_superuser:
        needs_second = {group for group in to_add if group.name in SECOND_PERSON_ROLES}
        to_add -= needs_second
        for group in needs_second:
            RoleGrant.objects.get_or_create(
                user=user,
                group=group,
                status=RoleGrant.Status.PENDING,
                defaults={"requested_by": by},
            )
        change.pending = _names(needs_second)
    if to_add:
        user.groups.add(*to_add)
    if to_remove:
        user.groups.remove(*to_remove)
    change.added, change.removed = _names(to_add), _names(to_remove)
    if change:
        _record(change, request)
    return change


def role_grant_refusal(grant: RoleGrant, user) -> str | None:
    """Why ``user`` may not approve or refuse ``grant`` (None if they may)."""
    if not (user.is_superuser or is_partnership_admin(user)):
        return NOT_AN_APPROVER
    if grant.status != RoleGrant.Status.PENDING:
        return DECIDED.format(status=grant.get_status_display().lower())
    if grant.user_id == user.pk:
        return OWN_GRANT
    if grant.requested_by_id == user.pk:
        return OWN_REQUEST
    return None


def _decide(grant: RoleGrant, by, status: str, request=None) -> RoleGrant:
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        refusal = role_grant_refusal(grant, by)
        if refusal:
            raise PermissionDenied(refusal)
        grant.status = status
        grant.decided_by = by
        grant.decided_at = timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
        change = RoleChange(user=grant.user, by=by)
        if status == RoleGrant.Status.APPROVED:
            grant.user.groups.add(grant.group)
            change.approved = [grant.group.name]
        else:
            change.refused = [grant.group.name]
        _record(change, request)
    return grant


def role_grant_approve(grant: RoleGrant, *, by, request=None) -> RoleGrant:
    """Give the role: by another Partnership admin (or a superuser), not the one who asked
    nor the person it is for."""
    return _decide(grant, by, RoleGrant.Status.APPROVED, request)


def role_grant_refuse(grant: RoleGrant, *, by, request=None) -> RoleGrant:
    return _decide(grant, by, RoleGrant.Status.REFUSED, request)


def role_grants_pending_for(user) -> list[RoleGrant]:
    return list(
        RoleGrant.objects.filter(user=user, status=RoleGrant.Status.PENDING).select_related(
            "group", "requested_by"
        )
    )


__all__ = [
    "SECOND_PERSON_ROLES",
    "RoleChange",
    "partnership_admin_emails",
    "role_grant_approve",
    "role_grant_refusal",
    "role_grant_refuse",
    "role_grants_pending_for",
    "roles_apply",
]
