"""Pages of evidence of use: recording a session (a trainer's own pack or briefing, or a
pack's shared link with a one-time code), the follow-up form, and the feedback on a
point or theme page. The staff pages are in ``staff_views``."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from content.clients import client_ip
from content.ratelimit import RateLimit
from practice_points.models import PracticePoint
from resources.models import Resource, ResourceType
from session_packs.access import trainer_required
from session_packs.models import SessionPack
from session_packs.selectors import pack_for_token
from themes.models import Theme

from . import services
from .access import private
from .forms import (
    NO_PERSONAL_DATA,
    NO_PERSONAL_DATA_SHORT,
    ActionFormSet,
    CodeForm,
    EmailForm,
    FeedbackForm,
    FollowUpForm,
    SessionForm,
    used_choices_for,
)
from .models import MAX_FOLLOW_UP_EMAILS, Source

VERIFIED_KEY = "evidence_verified"
CODE_KEY = "evidence_code"
VERIFIED_FOR = datetime.timedelta(hours=1)
CODE_LIMIT_PER_ADDRESS = RateLimit("evidence-code-address", 5, 3600)
CODE_LIMIT_PER_CLIENT = RateLimit("evidence-code-client", 20, 3600)
FEEDBACK_SALT = "evidence.feedback"
FEEDBACK_MIN_SECONDS = 2  # a person reads before answering; a bot posts at once
FEEDBACK_MAX_AGE = 30 * 24 * 60 * 60  # a cached page's form works for 30 days


def _feedback_limit() -> RateLimit:
    return RateLimit(
        "evidence-feedback",
        int(getattr(settings, "EVIDENCE_FEEDBACK_LIMIT", 10)),
        int(getattr(settings, "EVIDENCE_FEEDBACK_PERIOD", 3600)),
    )


def _base(**context) -> dict:
    return {
        "no_personal_data": NO_PERSONAL_DATA,
        "no_personal_data_short": NO_PERSONAL_DATA_SHORT,
        **context,
    }


# --- Recording a session --------------------------------------------------------------


def _actions_formset(request, *, adding: bool):
    if request.method != "POST":
        return ActionFormSet(prefix="actions")
    data = request.POST
    if adding:
        data = data.copy()
        total = int(data.get("actions-TOTAL_FORMS") or 0)
        data["actions-TOTAL_FORMS"] = str(min(total + 1, ActionFormSet.max_num))
    return ActionFormSet(data, prefix="actions")


def _record(request, *, used_choices, resolve_used, contact_email, template_context):
    """The record form, for a trainer (who chooses what was used) and for the shared link
    (the pack is fixed). Returns the saved session or a response to show."""
    adding = request.method == "POST" and "add_action" in request.POST
    initial = {"delivered_on": timezone.localdate()}
    if request.method == "GET" and request.GET.get("used"):
        initial["used"] = request.GET["used"]
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        used_choices=used_choices,
    )
    formset = _actions_formset(request, adding=adding)
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        used = resolve_used(form.cleaned_data)
        if used is None:
            form.add_error("used", "Choose a pack or briefing from the list.")
        else:
            session = services.session_record(
                used=used,
                data=form.cleaned_data,
                actions=formset.actions(),
                recorded_by=request.user,
                contact_email=contact_email(form.cleaned_data),
            )
            return session
    show_errors = request.method == "POST" and not adding
    status = (
        400 if show_errors and (form.errors or formset.errors or formset.non_form_errors()) else 200
    )
    context = _base(
        form=form,
        formset=formset,
        show_errors=show_errors,
        can_add_action=formset.total_form_count() < ActionFormSet.max_num,
        **template_context,
    )
    return render(request, "evidence/record.html", context, status=status)


def _resolve_trainer_used(user):
    def resolve(data):
        kind, _, pk = (data.get("used") or "").partition(":")
        if not pk.isdigit():
            return None
        if kind == "pack":
            pack = SessionPack.objects.owned_by(user).filter(pk=int(pk)).first()
            return services.Used(Source.OWN_PACK, pack=pack) if pack else None
        if kind == "briefing":
            briefing = (
                Resource.objects.public()
                .filter(resource_type=ResourceType.SEVEN_MINUTE_BRIEFING, pk=int(pk))
                .first()
            )
            return services.Used(Source.BRIEFING, briefing=briefing) if briefing else None
        return None

    return resolve


@require_http_methods(["GET", "POST"])
@trainer_required
def record(request):
    """A trainer records a session they ran with one of their packs or a briefing."""
    result = _record(
        request,
        used_choices=used_choices_for(request.user),
        resolve_used=_resolve_trainer_used(request.user),
        contact_email=lambda data: request.user.email,
        template_context={
            "heading": "Record a session you ran",
            "trainer": True,
            "contact_email": request.user.email,
        },
    )
    if hasattr(result, "status_code"):
        return result
    return redirect(_recorded_url(result))


def _recorded_url(session) -> str:
    return reverse("evidence:recorded") + ("?follow_up=1" if session.follow_up_requested else "")


def recorded(request):
    return private(
        render(
            request,
            "evidence/recorded.html",
            {"follow_up": request.GET.get("follow_up") == "1", "max_emails": MAX_FOLLOW_UP_EMAILS},
        )
    )


# --- The shared link: a one-time code to a work address ----------------------------------


def _shared(response):
    """Pages whose address holds a secret (a shared link, a follow-up link): private,
    not indexed. The site's Referrer-Policy (same-origin) already keeps the address from
    other sites; "no-referrer" would make the browser send ``Origin: null`` with the
    page's own forms, which Django's CSRF check refuses."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "POST"])
