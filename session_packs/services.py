"""Writes to session packs: each service is atomic and validates (full_clean) before it
saves. Positions are always 1..n in order; every change renumbers through
``_renumber`` so the (pack, position) unique constraint holds at every statement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from content import registry
from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import Agency, Theme

from . import limits
from .models import (
    CONTENT_FIELDS,
    DEFAULT_MINUTES,
    TRAINER_GROUP,
    WRITTEN_KINDS,
    ItemKind,
    PackItem,
    SessionPack,
    Visibility,
    new_share_token,
)

Content = PracticePoint | Resource | Theme | Review
Direction = Literal["up", "down"]

# How many of a theme's practice points a session made from the theme starts with.
THEME_SESSION_POINTS = 6
THEME_SESSION_RESOURCES = 6
NEW_PACK_TITLE = "New session pack"


def content_model(kind: str) -> type | None:
    """The model a pack item of ``kind`` shows (the content registry's ``pack_kind``)."""
    return registry.pack_kinds().get(kind)


def kind_for_content(content: Content) -> str:
    """The pack item kind ``content`` is added as (the content registry's ``pack_kind``)."""
    kind = registry.get(content).pack_kind if registry.is_registered(type(content)) else None
    if kind is None:
        raise ValidationError("That cannot be added to a session pack.")
    return kind


def content_is_public(content: Content) -> bool:
    return content.is_public()


def _lock(pack: SessionPack) -> SessionPack:
    """Serialise writes to one pack's items (a row lock where the database has them)."""
    return SessionPack.objects.select_for_update().get(pk=pack.pk)


def _touch(pack: SessionPack) -> None:
    pack.save(update_fields=["updated_at"])


def _renumber(pack: SessionPack, ordered_ids: Sequence[int]) -> None:
    """Give the items ``ordered_ids`` positions 1..n. First every item moves above the
    current range, then each takes its place, so no two ever share a position."""
    items = pack.items.all()
    top = (items.aggregate(top=Max("position"))["top"] or 0) + len(ordered_ids) + 1
    items.update(position=F("position") + top)
    by_id = {item.pk: item for item in pack.items.all()}
    changed = []
    for position, item_id in enumerate(ordered_ids, start=1):
        item = by_id[item_id]
        item.position = position
        changed.append(item)
    PackItem.objects.bulk_update(changed, ["position"])


def _item_ids(pack: SessionPack) -> list[int]:
    return list(pack.items.order_by("position").values_list("pk", flat=True))


def _check_size(pack: SessionPack, *, adding: PackItem | None = None, changed=None) -> None:
    """Refuse a change that takes the pack past its size limits (see limits.py)."""
    items = list(pack.items.with_content())
    if adding is not None:
        if len(items) + 1 > limits.max_items():
            raise ValidationError(limits.too_many_items_message(len(items) + 1))
        items.append(adding)
    if changed is not None:
        items = [changed if item.pk == changed.pk else item for item in items]
    characters = sum(limits.item_text_length(item) for item in items)
    if characters > limits.max_text():
        raise ValidationError(limits.too_much_text_message(characters))


def _clean_lines(text: str) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


@transaction.atomic
def pack_create(
    *,
    owner,
    title: str,
    audience: str = "",
    duration_minutes: int = 60,
    learning_objectives: str = "",
    visibility: str = Visibility.PRIVATE,
    audience_agencies: Iterable[Agency] = (),
) -> SessionPack:
    pack = SessionPack(
        owner=owner,
        title=(title or "").strip(),
        audience=(audience or "").strip(),
        duration_minutes=duration_minutes,
        learning_objectives=_clean_lines(learning_objectives),
        visibility=visibility,
    )
    pack.full_clean()
    pack.save()
    pack.audience_agencies.set(list(audience_agencies))
    return pack


@transaction.atomic
def pack_update(
    pack: SessionPack,
    *,
    title: str,
    audience: str = "",
    duration_minutes: int,
    learning_objectives: str = "",
    visibility: str,
    audience_agencies: Iterable[Agency] = (),
) -> SessionPack:
    # As stored: a model form has already changed the instance it was given.
    was_shared = SessionPack.objects.filter(pk=pack.pk, visibility=Visibility.SHARED).exists()
    pack.title = (title or "").strip()
    pack.audience = (audience or "").strip()
    pack.duration_minutes = duration_minutes
    pack.learning_objectives = _clean_lines(learning_objectives)
    pack.visibility = visibility
    if was_shared and not pack.is_shared_by_link:
        # The old link dies for good: sharing again later gives a new one.
        pack.share_token = new_share_token()
    pack.full_clean()
    pack.save()
    pack.audience_agencies.set(list(audience_agencies))
    return pack


@transaction.atomic
def pack_new_share_link(pack: SessionPack) -> SessionPack:
    """A new shared link for the pack: the old one stops working at once."""
    pack = _lock(pack)
    pack.share_token = new_share_token()
    pack.save(update_fields=["share_token", "updated_at"])
    return pack


@transaction.atomic
def pack_delete(pack: SessionPack) -> None:
    pack.delete()


def _find_existing(pack: SessionPack, kind: str, content: Content | None) -> PackItem | None:
    if content is None:
        return None
    field = CONTENT_FIELDS[kind]
    return pack.items.filter(kind=kind, **{field: content}).first()


@transaction.atomic
def pack_add_item(
    pack: SessionPack,
    *,
    kind: str,
    content: Content | None = None,
    body: str = "",
    trainer_notes: str = "",
    minutes: int | None = None,
) -> PackItem:
    """Add an item at the end of the pack. Content must be published (and not already
    in the pack); a note, question or activity needs its text."""
    if kind not in ItemKind.values:
        raise ValidationError({"kind": "Choose what kind of item to add."})
    if kind in CONTENT_FIELDS:
        if content is None or kind_for_content(content) != kind:
            raise ValidationError("Choose the content to add.")
        if not content_is_public(content):
            raise ValidationError("Only published content can be added to a session pack.")
    elif content is not None:
        raise ValidationError("A note, question or activity does not refer to any content.")
    pack = _lock(pack)
    if _find_existing(pack, kind, content) is not None:
        raise ValidationError(f"This {ItemKind(kind).label.lower()} is already in ‘{pack.title}’.")
    position = (pack.items.aggregate(top=Max("position"))["top"] or 0) + 1
    item = PackItem(
        pack=pack,
        position=position,
        kind=kind,
        body=(body or "").strip() if kind in WRITTEN_KINDS else "",
        trainer_notes=(trainer_notes or "").strip(),
        minutes=minutes if minutes is not None else DEFAULT_MINUTES[kind],
    )
    if content is not None:
        setattr(item, CONTENT_FIELDS[kind], content)
    item.full_clean()
    _check_size(pack, adding=item)
    item.save()
    _touch(pack)
    return item


@transaction.atomic
def pack_create_with_content(owner, content: Content) -> SessionPack:
    """A new pack holding ``content`` ("Add to pack", "Start a new pack"), titled after
    a theme, or with a title for the trainer to change."""
    kind = kind_for_content(content)
    title = (
        f"A session on {phrase(content.name)}"
        if kind == ItemKind.THEME_OVERVIEW
        else NEW_PACK_TITLE
    )
    pack = pack_create(owner=owner, title=title)
    pack_add_item(pack, kind=kind, content=content)
    return pack


@transaction.atomic
def pack_move_item(item: PackItem, direction: Direction) -> None:
    """Move an item one place up or down (nothing happens at either end)."""
    if direction not in ("up", "down"):
        raise ValidationError("Move an item up or down.")
    pack = _lock(item.pack)
    ids = _item_ids(pack)
    index = ids.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    _renumber(pack, ids)
    _touch(pack)


@transaction.atomic
def pack_reorder(pack: SessionPack, ordered_ids: Sequence[int]) -> None:
    """Put the pack's items in the order given: every item, once."""
    pack = _lock(pack)
    current = _item_ids(pack)
    ordered = [int(item_id) for item_id in ordered_ids]
    if sorted(ordered) != sorted(current) or len(set(ordered)) != len(ordered):
        raise ValidationError("The new order must list every item in the pack once.")
    if ordered != current:
        _renumber(pack, ordered)
        _touch(pack)


UNDO_FIELDS = (
    "kind",
    "practice_point_id",
    "resource_id",
    "theme_id",
    "review_id",
    "body",
    "trainer_notes",
    "minutes",
    "position",
)


@transaction.atomic
def pack_remove_item(item: PackItem) -> dict:
    """Take an item out of its pack. Returns what ``pack_restore_item`` needs to put
    it back where it was, with its notes and minutes."""
    pack = _lock(item.pack)
    snapshot = {name: getattr(item, name) for name in UNDO_FIELDS}
    snapshot["heading"] = item.heading
    item.delete()
    _renumber(pack, _item_ids(pack))
    _touch(pack)
    return snapshot


@transaction.atomic
def pack_restore_item(pack: SessionPack, snapshot: dict) -> PackItem:
    """Undo a removal: the item back at its old position (or the end, if the pack is
    shorter now), with its notes and minutes."""
    pack = _lock(pack)
    try:
        values = {name: snapshot[name] for name in UNDO_FIELDS}
        position = int(values.pop("position"))
    except (KeyError, TypeError, ValueError):
        raise ValidationError("There is nothing to undo.") from None
    kind = values["kind"]
    field = CONTENT_FIELDS.get(kind)
    if field and pack.items.filter(kind=kind, **{f"{field}_id": values[f"{field}_id"]}).exists():
        raise ValidationError("That item is already back in the pack.")
    top = (pack.items.aggregate(top=Max("position"))["top"] or 0) + 1
    item = PackItem(pack=pack, position=top, **values)
    item.full_clean()
    _check_size(pack, adding=item)
    item.save()
    ids = [pk for pk in _item_ids(pack) if pk != item.pk]
    ids.insert(min(max(position, 1), len(ids) + 1) - 1, item.pk)
    _renumber(pack, ids)
    _touch(pack)
    item.refresh_from_db()
    return item


@transaction.atomic
def pack_update_item_notes(
    item: PackItem,
    *,
    trainer_notes: str = "",
    minutes: int | None = None,
    body: str | None = None,
) -> PackItem:
    """Change the trainer's notes and the minutes; for a note, question or activity,
    its text too."""
    item.trainer_notes = (trainer_notes or "").strip()
    item.minutes = minutes if minutes is not None else DEFAULT_MINUTES[item.kind]
    if body is not None and item.kind in WRITTEN_KINDS:
        item.body = body.strip()
    item.full_clean()
    _check_size(_lock(item.pack), changed=item)
    item.save(update_fields=["trainer_notes", "minutes", "body"])
    _touch(item.pack)
    return item


@transaction.atomic
def pack_duplicate(pack: SessionPack, user) -> SessionPack:
    """A private copy of the trainer's own pack, or of one listed for all trainers,
    with every item (withdrawn content included, so nothing is silently lost)."""
    if pack.owner_id != user.pk and pack.visibility != Visibility.LISTED:
        raise ValidationError("You can only copy your own packs or packs listed for trainers.")
    title = f"Copy of {pack.title}"[: SessionPack._meta.get_field("title").max_length]
    copy = pack_create(
        owner=user,
        title=title,
        audience=pack.audience,
        duration_minutes=pack.duration_minutes,
        learning_objectives=pack.learning_objectives,
        visibility=Visibility.PRIVATE,
        audience_agencies=pack.audience_agencies.all(),
    )
    items = [
        PackItem(
            pack=copy,
            position=position,
            kind=item.kind,
            practice_point_id=item.practice_point_id,
            resource_id=item.resource_id,
            theme_id=item.theme_id,
            review_id=item.review_id,
            body=item.body,
            trainer_notes=item.trainer_notes,
            minutes=item.minutes,
        )
        for position, item in enumerate(pack.items.order_by("position"), start=1)
    ]
    for item in items:
        item.full_clean(exclude=["pack"])
    PackItem.objects.bulk_create(items)
    return copy


def trainer_invite(*, email: str, first_name: str, last_name: str, invited_by, site_url: str):
    """A new trainer account, invited by email: the person sets their own password
    through a one-time link (Django's password reset tokens: the link stops working
    once used, or after PASSWORD_RESET_TIMEOUT). Nobody else ever knows the password."""

    user_model = get_user_model()
    email = user_model.objects.normalize_email((email or "").strip()).lower()
    if not email:
        raise ValidationError({"email": "Enter the trainer’s email address"})
    if user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError({"email": "There is already an account with this email address"})
    with transaction.atomic():
        user = user_model(
            username=email,
            email=email,
            first_name=(first_name or "").strip(),
            last_name=(last_name or "").strip(),
            is_staff=False,
            is_active=True,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        group, _ = Group.objects.get_or_create(name=TRAINER_GROUP)
        user.groups.add(group)
    path = reverse(
        "session_packs:welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": site_url.rstrip("/") + path,
        "days": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400)),
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "site_name": settings.SITE_NAME,
        "partnership": settings.PARTNERSHIP_NAME,
    }
    send_mail(
        render_to_string("session_packs/email/trainer_invite_subject.txt", context).strip(),
        render_to_string("session_packs/email/trainer_invite.txt", context),
        None,
        [email],
    )
    return user


