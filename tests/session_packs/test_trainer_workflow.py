"""A trainer's workflow without friction: downloads at the top of the pack page, "Add to
pack" on resources, minutes for every item, "Remove" with undo, and staff inviting a
trainer by email (the trainer chooses their own password through a one-time link)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from session_packs import services
from session_packs.models import TRAINER_GROUP, ItemKind
from tests.factories import ResourceFactory
from tests.roles import EDITOR, PARTNERSHIP_ADMIN, admin_login, make_role_user

from .support import PASSWORD

pytestmark = pytest.mark.django_db


def page_of(client, pack) -> str:
    response = client.get(pack.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_downloads_are_at_the_top_of_the_pack_page(trainer_client, pack):
    html = page_of(trainer_client, pack)
    assert html.index("Take it into the room") < html.index("Session plan")
    assert html.index("export/pdf/") < html.index('id="items"')
    # a pack about one theme offers the briefing as PDF and as Word
    assert f"/packs/{pack.pk}/export/briefing/" in html
    assert f"/packs/{pack.pk}/export/briefing-docx/" in html


def test_the_briefing_downloads_as_word(trainer_client, pack):
    response = trainer_client.get(reverse("session_packs:export", args=[pack.pk, "briefing-docx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="curiosity-team-meeting-7-minute-briefing.docx"'
    )


def test_a_resource_can_be_added_from_the_resources_list(trainer_client, pack):
    resource = ResourceFactory(title="Aardvark neglect toolkit")  # first, A to Z
    html = trainer_client.get(reverse("resources:list")).content.decode()
    assert f'value="resource:{resource.pk}"' in html
    response = trainer_client.post(
        reverse("session_packs:add"),
        {
            "add": f"resource:{resource.pk}",
            f"pack-resource-{resource.pk}": pack.pk,
            "next": reverse("resources:list"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('resources:list')}#resource-{resource.pk}"
    item = pack.items.get(resource=resource)
    assert item.position == pack.items.count()


def test_every_item_has_minutes_by_default(pack):
    resource = ResourceFactory()
    note = services.pack_add_item(pack, kind=ItemKind.FACILITATOR_NOTE, body="Welcome")
    added = services.pack_add_item(pack, kind=ItemKind.RESOURCE, content=resource)
    assert (note.minutes, added.minutes) == (2, 2)
    chosen = services.pack_add_item(pack, kind=ItemKind.TIMED_ACTIVITY, body="Map", minutes=15)
    assert chosen.minutes == 15
    assert not pack.items.filter(minutes__isnull=True).exists()


def test_removing_an_item_can_be_undone_with_its_place_and_notes(trainer_client, pack):
    items = list(pack.items.order_by("position"))
    removed = items[2]
    services.pack_update_item_notes(removed, trainer_notes="My careful notes", minutes=8)
    order = [item.pk for item in items]
    response = trainer_client.post(
        reverse("session_packs:item_remove", args=[pack.pk, removed.pk]), follow=True
    )
    html = response.content.decode()
    assert "Removed ‘Point 2: ask about the adults in the home.’" in html
    assert reverse("session_packs:item_undo", args=[pack.pk]) in html
    assert pack.items.count() == len(items) - 1

    response = trainer_client.post(reverse("session_packs:item_undo", args=[pack.pk]))
    assert response.status_code == 302
    restored = pack.items.get(practice_point=removed.practice_point)
    assert restored.position == 3
    assert (restored.trainer_notes, restored.minutes) == ("My careful notes", 8)
    new_order = list(pack.items.order_by("position").values_list("pk", flat=True))
    assert new_order == [restored.pk if pk == removed.pk else pk for pk in order]

    # once only
    response = trainer_client.post(reverse("session_packs:item_undo", args=[pack.pk]), follow=True)
    assert "There is nothing to undo" in response.content.decode()
    assert pack.items.count() == len(items)


def test_only_the_owner_can_undo(client, other_trainer, pack):
    client.force_login(other_trainer)
    assert client.post(reverse("session_packs:item_undo", args=[pack.pk])).status_code == 404


# --- Inviting a trainer ------------------------------------------------------------------


INVITE = "admin:session_packs_invite_trainer"


def invite(client, email="new.trainer@example.org.uk", **extra):
    return client.post(
        reverse(INVITE), {"email": email, "first_name": "Nia", "last_name": "Jones", **extra}
    )


def link_in(message) -> str:
    return re.search(r"http://testserver(/packs/welcome/\S+/)", message.body).group(1)


def test_a_partnership_admin_invites_a_trainer_who_sets_their_own_password(client, mailoutbox):
    admin = make_role_user("padmin", PARTNERSHIP_ADMIN)
    admin_login(client, admin)
    home = client.get(reverse("admin:index")).content.decode()
    assert reverse(INVITE) in home  # found from the admin's home page
    response = invite(client)
    assert response.status_code == 302
    landed = client.get(response["Location"])
    assert landed.status_code == 200
    assert "Invitation sent to new.trainer@example.org.uk" in landed.content.decode()
    user = get_user_model().objects.get(email="new.trainer@example.org.uk")
    assert not user.has_usable_password() and not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [TRAINER_GROUP]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.trainer@example.org.uk"]
    assert "choose your password" in message.body.lower()
    assert PASSWORD not in message.body
    link = link_in(message)

    visitor = client.__class__()
    page = visitor.get(link, follow=True)
    assert "Choose your password" in page.content.decode()
    set_password_url = page.redirect_chain[-1][0]
    done = visitor.post(set_password_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # the link works once
    again = client.__class__().get(link, follow=True)
    assert "This link has expired" in again.content.decode()
    # and the trainer can now use packs
    signed_in = client.__class__()
    response = signed_in.post(
        reverse("login"), {"username": "new.trainer@example.org.uk", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in.get(reverse("session_packs:list")).status_code == 200


def test_an_invitation_link_expires(client, mailoutbox, settings):
    admin_login(client, make_role_user("padmin", PARTNERSHIP_ADMIN))
    invite(client)
    link = link_in(mailoutbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is now too old
    page = client.__class__().get(link, follow=True)
    assert "This link has expired" in page.content.decode()


def test_an_address_already_in_use_is_refused(client, mailoutbox, trainer):
    admin_login(client, make_role_user("padmin", PARTNERSHIP_ADMIN))
    response = invite(client, email=trainer.email.upper())
    assert response.status_code == 200
    assert "There is already an account with this email address" in response.content.decode()
    assert mailoutbox == []


def test_staff_who_do_not_manage_accounts_cannot_invite(client, mailoutbox):
    admin_login(client, make_role_user("editor1", EDITOR))
    assert client.get(reverse(INVITE)).status_code == 403
    assert invite(client).status_code == 403
    assert not get_user_model().objects.filter(email="new.trainer@example.org.uk").exists()
    assert mailoutbox == []


def test_a_trainer_cannot_reach_the_invitation_page(trainer_client):
    response = trainer_client.get(reverse(INVITE))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
