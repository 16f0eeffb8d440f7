"""The API's practice points and themes, with what this app knows of them: ``recurrence``
on both, ``updated`` and ``change_note`` on points. The subject apps' serializers and
viewsets are extended here (a subject app never imports a feature); the shell's router
(``reviews_toolkit.api_urls``) registers these. Every field comes from annotations or one
query per page: the number of queries stays fixed whatever the page size."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content.api import document
from practice_points import api as points_api
from practice_points.models import PracticePoint
from themes import api as themes_api

from .models import ChangeNote
from .recurrence import ThemeRecurrence, recurrence_annotation, theme_recurrence_map


def _notes(**kwargs):
    meta = PracticePoint._meta  # joined in the subquery: no content-type lookup first
    return ChangeNote.objects.filter(
        content_type__app_label=meta.app_label,
        content_type__model=meta.model_name,
        object_id=OuterRef("pk"),
        **kwargs,
    ).order_by("-created_at", "-id")


def with_alert_fields(points):
    return points.annotate(
        recurrence=recurrence_annotation(),
        updated=Coalesce(Subquery(_notes().values("created_at")[:1]), "published_at"),
        change_note=Subquery(_notes(major=True).values("note")[:1]),
    )


class PracticePointSerializer(points_api.PracticePointSerializer):
    recurrence = serializers.IntegerField(
        read_only=True,
        help_text="How many published points from other reviews say much the same "
        "(similar learning): how often this learning recurs.",
    )
    updated = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a change to the point was last published (its first publication "
        "if none since).",
    )
    change_note = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The note of its latest major change (new learning or changed guidance), "
        "or null.",
    )

    class Meta(points_api.PracticePointSerializer.Meta):
        fields = [
            *points_api.PracticePointSerializer.Meta.fields,
            "recurrence",
            "updated",
            "change_note",
        ]
        read_only_fields = fields


@document(
    PracticePointSerializer,
    list_description="Published practice points, filtered and ordered exactly as the "
    "practice point finder (/practice-points/) shows them.",
    detail_description="One published practice point.",
)
class PracticePointViewSet(points_api.PracticePointViewSet):
    serializer_class = PracticePointSerializer

    def filter_queryset(self, queryset):
        return with_alert_fields(super().filter_queryset(queryset))


class RecurrenceSerializer(serializers.Serializer):
    reviews = serializers.IntegerField(help_text="Published reviews raising it.")
    local = serializers.IntegerField(help_text="Of which local reviews.")
    national = serializers.IntegerField(help_text="Of which national reviews and reports.")
    first_year = serializers.IntegerField(allow_null=True, help_text="The earliest year.")
    last_year = serializers.IntegerField(allow_null=True, help_text="The latest year.")


class ThemeSerializer(themes_api.ThemeSerializer):
    recurrence = serializers.SerializerMethodField(
        help_text="How often the theme's learning recurs: the published reviews with "
        "published points on it, local and national, from the first year to the last."
    )

    class Meta(themes_api.ThemeSerializer.Meta):
        fields = [*themes_api.ThemeSerializer.Meta.fields, "recurrence"]
        read_only_fields = fields

    @extend_schema_field(RecurrenceSerializer)
    def get_recurrence(self, theme) -> dict:
        found = self.context.get("theme_recurrence")
        if found is None:
            found = theme_recurrence_map([theme.pk])
        return found.get(theme.pk, ThemeRecurrence()).as_api()


@document(
    ThemeSerializer,
    list_description="Published themes: perennial practice challenges, topics and emerging "
    "priorities.",
    detail_description="One published theme.",
)
class ThemeViewSet(themes_api.ThemeViewSet):
    serializer_class = ThemeSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["theme_recurrence"] = theme_recurrence_map()  # one query, every theme
        return context
