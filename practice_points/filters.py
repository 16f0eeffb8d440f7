"""The finder's filters: one FilterSet, shared by the HTML finder and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.utils.functional import cached_property

from content import textsearch
from themes.models import Agency, PracticeWeek, PracticeWeekDay, Theme, Weekday

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
        """The search, with the plan parsed once for the request (``search_plan``). The
        first list searched (the results) settles whether the words widen to "any of
        them"; the facet counts reuse that plan, so none of them parses or checks again."""
        settled = self._plan_used is not None
        plan = self._plan_used if settled else self.plan_as_searched
        if plan is None:
            return queryset
        found, used = textsearch.engine().search_matching(
            "practice_points", queryset, plan, widen=not settled
        )
        self._plan_used = used
        return found

    _plan_used = None

    @cached_property
    def search_plan(self):
        """What ``q`` asks for (glossary groups, likely spellings): parsed once."""
        text = self.search_text
        return textsearch.engine().search_plan(text) if text else None

    @cached_property
    def plan_as_searched(self):
        """The plan the list is searched with: the words as typed with ``exact=1``
        (parsed again with the same glossary: no query), else ``search_plan``."""
        plan = self.search_plan
        if plan is None or not self.exact_words:
            return plan
        return textsearch.engine().search_plan(plan.query, correct=False, glossary=plan.glossary)

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
        the other filters as they are: a fixed number of queries, each a count over the
        tag tables (or the points) of the points the other filters leave, taken by id.
        Themes and agencies combine with "or", so once some are chosen a further one's
        number is what the list becomes with it added (those chosen plus the points only
        it brings)."""
        counts: dict[str, dict[str, int]] = {}
        themes = dict(self.filters["theme"].queryset.values_list("pk", "slug"))
        agencies = dict(self.filters["agency"].queryset.values_list("pk", "slug"))
        counts["theme"] = self._either_counts("theme", PracticePoint.themes.through, themes)

        # An agency's number is the points meant for it (tagged with it). Choosing it
        # lists those first, then the points for every agency (counted once here).
        counts["agency"] = self._either_counts("agency", PracticePoint.agencies.through, agencies)
        counts["all_agencies"] = self.without("agency").filter(all_agencies=True).count()
        counts["day"] = self._day_counts()

        chosen = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        if not chosen.get("review") and not chosen.get("review_type"):
            # Neither chosen: both lists are the same points, counted in one query.
            both = _grouped(self.without("review"), "review__slug", "review__review_type")
            counts["review"], counts["review_type"] = {}, {}
            for (slug, review_type), n in both.items():
                counts["review"][slug] = counts["review"].get(slug, 0) + n
                counts["review_type"][review_type] = counts["review_type"].get(review_type, 0) + n
        else:
            counts["review"] = _single(_grouped(self.without("review"), "review__slug"))
            counts["review_type"] = _single(
                _grouped(self.without("review_type"), "review__review_type")
            )
        return counts

    @cached_property
    def week_themes(self) -> dict[str, set[int]]:
        """The published themes of each day of the current week, by weekday."""
        week = self.week
        if week is None:
            return {}
        rows = PracticeWeekDay.themes.through.objects.filter(
            practiceweekday__week=week, theme__in=Theme.objects.public()
        ).values_list("practiceweekday__weekday", "theme_id")
        days: dict[str, set[int]] = {}
        for weekday, theme_id in rows:
            days.setdefault(weekday, set()).add(theme_id)
        return days

    def _day_counts(self) -> dict[str, int]:
        """Points on each day's themes, every day in one query."""
        days = self.week_themes
        if not days:
            return {}
        tags = PracticePoint.themes.through.objects.filter(
            practicepoint_id__in=self.without("day").values("pk"),
            theme_id__in=set().union(*days.values()),
        )
        totals = tags.aggregate(
            **{
                weekday: Count("practicepoint_id", distinct=True, filter=Q(theme_id__in=ids))
                for weekday, ids in days.items()
            }
        )
        return {weekday: n for weekday, n in totals.items() if n}

    def _either_counts(self, name: str, through, slugs: dict[int, str]) -> dict[str, int]:
        """Counts for a filter whose choices combine with "or" (tagged with any of them),
        from the tag table ``through`` (one row per point and tag); ``slugs``: the
        choices' slugs by id (a tag not among them is not counted)."""
        others = self.without(name)
        tag = through._meta.get_field(name).attname  # theme_id / agency_id
        chosen = self._chosen_slugs(name)
        if not chosen:
            return _tag_counts(through, tag, others, slugs)
        chosen_ids = [pk for pk, slug in slugs.items() if slug in chosen]
        tagged = through.objects.filter(**{f"{tag}__in": chosen_ids}).values("practicepoint_id")
        already = others.filter(pk__in=tagged).order_by().count()
        extra = _tag_counts(through, tag, others.exclude(pk__in=tagged), slugs)
        # A choice that brings nothing more leaves the list as it is.
        counts = dict.fromkeys(slugs.values(), already)
        counts.update({slug: already + n for slug, n in extra.items()})
        counts.update(dict.fromkeys(chosen, already))
        return counts

    def _chosen_slugs(self, name: str) -> list[str]:
        if not self.is_bound:
            return []
        self.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        return [obj.slug for obj in cleaned.get(name) or []]


def _tag_counts(through, tag: str, points, slugs: dict[int, str]) -> dict[str, int]:
    """How many of ``points`` carry each tag, in one query over the tag table (a point
    has a tag once, so its rows need no DISTINCT)."""
    rows = (
        through.objects.filter(practicepoint_id__in=points.values("pk"))
        .order_by()
        .values(tag)
        .annotate(n=Count("practicepoint_id"))
    )
    return {slugs[row[tag]]: row["n"] for row in rows if row[tag] in slugs}


def _grouped(queryset, *fields: str) -> dict:
    """Count the points of ``queryset`` per value of ``fields`` (of the point or its
    review), in one query; points without a value are left out. The points are taken by
    id, so nothing the filters joined can repeat or narrow them."""
    rows = (
        PracticePoint.objects.filter(pk__in=queryset.values("pk"))
        .filter(**{f"{field}__isnull": False for field in fields})
        .order_by()
        .values(*fields)
        .annotate(n=Count("id"))
    )
    return {tuple(row[field] for field in fields): row["n"] for row in rows}


def _single(counts: dict) -> dict:
    return {key[0]: n for key, n in counts.items()}
