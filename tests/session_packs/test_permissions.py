"""Who may do what with a pack, tested from the refused side too."""

import pytest
from django.urls import reverse

from session_packs.models import ItemKind, PackItem, SessionPack, Visibility
from tests.factories import PracticePointFactory

from .support import make_user

pytestmark = pytest.mark.django_db

FORMATS = ["pdf", "docx", "pptx", "briefing"]


def snapshot(pack) -> tuple:
    pack.refresh_from_db()
    return (
        pack.title,
        pack.visibility,
        list(pack.items.order_by("position").values_list("pk", "trainer_notes", "minutes")),
    )


def owner_requests(pack):
    """(method, url, data) for everything only the owner may do."""
    item = pack.items.order_by("position").first()
    second = pack.items.order_by("position")[1]
    pk = pack.pk
    return [
        ("get", reverse("session_packs:edit", args=[pk]), None),
        (
            "post",
            reverse("session_packs:edit", args=[pk]),
            {"title": "Hijacked", "duration_minutes": 5, "visibility": "shared"},
        ),
        ("get", reverse("session_packs:delete", args=[pk]), None),
        ("post", reverse("session_packs:delete", args=[pk]), {}),
        (
            "post",
            reverse("session_packs:item_add", args=[pk]),
            {"kind": "facilitator_note", "body": "x"},
        ),
        ("post", reverse("session_packs:item_move", args=[pk, second.pk]), {"direction": "up"}),
        ("get", reverse("session_packs:item_edit", args=[pk, item.pk]), None),
        (
            "post",
            reverse("session_packs:item_edit", args=[pk, item.pk]),
            {f"item-{item.pk}-trainer_notes": "Hijacked", f"item-{item.pk}-minutes": "1"},
        ),
        ("post", reverse("session_packs:item_remove", args=[pk, item.pk]), {}),
    ]


def viewer_requests(pack):
    pk = pack.pk
    return [("get", reverse("session_packs:detail", args=[pk]), None)] + [
        ("get", reverse("session_packs:export", args=[pk, fmt]), None) for fmt in FORMATS
    ]


def send(client, method, url, data):
    return getattr(client, method)(url, data or {})


def reorder(client, pack, order):
    return client.post(
        reverse("session_packs:reorder", args=[pack.pk]),
        data={"order": order},
        content_type="application/json",
    )


# --- Signed out and not a trainer ------------------------------------------------------


def all_requests(pack, content):
    return (
        [
            ("get", reverse("session_packs:list"), None),
            ("get", reverse("session_packs:new"), None),
            (
                "post",
                reverse("session_packs:new"),
                {"title": "T", "duration_minutes": 30, "visibility": "private"},
            ),
            (
                "post",
                reverse("session_packs:add"),
                {"add": f"practice_point:{content['points'][0].pk}"},
            ),
            ("post", reverse("session_packs:from_theme"), {"theme": content["theme"].pk}),
            ("post", reverse("session_packs:duplicate", args=[pack.pk]), {}),
        ]
        + viewer_requests(pack)
        + owner_requests(pack)
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, pack, content):
    before = snapshot(pack)
    for method, url, data in all_requests(pack, content):
        response = send(client, method, url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert reorder(client, pack, []).status_code == 302
    assert snapshot(pack) == before
    assert SessionPack.objects.count() == 1


def test_signed_in_non_trainers_get_a_clear_403(client, practitioner, pack, content):
    client.force_login(practitioner)
    before = snapshot(pack)
    for method, url, data in all_requests(pack, content):
        response = send(client, method, url, data)
        assert response.status_code == 403, url
        assert "You need a trainer account to use session packs" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    assert reorder(client, pack, []).status_code == 403
    assert snapshot(pack) == before
    assert SessionPack.objects.count() == 1


def test_staff_who_are_not_trainers_are_refused_too(client, pack):
    staff = make_user("staffer", trainer=False, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("session_packs:list")).status_code == 403


def test_superusers_can_use_packs(client, pack):
    admin = make_user("boss", trainer=False, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("session_packs:list")).status_code == 200
    # ... but another trainer's private pack stays private
    assert client.get(pack.get_absolute_url()).status_code == 404


# --- Another trainer --------------------------------------------------------------------


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.SHARED])
def test_another_trainer_guessing_the_id_of_a_pack_not_listed_gets_404(
    client, other_trainer, pack, content, visibility
):
    pack.visibility = visibility
    pack.save()
    client.force_login(other_trainer)
    before = snapshot(pack)
    requests = viewer_requests(pack) + owner_requests(pack)
    requests.append(("post", reverse("session_packs:duplicate", args=[pack.pk]), {}))
    for method, url, data in requests:
        assert send(client, method, url, data).status_code == 404, url
    assert reorder(client, pack, list(reversed(before[2]))).status_code == 404
    # Adding to their pack by naming its id in the form
    point = PracticePointFactory()
    response = client.post(
        reverse("session_packs:add"),
        {"add": f"practice_point:{point.pk}", f"pack-practice_point-{point.pk}": str(pack.pk)},
    )
    assert response.status_code == 404
    assert snapshot(pack) == before
    assert not SessionPack.objects.filter(owner=other_trainer).exists()


def test_nobody_learns_whether_a_pack_id_exists(client, other_trainer, pack):
    client.force_login(other_trainer)
    missing = client.get(reverse("session_packs:detail", args=[pack.pk + 1000]))
    private = client.get(reverse("session_packs:detail", args=[pack.pk]))
    assert missing.status_code == private.status_code == 404


