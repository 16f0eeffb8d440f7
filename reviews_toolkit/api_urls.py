"""The public read-only API, under ``/api/``: the endpoints, the OpenAPI schema
(``/api/schema/``) and its Swagger UI (``/api/docs/``, assets served from /static/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

# Points and themes as the alerts app extends them (recurrence, updated, change_note).
from alerts.api import PracticePointViewSet, ThemeViewSet
from practice_points.api import ReviewViewSet
from resources.api import ResourceViewSet
from themes.api import AgencyViewSet

from .api import ApiRootView, DocsView, SchemaView

router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("practice-points", PracticePointViewSet, basename="practice-point")
router.register("themes", ThemeViewSet, basename="theme")
router.register("reviews", ReviewViewSet, basename="review")
router.register("resources", ResourceViewSet, basename="resource")
router.register("agencies", AgencyViewSet, basename="agency")

app_name = "api"

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
