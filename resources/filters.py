import django_filters
from django import forms
from django.db.models import QuerySet

from content import areas, textsearch
from themes.models import Theme

from .models import Resource, ResourceType, Scope
from .selectors import resources_on_themes


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search resources",
        max_length=500,
        help_text="Words to look for in the title, summary and publisher (most relevant first).",
    )
    resource_type = django_filters.MultipleChoiceFilter(
        choices=ResourceType.choices,
        label="Type",
        widget=forms.CheckboxSelectMultiple,
        help_text="Type of resource; repeat for several (resources of any of them).",
    )
    scope = django_filters.ChoiceFilter(
        choices=Scope.choices,
        label="Scope",
        empty_label="Local and national",
        help_text="local or national.",
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        queryset=Theme.objects.public(),
        to_field_name="slug",
        method="filter_theme",
        label="Theme",
        widget=forms.CheckboxSelectMultiple,
        help_text="Theme slug; repeat for several (resources with any of them).",
    )

    class Meta:
        model = Resource
        fields = ["q", "resource_type", "scope", "theme"]

    def filter_theme(self, queryset, name, value: QuerySet[Theme]):
        return queryset.filter(themes__in=value).distinct() if value else queryset

    def filter_q(self, queryset, name, value):
        """The search service: ranked by relevance (title > summary > publisher)."""
        return textsearch.engine().search_resources(queryset, value)


class PublicResourceFilter(ResourceFilter):
    """The resources page's filters: also where a resource comes from (the
    partnership's own area, national, or another area's)."""

    area = django_filters.ChoiceFilter(
        choices=(("own", "Our area"), ("national", "National"), ("other", "Other areas")),
        method="filter_area",
        label="Where from",
        empty_label="Anywhere",
        help_text="own (the partnership's area), national, or other (another area's).",
    )

    class Meta(ResourceFilter.Meta):
        fields = ["q", "resource_type", "area", "scope", "theme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].extra["choices"] = (
            ("own", f"{areas.own_area()} (our area)"),
            ("national", "National"),
            ("other", "Other areas"),
        )

    def filter_theme(self, queryset, name, value: QuerySet[Theme]):
        """On the page, a theme finds what its theme page lists ("See all N resources on
        this theme"): those tagged with it and those on its public practice points. The
        API keeps its contract (tagged with it: the theme is in each result's themes)."""
        return resources_on_themes(queryset, value) if value else queryset

    def filter_area(self, queryset, name, value):
        if value == "national":
            return queryset.filter(scope=Scope.NATIONAL)
        own = [
            pk
            for pk, area in queryset.exclude(scope=Scope.NATIONAL).values_list("pk", "area")
            if areas.is_own_area(area)
        ]
        if value == "own":
            return queryset.filter(pk__in=own)
        if value == "other":
            return queryset.exclude(scope=Scope.NATIONAL).exclude(pk__in=own)
        return queryset
