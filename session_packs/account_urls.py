"""Sign-in for trainers: Django's auth views with GOV.UK-styled templates (in
templates/registration/). There is no self-registration: partnership staff make trainer
accounts in the admin. The views' own ``site_name`` (the request's domain) is replaced
by the service's name, which the layout shows."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from session_packs.password_reset import RateLimitedPasswordResetForm


def _names() -> dict[str, str]:
    return {"site_name": settings.SITE_NAME, "partnership_name": settings.PARTNERSHIP_NAME}


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(extra_context=_names(), redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(extra_context=_names()), name="logout"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(extra_context=_names()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(extra_context=_names()),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            extra_context=_names(),
            extra_email_context={"service_name": settings.SITE_NAME},
            form_class=RateLimitedPasswordResetForm,  # per address and client (issue 15)
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=_names()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=_names()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=_names()),
        name="password_reset_complete",
    ),
]
