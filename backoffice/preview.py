"""Staff preview: any item (draft, in review, archived or published) exactly as its public
page would show it, under a banner saying what the public can see.

Only staff signed in to the admin with the view permission on that kind of content see a
preview; everyone else gets a 404, so an unpublished item never reveals that it exists.
Previews are private (never cached) and never indexed.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from content import registry
from content.models import Status

BANNER_TEXT = {
    Status.DRAFT: "this is a draft",
    Status.IN_REVIEW: "this item is in review",
    Status.ARCHIVED: "this item is archived",
}
# Published, yet not public: a point whose review is not published.
NOT_PUBLIC_TEXT = "this item is published, but what it comes from is not"


def _previewable(key: str) -> registry.ContentType | None:
    """The registered type whose preview is at /preview/<key>/ (content/registry.py)."""
    return next((entry for entry in registry.previewable() if entry.preview.key == key), None)


def preview_url(obj: models.Model) -> str | None:
    """The staff preview of ``obj``, if its kind has one."""
    if not registry.is_registered(type(obj)) or obj.pk is None:
        return None
    spec = registry.get(obj).preview
    if spec is None:
        return None
    return reverse("preview:detail", kwargs={"kind": spec.key, "pk": obj.pk})


def user_can_preview(request: HttpRequest, model: type[models.Model]) -> bool:
    """Staff signed in to the admin (as the admin site requires: active, staff, and
    whatever else it asks of a session) with the view permission on ``model``."""
    meta = model._meta
    return admin.site.has_permission(request) and request.user.has_perm(
        f"{meta.app_label}.view_{meta.model_name}"
    )


def preview(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = _previewable(kind)
    if entry is None or not user_can_preview(request, entry.model):
        raise Http404("No such page.")
    obj = get_object_or_404(entry.preview.items(entry.model), pk=pk)
    context = entry.preview.get_context(obj)
    context.update(
        {
            "preview_template": entry.preview.template,
            "preview_object": obj,
            "preview_is_public": obj.is_public(),
            "preview_status_text": BANNER_TEXT.get(obj.status, NOT_PUBLIC_TEXT),
            "preview_admin_url": reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
            ),
        }
    )
    response = render(request, "backoffice/preview.html", context)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
