"""Thin views: subscribe (double opt-in), confirm, unsubscribe (one click), manage,
what's new, the privacy notice, and the staff report of recurring findings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from content.clients import client_ip
from content.ratelimit import RateLimit
from evidence import models as evidence_models
from evidence import services as evidence_services
from themes.models import Theme
from themes.selectors import theme_list

from . import recurrence, services
from .forms import FrequencyForm, ManageLinkForm, SubscribeForm
from .models import Frequency
from .searches import describe_search, feed_url, finder_url, normalise_query, search_is_valid
from .selectors import whats_new
from .tokens import (
    manage_token,
    subscriber_from_manage,
    subscription_from_unsubscribe,
    unsubscribe_token,
)


def _per_client() -> RateLimit:
    return RateLimit(
        "alerts-client",
        getattr(settings, "ALERTS_LIMIT_PER_CLIENT", 10),
        getattr(settings, "ALERTS_LIMIT_PERIOD", 3600),
    )


def _per_address() -> RateLimit:
    return RateLimit(
        "alerts-address",
        getattr(settings, "ALERTS_LIMIT_PER_ADDRESS", 3),
        getattr(settings, "ALERTS_LIMIT_PERIOD", 3600),
    )


def _theme_of(query: str):
    """The public theme a search is exactly about (``theme=<slug>`` and nothing else), or
    ``None``: a theme page's "Get emails about <theme>" sends that search."""
    params = QueryDict(query)
    slugs = params.getlist("theme")
    if list(params) != ["theme"] or len(slugs) != 1:
        return None
    return Theme.objects.public().filter(slug=slugs[0]).first()


def _too_many(request):
    return render(request, "alerts/too_many.html", {}, status=429)


