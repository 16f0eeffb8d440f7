"""Pages for a signed-in user carry their name, packs and CSRF token: never cache them
in a shared cache, nor keep them on disk."""

from django.utils.cache import patch_cache_control


class PrivateCacheForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Responses that chose their own caching (the public, anonymous API) keep it.
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
