"""What can be searched, and what each kind of content puts in the index.

Every kind has three weighted parts: A (what it is called or says first) > B (its
guidance or summary) > C (the rest). A practice point: A its text, B how to enhance
practice, C the names of its themes and agencies and the title of its review.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db.models import QuerySet


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
    from practice_points.models import PracticePoint, Review
    from themes.models import Agency, Theme

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


PRACTICE_POINTS = Kind(
    key="practice_points",
    label="practice point",
    label_plural="practice points",
    model_label="practice_points.PracticePoint",
    fts_table="search_fts_practicepoint",
    fields={"a": ("text",), "b": ("guidance",), "c": ()},
    title_field="text",
    summary_fields=("text", "guidance"),
)
THEMES = Kind(
    key="themes",
    label="theme",
    label_plural="themes",
    model_label="themes.Theme",
    fts_table="search_fts_theme",
    fields={"a": ("name",), "b": ("summary", "key_messages"), "c": ("body",)},
    title_field="name",
    summary_fields=("summary", "key_messages", "body"),
)
REVIEWS = Kind(
    key="reviews",
    label="review",
    label_plural="reviews",
    model_label="practice_points.Review",
    fts_table="search_fts_review",
    fields={"a": ("title",), "b": ("summary",), "c": ("partnership",)},
    title_field="title",
    summary_fields=("summary",),
)
RESOURCES = Kind(
    key="resources",
    label="resource",
    label_plural="resources",
    model_label="resources.Resource",
    fts_table="search_fts_resource",
    fields={"a": ("title",), "b": ("summary",), "c": ("publisher",)},
    title_field="title",
    summary_fields=("summary", "publisher"),
)

KINDS: dict[str, Kind] = {kind.key: kind for kind in (PRACTICE_POINTS, THEMES, REVIEWS, RESOURCES)}


def kind_for_model(model) -> Kind | None:
    label = model._meta.label
    return next((kind for kind in KINDS.values() if kind.model_label == label), None)
