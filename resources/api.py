"""The public API for resources, read-only, filtered by the resource list's FilterSet."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from content.api import PublicReadOnlyViewSet, document
from themes.models import Theme

from .filters import ResourceFilter
from .models import Resource


class ResourceSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug", help_text="Slugs of its published themes."
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "url",
            "resource_type",
            "scope",
            "publisher",
            "published_on",
            "themes",
        ]
        read_only_fields = fields


@document(
    ResourceSerializer,
    list_description="Published resources (procedures, briefings, training, national "
    "reports ...), filtered as the resources page filters them.",
    detail_description="One published resource.",
)
class ResourceViewSet(PublicReadOnlyViewSet):
    serializer_class = ResourceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResourceFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return (
            Resource.objects.public()
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.public()))
            .order_by("title", "id")
        )
