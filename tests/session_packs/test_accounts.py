"""Trainers sign in, sign out, change and reset their passwords; nobody signs up."""

import re

import pytest
from django.test import Client

from tests.test_settings_and_health import STRONG_KEY, run_django

from .support import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-for-2025"


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_sign_in_page_is_a_gov_uk_page(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Sign in to your trainer account</h1>' in html
    assert (
        'autocomplete="current-password"' in html and 'data-module="govuk-password-input"' in html
    )
    # the service's name, not the request's domain
    assert "<title>Sign in to your trainer account - Learning from Reviews Toolkit" in html
    assert "there is no sign-up" in html


def test_signing_in_goes_to_the_packs(client, trainer):
    response = client.post("/accounts/login/", {"username": "trainer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/packs/"
    assert client.get("/packs/").status_code == 200


def test_signing_in_returns_to_the_page_asked_for(client, trainer, pack):
    asked = client.get(pack.get_absolute_url())
    assert asked["Location"] == f"/accounts/login/?next={pack.get_absolute_url()}"
    response = client.post(
        "/accounts/login/",
        {"username": "trainer", "password": PASSWORD, "next": pack.get_absolute_url()},
    )
    assert response["Location"] == pack.get_absolute_url()


def test_a_wrong_password_is_explained(client, trainer):
    response = client.post("/accounts/login/", {"username": "trainer", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error:" in html
    assert "correct username and password" in html
    assert client.get("/packs/").status_code == 302


def test_signing_out_takes_a_post(trainer_client):
    assert trainer_client.get("/accounts/logout/").status_code == 405
    response = trainer_client.post("/accounts/logout/")
    assert response.status_code == 200
    assert "You have signed out" in text_of(response)
    assert trainer_client.get("/packs/").status_code == 302


def test_the_sign_out_button_is_a_form_with_the_csrf_token(trainer_client):
    html = trainer_client.get("/").content.decode()
    form = re.search(r'<form method="post" action="/accounts/logout/">(.*?)</form>', html, re.S)
    assert form and "csrfmiddlewaretoken" in form.group(1) and "Sign out" in form.group(1)


def test_changing_the_password(trainer_client, trainer):
    assert trainer_client.get("/accounts/password_change/").status_code == 200
    weak = trainer_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert "govuk-error-summary" in weak.content.decode()
    response = trainer_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    assert "Your password has been changed" in text_of(trainer_client.get(response["Location"]))
    trainer.refresh_from_db()
    assert trainer.check_password(NEW_PASSWORD)


def test_resetting_a_forgotten_password_by_email(client, trainer, mailoutbox):
    page = client.get("/accounts/password_reset/")
    assert "Reset your password" in text_of(page)
    response = client.post("/accounts/password_reset/", {"email": "trainer@example.org.uk"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["trainer@example.org.uk"]
    assert mail.subject == "Reset your password for the Learning from Reviews Toolkit"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in text_of(form)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/accounts/reset/done/"
    signed_in = Client().post("/accounts/login/", {"username": "trainer", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/packs/"
    # the link works once
    assert "This link has expired" in text_of(client.get(link, follow=True))


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org.uk"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mailoutbox == []


@pytest.mark.parametrize("url", ["/accounts/signup/", "/accounts/register/", "/accounts/"])
def test_there_is_no_self_registration(client, url):
    assert client.get(url).status_code == 404


def test_the_trainer_group_exists_with_the_pack_permissions():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Trainer")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "add_sessionpack",
        "change_sessionpack",
        "delete_sessionpack",
        "view_sessionpack",
    } <= codenames
    assert {"add_packitem", "view_packitem"} <= codenames


def test_an_inactive_trainer_cannot_use_packs(client):
    user = make_user("gone", is_active=False)
    client.force_login(user)
    assert client.get("/packs/").status_code in (302, 403)


def test_password_reset_email_goes_to_the_console_in_development():
    result = run_django(
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.LOGIN_URL, s.LOGIN_REDIRECT_URL)",
        DJANGO_DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "/accounts/login/",
        "/packs/",
    ]
    production = run_django(
        "from django.conf import settings as s; print(s.EMAIL_BACKEND)",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="x.org",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert production.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
