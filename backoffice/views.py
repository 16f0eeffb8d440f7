"""Staff pages of the back office, inside the admin."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from reviews_toolkit.content import today

from .roles import WORKFLOW_MODELS


def due_for_review_items(user) -> list[dict]:
    """Every workflow item ``user`` may view whose "review by" date has come, oldest
    first, with its admin page."""
    items = []
    for app_label, model_name in WORKFLOW_MODELS:
        if not user.has_perm(f"{app_label}.view_{model_name}"):
            continue
        model = apps.get_model(app_label, model_name)
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
