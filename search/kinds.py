"""What can be searched, and what each kind of content puts in the index: read from the
content registry (``content/registry.py``: each type's ``SearchSpec``), never listed here.

Every kind has three weighted parts: A (what it is called or says first) > B (its
guidance or summary) > C (the rest). A practice point: A its text, B how to enhance
practice, C the names of its themes and agencies and the title of its review.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db.models import QuerySet

from content import registry
from practice_points.models import PracticePoint, Review
from themes.models import Agency, Theme


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    label_plural: str
    model_label: str
    fts_table: str
    # model fields that make each part, for kinds without a stored vector
    fields: dict[str, tuple[str, ...]]
    title_field: str
    summary_fields: tuple[str, ...]

    @cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def published(self) -> QuerySet:
        """What anyone may see of this kind (the model's ``public()``)."""
        return self.model.objects.public()

    def part_sql(self, part: str, vendor: str) -> str:
        """The SQL text of one weighted part, over the row aliased ``d``."""
        if self.key == "practice_points" and part == "c":
            return points_context_sql(vendor)
        columns = self.fields[part]
        return " || ' ' || ".join(f"COALESCE(d.{column}, '')" for column in columns) or "''"


def points_context_sql(vendor: str) -> str:
    """The names of a point's published themes and its agencies, and its review's title
    (a point whose review is not published is hidden anyway). A draft theme's name finds
    nothing: publishing or unpublishing a theme rewrites its points."""
    join = "string_agg" if vendor == "postgresql" else "group_concat"
    themes_through = PracticePoint.themes.through._meta.db_table
    agencies_through = PracticePoint.agencies.through._meta.db_table
    return (
        f"COALESCE((SELECT {join}(t.name, ' ') FROM {Theme._meta.db_table} t "  # noqa: S608
        f"JOIN {themes_through} x ON x.theme_id = t.id "
        f"WHERE x.practicepoint_id = d.id AND t.status = 'published'), '')"
        f" || ' ' || "
        f"COALESCE((SELECT {join}(a.name, ' ') FROM {Agency._meta.db_table} a "
        f"JOIN {agencies_through} y ON y.agency_id = a.id WHERE y.practicepoint_id = d.id), '')"
        f" || ' ' || "
        f"COALESCE((SELECT r.title FROM {Review._meta.db_table} r WHERE r.id = d.review_id), '')"
    )


def _kind(entry: registry.ContentType) -> Kind:
    """The search's view of a registered type: its ``SearchSpec`` and its model."""
    names = set(Kind.__dataclass_fields__) - {"model_label"}
    return Kind(model_label=entry.label, **{name: getattr(entry.search, name) for name in names})


class _Kinds(Mapping):
    """``KINDS``: key -> Kind for every registered type with a ``SearchSpec``, in the order
    of their sections on the search page (``SearchSpec.position``). Built on first use,
    once the models (and so the registry) are loaded."""

    @cached_property
    def _kinds(self) -> dict[str, Kind]:
        entries = sorted(registry.searchable(), key=lambda entry: entry.search.position)
        return {entry.search.key: _kind(entry) for entry in entries}

    def __getitem__(self, key: str) -> Kind:
        return self._kinds[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)


KINDS: Mapping[str, Kind] = _Kinds()


def kind_for_model(model) -> Kind | None:
    label = model._meta.label
    return next((kind for kind in KINDS.values() if kind.model_label == label), None)
