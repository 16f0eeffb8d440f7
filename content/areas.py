"""Scope by area: every review and resource names the area it comes from ("Hampshire",
"Leeds", "Leicester, Leicestershire and Rutland", ...) or "National". The partnership's
own area is a setting (``PARTNERSHIP_AREA``, from ``TOOLKIT_PARTNERSHIP_AREA``); content
from any other area is labelled as such, and another area's procedure is shown as
"Another area's procedure: check your own"."""

from __future__ import annotations

from django.conf import settings

NATIONAL = "National"
ANOTHER_AREAS_PROCEDURE = "Another area's procedure: check your own"


def _norm(area: str) -> str:
    return " ".join((area or "").replace("&", "and").split()).casefold()


def own_area() -> str:
    return settings.PARTNERSHIP_AREA


def is_national(area: str) -> bool:
    return _norm(area) == _norm(NATIONAL)


def is_own_area(area: str) -> bool:
    return bool(area) and _norm(area) == _norm(own_area())


def area_kind(area: str) -> str:
    """``national``, ``own`` (the partnership's area), ``other`` (another area) or
    ``unknown`` (no area given)."""
    if not (area or "").strip():
        return "unknown"
    if is_national(area):
        return "national"
    return "own" if is_own_area(area) else "other"


def area_label(area: str, *, procedure: bool = False) -> str:
    """What a reader is told about where an item comes from."""
    kind = area_kind(area)
    if kind == "national":
        return NATIONAL
    if kind == "unknown":
        return "Area not recorded"
    if kind == "own":
        return f"{area} (our area)"
    if procedure:
        return f"{ANOTHER_AREAS_PROCEDURE} ({area})"
    return f"From another area: {area}"