@require_http_methods(["GET", "POST"])
def subscribe(request):
    data = request.POST if request.method == "POST" else request.GET
    source = QueryDict(data.get("query", "")) if request.method == "POST" else request.GET
    query = normalise_query(source)
    theme = _theme_of(query) if data.get("from") == "theme" else None
    back = (
        {"back_url": theme.get_absolute_url(), "back_label": f"Back to {theme.name}"}
        if theme
        else {"back_url": finder_url(query), "back_label": "Back to the search"}
    )
    if not search_is_valid(query):
        return render(
            request,
            "alerts/subscribe.html",
            {
                "invalid_search": True,
                "query": query,
                "finder_url": finder_url(""),
                "back_url": finder_url(""),
                "back_label": "Back to the search",
            },
            status=400,
        )
    form = SubscribeForm(request.POST or None, initial={"frequency": Frequency.WEEKLY})
    if request.method == "POST":
        if not _per_client().hit(client_ip(request) or ""):
            return _too_many(request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if _per_address().hit(email.lower()):
                try:
                    services.subscription_create(
                        email=email,
                        query=QueryDict(query),
                        frequency=form.cleaned_data["frequency"],
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages[0])
            if not form.errors:
                return redirect(reverse("alerts:check_email"))
    return render(
        request,
        "alerts/subscribe.html",
        {
            "form": form,
            "query": query,
            "search": describe_search(query),
            "finder_url": finder_url(query),
            "feed_url": feed_url(query),
            "theme": theme,
            **back,
        },
        status=400 if form.errors else 200,
    )


def check_email(request):
    return render(request, "alerts/check_email.html", {})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button (a link checker opening the link confirms nothing); POST
    confirms. Expired or used links are refused."""
    try:
        subscription = services.subscription_for_confirmation(token)
    except services.ConfirmationRefused as refused:
        return render(
            request, "alerts/confirm_refused.html", {"reason": refused.reason}, status=410
        )
    if request.method == "POST":
        try:
            subscription = services.subscription_confirm(token)
        except services.ConfirmationRefused as refused:
            return render(
                request, "alerts/confirm_refused.html", {"reason": refused.reason}, status=410
            )
        return render(
            request,
            "alerts/confirmed.html",
            {
                "subscription": subscription,
                "search": describe_search(subscription.query),
                "manage_url": reverse(
                    "alerts:manage",
                    kwargs={
                        "pk": subscription.subscriber_id,
                        "token": manage_token(subscription.subscriber),
                    },
                ),
            },
        )
    return render(
        request,
        "alerts/confirm.html",
        {"subscription": subscription, "search": describe_search(subscription.query)},
    )


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no CSRF token; the link's
# own HMAC is the proof, and unsubscribing is the only thing it can do.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, pk: int, token: str):
    subscription = subscription_from_unsubscribe(pk, token)
    if request.method == "POST":
        if subscription is not None:
            services.subscription_delete(subscription)
        # The same answer for a link already used: nothing to reveal, nothing to redo.
        return render(request, "alerts/unsubscribed.html", {})
    if subscription is None:
        return render(request, "alerts/unsubscribed.html", {"gone": True}, status=404)
    return render(
        request,
        "alerts/unsubscribe.html",
        {"subscription": subscription, "search": describe_search(subscription.query)},
    )


@csrf_exempt  # RFC 8058 one-click, as above (the manage link's HMAC is the proof)
@require_http_methods(["GET", "POST"])
def unsubscribe_all(request, pk: int, token: str):
    subscriber = subscriber_from_manage(pk, token)
    if request.method == "POST":
        if subscriber is not None:
            for subscription in list(subscriber.subscriptions.all()):
                services.subscription_delete(subscription)
        return render(request, "alerts/unsubscribed.html", {"all": True})
    if subscriber is None:
        return render(request, "alerts/unsubscribed.html", {"gone": True}, status=404)
    return render(request, "alerts/unsubscribe.html", {"all": True})


@require_http_methods(["GET", "POST"])
def manage(request, pk: int, token: str):
    subscriber = subscriber_from_manage(pk, token)
    if subscriber is None:
        raise Http404
    if request.method == "POST":
        subscription = subscriber.subscriptions.filter(pk=request.POST.get("subscription")).first()
        if subscription is None:
            raise Http404
        if request.POST.get("action") == "delete":
            services.subscription_delete(subscription)
        else:
            form = FrequencyForm(request.POST)
            if form.is_valid():
                services.subscription_set_frequency(subscription, form.cleaned_data["frequency"])
        return redirect(request.path + "?saved=1")
    subscriptions = [
        {
            "subscription": s,
            "search": describe_search(s.query),
            "finder_url": finder_url(s.query),
            "unsubscribe_url": reverse(
                "alerts:unsubscribe", kwargs={"pk": s.pk, "token": unsubscribe_token(s)}
            ),
        }
        for s in subscriber.subscriptions.order_by("created_at", "pk")
    ]
    return render(
        request,
        "alerts/manage.html",
        {
            "subscriber": subscriber,
            "subscriptions": subscriptions,
            "frequencies": Frequency.choices,
            "saved": request.GET.get("saved") == "1",
            "unsubscribe_all_url": reverse(
                "alerts:unsubscribe_all", kwargs={"pk": subscriber.pk, "token": token}
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def manage_request(request):
    """Ask for the manage link by email: the same answer whatever the address."""
    form = ManageLinkForm(request.POST or None)
    if request.method == "POST":
        if not _per_client().hit(client_ip(request) or ""):
            return _too_many(request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if _per_address().hit(email.lower()):
                services.subscriber_send_manage_link(email)
            return redirect(reverse("alerts:check_email"))
    return render(
        request, "alerts/manage_request.html", {"form": form}, status=400 if form.errors else 200
    )


def whats_new_page(request):
    return render(
        request,
        "alerts/whats_new.html",
        {"changes": whats_new(), "nav_section": "whats_new"},
    )


def privacy(request):
    return render(
        request,
        "alerts/privacy.html",
        {
            "unconfirmed_days": services.UNCONFIRMED_KEPT.days,
            "inactive_days": services.INACTIVE_ADDRESS_KEPT.days,
            # Evidence of use: the figures its code works by, so the notice cannot drift.
            "follow_up_weeks": evidence_models.FOLLOW_UP_WEEKS,
            "reminder_days": evidence_services.REMINDER_AFTER.days,
            "forget_days": evidence_services.FORGET_AFTER.days,
            "code_minutes": int(evidence_services.CODE_LIFETIME.total_seconds() // 60),
            "code_attempts": evidence_services.CODE_MAX_ATTEMPTS,
            "code_kept_hours": int(evidence_services.CODE_KEPT.total_seconds() // 3600),
        },
    )


def recurring_findings(request):
    """Staff: the findings raised again and again across reviews, most recurrent first."""
    if not request.user.has_perm("practice_points.view_practicepoint"):
        raise PermissionDenied
    listed = list(theme_list())
    by_theme = recurrence.theme_recurrence_map([t.pk for t in listed])
    themes = [(t, by_theme[t.pk]) for t in listed]
    themes.sort(key=lambda pair: (-pair[1].reviews, pair[0].name))
    context = {
        **admin.site.each_context(request),
        "title": "Recurring findings",
        "findings": recurrence.recurring_findings(),
        "themes": themes,
    }
    return render(request, "alerts/recurring_findings.html", context)
