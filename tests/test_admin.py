from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from content.models import Status
from practice_points.models import PracticePoint, Review
from tests.factories import PracticePointFactory

pytestmark = pytest.mark.django_db


def admin_urls():
    superuser = RequestFactory().get("/admin/")
    superuser.user = SimpleNamespace(
        is_active=True, is_staff=True, is_superuser=True, has_perm=lambda *args: True
    )
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield model, reverse("admin:{}_{}_changelist".format(*info))
        # Read-only admins (e.g. session packs, for oversight) have no add page.
        if model_admin.has_add_permission(superuser):
            yield model, reverse("admin:{}_{}_add".format(*info))


@pytest.mark.parametrize("model,url", list(admin_urls()), ids=lambda v: str(v))
def test_every_admin_page_loads_for_staff(seed, staff_client, model, url):
    response = staff_client.get(url)
    assert response.status_code == 200


def test_change_pages_load_with_inlines(seed, staff_client):
    review = Review.objects.get(slug="child-d")
    response = staff_client.get(reverse("admin:practice_points_review_change", args=[review.pk]))
    assert response.status_code == 200
    assert review.practice_points.first().slug in response.content.decode()
    point = PracticePoint.objects.first()
    response = staff_client.get(
        reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    )
    assert response.status_code == 200


def test_changelist_filters_and_search(seed, staff_client):
    url = reverse("admin:practice_points_practicepoint_changelist")
    response = staff_client.get(url, {"q": "Was Not Brought", "status__exact": "published"})
    assert response.status_code == 200
    assert (
        "Was Not Brought" in response.content.decode()
        or "was not brought" in response.content.decode().lower()
    )


def test_bulk_publish_and_unpublish(staff_client):
    drafts = [PracticePointFactory(status=Status.DRAFT) for _ in range(3)]
    url = reverse("admin:practice_points_practicepoint_changelist")
    ids = [str(p.pk) for p in drafts]
    response = staff_client.post(
        url, {"action": "publish_selected", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert PracticePoint.objects.filter(pk__in=ids, status=Status.PUBLISHED).count() == 3
    assert all(p.published_at for p in PracticePoint.objects.filter(pk__in=ids))
    staff_client.post(url, {"action": "unpublish_selected", "_selected_action": ids[:1]})
    assert PracticePoint.objects.get(pk=ids[0]).status == Status.DRAFT


def test_the_admin_refuses_anonymous_and_non_staff_users(client, django_user_model):
    url = reverse("admin:practice_points_practicepoint_changelist")
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = django_user_model.objects.create_user("practitioner", password="a-long-test-password")
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
