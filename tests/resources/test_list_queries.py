"""The resources list fetches the change notes of its resources in one query, whatever
their number (it ran one query per resource)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.models import ChangeNote
from resources.models import Resource
from tests.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def add(n: int, start: int) -> list[Resource]:
    kind = ContentType.objects.get_for_model(Resource)
    theme = ThemeFactory._meta.model.objects.filter(slug="n-plus-one").first() or ThemeFactory(
        name="N plus one", slug="n-plus-one"
    )
    made = []
    for i in range(start, start + n):
        resource = ResourceFactory(title=f"Resource {i:03d}")
        resource.themes.add(theme)
        ChangeNote.objects.create(content_type=kind, object_id=resource.pk, major=False, note="")
        ChangeNote.objects.create(
            content_type=kind, object_id=resource.pk, major=True, note=f"Note {i:03d} older."
        )
        ChangeNote.objects.create(
            content_type=kind, object_id=resource.pk, major=True, note=f"Note {i:03d} newest."
        )
        made.append(resource)
    return made


def queries_for(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get("/resources/", {"theme": "n-plus-one"})
    assert response.status_code == 200
    return len(context), response.content.decode()


def test_the_query_count_does_not_grow_with_the_resources(client):
    add(2, 0)
    few, _ = queries_for(client)
    add(8, 2)
    many, page = queries_for(client)
    assert many == few
    # Each resource shows its own latest major note, none another's.
    for i in range(10):
        assert f"Note {i:03d} newest." in page
        assert f"Note {i:03d} older." not in page
