from django.contrib import admin
from django.urls import include, path

from backoffice.views import due_for_review, likely_duplicates, not_direct_links

from . import views
from .admin_site import StaffAdminSite

# Every app registers on Django's admin.site: make that one require two factors.
admin.site.__class__ = StaffAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz/", views.healthz, name="healthz"),
    path("themes/", include("themes.urls")),
    path("practice-points/", include("practice_points.urls")),
    path("reviews/", include("practice_points.review_urls")),
    path("resources/", include("resources.urls")),
    path("search/", include("search.urls")),
    path("glossary/", include("search.glossary_urls")),
    path("api/", include("reviews_toolkit.api_urls")),
    path("accounts/", include("session_packs.account_urls")),
    path("packs/", include("session_packs.urls")),
    path("assurance/", include("assurance.urls")),
    path("preview/", include("backoffice.preview_urls")),
    path("", include("alerts.urls")),  # feeds, what's new, privacy, email alerts
    path("evidence/", include("evidence.urls")),
    path("admin/evidence/", include("evidence.staff_urls")),
    path(
        "admin/due-for-review/",
        admin.site.admin_view(due_for_review),
        name="backoffice_due_for_review",
    ),
    path(
        "admin/not-direct-links/",
        admin.site.admin_view(not_direct_links),
        name="backoffice_not_direct_links",
    ),
    path(
        "admin/likely-duplicates/",
        admin.site.admin_view(likely_duplicates),
        name="backoffice_likely_duplicates",
    ),
    path("admin/content/", include("backoffice.transfer.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Learning from Reviews Toolkit: staff"
admin.site.site_title = "Learning from Reviews Toolkit"
admin.site.index_title = "Curate the learning"

# A database that cannot be reached answers 503 (reviews_toolkit/errors.py).
handler500 = "reviews_toolkit.errors.server_error"
