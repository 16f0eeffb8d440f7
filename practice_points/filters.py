"""The finder's filters: one FilterSet, shared by the HTML finder and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.utils.functional import cached_property

from content import textsearch
from themes.models import Agency, PracticeWeek, Theme, Weekday

from .models import PracticePoint, Review, ReviewType


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable ``?theme=a&theme=b``, matched on slug; an unknown slug is an error
    naming it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class PracticePointFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=500,
        help_text="Words to look for in the learning, its guidance, themes and source.",
    )
    theme = SlugMultipleChoiceFilter(
        queryset=Theme.objects.public(),
        method="filter_theme",
        label="Theme",
        help_text="Theme slug; repeat for several themes (points with any of them).",
    )
    agency = SlugMultipleChoiceFilter(
        queryset=Agency.objects.all(),
        method="filter_agency",
        label="Agency",
        help_text="Agency slug; repeat for several. Points for all agencies are included.",
    )
    day = django_filters.ChoiceFilter(
        choices=Weekday.choices,
        method="filter_day",
        label="Day of the practice week",
        empty_label="Any day",
        help_text="monday..friday: points on the themes of that day of the current "
        "Safeguarding Practice Week.",
    )
    review = django_filters.ModelChoiceFilter(
        queryset=Review.objects.public(),
        to_field_name="slug",
        field_name="review",
        label="Source review",
        empty_label="Any review",
        help_text="Review slug.",
    )
    review_type = django_filters.ChoiceFilter(
        choices=ReviewType.choices,
        field_name="review__review_type",
        label="Type of review",
        empty_label="Any type",
        help_text="The kind of review the learning comes from.",
    )

    class Meta:
        model = PracticePoint
        fields = ["q", "theme", "agency", "day", "review", "review_type"]

    def filter_q(self, queryset, name, value):
        search = textsearch.engine()  # the search app's (content/textsearch.py)
        if self.exact_words:
            value = search.search_plan(value, correct=False)
        return search.search_practice_points(queryset, value)

    @property
    def exact_words(self) -> bool:
        """``exact=1``: search for the words as typed, not their likely spellings."""
        return bool(self.data) and self.data.get("exact") == "1"

    def filter_theme(self, queryset, name, value: QuerySet[Theme]):
        if not value:
            return queryset
        return queryset.for_theme(*[theme.slug for theme in value])

    def filter_agency(self, queryset, name, value: QuerySet[Agency]):
        if not value:
            return queryset
        return queryset.for_agency(*[agency.slug for agency in value])

    def filter_day(self, queryset, name, value):
        return (
            queryset.for_day(value, week=self.week)
            if value and self.week
            else (queryset.none() if value else queryset)
        )

    @property
    def search_text(self) -> str:
        if self.is_bound and self.form.is_valid():
            return textsearch.engine().clean_query(self.form.cleaned_data.get("q"))
        return textsearch.engine().clean_query(self.data.get("q") if self.data else "")

    @property
    def chosen_agency_slugs(self) -> list[str]:
        """The valid agencies chosen (unknown slugs are left out, as the filter does)."""
        return self._chosen_slugs("agency")

    @cached_property
    def week(self) -> PracticeWeek | None:
        return PracticeWeek.objects.current()

    def without(self, name: str):
        """The points the other filters give, leaving ``name`` out (for "how many would
        each choice give"), reusing the values already validated."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.is_valid()  # invalid values are left out of cleaned_data
        for field, value in self.form.cleaned_data.items():
            if field != name:
                queryset = self.filters[field].filter(queryset, value)
        return queryset

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each filter with choices, how many points each choice would give with
        the other filters as they are: a fixed number of queries. Themes and agencies
        combine with "or", so once some are chosen a further one's number is what the
        list becomes with it added (those chosen plus the points only it brings)."""
        counts: dict[str, dict[str, int]] = {}

        counts["theme"] = self._either_counts("theme", "themes__slug", themes__status="published")

        # An agency's number is the points meant for it (tagged with it). Choosing it
        # lists those first, then the points for every agency (counted once here).
        counts["agency"] = self._either_counts("agency", "agencies__slug")
        counts["all_agencies"] = self.without("agency").filter(all_agencies=True).count()

        week = self.week
        days = self.without("day")
        counts["day"] = (
            _grouped(
                days,
                "themes__practice_days__weekday",
                themes__practice_days__week=week,
                themes__status="published",
            )
            if week
            else {}
        )
        counts["review"] = _grouped(self.without("review"), "review__slug")
        counts["review_type"] = _grouped(self.without("review_type"), "review__review_type")
        return counts

    def _either_counts(self, name: str, field: str, **conditions) -> dict[str, int]:
        """Counts for a filter whose choices combine with "or" (tagged with any of them)."""
        others = self.without(name)
        chosen = self._chosen_slugs(name)
        if not chosen:
            return _grouped(others, field, **conditions)
        tagged = {f"{field}__in": chosen}
        already = (
            PracticePoint.objects.filter(pk__in=others.values("pk"))
            .filter(**tagged)
            .distinct()
            .count()
        )
        extra = _grouped(others.exclude(**tagged), field, **conditions)
        # A choice that brings nothing more leaves the list as it is.
        counts = dict.fromkeys(self.filters[name].queryset.values_list("slug", flat=True), already)
        counts.update({slug: already + n for slug, n in extra.items()})
        counts.update(dict.fromkeys(chosen, already))
        return counts

    def _chosen_slugs(self, name: str) -> list[str]:
        if not self.is_bound:
            return []
        self.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        return [obj.slug for obj in cleaned.get(name) or []]


def _grouped(queryset, field: str, **conditions) -> dict[str, int]:
    """Count the points of ``queryset`` per value of ``field``, in one query. The points
    are taken by id, so the joins made by the filters cannot narrow the grouping."""
    # The conditions and "has a value" go in one filter(), so that they describe the same
    # related row: a separate ``~Q(field__isnull=True)`` would exclude every point that
    # has any related row without a value (a theme that is on no day of the week).
    rows = (
        PracticePoint.objects.filter(pk__in=queryset.values("pk"))
        .filter(**conditions, **{f"{field}__isnull": False})
        .order_by()
        .values(field)
        .annotate(n=Count("id", distinct=True))
    )
    return {row[field]: row["n"] for row in rows}
