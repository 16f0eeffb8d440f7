from django.contrib import admin
from django.urls import path

from . import feeds, views

app_name = "alerts"

urlpatterns = [
    path("practice-points/feed/", feeds.practice_point_feed, name="points_feed"),
    path("whats-new/", views.whats_new_page, name="whats_new"),
    path("whats-new/feed/", feeds.whats_new_feed, name="whats_new_feed"),
    path("privacy/", views.privacy, name="privacy"),
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/check-your-email/", views.check_email, name="check_email"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<int:pk>/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "alerts/unsubscribe-all/<int:pk>/<str:token>/",
        views.unsubscribe_all,
        name="unsubscribe_all",
    ),
    path("alerts/manage/", views.manage_request, name="manage_request"),
    path("alerts/manage/<int:pk>/<str:token>/", views.manage, name="manage"),
    path(
        "admin/recurring-findings/",
        admin.site.admin_view(views.recurring_findings),
        name="recurring_findings",
    ),
]
