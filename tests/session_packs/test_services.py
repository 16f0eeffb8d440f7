"""The services: every write validated, positions always 1..n in order."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.models import Status
from practice_points.models import PracticePoint
from session_packs import services
from session_packs.models import ItemKind, SessionPack, Visibility
from tests.factories import PracticePointFactory, ReviewFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db


def order(pack) -> list[tuple[int, str]]:
    return list(pack.items.order_by("position").values_list("position", "kind"))


def ids(pack) -> list[int]:
    return list(pack.items.order_by("position").values_list("pk", flat=True))


def positions(pack) -> list[int]:
    return list(pack.items.order_by("position").values_list("position", flat=True))


def test_pack_create_validates_before_saving(trainer):
    with pytest.raises(ValidationError) as error:
        services.pack_create(owner=trainer, title="Short", duration_minutes=3)
    assert "duration_minutes" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.pack_create(owner=trainer, title="   ")
    assert not SessionPack.objects.exists()


def test_pack_create_tidies_the_objectives(trainer):
    pack = services.pack_create(owner=trainer, title="T", learning_objectives="  One \n\n Two  \n")
    assert pack.objective_list == ["One", "Two"]


def test_items_are_added_at_the_end(pack):
    assert positions(pack) == list(range(1, 9))
    assert [kind for _, kind in order(pack)][:2] == [
        ItemKind.THEME_OVERVIEW,
        ItemKind.PRACTICE_POINT,
    ]


def test_only_published_content_can_be_added(pack):
    draft = PracticePointFactory(status=Status.DRAFT)
    from_draft_review = PracticePointFactory(review=ReviewFactory(status=Status.DRAFT))
    for point in (draft, from_draft_review):
        with pytest.raises(ValidationError, match="Only published content"):
            services.pack_add_item(pack, kind=ItemKind.PRACTICE_POINT, content=point)
    assert pack.items.count() == 8


def test_the_same_content_is_not_added_twice(pack, content):
    with pytest.raises(ValidationError, match="already in"):
        services.pack_add_item(pack, kind=ItemKind.PRACTICE_POINT, content=content["points"][0])


def test_content_must_match_the_kind(pack, content):
    with pytest.raises(ValidationError):
        services.pack_add_item(pack, kind=ItemKind.RESOURCE, content=content["points"][0])
    with pytest.raises(ValidationError):
        services.pack_add_item(pack, kind=ItemKind.PRACTICE_POINT)
    with pytest.raises(ValidationError):
        services.pack_add_item(
            pack, kind=ItemKind.FACILITATOR_NOTE, body="x", content=content["theme"]
        )


def test_a_note_needs_its_text(pack):
    with pytest.raises(ValidationError):
        services.pack_add_item(pack, kind=ItemKind.FACILITATOR_NOTE, body="   ")
    note = services.pack_add_item(pack, kind=ItemKind.FACILITATOR_NOTE, body=" Welcome. ")
    assert note.body == "Welcome."
    assert note.position == 9


def test_moving_an_item_up_and_down(pack):
    before = ids(pack)
    item = pack.items.get(position=3)
    services.pack_move_item(item, "up")
    assert ids(pack) == [before[0], before[2], before[1], *before[3:]]
    services.pack_move_item(item, "down")
    assert ids(pack) == before


def test_moving_past_either_end_changes_nothing(pack):
    before = ids(pack)
    services.pack_move_item(pack.items.get(position=1), "up")
    services.pack_move_item(pack.items.get(position=8), "down")
    assert ids(pack) == before
    with pytest.raises(ValidationError):
        services.pack_move_item(pack.items.get(position=2), "sideways")


def test_reorder_puts_every_item_where_it_is_asked(pack):
    wanted = list(reversed(ids(pack)))
    services.pack_reorder(pack, wanted)
    assert ids(pack) == wanted
    assert positions(pack) == list(range(1, 9))


@pytest.mark.parametrize(
    "change",
    [
        lambda order: order[:-1],  # an item left out
        lambda order: order + [order[0]],  # an item twice
        lambda order: order[:-1] + [999_999],  # another pack's (or no) item
        lambda order: [],
    ],
)
def test_reorder_refuses_anything_but_the_items_of_the_pack(pack, change):
    before = ids(pack)
    with pytest.raises(ValidationError):
        services.pack_reorder(pack, change(before))
    assert ids(pack) == before


def test_removing_an_item_closes_the_gap(pack):
    before = ids(pack)
    services.pack_remove_item(pack.items.get(position=4))
    assert ids(pack) == before[:3] + before[4:]
    assert positions(pack) == list(range(1, 8))


def test_updating_notes_and_minutes(pack):
    point_item = pack.items.get(position=2)
    services.pack_update_item_notes(
        point_item, trainer_notes=" Ask the room. ", minutes=7, body="ignored"
    )
    point_item.refresh_from_db()
    assert (point_item.trainer_notes, point_item.minutes, point_item.body) == (
        "Ask the room.",
        7,
        "",
    )
    question = pack.items.get(kind=ItemKind.REFLECTIVE_QUESTION)
    services.pack_update_item_notes(question, trainer_notes="", minutes=None, body="Who else?")
    question.refresh_from_db()
    # no minutes given: the default for a question, so every item counts in the time
    assert (question.body, question.minutes) == ("Who else?", 5)
    with pytest.raises(ValidationError):
        services.pack_update_item_notes(question, trainer_notes="", body="  ")
    with pytest.raises(ValidationError):
        services.pack_update_item_notes(question, trainer_notes="", minutes=0)


def test_duplicating_my_pack_copies_every_item_in_order(pack, trainer):
    copy = services.pack_duplicate(pack, trainer)
    assert copy.pk != pack.pk and copy.owner == trainer
    assert copy.title == f"Copy of {pack.title}"
    assert copy.visibility == Visibility.PRIVATE
    assert copy.share_token != pack.share_token
    fields = (
        "kind",
        "practice_point_id",
        "resource_id",
        "theme_id",
        "review_id",
        "body",
        "trainer_notes",
        "minutes",
    )
    assert list(copy.items.order_by("position").values_list(*fields)) == list(
        pack.items.order_by("position").values_list(*fields)
    )


def test_another_trainer_can_duplicate_a_listed_pack_but_not_a_private_one(pack, other_trainer):
    for visibility in (Visibility.PRIVATE, Visibility.SHARED):
        pack.visibility = visibility
        pack.save()
        with pytest.raises(ValidationError):
            services.pack_duplicate(pack, other_trainer)
    pack.visibility = Visibility.LISTED
    pack.save()
    copy = services.pack_duplicate(pack, other_trainer)
    assert copy.owner == other_trainer
    assert copy.items.count() == pack.items.count()


def test_a_30_minute_session_on_professional_curiosity(seed, trainer):
    theme = Theme.objects.get(slug="professional-curiosity")
    pack = services.pack_create_from_theme(theme, trainer)
    items = list(pack.items.order_by("position"))
    kinds = [item.kind for item in items]

    assert pack.title == "A 30-minute session on professional curiosity"
    assert pack.duration_minutes == 30
    assert pack.owner == trainer and pack.visibility == Visibility.PRIVATE
    assert items[0].kind == ItemKind.THEME_OVERVIEW and items[0].theme == theme
    points = [item.practice_point for item in items if item.kind == ItemKind.PRACTICE_POINT]
    assert 1 <= len(points) <= services.THEME_SESSION_POINTS
    for point in points:
        assert point.is_public()
        assert theme in point.themes.all()
    questions = [item.body for item in items if item.kind == ItemKind.REFLECTIVE_QUESTION]
    assert len(questions) == 2
    assert questions[0].startswith("Think of a family you work with:")
    assert "professional curiosity" in questions[0]
    resources = [item.resource for item in items if item.kind == ItemKind.RESOURCE]
    assert resources and all(theme in r.themes.all() for r in resources)
    # overview, then points, then questions, then resources
    assert kinds == sorted(
        kinds,
        key=[
            ItemKind.THEME_OVERVIEW,
            ItemKind.PRACTICE_POINT,
            ItemKind.REFLECTIVE_QUESTION,
            ItemKind.RESOURCE,
        ].index,
    )
    assert sum(item.minutes or 0 for item in items) <= 30


def test_a_session_leaves_out_drafts_and_points_of_unpublished_reviews(trainer, content):
    theme = content["theme"]
    PracticePointFactory(themes=[theme], status=Status.DRAFT, text="Draft point.")
    PracticePointFactory(
        themes=[theme], review=ReviewFactory(status=Status.DRAFT), text="Unpublished review."
    )
    pack = services.pack_create_from_theme(theme, trainer, minutes=45)
    texts = [i.practice_point.text for i in pack.items.filter(kind=ItemKind.PRACTICE_POINT)]
    assert sorted(texts) == sorted(p.text for p in content["points"])
    assert pack.duration_minutes == 45


def test_a_draft_theme_cannot_start_a_session(trainer, content):
    content["theme"].status = Status.DRAFT
    content["theme"].save()
    with pytest.raises(ValidationError):
        services.pack_create_from_theme(content["theme"], trainer)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(["up", "down", "remove", "add"]), st.integers(0, 20)),
        max_size=15,
    )
)
def test_any_sequence_of_changes_keeps_positions_1_to_n(trainer, moves):
    pack = services.pack_create(owner=trainer, title="Property")
    expected: list[int] = []
    for _ in range(4):
        expected.append(services.pack_add_item(pack, kind=ItemKind.FACILITATOR_NOTE, body="n").pk)
    for action, index in moves:
        if action == "add":
            expected.append(
                services.pack_add_item(pack, kind=ItemKind.FACILITATOR_NOTE, body="n").pk
            )
            continue
        if not expected:
            continue
        index %= len(expected)
        item = pack.items.get(pk=expected[index])
        if action == "remove":
            services.pack_remove_item(item)
            expected.pop(index)
        elif action == "up" and index > 0:
            services.pack_move_item(item, "up")
            expected[index - 1], expected[index] = expected[index], expected[index - 1]
        elif action == "down" and index < len(expected) - 1:
            services.pack_move_item(item, "down")
            expected[index + 1], expected[index] = expected[index], expected[index + 1]
        else:
            services.pack_move_item(item, action if action != "remove" else "up")
    assert ids(pack) == expected
    assert positions(pack) == list(range(1, len(expected) + 1))


def test_practice_points_exist_in_the_seed(seed):
    assert PracticePoint.objects.published().filter(themes__slug="professional-curiosity").exists()
