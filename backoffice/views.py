"""Staff pages of the back office, inside the admin."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from content import registry
from content.models import Status, today
from practice_points.models import PracticePoint

from . import linkcheck
from .duplicates import NEAR, likely_duplicate_points


def due_for_review_items(user) -> list[dict]:
    """Every workflow item ``user`` may view whose "review by" date has come, oldest
    first, with its admin page."""
    items = []
    for model in registry.workflow_models():
        app_label, model_name = model._meta.app_label, model._meta.model_name
        if not user.has_perm(f"{app_label}.view_{model_name}"):
            continue
        for obj in model.objects.due_for_review():
            items.append(
                {
                    "object": obj,
                    "kind": model._meta.verbose_name.capitalize(),
                    "status": obj.get_status_display(),
                    "review_by": obj.review_by,
                    "last_reviewed": obj.last_reviewed,
                    "admin_url": reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]),
                }
            )
    items.sort(key=lambda item: (item["review_by"], item["kind"], str(item["object"])))
    return items


def due_for_review(request: HttpRequest) -> HttpResponse:
    items = due_for_review_items(request.user)
    context = {
        **admin.site.each_context(request),
        "title": "Due for review",
        "items": items,
        "today": today(),
    }
    return render(request, "backoffice/due_for_review.html", context)


def not_direct_links(request: HttpRequest) -> HttpResponse:
    """Resources and reviews whose link lands on a site's home page or on a site that is
    not the publisher's: those not labelled "publisher's website" first."""
    if not (
        request.user.has_perm("resources.view_resource")
        and request.user.has_perm("practice_points.view_review")
    ):
        raise PermissionDenied
    links = linkcheck.not_direct_links()
    context = {
        **admin.site.each_context(request),
        "title": "Not a direct link",
        "attention": [link for link in links if not link.labelled],
        "labelled": [link for link in links if link.labelled],
    }
    return render(request, "backoffice/not_direct_links.html", context)


def likely_duplicates(request: HttpRequest) -> HttpResponse:
    """Practice points with the same or nearly the same text as another point."""
    if not request.user.has_perm("practice_points.view_practicepoint"):
        raise PermissionDenied
    pairs = likely_duplicate_points(PracticePoint.objects.exclude(status=Status.ARCHIVED))
    context = {
        **admin.site.each_context(request),
        "title": "Likely duplicates",
        "pairs": pairs,
        "near_percent": round(NEAR * 100),
    }
    return render(request, "backoffice/likely_duplicates.html", context)
