"""The database keeps packs and items consistent, whatever writes to it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from content.models import Status
from session_packs.models import ItemKind, PackItem, SessionPack, Visibility
from tests.factories import PracticePointFactory, ResourceFactory, ThemeFactory

from .support import make_user

pytestmark = pytest.mark.django_db


def raw_item(pack, **fields):
    defaults = {"pack": pack, "position": 1, "kind": ItemKind.FACILITATOR_NOTE, "body": "x"}
    return PackItem(**{**defaults, **fields})


@pytest.fixture
def bare_pack(trainer):
    return SessionPack.objects.create(owner=trainer, title="A pack", duration_minutes=30)


def test_new_packs_are_private_with_an_unguessable_share_token(trainer):
    first = SessionPack.objects.create(owner=trainer, title="One")
    second = SessionPack.objects.create(owner=trainer, title="Two")
    assert first.visibility == Visibility.PRIVATE
    assert len(first.share_token) == 32  # secrets.token_urlsafe(24): 192 random bits
    assert first.share_token != second.share_token


@pytest.mark.parametrize("minutes", [0, 4, 481, 1000])
def test_the_database_refuses_a_duration_outside_5_to_480_minutes(trainer, minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPack.objects.create(
            owner=trainer, title="Too short or long", duration_minutes=minutes
        )


@pytest.mark.parametrize("minutes", [5, 480])
def test_durations_at_the_limits_are_kept(trainer, minutes):
    assert SessionPack.objects.create(owner=trainer, title="Edge", duration_minutes=minutes).pk


def test_share_tokens_are_unique(trainer):
    pack = SessionPack.objects.create(owner=trainer, title="One")
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPack.objects.create(owner=trainer, title="Two", share_token=pack.share_token)


@pytest.mark.parametrize(
    "fields",
    [
        # a practice point item without its point
        {"kind": ItemKind.PRACTICE_POINT, "body": ""},
        # a note with no text
        {"kind": ItemKind.FACILITATOR_NOTE, "body": ""},
        {"kind": ItemKind.REFLECTIVE_QUESTION, "body": ""},
        {"kind": ItemKind.TIMED_ACTIVITY, "body": ""},
        # an unknown kind
        {"kind": "slideshow", "body": "x"},
    ],
)
def test_the_database_refuses_items_whose_content_does_not_match_their_kind(bare_pack, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_item(bare_pack, **fields).save()


def test_an_item_refers_to_the_content_its_kind_names_and_nothing_else(bare_pack):
    point, resource = PracticePointFactory(), ResourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_item(bare_pack, kind=ItemKind.PRACTICE_POINT, resource=resource).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_item(
            bare_pack, kind=ItemKind.PRACTICE_POINT, practice_point=point, resource=resource
        ).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_item(bare_pack, kind=ItemKind.FACILITATOR_NOTE, body="x", practice_point=point).save()
    raw_item(bare_pack, kind=ItemKind.PRACTICE_POINT, practice_point=point, body="").save()


def test_full_clean_explains_a_mismatched_item(bare_pack):
    with pytest.raises(ValidationError) as error:
        raw_item(bare_pack, kind=ItemKind.PRACTICE_POINT, body="").full_clean()
    assert "practice_point" in error.value.message_dict


def test_two_items_never_share_a_position(bare_pack):
    raw_item(bare_pack, position=1).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_item(bare_pack, position=1).save()


def test_content_in_a_pack_cannot_be_deleted_only_archived(bare_pack):
    """Content is archived, never deleted: a pack keeps pointing at it."""
    from django.db.models import ProtectedError

    theme = ThemeFactory()
    raw_item(bare_pack, kind=ItemKind.THEME_OVERVIEW, theme=theme, body="").save()
    with pytest.raises(ProtectedError):
        theme.delete()
    theme.status = Status.ARCHIVED
    theme.save()
    item = bare_pack.items.get()
    assert item.is_withdrawn
    assert item.withdrawn_message == "This theme has been withdrawn from the toolkit"


def test_a_point_from_an_unpublished_review_counts_as_withdrawn(bare_pack):
    point = PracticePointFactory()
    item = raw_item(bare_pack, kind=ItemKind.PRACTICE_POINT, practice_point=point, body="")
    item.save()
    assert not item.is_withdrawn
    point.review.status = Status.DRAFT
    point.review.save()
    item.refresh_from_db()
    assert item.is_withdrawn


def test_deleting_a_trainer_deletes_their_packs():
    user = make_user("leaving")
    SessionPack.objects.create(owner=user, title="Mine")
    user.delete()
    assert not SessionPack.objects.exists()
