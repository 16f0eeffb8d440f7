"""Site-wide response headers (docs/security.md).

Django's SecurityMiddleware sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, and django-csp the Content-Security-Policy; these add the rest.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control

# Pages that hold a form for a password or a second factor: never cached, signed in or not.
_PRIVATE_PREFIXES = ("/admin/", "/accounts/")


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response: no camera, microphone, location, payment..."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateCacheForSignedInMiddleware:
    """Pages for a signed-in user (packs, the admin, previews) carry their name, their
    work and a CSRF token: never kept in a shared cache, nor on disk (ASVS 8.2.1). So are
    the sign-in pages. Responses that chose their own caching (the public, anonymous API,
    /healthz/) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or request.path.startswith(_PRIVATE_PREFIXES)) and not response.has_header(
            "Cache-Control"
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses public pages (the finder's HTML shrinks about six times), but never a
    response that carries a secret an attacker could recover by watching compressed sizes
    (BREACH): a page whose CSRF token was used, a signed-in person's page, or anything
    under /admin/ or /accounts/."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if (
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or (user is not None and user.is_authenticated)
            or request.path.startswith(_PRIVATE_PREFIXES)
        ):
            return response
        return super().process_response(request, response)
