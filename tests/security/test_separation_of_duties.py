"""Issue 15, finding 2: separation of duties for roles and second factors.

- Nobody changes their own roles.
- Granting Publisher or Partnership admin needs a second Partnership admin's approval (a
  pending grant that another Partnership admin approves) or a superuser.
- Every role change is logged and emailed to all Partnership admins.
- A device enrolled by someone else counts only once its owner has signed in with it.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.backoffice.change_forms import form_data
from tests.roles import (
    EDITOR,
    PARTNERSHIP_ADMIN,
    PASSWORD,
    PUBLISHER,
    admin_login,
    make_role_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_callbacks(monkeypatch):
    """Emails go when the change is committed: run the commit callbacks as they come."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def admins():
    first = make_role_user("pa_one", PARTNERSHIP_ADMIN, first_name="Pat", last_name="One")
    second = make_role_user("pa_two", PARTNERSHIP_ADMIN, first_name="Sam", last_name="Two")
    return first, second


def user_change(client, user, groups):
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page, groups=[Group.objects.get(name=name).pk for name in groups])
    return client.post(url, data)


def roles_of(user):
    user.refresh_from_db()
    return set(user.groups.values_list("name", flat=True))


def test_a_partnership_admin_cannot_change_their_own_roles(admins):
    me, _ = admins
    client = admin_login(Client(), me)
    url = reverse("admin:auth_user_change", args=[me.pk])
    html = client.get(url).content.decode()
    assert 'name="groups"' not in html  # shown read-only on one's own account
    data = form_data(client.get(url))
    data["groups"] = [str(Group.objects.get(name=PUBLISHER).pk)]
    client.post(url, data)
    assert roles_of(me) == {PARTNERSHIP_ADMIN}


def test_a_superuser_cannot_change_their_own_roles_either(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org.uk", PASSWORD)
    client = admin_login(Client(), boss)
    url = reverse("admin:auth_user_change", args=[boss.pk])
    data = form_data(client.get(url))
    data["groups"] = [str(Group.objects.get(name=PUBLISHER).pk)]
    client.post(url, data)
    assert roles_of(boss) == set()


def test_granting_publisher_waits_for_a_second_partnership_admin(admins):
    from backoffice.models import RoleGrant

    first, second = admins
    person = make_role_user("newpub", EDITOR, first_name="Nia", last_name="Pub")
    mail.outbox.clear()
    response = user_change(admin_login(Client(), first), person, [EDITOR, PUBLISHER])
    assert response.status_code == 302
    assert roles_of(person) == {EDITOR}  # not yet
    grant = RoleGrant.objects.get(user=person, group__name=PUBLISHER)
    assert grant.status == RoleGrant.Status.PENDING and grant.requested_by == first
    # Both partnership admins are told of the request.
    assert {tuple(m.to) for m in mail.outbox} >= {
        ("pa_one@example.org.uk",),
        ("pa_two@example.org.uk",),
    }
    body = mail.outbox[0].body
    assert "Publisher" in body and "newpub" in body and "approve" in body.lower()

    approve = reverse("admin:backoffice_rolegrant_approve", args=[grant.pk])
    # The one who asked cannot approve it.
    refused = admin_login(Client(), first).post(approve)
    assert refused.status_code == 403
    assert roles_of(person) == {EDITOR}
    # Another partnership admin can.
    mail.outbox.clear()
    done = admin_login(Client(), second).post(approve)
    assert done.status_code == 302
    assert roles_of(person) == {EDITOR, PUBLISHER}
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.APPROVED and grant.decided_by == second
    assert len(mail.outbox) >= 2
    assert "approved" in mail.outbox[0].body.lower()
    assert LogEntry.objects.filter(object_id=str(person.pk), change_message__contains="Publisher")


def test_a_grant_of_partnership_admin_cannot_be_approved_by_its_grantee(admins):
    from backoffice.models import RoleGrant

    first, second = admins
    third = make_role_user("pa_three", EDITOR)
    user_change(admin_login(Client(), first), third, [EDITOR, PARTNERSHIP_ADMIN])
    grant = RoleGrant.objects.get(user=third)
    approve = reverse("admin:backoffice_rolegrant_approve", args=[grant.pk])
    assert admin_login(Client(), third).post(approve).status_code in (302, 403)
    assert roles_of(third) == {EDITOR}
    assert admin_login(Client(), second).post(approve).status_code == 302
    assert roles_of(third) == {EDITOR, PARTNERSHIP_ADMIN}


def test_a_refused_grant_gives_nothing(admins):
    from backoffice.models import RoleGrant

    first, second = admins
    person = make_role_user("nopub", EDITOR)
    user_change(admin_login(Client(), first), person, [EDITOR, PUBLISHER])
    grant = RoleGrant.objects.get(user=person)
    refuse = reverse("admin:backoffice_rolegrant_refuse", args=[grant.pk])
    assert admin_login(Client(), second).post(refuse).status_code == 302
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.REFUSED
    assert roles_of(person) == {EDITOR}


def test_a_superuser_grants_publisher_at_once(admins, django_user_model):
    boss = django_user_model.objects.create_superuser("boss2", "boss2@example.org.uk", PASSWORD)
    person = make_role_user("direct", EDITOR)
    mail.outbox.clear()
    assert user_change(admin_login(Client(), boss), person, [PUBLISHER]).status_code == 302
    assert roles_of(person) == {PUBLISHER}
    # Logged and emailed to every partnership admin.
    recipients = {address for m in mail.outbox for address in m.to}
    assert {"pa_one@example.org.uk", "pa_two@example.org.uk"} <= recipients
    text = mail.outbox[0].body
    assert "direct" in text and "Publisher" in text and "Editor" in text and "boss2" in text


def test_every_role_change_is_logged_and_emailed_to_all_partnership_admins(admins):
    first, _ = admins
    person = make_role_user("gettingeditor")
    mail.outbox.clear()
    assert user_change(admin_login(Client(), first), person, [EDITOR]).status_code == 302
    assert roles_of(person) == {EDITOR}  # Editor needs no approval
    entry = LogEntry.objects.get(
        object_id=str(person.pk), change_message__startswith="Roles:", user=first
    )
    assert entry.get_change_message() == "Roles: added Editor."
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "pa_one@example.org.uk",
        "pa_two@example.org.uk",
    ]
    message = mail.outbox[0]
    assert message.subject.startswith("Roles changed:")
    assert "Account: gettingeditor" in message.body and "Roles added: Editor" in message.body
    print(message.subject, message.body, sep="\n")  # read it: the email as sent
    assert "pa_one" in message.body  # who did it


