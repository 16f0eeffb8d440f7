"""What every endpoint of the public, read-only API shares: pagination, throttling,
HTTP caching (ETag + Cache-Control) and the documented error responses.

The API is anonymous and read-only. Each app keeps its own serializers and viewsets
in ``<app>/api.py`` built on these; the project shell (``reviews_toolkit/api.py`` for the
root, schema and docs views, ``reviews_toolkit/api_urls.py``) routes them under ``/api/``.
"""

from __future__ import annotations

from functools import partial

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import pagination, renderers, serializers, throttling, viewsets
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.settings import api_settings

from content.clients import ClientAddressThrottleMixin

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class ApiPagination(pagination.PageNumberPagination):
    """``?page=N`` and ``?page_size=N``. A page size above 100 is capped to 100; a page
    size that is not a whole number of at least 1 is a 400 naming ``page_size``; a page
    that does not exist is a 404."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "There is no page {page_number} of these results ({message})."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Enter a whole number of at least 1 (at most {self.max_page_size} "
                        "are returned)."
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last is a 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page: default {self.page_size}; values above "
                f"{self.max_page_size} are capped to {self.max_page_size}; anything that is "
                "not a whole number of at least 1 is a 400.",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


class AnonRateThrottle(ClientAddressThrottleMixin, throttling.AnonRateThrottle):
    """DRF's anonymous throttle, counting by the client's address as the sign-in lockout
    reads it (``content.clients.client_ip``: forwarded headers only from trusted
    proxies) in the default cache (shared by every worker when ``REDIS_URL`` is set), and
    reading the rate (``REST_FRAMEWORK`` ``DEFAULT_THROTTLE_RATES["anon"]``) when a
    request comes, so a changed setting (e.g. in a test) takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


ERROR_RESPONSE = {
    "type": "object",
    "description": "The problem: `detail` for most errors; for an invalid parameter, "
    "the parameter's name with a list of messages.",
    "additionalProperties": True,
}

NOT_FOUND = OpenApiResponse(response=ERROR_RESPONSE, description="No such item, or no such page.")
BAD_REQUEST = OpenApiResponse(
    response=ERROR_RESPONSE,
    description='A filter or page size was not recognised, e.g. {"theme": ["Select a valid '
    'choice. ..."]}.',
)
TOO_MANY = OpenApiResponse(
    response=ERROR_RESPONSE,
    description="Too many requests: `detail` says when to retry, `retry_after` gives the "
    "seconds (also in the Retry-After header).",
)


def document(serializer_class, *, list_description: str, detail_description: str):
    """The schema of a read-only viewset's two operations, with their error responses."""
    responses = {200: serializer_class, 400: BAD_REQUEST, 404: NOT_FOUND, 429: TOO_MANY}
    return extend_schema_view(
        list=extend_schema(description=list_description, responses=responses),
        retrieve=extend_schema(description=detail_description, responses=responses),
    )


class HtmlSafeJSONRenderer(renderers.JSONRenderer):
    """JSON with "<", ">" and "&" written as \\u escapes (as Django's json_script does):
    the same data to any JSON parser, but a value echoed back in an error ("Select a
    valid choice. <script>...") is never markup, whoever opens the response."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = super().render(data, accepted_media_type, renderer_context)
        return body.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Anonymous, read-only, paginated, throttled; successful reads carry an ETag (a
    304 when ``If-None-Match`` matches) and ``Cache-Control: no-cache`` (caches revalidate
    every time, so unpublished content is never served from one)."""

    authentication_classes = []
    renderer_classes = [HtmlSafeJSONRenderer]
    throttle_classes = [AnonRateThrottle]
    pagination_class = ApiPagination

    def throttled(self, request, wait):
        seconds = max(1, round(wait)) if wait is not None else None
        when = f"in {seconds} second{'s' if seconds != 1 else ''}" if seconds else "later"
        raise Throttled(
            wait=seconds,
            detail=f"Too many requests from your address. Try again {when}.",
        )

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, Throttled) and isinstance(response.data, dict):
            response.data["retry_after"] = exc.wait
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # Kept, but checked with the server (If-None-Match, a 304 while unchanged) every
            # time: an item unpublished a moment ago is never served from a cache.
            patch_cache_control(response, no_cache=True)
            response.add_post_render_callback(partial(_conditional_get, request))
        return response


def _conditional_get(request, response):
    """After rendering: an ETag from the content, and a 304 if the client has it."""
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


@extend_schema_field({"type": "string", "format": "uri"})
class AbsoluteUrlField(serializers.ReadOnlyField):
    """The object's public page (``get_absolute_url``) as an absolute URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "get_absolute_url")
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


__all__ = [
    "AbsoluteUrlField",
    "AnonRateThrottle",
    "ApiPagination",
    "PublicReadOnlyViewSet",
    "document",
]
