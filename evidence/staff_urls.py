"""Staff pages, under /admin/evidence/: the admin's sign-in comes back to them."""

from django.urls import path

from . import staff_views

app_name = "evidence_staff"

urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("dashboard.csv", staff_views.dashboard_csv, name="dashboard_csv"),
    path("good-practice/", staff_views.good_practice_list, name="good_practice"),
    path("good-practice/<int:pk>/", staff_views.good_practice_review, name="good_practice_review"),
    path("feedback/", staff_views.feedback_list, name="feedback"),
    path("feedback/<int:pk>/hide/", staff_views.feedback_hide, name="feedback_hide"),
    path("domains/", staff_views.domains, name="domains"),
    path("domains/<int:pk>/remove/", staff_views.domain_remove, name="domain_remove"),
]
