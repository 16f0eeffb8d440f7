"""The admin's home links to the assurance pages ("Learning into practice") for staff who
may open them, and not for staff who would only get a 403 there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.roles import EDITOR, admin_login, make_role_user

pytestmark = pytest.mark.django_db
LINK = 'href="/assurance/"'


def test_the_admin_home_links_to_assurance_only_for_its_roles(client):
    Group.objects.get_or_create(name="Independent scrutineer")
    scrutineer = make_role_user("qa-scrutineer", EDITOR, "Independent scrutineer")
    admin_login(client, scrutineer)
    page = client.get("/admin/").content.decode()
    assert LINK in page
    assert client.get("/assurance/").status_code == 200

    client.logout()
    admin_login(client, make_role_user("qa-editor-only", EDITOR))
    assert LINK not in client.get("/admin/").content.decode()
    assert client.get("/assurance/").status_code == 403
