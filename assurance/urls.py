from django.urls import path

from . import views

app_name = "assurance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/", views.plans, name="plans"),
    path("plans/<slug:slug>/", views.plan, name="plan"),
    path("plans/<slug:slug>/settings/", views.plan_settings, name="plan_settings"),
    path(
        "plans/<slug:slug>/recommendations/new/",
        views.recommendation_new,
        name="recommendation_new",
    ),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("recommendations/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path(
        "recommendations/<int:pk>/challenge/",
        views.challenge_recommendation,
        name="challenge_recommendation",
    ),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("actions/<int:pk>/due-date/", views.action_revise_due, name="action_revise_due"),
    path("actions/<int:pk>/evidence/", views.evidence_new, name="evidence_new"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
    path("actions/<int:pk>/sign-off/", views.action_sign_off, name="action_sign_off"),
    path("actions/<int:pk>/return/", views.action_return, name="action_return"),
    path("actions/<int:pk>/challenge/", views.challenge_action, name="challenge_action"),
    path("evidence/<int:pk>/file/", views.evidence_download, name="evidence_file"),
    path("my-agency/", views.mine, name="mine"),
    path("overdue/", views.overdue, name="overdue"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("challenges/", views.challenges, name="challenges"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge"),
    path("challenges/<int:pk>/close/", views.challenge_close, name="challenge_close"),
    path("people/", views.people, name="people"),
    path("report/", views.report_index, name="report_index"),
    path("report/actions.csv", views.report_csv, name="report_csv"),
    path("report/<int:year>/", views.report_word, name="report"),
    path("report/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("import/", views.import_upload, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
]