def test_a_new_account_with_publisher_is_a_pending_grant(admins):
    from backoffice.models import RoleGrant

    first, _ = admins
    client = admin_login(Client(), first)
    add = reverse("admin:auth_user_add")
    response = client.post(
        add,
        {
            "username": "sockpuppet",
            "usable_password": "true",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )
    assert response.status_code == 302
    puppet = type(first).objects.get(username="sockpuppet")
    user_change(client, puppet, [PUBLISHER])
    assert roles_of(puppet) == set()
    assert RoleGrant.objects.filter(user=puppet, status=RoleGrant.Status.PENDING).exists()


def test_a_device_enrolled_by_someone_else_counts_once_its_owner_signs_in_with_it(admins):
    first, _ = admins
    person = make_role_user("newdevice", EDITOR)
    client = admin_login(Client(), first)
    add = reverse("admin:otp_totp_totpdevice_add")
    chosen_key = "ab" * 20
    data = form_data(client.get(add), user=str(person.pk), name="Phone", key=chosen_key)
    data["confirmed"] = "on"
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    device = TOTPDevice.objects.get(user=person)
    assert device.confirmed is False  # not until its owner has used it
    assert device.key != chosen_key  # the key is made by the server, not chosen
    assert not list(devices_for_user(person, confirmed=True))

    # The owner signs in with it: now it counts.
    signed_in = Client().post(
        reverse("admin:login"),
        {
            "username": "newdevice",
            "password": PASSWORD,
            "otp_token": f"{totp(device.bin_key):06d}",
            "next": reverse("admin:index"),
        },
    )
    assert signed_in.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True


def test_confirming_a_device_cannot_be_set_by_someone_else(admins):
    first, _ = admins
    person = make_role_user("editdevice", EDITOR)
    device = TOTPDevice.objects.create(user=person, name="Phone", confirmed=False)
    client = admin_login(Client(), first)
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    data = form_data(client.get(url))
    data["confirmed"] = "on"
    client.post(url, data)
    device.refresh_from_db()
    assert device.confirmed is False
