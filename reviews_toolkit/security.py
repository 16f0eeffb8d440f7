"""Small pieces the security settings refer to (docs/security.md): the CSP nonce for
templates, the lockout and CSRF failure pages, and UTC logs. The client's address
(forwarded headers trusted only from the configured proxies) is ``content.clients``."""

import logging
import time

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """``csp_nonce``: this response's CSP nonce, for ``<script nonce="{{ csp_nonce }}">``.

    Reading it makes django-csp add the same nonce to the Content-Security-Policy header.
    Empty when the request did not pass through the CSP middleware."""
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": str(nonce) if nonce is not None else ""}


def _cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429 with a page in the style of the
    sign-in page that was used (the admin's, or the trainers' GOV.UK one)."""
    is_admin = request.path.startswith("/admin/")
    template = "admin/locked_out.html" if is_admin else "registration/locked_out.html"
    context = {
        "cooloff_minutes": _cool_off_minutes(),
        "site_name": settings.SITE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "feedback_email": settings.FEEDBACK_EMAIL,
    }
    if is_admin:
        context.update(admin.site.each_context(request))
        context["title"] = "Too many failed sign-in attempts"
    response: HttpResponse = TemplateResponse(
        request, template, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(_cool_off_minutes() * 60)
    return response.render()


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a 403 in the site's own layout (Django's page has inline
    style, which the CSP refuses). The reason is logged by Django, not shown."""
    context = {"is_admin": request.path.startswith("/admin/")}
    return TemplateResponse(request, "403_csrf.html", context, status=403).render()


class UTCFormatter(logging.Formatter):
    """Log times in UTC, ISO 8601 with a Z: 2026-11-23T12:34:56.789Z."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
