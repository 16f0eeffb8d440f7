"""A trainer building and running a pack through the pages, without JavaScript."""

import re

import pytest
from django.urls import reverse

from content.models import Status
from session_packs.models import ItemKind, SessionPack, Visibility
from tests.factories import PracticePointFactory

pytestmark = pytest.mark.django_db


def item_texts(pack) -> list[str]:
    return [item.heading for item in pack.items.order_by("position")]


def html_of(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_of(response)).split())


def test_creating_a_pack_shows_errors_the_gov_uk_way(trainer_client, trainer):
    response = trainer_client.post(
        reverse("session_packs:new"),
        {"title": " ", "duration_minutes": "3", "visibility": "private"},
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "govuk-error-summary" in html
    assert "Enter a title for the session pack" in html
    assert "Duration must be at least 5 minutes" in html
    assert "<title>Error:" in html
    assert not SessionPack.objects.exists()


def test_creating_a_pack(trainer_client, trainer, content):
    response = trainer_client.post(
        reverse("session_packs:new"),
        {
            "title": "Supervision group: fathers",
            "audience": "Social workers",
            "duration_minutes": "90",
            "learning_objectives": "Find the men\nInvolve them",
            "visibility": "listed",
        },
    )
    pack = SessionPack.objects.get(owner=trainer)
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    assert (pack.title, pack.duration_minutes, pack.visibility) == (
        "Supervision group: fathers",
        90,
        Visibility.LISTED,
    )
    page = trainer_client.get(pack.get_absolute_url())
    text = text_of(page)
    assert "Pack ‘Supervision group: fathers’ created" in text
    assert "Find the men" in text and "Involve them" in text
    assert "This pack has no items yet" in text


def test_the_pack_page_shows_items_in_order_with_the_time(trainer_client, pack):
    pack.duration_minutes = 50
    pack.save()
    text = text_of(trainer_client.get(pack.get_absolute_url()))
    order = [
        "Professional curiosity",
        "Point 1: ask about the adults in the home.",
        "Point 2:",
        "Point 3:",
        "Think of a family you work with.",
        "Procedure · ",
        "What happened to Q.",
        "Pairs: map the family network.",
    ]
    plan = text.split("Session plan", 1)[1]
    positions = [plan.index(fragment) for fragment in order]
    assert positions == sorted(positions)
    # 5 + 3 x 5 + 10 + 10 set by hand, and the defaults for the resource (2) and review (5)
    assert "Planned time: 47 of 50 minutes" in text
    assert "more than the session’s" not in text
    assert "Notes for Point 1" in text


def test_a_warning_when_the_items_take_longer_than_the_session(trainer_client, pack):
    pack.duration_minutes = 30
    pack.save()
    text = text_of(trainer_client.get(pack.get_absolute_url()))
    assert "Planned time: 47 of 30 minutes" in text
    assert "The items add up to 47 minutes: 17 minutes more than the session’s 30 minutes" in text


def test_moving_items_with_the_buttons(trainer_client, pack):
    first, second = pack.items.order_by("position")[:2]
    response = trainer_client.post(
        reverse("session_packs:item_move", args=[pack.pk, second.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{pack.get_absolute_url()}#item-{second.pk}"
    assert list(pack.items.order_by("position").values_list("pk", flat=True))[:2] == [
        second.pk,
        first.pk,
    ]
    bad = trainer_client.post(
        reverse("session_packs:item_move", args=[pack.pk, second.pk]), {"direction": "left"}
    )
    assert bad.status_code == 400


def test_the_first_item_has_no_move_up_button_and_the_last_no_move_down(trainer_client, pack):
    html = html_of(trainer_client.get(pack.get_absolute_url()))
    items = html.split('<li class="app-pack-item')[1:]
    assert re.search(r'value="up"[^>]*hidden', items[0])
    assert not re.search(r'value="down"[^>]*hidden', items[0])
    assert re.search(r'value="down"[^>]*hidden', html.split('id="item-')[-1])


def test_drag_to_reorder_posts_json(trainer_client, pack):
    order = list(reversed(pack.items.order_by("position").values_list("pk", flat=True)))
    url = reverse("session_packs:reorder", args=[pack.pk])
    response = trainer_client.post(url, {"order": order}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"order": order}
    assert list(pack.items.order_by("position").values_list("pk", flat=True)) == order
    for payload in ('{"order": "1,2"}', "not json", '{"nope": []}', '{"order": ["x"]}'):
        bad = trainer_client.post(url, payload, content_type="application/json")
        assert bad.status_code == 400, payload
        assert "error" in bad.json()
    assert trainer_client.get(url).status_code == 405


def test_the_reorder_endpoint_needs_the_csrf_token(client, trainer, pack):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(trainer)
    url = reverse("session_packs:reorder", args=[pack.pk])
    order = list(reversed(pack.items.order_by("position").values_list("pk", flat=True)))
    assert (
        csrf_client.post(url, {"order": order}, content_type="application/json").status_code == 403
    )
    page = csrf_client.get(pack.get_absolute_url())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_of(page)).group(1)
    response = csrf_client.post(
        url, {"order": order}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_editing_notes_and_minutes(trainer_client, pack):
    item = pack.items.get(position=2)
    url = reverse("session_packs:item_edit", args=[pack.pk, item.pk])
    assert trainer_client.get(url).status_code == 200
    response = trainer_client.post(
        url,
        {f"item-{item.pk}-trainer_notes": "Ask who the men are.", f"item-{item.pk}-minutes": "8"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.trainer_notes, item.minutes) == ("Ask who the men are.", 8)
    bad = trainer_client.post(url, {f"item-{item.pk}-minutes": "ten"})
    assert bad.status_code == 200
    assert "Minutes must be a whole number" in html_of(bad)
    item.refresh_from_db()
    assert item.minutes == 8


def test_editing_a_question_changes_its_text(trainer_client, pack):
    item = pack.items.get(kind=ItemKind.REFLECTIVE_QUESTION)
    url = reverse("session_packs:item_edit", args=[pack.pk, item.pk])
    trainer_client.post(url, {f"item-{item.pk}-body": "Who is the man in the child’s life?"})
    item.refresh_from_db()
    assert item.body == "Who is the man in the child’s life?"
    empty = trainer_client.post(url, {f"item-{item.pk}-body": " "})
    assert "Enter the reflective question" in html_of(empty)


def test_adding_a_note_question_or_activity(trainer_client, pack):
    url = reverse("session_packs:item_add", args=[pack.pk])
    response = trainer_client.post(
        url, {"kind": "timed_activity", "body": "Role play: the home visit.", "minutes": "15"}
    )
    item = pack.items.order_by("position").last()
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    assert (item.kind, item.body, item.minutes, item.position) == (
        ItemKind.TIMED_ACTIVITY,
        "Role play: the home visit.",
        15,
        9,
    )
    bad = trainer_client.post(url, {"kind": "reflective_question", "body": ""})
    assert bad.status_code == 400
    assert "Enter the text of the note, question or activity" in html_of(bad)
    assert pack.items.count() == 9
    assert trainer_client.post(url, {"kind": "practice_point", "body": "x"}).status_code == 400


def test_removing_an_item(trainer_client, pack):
    item = pack.items.get(position=1)
    response = trainer_client.post(reverse("session_packs:item_remove", args=[pack.pk, item.pk]))
    assert response.status_code == 302
    assert not pack.items.filter(pk=item.pk).exists()
    assert list(pack.items.values_list("position", flat=True).order_by("position")) == list(
        range(1, 8)
    )


def test_deleting_a_pack_asks_first(trainer_client, pack, content):
    url = reverse("session_packs:delete", args=[pack.pk])
    confirm = trainer_client.get(url)
    assert "Are you sure you want to delete" in text_of(confirm)
    assert SessionPack.objects.filter(pk=pack.pk).exists()
    response = trainer_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("session_packs:list")
    assert not SessionPack.objects.filter(pk=pack.pk).exists()
    # the content stays in the toolkit
    assert content["points"][0].__class__.objects.filter(pk=content["points"][0].pk).exists()


def test_sharing_a_pack_shows_its_link(trainer_client, pack):
    response = trainer_client.post(
        reverse("session_packs:edit", args=[pack.pk]),
        {"title": pack.title, "duration_minutes": "45", "visibility": "shared"},
    )
    assert response.status_code == 302
    html = html_of(trainer_client.get(pack.get_absolute_url()))
    assert f"http://testserver/packs/shared/{pack.share_token}/" in html


def test_the_pack_shows_the_current_text_of_its_content(trainer_client, pack, content):
    point = content["points"][1]
    point.text = "Point 2, reworded by the partnership."
    point.save()
    text = text_of(trainer_client.get(pack.get_absolute_url()))
    assert "Point 2, reworded by the partnership." in text


@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.DRAFT])
def test_withdrawn_content_is_named_not_dropped(trainer_client, pack, content, status):
    point = content["points"][0]
    point.status = status
    point.save()
    content["resource"].status = status
    content["resource"].save()
    text = text_of(trainer_client.get(pack.get_absolute_url()))
    assert "This practice point has been withdrawn from the toolkit" in text
    assert "This resource has been withdrawn from the toolkit" in text
    assert "Point 1: ask about the adults" not in text
    assert "Curiosity toolkit" not in text
    # the trainer's own notes stay
    assert "Notes for Point 1" in text
    assert pack.items.count() == 8


def test_the_30_minute_session_button(trainer_client, trainer, seed):
    from themes.models import Theme

    theme = Theme.objects.get(slug="professional-curiosity")
    page = html_of(trainer_client.get(theme.get_absolute_url()))
    assert "Start a 30-minute session on this theme" in page
    response = trainer_client.post(reverse("session_packs:from_theme"), {"theme": theme.pk})
    pack = SessionPack.objects.get(owner=trainer)
    assert response["Location"] == pack.get_absolute_url()
    text = text_of(trainer_client.get(pack.get_absolute_url()))
    assert "A 30-minute session on professional curiosity" in text
    assert "Think of a family you work with:" in text
    assert "Download a 7-minute briefing on Professional curiosity" in text


def test_list_page_shows_my_packs_and_listed_packs_of_others(trainer_client, pack, other_trainer):
    SessionPack.objects.create(owner=other_trainer, title="Their private pack")
    SessionPack.objects.create(
        owner=other_trainer, title="Their listed pack", visibility=Visibility.LISTED
    )
    text = text_of(trainer_client.get(reverse("session_packs:list")))
    assert pack.title in text
    assert "Their listed pack" in text
    assert "Their private pack" not in text


def test_navigation_shows_session_packs_to_trainers_only(trainer, practitioner):
    from django.test import Client

    client, trainer_client = Client(), Client()
    trainer_client.force_login(trainer)
    trainer_home = html_of(trainer_client.get("/"))
    assert 'href="/packs/">Session packs' in trainer_home
    assert "Sign out" in trainer_home
    anonymous = html_of(client.get("/"))
    assert "Session packs" not in anonymous and "Sign out" not in anonymous
    client.force_login(practitioner)
    practitioner_home = html_of(client.get("/"))
    assert "Session packs" not in practitioner_home
    assert "Sign out" in practitioner_home


def test_a_new_pack_from_a_draft_point_is_refused(trainer_client, trainer):
    draft = PracticePointFactory(status=Status.DRAFT)
    response = trainer_client.post(
        reverse("session_packs:add"), {"add": f"practice_point:{draft.pk}"}
    )
    assert response.status_code == 404
    assert not SessionPack.objects.exists()


@pytest.mark.parametrize("theme", ["", "abc", "999999"])
def test_a_session_from_a_missing_theme_is_refused(trainer_client, theme):
    response = trainer_client.post(reverse("session_packs:from_theme"), {"theme": theme})
    assert response.status_code in (400, 404)
    assert not SessionPack.objects.exists()


def test_a_session_from_a_draft_theme_is_404(trainer_client, content):
    content["theme"].status = Status.DRAFT
    content["theme"].save()
    response = trainer_client.post(
        reverse("session_packs:from_theme"), {"theme": content["theme"].pk}
    )
    assert response.status_code == 404
    assert not SessionPack.objects.exists()
