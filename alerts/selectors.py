"""Reads: what's new (the latest major changes to public items)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from .models import ChangeNote

WHATS_NEW_LIMIT = 50


@dataclass
class Change:
    note: ChangeNote
    item: object

    @property
    def kind(self) -> str:
        return str(self.item._meta.verbose_name).capitalize()


def _public_items(notes: list[ChangeNote]) -> dict[tuple[int, int], object]:
    """The public items of ``notes``, by (content type id, object id): one query per kind."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for note in notes:
        wanted[note.content_type_id].add(note.object_id)
    found = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        manager = model._default_manager
        queryset = manager.public() if hasattr(manager, "public") else manager.none()
        if hasattr(queryset, "with_relations"):
            queryset = queryset.select_related("review")
        for item in queryset.filter(pk__in=ids):
            found[(type_id, item.pk)] = item
    return found


def whats_new(limit: int = WHATS_NEW_LIMIT) -> list[Change]:
    """The latest major changes to items that are public now, newest first."""
    changes: list[Change] = []
    offset = 0
    batch = limit * 2
    while len(changes) < limit:
        notes = list(
            ChangeNote.objects.major().order_by("-created_at", "-id")[offset : offset + batch]
        )
        if not notes:
            break
        items = _public_items(notes)
        for note in notes:
            item = items.get((note.content_type_id, note.object_id))
            if item is not None:
                changes.append(Change(note, item))
        offset += batch
    return changes[:limit]
