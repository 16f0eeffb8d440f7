"""The public API for themes and agencies, read-only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content.api import PublicReadOnlyViewSet, document

from .models import Agency, PracticeWeek, PracticeWeekDay, Theme, Weekday
from .selectors import theme_list


def theme_days_of_current_week() -> dict[int, list[str]]:
    """Theme id -> the weekdays (``monday`` ...) of the current practice week in which
    the theme appears, in weekday order: two queries whatever the number of themes."""
    week = PracticeWeek.objects.current()
    if week is None:
        return {}
    days: dict[int, list[str]] = {}
    rows = (
        PracticeWeekDay.objects.filter(week=week, themes__isnull=False)
        .order_by("weekday_order")
        .values_list("themes", "weekday")
    )
    for theme_id, weekday in rows:
        days.setdefault(theme_id, []).append(weekday)
    return days


class ThemeSerializer(serializers.ModelSerializer):
    days = serializers.SerializerMethodField(
        help_text="The days (monday..friday) of the current Safeguarding Practice Week "
        "that have this theme."
    )
    practice_point_count = serializers.IntegerField(
        read_only=True, help_text="How many published practice points have this theme."
    )

    class Meta:
        model = Theme
        fields = ["slug", "name", "kind", "summary", "days", "practice_point_count"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Weekday.choices)))
    def get_days(self, theme) -> list[str]:
        return self.context["theme_days"].get(theme.pk, [])


@document(
    ThemeSerializer,
    list_description="Published themes: perennial practice challenges, topics and emerging "
    "priorities.",
    detail_description="One published theme.",
)
class ThemeViewSet(PublicReadOnlyViewSet):
    serializer_class = ThemeSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        # An annotated (GROUP BY) query drops Meta.ordering: order as the model does.
        return theme_list().order_by("position", "name", "id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):  # not while building the schema
            context["theme_days"] = theme_days_of_current_week()
        return context


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["slug", "name"]
        read_only_fields = fields


@document(
    AgencySerializer,
    list_description="The agencies and sectors practice points are tagged with.",
    detail_description="One agency.",
)
class AgencyViewSet(PublicReadOnlyViewSet):
    serializer_class = AgencySerializer
    queryset = Agency.objects.all()
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
