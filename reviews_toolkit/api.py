"""The API's own pages (project shell): its root, the OpenAPI schema and the docs. What
every endpoint shares (pagination, throttle, caching, error responses) is ``content.api``."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from content.api import AnonRateThrottle


class ApiRootView(routers.APIRootView):
    """``/api/``: links to each list."""

    authentication_classes = []
    throttle_classes = [AnonRateThrottle]


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: the OpenAPI 3 schema (YAML; ``?format=json`` for JSON)."""

    authentication_classes = []
    throttle_classes = [AnonRateThrottle]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its assets from ``/static/`` (drf-spectacular-sidecar) and its
    start-up script fetched from this same URL (``?script``): no CDN, no inline script."""

    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    template_name = "api/swagger_ui.html"
