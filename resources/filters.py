import django_filters
from django import forms
from django.db.models import Q

from practice_points.search import clean_query, query_words
from themes.models import Theme

from .models import Resource, ResourceType, Scope


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search resources", max_length=500)
    resource_type = django_filters.MultipleChoiceFilter(
        choices=ResourceType.choices, label="Type", widget=forms.CheckboxSelectMultiple
    )
    scope = django_filters.ChoiceFilter(
        choices=Scope.choices, label="Scope", empty_label="Local and national"
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        queryset=Theme.objects.published(),
        to_field_name="slug",
        field_name="themes",
        label="Theme",
        distinct=True,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        fields = ["q", "resource_type", "scope", "theme"]

    def filter_q(self, queryset, name, value):
        for word in query_words(clean_query(value)):
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(publisher__icontains=word)
            )
        return queryset