def phrase(name: str) -> str:
    """'Professional curiosity' -> 'professional curiosity'; acronyms ('WNB') stay."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def theme_reflective_questions(theme: Theme) -> list[str]:
    """Two questions for a group to discuss, written from the theme."""
    name = phrase(theme.name)
    questions = [
        f"Think of a family you work with: where does {name} matter in your work with "
        "them, and what will you do differently after today?"
    ]
    messages = theme.key_message_list
    if messages:
        questions.append(
            f"‘{messages[0]}’ What gets in the way of this in your team, and what would help?"
        )
    else:
        questions.append(
            f"What would help you and your team to get {name} right for the children you work with?"
        )
    return questions


def theme_session_points(theme: Theme, limit: int = THEME_SESSION_POINTS):
    """A theme's key practice points: published, from published reviews (or none),
    those for every agency first."""
    return (
        PracticePoint.objects.public()
        .filter(themes=theme)
        .select_related("review")
        .order_by("-all_agencies", "review__title", "position", "id")[:limit]
    )


def theme_session_resources(theme: Theme, limit: int = THEME_SESSION_RESOURCES):
    return Resource.objects.public().filter(themes=theme).order_by("scope", "title")[:limit]


@transaction.atomic
def pack_create_from_theme(theme: Theme, user, minutes: int = 30) -> SessionPack:
    """A ready-made session on one theme for the trainer to edit: the theme's overview,
    its key practice points, two reflective questions and its resources, with the time
    shared out so it fits in ``minutes``."""
    if not content_is_public(theme):
        raise ValidationError("Only a published theme can start a session.")
    name = phrase(theme.name)
    points = list(theme_session_points(theme))
    resources = list(theme_session_resources(theme))
    questions = theme_reflective_questions(theme)
    pack = pack_create(
        owner=user,
        title=f"A {minutes}-minute session on {name}",
        audience="Practitioners from all agencies",
        duration_minutes=minutes,
        learning_objectives="\n".join(
            [
                f"Understand what reviews have found about {name} and why it matters",
                f"Apply the key practice points on {name} to your own work",
                "Know where to find the guidance and resources",
            ]
        ),
    )
    overview_minutes = max(2, minutes // 6)
    question_minutes = max(2, minutes // 6)
    # Each resource takes a minute (pointing people to it); the points share the rest.
    left = minutes - overview_minutes - question_minutes * len(questions) - len(resources)
    point_minutes = max(1, left // len(points)) if points else None
    pack_add_item(
        pack,
        kind=ItemKind.THEME_OVERVIEW,
        content=theme,
        minutes=overview_minutes,
        trainer_notes=f"Introduce {name}: what it is and why reviews keep finding it.",
    )
    for point in points:
        pack_add_item(pack, kind=ItemKind.PRACTICE_POINT, content=point, minutes=point_minutes)
    for question in questions:
        pack_add_item(
            pack,
            kind=ItemKind.REFLECTIVE_QUESTION,
            body=question,
            minutes=question_minutes,
            trainer_notes="Give people a minute to think alone, then discuss in pairs.",
        )
    for resource in resources:
        pack_add_item(pack, kind=ItemKind.RESOURCE, content=resource, minutes=1)
    return pack
