"""Trainers' session packs: thin views over the selectors, services and exports.

Who sees what:
- anonymous: the sign-in page (a redirect), except the shared-link pages;
- signed in but not a trainer: 403 with a page saying so;
- a trainer: their own packs (to edit) and packs listed for all trainers (read only,
  to copy); anyone else's private pack is 404, however its id is guessed;
- anyone with a shared link, while the pack is shared by link: read only, and exports.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from themes.models import Theme

from . import export_jobs, exports, limits, renderers, services
from .access import is_trainer, private, trainer_required
from .forms import ItemNotesForm, PackForm, WrittenItemForm
from .models import CONTENT_FIELDS, ItemKind, SessionPack, Visibility
from .selectors import (
    pack_for_owner,
    pack_for_token,
    pack_for_viewer,
    pack_items,
    pack_list_for,
    single_theme,
)

logger = logging.getLogger(__name__)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Lists, create, edit, delete -----------------------------------------------------


@require_GET
@trainer_required
def pack_list(request):
    packs = pack_list_for(request.user)
    return render(
        request,
        "session_packs/pack_list.html",
        {"nav_section": "packs", "mine": packs["mine"], "listed": packs["listed"]},
    )


@require_http_methods(["GET", "POST"])
@trainer_required
def pack_new(request):
    form = PackForm(request.POST or None, initial={"visibility": Visibility.PRIVATE})
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.pack_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Pack ‘{pack.title}’ created. Now add items to it.")
            return redirect(pack)
    return render(
        request,
        "session_packs/pack_form.html",
        {"nav_section": "packs", "form": form, "pack": None},
    )


@require_http_methods(["GET", "POST"])
@trainer_required
def pack_edit(request, pk: int):
    pack = pack_for_owner(request.user, pk)
    form = PackForm(request.POST or None, instance=pack)
    next_url = _safe_next(request, pack.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            services.pack_update(pack, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Pack details saved.")
            return redirect(next_url)
    if request.method == "POST":
        pack.refresh_from_db()
    return render(
        request,
        "session_packs/pack_form.html",
        {"nav_section": "packs", "form": form, "pack": pack, "next": next_url},
    )


@require_http_methods(["GET", "POST"])
@trainer_required
def pack_delete(request, pk: int):
    pack = pack_for_owner(request.user, pk)
    if request.method == "POST":
        title = pack.title
        services.pack_delete(pack)
        messages.success(request, f"Pack ‘{title}’ deleted.")
        return redirect("session_packs:list")
    return render(
        request, "session_packs/pack_confirm_delete.html", {"nav_section": "packs", "pack": pack}
    )


@require_POST
@trainer_required
def pack_new_link(request, pk: int):
    pack = services.pack_new_share_link(pack_for_owner(request.user, pk))
    messages.success(request, "A new link is ready. The old link no longer works.")
    return redirect(f"{pack.get_absolute_url()}#share-link")


@require_POST
@trainer_required
def pack_duplicate(request, pk: int):
    pack = pack_for_viewer(request.user, pk)
    copy = services.pack_duplicate(pack, request.user)
    messages.success(request, f"This is your copy of ‘{pack.title}’. Change it as you like.")
    return redirect(copy)


# --- The pack page -------------------------------------------------------------------


def _notes_form(item, data=None) -> ItemNotesForm:
    initial = {"trainer_notes": item.trainer_notes, "minutes": item.minutes, "body": item.body}
    return ItemNotesForm(data, initial=initial, item=item, prefix=f"item-{item.pk}")


def _detail_context(request, pack: SessionPack, *, can_edit: bool, shared: bool = False, **extra):
    items = pack_items(pack)
    if can_edit:
        for item in items:
            item.notes_form = _notes_form(item)
    total = sum(item.minutes or 0 for item in items)
    if shared:
        export_base = reverse("session_packs:shared", kwargs={"token": pack.share_token})
    else:
        export_base = pack.get_absolute_url()
    context = {
        "nav_section": "packs",
        "pack": pack,
        "items": items,
        "total_minutes": total,
        "over_by": max(0, total - pack.duration_minutes),
        "can_edit": can_edit,
        "shared_view": shared,
        "briefing_theme": single_theme(pack, items),
        "export_links": renderers.pack_export_links(),
        "export_base": export_base,
        "share_url": request.build_absolute_uri(pack.get_shared_url())
        if can_edit and pack.visibility == Visibility.SHARED
        else "",
        "note_form": WrittenItemForm(),
        "undo": (request.session.get(_undo_key(pack)) or {}).get("heading", "") if can_edit else "",
    }
    context.update(extra)
    return context


@require_GET
@trainer_required
def pack_detail(request, pk: int):
    pack = pack_for_viewer(request.user, pk)
    can_edit = pack.owner_id == request.user.pk
    return render(
        request, "session_packs/pack_detail.html", _detail_context(request, pack, can_edit=can_edit)
    )


@require_GET
def shared_pack(request, token: str):
    pack = pack_for_token(token)
    response = render(
        request,
        "session_packs/pack_detail.html",
        _detail_context(request, pack, can_edit=False, shared=True),
    )
    return _shared_headers(response)


def _shared_headers(response):
    """A shared link is a secret: never cached by others, never sent on as a Referer,
    never indexed."""
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- Items ---------------------------------------------------------------------------


def _owned_item(request, pk: int, item_pk: int):
    pack = pack_for_owner(request.user, pk)
    return pack, get_object_or_404(pack.items, pk=item_pk)


@require_POST
@trainer_required
def item_move(request, pk: int, item_pk: int):
    pack, item = _owned_item(request, pk, item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Move an item up or down.")
    services.pack_move_item(item, direction)
    return redirect(f"{pack.get_absolute_url()}#item-{item.pk}")


@require_POST
@trainer_required
def item_remove(request, pk: int, item_pk: int):
    pack, item = _owned_item(request, pk, item_pk)
    snapshot = services.pack_remove_item(item)
    request.session[_undo_key(pack)] = snapshot
    messages.success(request, f"Removed ‘{snapshot['heading']}’ from the pack.", extra_tags="undo")
    # To the top of the page, where the message and its Undo button are.
    return redirect(pack.get_absolute_url())


def _undo_key(pack: SessionPack) -> str:
    return f"session-pack-undo-{pack.pk}"


@require_POST
@trainer_required
def item_undo(request, pk: int):
    """Put back the item last removed from this pack (kept in the trainer's session)."""
    pack = pack_for_owner(request.user, pk)
    snapshot = request.session.pop(_undo_key(pack), None)
    if not snapshot:
        messages.error(request, "There is nothing to undo.")
        return redirect(f"{pack.get_absolute_url()}#items")
    try:
        item = services.pack_restore_item(pack, snapshot)
    except ValidationError as error:
        messages.error(request, _validation_message(error))
        return redirect(f"{pack.get_absolute_url()}#items")
    messages.success(request, f"‘{snapshot['heading']}’ is back in the pack, with your notes.")
    return redirect(f"{pack.get_absolute_url()}#item-{item.pk}")


@require_http_methods(["GET", "POST"])
@trainer_required
def item_edit(request, pk: int, item_pk: int):
    pack, item = _owned_item(request, pk, item_pk)
    form = _notes_form(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pack_update_item_notes(
                item,
                trainer_notes=form.cleaned_data["trainer_notes"],
                minutes=form.cleaned_data["minutes"],
                body=form.cleaned_data.get("body"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Item saved.")
            return redirect(f"{pack.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "session_packs/item_form.html",
        {"nav_section": "packs", "pack": pack, "item": item, "form": form},
    )


@require_POST
@trainer_required
def item_add_written(request, pk: int):
    pack = pack_for_owner(request.user, pk)
    form = WrittenItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.pack_add_item(pack, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{item.get_kind_display()} added.")
            return redirect(f"{pack.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "session_packs/pack_detail.html",
        _detail_context(request, pack, can_edit=True, note_form=form),
        status=400,
    )


@require_POST
@trainer_required
def pack_reorder(request, pk: int):
    """Drag to reorder: JSON ``{"order": [item ids]}`` from pack-reorder.mjs."""
    pack = pack_for_owner(request.user, pk)
    try:
        payload = json.loads(request.body or b"{}")
        order = [int(item_id) for item_id in payload["order"]]
        services.pack_reorder(pack, order)
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": 'Send the new order as JSON: {"order": [item ids]}.'}, status=400
        )
    except ValidationError as error:
        return JsonResponse({"error": _validation_message(error)}, status=400)
    return JsonResponse(
        {"order": list(pack.items.order_by("position").values_list("pk", flat=True))}
    )


# --- A new trainer chooses their password ----------------------------------------------


class WelcomeSetPasswordView(auth_views.PasswordResetConfirmView):
    """The link in a trainer's invitation (services.trainer_invite): Django's password
    reset confirmation (one-time, expiring token), worded as a welcome."""

    template_name = "session_packs/welcome_set_password.html"
    post_reset_login = False

    def get_success_url(self):
        return reverse("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is saved. Sign in to start.")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["site_name"] = settings.SITE_NAME
        return context


welcome = WelcomeSetPasswordView.as_view()


# --- Adding content from the rest of the toolkit --------------------------------------


@require_POST
@trainer_required
def add_to_pack(request):
    """From an "Add to pack" form: ``add`` is "<kind>:<id>", and ``pack-<kind>-<id>`` the
    chosen pack's id or "new"."""
    kind, _, raw_id = (request.POST.get("add") or "").partition(":")
    if kind not in CONTENT_FIELDS or not raw_id.isdigit():
        return HttpResponseBadRequest("Choose something to add to a pack.")
    model = services.content_model(kind)
    content = model.objects.public().filter(pk=int(raw_id)).first() if model else None
    if content is None or not services.content_is_public(content):
        raise Http404("That content is not in the toolkit.")
    choice = request.POST.get(f"pack-{kind}-{raw_id}", "new")
    back = _safe_next(request, reverse("session_packs:list"))
    anchor = {
        ItemKind.PRACTICE_POINT: f"#point-{content.pk}",
        ItemKind.RESOURCE: f"#resource-{content.pk}",
    }.get(kind, "")
    if choice == "new":
        pack = services.pack_create_with_content(request.user, content)
        messages.success(
            request,
            "Added to your new pack. Give it a title, an audience and a duration.",
        )
        edit = reverse("session_packs:edit", kwargs={"pk": pack.pk})
        return redirect(f"{edit}?next={pack.get_absolute_url()}")
    if not choice.isdigit():
        return HttpResponseBadRequest("Choose one of your packs or start a new one.")
    pack = pack_for_owner(request.user, int(choice))
    try:
        services.pack_add_item(pack, kind=kind, content=content)
    except ValidationError as error:
        # Said on the pack's page (the public pages show no messages).
        messages.error(request, f"Not added to ‘{pack.title}’. {_validation_message(error)}")
        return redirect(f"{pack.get_absolute_url()}#items")
    return redirect(back.split("#")[0] + anchor)


@require_POST
@trainer_required
def pack_from_theme(request):
    theme_id = request.POST.get("theme", "")
    if not theme_id.isdigit():
        return HttpResponseBadRequest("Choose a theme to start a session on.")
    theme = get_object_or_404(Theme.objects.public(), pk=int(theme_id))
    pack = services.pack_create_from_theme(theme, request.user, minutes=30)
    messages.success(
        request,
        f"Your 30-minute session on {services.phrase(theme.name)} is ready to edit: "
        "reorder it, add your notes and questions, and take out what you do not need.",
    )
    return redirect(pack)


# --- Exports -------------------------------------------------------------------------


def _refused(request, pack, *, status: int, title: str, reason: str, shared: bool, retry=0):
    response = render(
        request,
        "session_packs/export_refused.html",
        {
            "nav_section": "packs",
            "pack": pack,
            "title": title,
            "reason": reason,
            "shared_view": shared,
            "briefing": title.startswith("A 7-minute briefing"),
        },
        status=status,
    )
    if retry:
        response["Retry-After"] = str(retry)
    return private(response)


def _export_response(request, pack: SessionPack, fmt: str, *, shared: bool = False):
    """Read what the export shows (here, in the request), then render it within the
    limits (export_jobs): from the cache when nothing changed."""
    export_format = renderers.FORMATS.get(fmt)
    if export_format is None:
        raise Http404("No such export.")
    try:
        if shared and not is_trainer(request):
            export_jobs.throttle(request)
        items = pack_items(pack)
        problem = limits.size_problem(items)
        if problem:
            return _refused(
                request, pack, status=400, title="This pack is too big to download",
                reason=problem, shared=shared,
            )  # fmt: skip
        share_url = (
            request.build_absolute_uri(pack.get_shared_url()) if pack.is_shared_by_link else ""
        )
        if export_format.briefing:
            data = exports.briefings(pack, items, share_url=share_url)
            name_source = data[0]
        else:
            data = exports.pack_export(pack, items, share_url=share_url)
            name_source = data
        renderer = export_format.render
        # Everything the export shows (the data's repr) is part of the key too: a
        # theme's resources, say, change a briefing without touching the pack.
        key = export_jobs.fingerprint(pack, items, fmt, share_url, repr(data))
        content = export_jobs.render(request, key, lambda: renderer(data))
    except exports.NotASingleThemePack as refusal:
        return _refused(
            request, pack, status=400, title="A 7-minute briefing needs a pack about one theme",
            reason=str(refusal), shared=shared,
        )  # fmt: skip
    except export_jobs.ExportRefused as refusal:
        return _refused(
            request, pack, status=refusal.status, title=refusal.title, reason=refusal.message,
            shared=shared, retry=refusal.retry_after,
        )  # fmt: skip
    extension, content_type, suffix = (
        export_format.extension,
        export_format.content_type,
        export_format.suffix,
    )
    response = HttpResponse(content, content_type=content_type)
    name = exports.filename(name_source, extension, suffix)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return private(response)


@require_GET
@trainer_required
def pack_export(request, pk: int, fmt: str):
    return _export_response(request, pack_for_viewer(request.user, pk), fmt)


@require_GET
def shared_pack_export(request, token: str, fmt: str):
    return _shared_headers(_export_response(request, pack_for_token(token), fmt, shared=True))
