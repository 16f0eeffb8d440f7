"""Reads for session packs: which packs a user may open or change, a pack's items with
their content, and the user's packs for the "Add to pack" forms (loaded once a request)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from .access import is_trainer
from .models import CONTENT_FIELDS, WRITTEN_KINDS, ItemKind, PackItem, SessionPack

_TRAINER_PACKS = "_session_packs_trainer_packs"


def pack_for_owner(user, pk: int) -> SessionPack:
    """The user's own pack, or 404 (other people's packs, private or listed, are never
    changed by anyone but their owner)."""
    return get_object_or_404(SessionPack.objects.owned_by(user), pk=pk)


def pack_for_viewer(user, pk: int) -> SessionPack:
    """A pack the trainer may open: their own, or one listed for all trainers. A private
    pack is 404 to everyone else, whoever guesses its id."""
    return get_object_or_404(SessionPack.objects.visible_to(user).select_related("owner"), pk=pk)


def pack_for_token(token: str) -> SessionPack:
    """The pack behind a shared link, while it is shared by link (404 otherwise)."""
    return get_object_or_404(SessionPack.objects.shared(token))


def pack_items(pack: SessionPack) -> list[PackItem]:
    return list(pack.items.with_content().order_by("position"))


def pack_list_for(user) -> dict[str, QuerySet[SessionPack]]:
    counted = SessionPack.objects.annotate(item_count=Count("items")).prefetch_related(
        "audience_agencies"
    )
    return {
        "mine": counted.owned_by(user).order_by("-updated_at", "-id"),
        "listed": counted.listed()
        .exclude(owner=user)
        .select_related("owner")
        .order_by("title", "id"),
    }


@dataclass
class PackChoice:
    """One of the trainer's packs, as the "Add to pack" form offers it."""

    pk: int
    title: str
    url: str
    contents: set[tuple[str, int]] = field(default_factory=set)


def trainer_packs(request) -> list[PackChoice]:
    """The signed-in trainer's packs, newest first, each with the content it holds:
    two queries the first time a request asks, none after, none for anyone else."""
    if not is_trainer(request):
        return []
    cached = getattr(request, _TRAINER_PACKS, None)
    if cached is None:
        user = request.user
        packs = SessionPack.objects.owned_by(user).order_by("-updated_at", "-id").only("title")
        choices = {
            pack.pk: PackChoice(pack.pk, pack.title, pack.get_absolute_url()) for pack in packs
        }
        rows = (
            PackItem.objects.filter(pack__owner=user)
            .exclude(kind__in=WRITTEN_KINDS)
            .values_list("pack_id", "kind", *[f"{name}_id" for name in CONTENT_FIELDS.values()])
        )
        for pack_id, kind, *content_ids in rows:
            content_id = next((pk for pk in content_ids if pk is not None), None)
            if pack_id in choices and content_id is not None:
                choices[pack_id].contents.add((kind, content_id))
        cached = list(choices.values())
        setattr(request, _TRAINER_PACKS, cached)
    return cached


def single_theme(pack: SessionPack, items: list[PackItem] | None = None):
    """The theme a pack is about, when it is about exactly one: it has that theme's
    overview and no other theme's. None otherwise."""
    items = items if items is not None else pack_items(pack)
    themes = {item.theme_id: item.theme for item in items if item.kind == ItemKind.THEME_OVERVIEW}
    if len(themes) != 1:
        return None
    return next(iter(themes.values()))
