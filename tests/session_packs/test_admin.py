"""Staff oversee packs in the admin, read only."""

import pytest
from django.urls import reverse

from content.models import Status
from session_packs.models import SessionPack
from tests.roles import admin_login

from .support import make_user

pytestmark = pytest.mark.django_db


def test_staff_see_a_pack_with_its_items_read_only(staff_client, pack, content):
    content["points"][0].status = Status.ARCHIVED
    content["points"][0].save()
    listing = staff_client.get(reverse("admin:session_packs_sessionpack_changelist"))
    assert listing.status_code == 200 and pack.title in listing.content.decode()
    page = staff_client.get(reverse("admin:session_packs_sessionpack_change", args=[pack.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Point 2: ask about the adults" in html
    assert "Pairs: map the family network." in html
    assert 'name="_save"' not in html  # nothing to save
    assert pack.share_token not in html  # the secret link stays secret
    assert reverse("admin:session_packs_sessionpack_delete", args=[pack.pk]) not in html


def test_staff_cannot_add_change_or_delete_packs(staff_client, pack):
    assert staff_client.get(reverse("admin:session_packs_sessionpack_add")).status_code == 403
    staff_client.post(
        reverse("admin:session_packs_sessionpack_change", args=[pack.pk]), {"title": "Changed"}
    )
    assert (
        staff_client.post(
            reverse("admin:session_packs_sessionpack_delete", args=[pack.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    pack.refresh_from_db()
    assert pack.title == "Curiosity: team meeting"
    assert SessionPack.objects.filter(pk=pack.pk).exists()


def test_staff_with_view_permission_only_can_look(client, pack):
    from django.contrib.auth.models import Permission

    staff = make_user("overseer", trainer=False, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_sessionpack"))
    admin_login(client, staff)
    assert (
        client.get(reverse("admin:session_packs_sessionpack_change", args=[pack.pk])).status_code
        == 200
    )