def test_a_listed_pack_is_read_only_to_other_trainers(client, other_trainer, pack):
    pack.visibility = Visibility.LISTED
    pack.save()
    client.force_login(other_trainer)
    before = snapshot(pack)

    page = client.get(pack.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert pack.title in html
    assert "This pack belongs to another trainer" in html
    for control in (
        "Move up",
        "Move down",
        "Remove",
        "Edit notes",
        "Edit the pack’s details",
        "Delete this pack",
    ):
        assert control not in html, control
    assert "Copy this pack to your packs" in html
    for fmt in FORMATS:
        assert client.get(reverse("session_packs:export", args=[pack.pk, fmt])).status_code == 200

    for method, url, data in owner_requests(pack):
        assert send(client, method, url, data).status_code == 404, url
    assert reorder(client, pack, list(reversed([pk for pk, *_ in before[2]]))).status_code == 404
    assert snapshot(pack) == before

    listing = client.get(reverse("session_packs:list")).content.decode()
    assert "Packs from other trainers" in listing and pack.title in listing


def test_another_trainer_can_copy_a_listed_pack(client, other_trainer, pack):
    pack.visibility = Visibility.LISTED
    pack.save()
    client.force_login(other_trainer)
    response = client.post(reverse("session_packs:duplicate", args=[pack.pk]))
    copy = SessionPack.objects.get(owner=other_trainer)
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert copy.visibility == Visibility.PRIVATE
    assert copy.items.count() == pack.items.count()
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "Move down" in page


def test_an_item_of_another_pack_cannot_be_reached_through_my_pack(
    client, trainer, other_trainer, pack
):
    mine = SessionPack.objects.create(owner=other_trainer, title="Mine")
    PackItem.objects.create(pack=mine, position=1, kind=ItemKind.FACILITATOR_NOTE, body="x")
    client.force_login(other_trainer)
    theirs = pack.items.first()
    for name in ("item_move", "item_edit", "item_remove"):
        url = reverse(f"session_packs:{name}", args=[mine.pk, theirs.pk])
        assert client.post(url, {"direction": "up"}).status_code == 404
    assert PackItem.objects.filter(pk=theirs.pk).exists()


def test_the_owner_cannot_reorder_with_items_of_another_pack(
    trainer_client, trainer, other_trainer, pack
):
    other = SessionPack.objects.create(owner=other_trainer, title="Other")
    foreign = PackItem.objects.create(
        pack=other, position=1, kind=ItemKind.FACILITATOR_NOTE, body="x"
    )
    before = snapshot(pack)
    order = [pk for pk, *_ in before[2]]
    response = reorder(trainer_client, pack, order[:-1] + [foreign.pk])
    assert response.status_code == 400
    assert snapshot(pack) == before
    assert foreign.pack_id == other.pk


# --- Shared links -----------------------------------------------------------------------


def shared_urls(pack):
    return [reverse("session_packs:shared", args=[pack.share_token])] + [
        reverse("session_packs:shared_export", args=[pack.share_token, fmt]) for fmt in FORMATS
    ]


def test_a_shared_link_gives_anyone_read_only_access_and_exports(client, pack):
    pack.visibility = Visibility.SHARED
    pack.save()
    for url in shared_urls(pack):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
    html = client.get(shared_urls(pack)[0]).content.decode()
    assert pack.title in html
    for control in (
        "Move up",
        "Remove",
        "Edit notes",
        "Delete this pack",
        "Copy this pack",
        "csrfmiddlewaretoken",
    ):
        assert control not in html, control
    # the owner's name is not published with the link
    assert "Trainer" not in html.split("<main", 1)[1].split("Session plan")[0]
    # read only: no other method
    assert client.post(shared_urls(pack)[0]).status_code == 405


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.LISTED])
def test_a_shared_link_is_404_unless_the_pack_is_shared_by_link(client, trainer, pack, visibility):
    pack.visibility = visibility
    pack.save()
    for url in shared_urls(pack):
        assert client.get(url).status_code == 404, url
    # not even for its owner: the link itself is what is shared
    client.force_login(trainer)
    assert client.get(shared_urls(pack)[0]).status_code == 404


def test_a_wrong_token_is_404(client, pack):
    pack.visibility = Visibility.SHARED
    pack.save()
    wrong = pack.share_token[:-1] + ("A" if pack.share_token[-1] != "A" else "B")
    assert client.get(reverse("session_packs:shared", args=[wrong])).status_code == 404
    assert (
        client.get(reverse("session_packs:shared_export", args=[wrong, "pdf"])).status_code == 404
    )


def test_making_a_pack_private_again_stops_the_link(client, pack):
    pack.visibility = Visibility.SHARED
    pack.save()
    url = shared_urls(pack)[0]
    assert client.get(url).status_code == 200
    pack.visibility = Visibility.PRIVATE
    pack.save()
    assert client.get(url).status_code == 404


# --- Caching ----------------------------------------------------------------------------


def test_signed_in_pages_are_private_and_never_stored(trainer_client, pack, content):
    urls = [
        reverse("session_packs:list"),
        pack.get_absolute_url(),
        reverse("session_packs:export", args=[pack.pk, "pdf"]),
        # public pages carry the trainer's packs and a CSRF token when signed in
        "/practice-points/",
        content["theme"].get_absolute_url(),
    ]
    for url in urls:
        response = trainer_client.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_anonymous_public_pages_are_not_marked_private(client, content):
    response = client.get("/practice-points/")
    assert "no-store" not in response.get("Cache-Control", "")
