"""The public API for practice points and reviews: the finder's data, read-only.

Points are filtered by the finder's own FilterSet (``PracticePointFilter``) over the
finder's own base queryset (``selectors.practice_point_filterset``), so the API and the
``/practice-points/`` page give the same points in the same order."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import serializers

from content.api import AbsoluteUrlField, PublicReadOnlyViewSet, document
from resources.models import Resource

from . import selectors
from .filters import PracticePointFilter
from .models import PracticePoint, Review


class PracticePointSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug", help_text="Slugs of its published themes."
    )
    agencies = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug", help_text="Slugs of the agencies tagged."
    )
    review = serializers.SlugRelatedField(
        read_only=True,
        slug_field="slug",
        allow_null=True,
        help_text="Slug of the review the learning comes from, or null.",
    )
    resources = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of its published resources."
    )
    url = AbsoluteUrlField(help_text="The point's public page.")
    headline = serializers.CharField(
        source="heading",
        read_only=True,
        help_text="A short headline (about 90 characters) for lists; the full point is `text`.",
    )

    class Meta:
        model = PracticePoint
        fields = [
            "id",
            "headline",
            "text",
            "guidance",
            "themes",
            "agencies",
            "all_agencies",
            "review",
            "resources",
            "url",
        ]
        read_only_fields = fields


@document(
    PracticePointSerializer,
    list_description="Published practice points, filtered and ordered exactly as the "
    "practice point finder (/practice-points/) shows them.",
    detail_description="One published practice point.",
)
class PracticePointViewSet(PublicReadOnlyViewSet):
    serializer_class = PracticePointSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PracticePointFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        # The finder's base queryset: published points whose review is published or absent.
        return selectors.practice_point_filterset().queryset

    def filter_queryset(self, queryset):
        if self.action == "list":
            # Filtered and ordered by the finder's own selector (agencies meant for first,
            # then the sort: relevance when searching, else the newest review first).
            filterset = selectors.practice_point_filterset(self.request.query_params)
            if not filterset.is_valid():  # a value it does not know is a 400
                raise translate_validation(filterset.errors)
            sort = selectors.practice_point_sort(filterset, self.request.query_params.get("sort"))
            queryset = selectors.practice_point_results(filterset, sort=sort)
        else:
            queryset = queryset.with_relations()
        return queryset.prefetch_related(Prefetch("resources", queryset=Resource.objects.public()))


class OptionalUrlField(serializers.URLField):
    """A link that may be missing: null rather than an empty string, which is not a URI."""

    def to_representation(self, value):
        return value or None


class ReviewSerializer(serializers.ModelSerializer):
    learning_point_count = serializers.IntegerField(
        read_only=True, help_text="How many published practice points come from it."
    )
    source_url = OptionalUrlField(
        read_only=True,
        allow_null=True,
        help_text="The document's own address, or null when the toolkit has none.",
    )

    class Meta:
        model = Review
        fields = [
            "slug",
            "title",
            "review_type",
            "partnership",
            "published_on",
            "summary",
            "source_url",
            "learning_point_count",
        ]
        read_only_fields = fields


@document(
    ReviewSerializer,
    list_description="Published reviews and other sources of learning.",
    detail_description="One published review.",
)
class ReviewViewSet(PublicReadOnlyViewSet):
    serializer_class = ReviewSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        # An annotated (GROUP BY) query drops Meta.ordering: order as the model does.
        return selectors.review_list().order_by("title", "id")
