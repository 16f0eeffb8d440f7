"""How big a session pack may be: at most ``PACK_MAX_ITEMS`` items and
``PACK_MAX_TEXT_CHARS`` characters of text (the content's own text, the trainer's notes
and what the trainer wrote). The services refuse to grow a pack past either; the
exports refuse a pack that is already past them (made before the limit, or whose
content grew), each with a message that says what to do."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from .models import ItemKind, PackItem


def max_items() -> int:
    return settings.PACK_MAX_ITEMS


def max_text() -> int:
    return settings.PACK_MAX_TEXT_CHARS


def content_text_length(item: PackItem) -> int:
    content = item.content
    if content is None:
        return 0
    if item.kind == ItemKind.PRACTICE_POINT:
        return len(content.text) + len(content.guidance)
    if item.kind == ItemKind.THEME_OVERVIEW:
        return len(content.summary) + len(content.body) + len(content.key_messages)
    if item.kind == ItemKind.RESOURCE:
        return len(content.title) + len(content.summary)
    return len(content.title) + len(content.summary)


def item_text_length(item: PackItem) -> int:
    return len(item.body) + len(item.trainer_notes) + content_text_length(item)


def too_many_items_message(count: int) -> str:
    return (
        f"A session pack can have at most {max_items()} items, and this one would have "
        f"{count}. Split the session into two packs: copy this one, then remove items from "
        "each copy."
    )


def too_much_text_message(characters: int) -> str:
    return (
        f"That would put too much text in the pack ({characters:,} characters; a pack can "
        f"hold at most {max_text():,}). Shorten your notes, or split the session into two "
        "packs."
    )


def size_problem(items: Iterable[PackItem]) -> str:
    """Why these items are too many or too long for one pack ('' when they are not)."""
    items = list(items)
    if len(items) > max_items():
        return (
            f"This pack is too big to download: it has {len(items)} items, and a pack can "
            f"have at most {max_items()}. Split it into smaller packs (copy it, then remove "
            "items from each copy) and download each one."
        )
    characters = sum(item_text_length(item) for item in items)
    if characters > max_text():
        return (
            f"This pack is too big to download: it holds {characters:,} characters of text, "
            f"and a pack can hold at most {max_text():,}. Shorten your notes or split it "
            "into smaller packs."
        )
    return ""
