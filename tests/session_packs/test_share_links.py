"""Issue 15, finding 9: a shared link dies for good when the pack stops being shared, and
the owner can make a new link that kills the old one."""

import pytest
from django.urls import reverse

from session_packs import services
from session_packs.models import SessionPack, Visibility

pytestmark = pytest.mark.django_db


def shared_url(token: str) -> str:
    return reverse("session_packs:shared", kwargs={"token": token})


def share(client, pack, visibility: str):
    response = client.post(
        reverse("session_packs:edit", args=[pack.pk]),
        {"title": pack.title, "duration_minutes": "45", "visibility": visibility},
    )
    assert response.status_code == 302, response.content[:300]
    pack.refresh_from_db()


def test_sharing_again_after_stopping_gives_a_new_link(trainer_client, client, pack):
    share(trainer_client, pack, Visibility.SHARED)
    old = pack.share_token
    assert client.get(shared_url(old)).status_code == 200
    share(trainer_client, pack, Visibility.PRIVATE)
    share(trainer_client, pack, Visibility.SHARED)
    assert pack.share_token != old
    assert client.get(shared_url(old)).status_code == 404
    assert client.get(shared_url(pack.share_token)).status_code == 200


def test_listing_a_shared_pack_also_kills_its_link(trainer_client, client, pack):
    share(trainer_client, pack, Visibility.SHARED)
    old = pack.share_token
    share(trainer_client, pack, Visibility.LISTED)
    share(trainer_client, pack, Visibility.SHARED)
    assert client.get(shared_url(old)).status_code == 404


def test_saving_a_shared_pack_keeps_its_link(trainer_client, pack):
    share(trainer_client, pack, Visibility.SHARED)
    old = pack.share_token
    share(trainer_client, pack, Visibility.SHARED)
    assert pack.share_token == old


def test_make_a_new_link_kills_the_old_one(trainer_client, client, pack):
    share(trainer_client, pack, Visibility.SHARED)
    old = pack.share_token
    response = trainer_client.post(reverse("session_packs:new_link", args=[pack.pk]))
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.share_token != old and len(pack.share_token) >= 32
    assert client.get(shared_url(old)).status_code == 404
    assert client.get(reverse("session_packs:shared_export", args=[old, "pdf"])).status_code == 404
    assert client.get(shared_url(pack.share_token)).status_code == 200
    page = trainer_client.get(pack.get_absolute_url()).content.decode()
    assert pack.share_token in page and old not in page
    assert "Make a new link" in page


def test_only_the_owner_can_make_a_new_link(client, other_trainer, pack):
    services.pack_update(pack, title=pack.title, duration_minutes=45, visibility=Visibility.SHARED)
    old = SessionPack.objects.get(pk=pack.pk).share_token
    client.force_login(other_trainer)
    response = client.post(reverse("session_packs:new_link", args=[pack.pk]))
    assert response.status_code == 404
    assert SessionPack.objects.get(pk=pack.pk).share_token == old


def test_a_new_link_needs_a_post(trainer_client, pack):
    assert trainer_client.get(reverse("session_packs:new_link", args=[pack.pk])).status_code == 405
