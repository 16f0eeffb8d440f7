"""The partnership admin manages staff and their roles, and cannot promote anyone
(themselves included) beyond the roles."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER, admin_login, make_role_user

pytestmark = pytest.mark.django_db


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return data


def test_partnership_admin_gives_a_user_a_role(partnership_admin_client):
    person = make_role_user("newstarter", EDITOR)
    publisher_group = Group.objects.get(name=PUBLISHER)
    url = reverse("admin:auth_user_change", args=[person.pk])
    page = partnership_admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="groups"' in html
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html

    response = partnership_admin_client.post(
        url, user_form(person, groups=[publisher_group.pk], is_superuser="on")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    # Editor taken away at once; Publisher waits for a second Partnership admin
    # (tests/security/test_separation_of_duties.py).
    assert list(person.groups.values_list("name", flat=True)) == []
    assert person.role_grants.get().group == publisher_group
    assert person.is_superuser is False  # the forged field is ignored


def test_partnership_admin_cannot_promote_themselves(partnership_admin_client, partnership_admin):
    url = reverse("admin:auth_user_change", args=[partnership_admin.pk])
    partnership_admin_client.post(url, user_form(partnership_admin, is_superuser="on"))
    partnership_admin.refresh_from_db()
    assert partnership_admin.is_superuser is False
    assert not partnership_admin.user_permissions.exists()


def test_roles_are_read_only_and_superusers_out_of_reach(
    partnership_admin_client, django_user_model
):
    editor_group = Group.objects.get(name=EDITOR)
    before = set(editor_group.permissions.values_list("codename", flat=True))
    change = reverse("admin:auth_group_change", args=[editor_group.pk])
    assert partnership_admin_client.get(change).status_code == 200  # view only
    response = partnership_admin_client.post(change, {"name": "Editor", "permissions": []})
    assert response.status_code == 403
    assert partnership_admin_client.get(reverse("admin:auth_group_add")).status_code == 403
    assert set(editor_group.permissions.values_list("codename", flat=True)) == before

    boss = django_user_model.objects.create_superuser("boss", "boss@example.org.uk", "x" * 20)
    assert (
        partnership_admin_client.get(reverse("admin:auth_user_change", args=[boss.pk])).status_code
        == 302  # the admin's "no such item" redirect: a superuser is not theirs to see
    )
    assert (
        "boss"
        not in partnership_admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    )


@pytest.mark.parametrize("fixture", ["editor_client", "publisher_client"])
def test_editors_and_publishers_cannot_manage_staff(request, fixture):
    client = request.getfixturevalue(fixture)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


def test_admin_log_lists_who_did_what(publisher_client, publisher):
    LogEntry.objects.create(
        user=publisher, object_repr="A point", action_flag=2, change_message="Published"
    )
    page = publisher_client.get(reverse("admin:admin_logentry_changelist"))
    assert page.status_code == 200
    assert "Published" in page.content.decode()
    editor_client = admin_login(Client(), make_role_user("someeditor", EDITOR))
    assert editor_client.get(reverse("admin:admin_logentry_changelist")).status_code == 403


def test_admin_home_lists_the_curation_tasks_each_role_may_use(client):
    editor = admin_login(Client(), make_role_user("homeeditor", EDITOR))
    html = editor.get(reverse("admin:index")).content.decode()
    for link in ("backoffice_due_for_review", "transfer:import", "transfer:export"):
        assert f'href="{reverse(link)}"' in html, link
    assert reverse("admin:backoffice_brokenresourcelink_changelist") in html

    admin_user = make_role_user("homeadmin", PARTNERSHIP_ADMIN)
    html = admin_login(Client(), admin_user).get(reverse("admin:index")).content.decode()
    assert reverse("transfer:export") in html
    assert reverse("transfer:import") not in html  # partnership admins do not import
    assert reverse("admin:backoffice_brokenresourcelink_changelist") not in html
