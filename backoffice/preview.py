"""Staff preview: any item (draft, in review, archived or published) exactly as its public
page would show it, under a banner saying what the public can see.

Only staff signed in to the admin with the view permission on that kind of content see a
preview; everyone else gets a 404, so an unpublished item never reveals that it exists.
Previews are private (never cached) and never indexed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from practice_points import selectors as point_selectors
from practice_points.models import PracticePoint, Review
from practice_points.views import practice_point_detail_context, review_detail_context
from resources.models import Resource
from reviews_toolkit.content import Status, today
from reviews_toolkit.views import home_context
from search.views import glossary_context
from themes.models import GlossaryTerm, PracticeWeek, Theme
from themes.views import theme_detail_context


@dataclass(frozen=True)
class PreviewKind:
    model: type[models.Model]
    template: str  # the public page's template
    queryset: Callable[[], models.QuerySet]
    context: Callable[[models.Model], dict]


def _resource_context(resource: Resource) -> dict:
    return {"nav_section": "resources", "resource": resource}


KINDS: dict[str, PreviewKind] = {
    "theme": PreviewKind(
        Theme, "themes/theme_detail.html", Theme.objects.all, theme_detail_context
    ),
    "practice-point": PreviewKind(
        PracticePoint,
        "practice_points/detail.html",
        lambda: point_selectors.practice_point_detail_queryset(published_only=False),
        practice_point_detail_context,
    ),
    "review": PreviewKind(
        Review,
        "practice_points/review_detail.html",
        lambda: point_selectors.review_list(published_only=False),
        review_detail_context,
    ),
    "resource": PreviewKind(
        Resource,
        "backoffice/preview_resource.html",
        lambda: Resource.objects.prefetch_related(
            Prefetch("themes", queryset=Theme.objects.published())
        ),
        _resource_context,
    ),
    "practice-week": PreviewKind(
        PracticeWeek,
        "home.html",
        PracticeWeek.objects.all,
        lambda week: home_context(week, today()),
    ),
    "glossary": PreviewKind(
        GlossaryTerm,
        "search/glossary.html",
        GlossaryTerm.objects.all,
        lambda term: glossary_context([term]),
    ),
}
KIND_OF_MODEL = {kind.model: key for key, kind in KINDS.items()}

BANNER_TEXT = {
    Status.DRAFT: "this is a draft",
    Status.IN_REVIEW: "this item is in review",
    Status.ARCHIVED: "this item is archived",
}


def preview_url(obj: models.Model) -> str | None:
    """The staff preview of ``obj``, if its kind has one."""
    key = KIND_OF_MODEL.get(type(obj))
    if key is None or obj.pk is None:
        return None
    return reverse("preview:detail", kwargs={"kind": key, "pk": obj.pk})


def user_can_preview(request: HttpRequest, model: type[models.Model]) -> bool:
    """Staff signed in to the admin (as the admin site requires: active, staff, and
    whatever else it asks of a session) with the view permission on ``model``."""
    meta = model._meta
    return admin.site.has_permission(request) and request.user.has_perm(
        f"{meta.app_label}.view_{meta.model_name}"
    )


def preview(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    kind_spec = KINDS.get(kind)
    if kind_spec is None or not user_can_preview(request, kind_spec.model):
        raise Http404("No such page.")
    obj = get_object_or_404(kind_spec.queryset(), pk=pk)
    context = kind_spec.context(obj)
    context.update(
        {
            "preview_template": kind_spec.template,
            "preview_object": obj,
            "preview_is_public": obj.status == Status.PUBLISHED,
            "preview_status_text": BANNER_TEXT.get(obj.status, ""),
            "preview_admin_url": reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
            ),
        }
    )
    response = render(request, "backoffice/preview.html", context)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