def shared_start(request, token: str):
    pack = pack_for_token(token)
    form = EmailForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"]
            client = client_ip(request) or ""
            if not (CODE_LIMIT_PER_ADDRESS.hit(email) and CODE_LIMIT_PER_CLIENT.hit(client)):
                form.add_error(
                    "email", "Too many codes have been asked for. Wait an hour and try again."
                )
                status = 429
            else:
                code = services.one_time_code_issue(pack, email)
                request.session[CODE_KEY] = {"pack": pack.pk, "id": code.pk, "email": email}
                request.session.pop(VERIFIED_KEY, None)
                return _shared(redirect("evidence:shared_code", token=token))
        else:
            status = 400
    return _shared(
        render(
            request,
            "evidence/shared_start.html",
            _base(pack=pack, form=form, token=token, show_errors=True),
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def shared_code(request, token: str):
    pack = pack_for_token(token)
    pending = request.session.get(CODE_KEY) or {}
    if pending.get("pack") != pack.pk:
        return _shared(redirect("evidence:shared_start", token=token))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            check = services.one_time_code_verify(
                pending.get("id"), pack, form.cleaned_data["code"]
            )
            if check is services.CodeCheck.OK:
                request.session.pop(CODE_KEY, None)
                request.session.cycle_key()
                request.session[VERIFIED_KEY] = {
                    "pack": pack.pk,
                    "email": pending["email"],
                    "at": timezone.now().isoformat(),
                }
                return _shared(redirect("evidence:shared_record", token=token))
            form.add_error("code", services.CODE_MESSAGES[check])
        status = 400
    return _shared(
        render(
            request,
            "evidence/shared_code.html",
            _base(pack=pack, form=form, token=token, email=pending.get("email"), show_errors=True),
            status=status,
        )
    )


def _verified(request, pack) -> dict | None:
    verified = request.session.get(VERIFIED_KEY) or {}
    if verified.get("pack") != pack.pk:
        return None
    try:
        at = datetime.datetime.fromisoformat(verified["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - at > VERIFIED_FOR:
        return None
    return verified


@require_http_methods(["GET", "POST"])
def shared_record(request, token: str):
    pack = pack_for_token(token)
    verified = _verified(request, pack)
    if verified is None:
        return _shared(redirect("evidence:shared_start", token=token))
    result = _record(
        request,
        used_choices=None,
        resolve_used=lambda data: services.Used(Source.SHARED_LINK, pack=pack),
        contact_email=lambda data: verified["email"],
        template_context={
            "heading": "Record a session you ran",
            "pack": pack,
            "contact_email": verified["email"],
        },
    )
    if hasattr(result, "status_code"):
        return _shared(result)
    request.session.pop(VERIFIED_KEY, None)  # one code, one session recorded
    return _shared(redirect(_recorded_url(result)))


# --- The follow-up --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def follow_up(request, token: str):
    found = services.follow_up_from_token(token)
    if found is None:
        return _shared(render(request, "evidence/follow_up_invalid.html", status=404))
    session = found.session
    if found.answered_at is not None:
        return _shared(render(request, "evidence/follow_up_done.html", {"session": session}))
    actions = list(session.actions.all())
    form = FollowUpForm(request.POST or None, actions=actions)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_answer(found, form.cleaned_data, form.outcomes())
            except ValueError:
                pass  # answered meanwhile (another tab): the page says so
            return _shared(
                render(
                    request, "evidence/follow_up_done.html", {"session": session, "thanks": True}
                )
            )
    status = 400 if request.method == "POST" else 200
    return _shared(
        render(
            request,
            "evidence/follow_up.html",
            _base(form=form, session=session, actions=actions, show_errors=True),
            status=status,
        )
    )


# --- Feedback on a point or theme page -----------------------------------------------


def feedback_token(target) -> str:
    kind = "point" if isinstance(target, PracticePoint) else "theme"
    return signing.TimestampSigner(salt=FEEDBACK_SALT).sign(f"{kind}:{target.pk}")


def _feedback_target(token: str):
    """The public point or theme a form token was made for, and its age in seconds."""
    signer = signing.TimestampSigner(salt=FEEDBACK_SALT)
    try:
        value = signer.unsign(token, max_age=FEEDBACK_MAX_AGE)
    except signing.BadSignature:
        return None, 0
    timestamp = token.rsplit(signer.sep, 2)[1]
    age = timezone.now().timestamp() - signing.b62_decode(timestamp)
    kind, _, pk = value.partition(":")
    if not pk.isdigit():
        return None, 0
    model = PracticePoint if kind == "point" else Theme if kind == "theme" else None
    if model is None:
        return None, 0
    target = model.objects.public().filter(pk=int(pk)).first()
    return target, age


def _feedback_page(request, template: str, context: dict, status: int = 200):
    response = render(request, template, _base(**context), status=status)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the form is on cacheable public pages, without cookies: see docs below
@require_POST
def feedback(request):
    """'Was this useful?' from a point or theme page: a plain form, no cookies, no script.

    Instead of Django's CSRF token (which needs a cookie and makes the page uncacheable),
    the form carries a signed token naming the page it was on and when it was made: a
    forged post needs a token from our own page, a bot posting at once is refused, a
    token is used once per client address, each client address may send ``EVIDENCE_FEEDBACK_LIMIT`` answers
    an hour (counted in the cache under a keyed hash: the address is never stored), and a
    hidden honeypot field catches form-filling bots. Nothing about the sender is saved."""
    form = FeedbackForm(request.POST)
    token = request.POST.get("token", "")
    target, age = _feedback_target(token)
    if target is None:
        return _feedback_page(request, "evidence/feedback_refused.html", {}, status=400)
    back = target.get_absolute_url()
    context = {"target": target, "back": back}
    client = client_ip(request) or ""
    if not _feedback_limit().hit(client):
        response = _feedback_page(
            request, "evidence/feedback_refused.html", {**context, "limited": True}, 429
        )
        response["Retry-After"] = str(int(getattr(settings, "EVIDENCE_FEEDBACK_PERIOD", 3600)))
        return response
    if request.POST.get("website"):  # the honeypot: answered as if saved, nothing kept
        return _feedback_page(request, "evidence/feedback_thanks.html", context)
    if not form.is_valid() or age < FEEDBACK_MIN_SECONDS:
        if age < FEEDBACK_MIN_SECONDS and form.is_valid():
            form.add_error(
                None, "That was quicker than we expected. Check your answer and send it again."
            )
        context.update(form=form, token=feedback_token(target), show_errors=True)
        return _feedback_page(request, "evidence/feedback_page.html", context, status=400)
    # One answer per page view and client: the same cached page (and token) is served to
    # everyone, so the token is single use per client address (a keyed hash, in the cache).
    used_key = (
        "evidence:feedback-used:"
        + hashlib.sha256(f"{settings.SECRET_KEY}:{token}:{client}".encode()).hexdigest()[:32]
    )
    if not cache.add(used_key, 1, timeout=FEEDBACK_MAX_AGE):
        return _feedback_page(request, "evidence/feedback_thanks.html", {**context, "again": True})
    services.feedback_record(
        target=target,
        useful=form.cleaned_data["useful"] == "yes",
        differently=form.cleaned_data["differently"],
    )
    return _feedback_page(request, "evidence/feedback_thanks.html", context)
