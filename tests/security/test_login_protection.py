"""Sign-in protection (django-axes): five failed sign-ins for an account from an address
lock that pair out for 15 minutes, with a clear 429 page, on the staff admin's and the
trainers' sign-in pages. Passwords need 12 characters. Neither sign-in nor password reset
tells whether an account exists."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import totp

from tests.roles import PASSWORD, make_role_user, totp_device
from tests.session_packs.support import make_user

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again in 15 minutes."


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def code_for(user) -> str:
    device = totp_device(user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def admin_sign_in(client, username, password, token="000000", address="198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_token": token, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def trainer_sign_in(client, username, password, address="198.51.100.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def staff_user(db):
    user = make_role_user("curator", "Editor")
    totp_device(user)
    return user


@pytest.fixture
def trainer_user(db):
    return make_user("coach")


def test_trainer_sign_in_locks_after_five_failures_even_for_the_right_password(
    client, trainer_user
):
    from tests.session_packs.support import PASSWORD as TRAINER_PASSWORD

    for attempt in range(1, 5):
        response = trainer_sign_in(client, "coach", f"wrong-password-{attempt}")
        assert response.status_code == 200, attempt
        assert "Please enter a correct username and password" in text_of(response)
    fifth = trainer_sign_in(client, "coach", "wrong-password-5")
    assert fifth.status_code == 429
    sixth = trainer_sign_in(client, "coach", TRAINER_PASSWORD)
    assert sixth.status_code == 429
    assert LOCKED_MESSAGE in text_of(sixth)
    assert "Too many failed sign-in attempts" in text_of(sixth).split(" - ")[0]
    assert sixth["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    # the GOV.UK layout, with the nonce'd script like every page
    assert "govuk-template" in sixth.content.decode()
    # the lockout is recorded for the partnership admin to see (and lift)
    attempt = AccessAttempt.objects.get(username="coach")
    assert attempt.ip_address == "198.51.100.7" and attempt.failures_since_start >= 5


def test_admin_sign_in_locks_after_five_failures_even_with_the_right_password_and_code(
    client, staff_user
):
    for attempt in range(1, 5):
        response = admin_sign_in(client, "curator", f"wrong-password-{attempt}")
        assert response.status_code == 200, attempt
    assert admin_sign_in(client, "curator", "wrong-password-5").status_code == 429
    sixth = admin_sign_in(client, "curator", PASSWORD, code_for(staff_user))
    assert sixth.status_code == 429
    assert LOCKED_MESSAGE in text_of(sixth)
    assert 'id="container"' in sixth.content.decode()  # the admin's own layout
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_lockout_is_per_account_and_address(client, staff_user, trainer_user):
    for attempt in range(5):
        trainer_sign_in(client, "coach", f"wrong-{attempt}")
    assert trainer_sign_in(client, "coach", "anything").status_code == 429
    # another account from the same address signs in
    other = admin_sign_in(client, "curator", PASSWORD, code_for(staff_user))
    assert other.status_code == 302 and other["Location"] == "/admin/"
    client.logout()
    # the same account from another address is not locked out either
    from tests.session_packs.support import PASSWORD as TRAINER_PASSWORD

    elsewhere = trainer_sign_in(client, "coach", TRAINER_PASSWORD, address="203.0.113.9")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/packs/"


def test_the_lockout_ends_after_the_cool_off(client, trainer_user):
    from tests.session_packs.support import PASSWORD as TRAINER_PASSWORD

    for attempt in range(5):
        trainer_sign_in(client, "coach", f"wrong-{attempt}")
    assert trainer_sign_in(client, "coach", TRAINER_PASSWORD).status_code == 429
    # 16 minutes later (the attempts are dated back: the clock moved on)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = trainer_sign_in(client, "coach", TRAINER_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/packs/"


def test_a_success_clears_the_failures(client, trainer_user):
    from tests.session_packs.support import PASSWORD as TRAINER_PASSWORD

    for attempt in range(4):
        trainer_sign_in(client, "coach", f"wrong-{attempt}")
    assert trainer_sign_in(client, "coach", TRAINER_PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert trainer_sign_in(client, "coach", f"again-{attempt}").status_code == 200
    assert trainer_sign_in(client, "coach", TRAINER_PASSWORD).status_code == 302


def test_the_axes_reset_command_lifts_a_lockout(client, trainer_user):
    from django.core.management import call_command

    from tests.session_packs.support import PASSWORD as TRAINER_PASSWORD

    for attempt in range(5):
        trainer_sign_in(client, "coach", f"wrong-{attempt}")
    call_command("axes_reset_username", "coach", verbosity=0)
    assert trainer_sign_in(client, "coach", TRAINER_PASSWORD).status_code == 302


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xq7#mZ2!pL9")  # 11
    validate_password("Xq7#mZ2!pL9w")  # 12


def test_a_short_new_password_is_refused_with_a_clear_message(client, trainer_user):
    client.force_login(trainer_user)
    from tests.session_packs.support import PASSWORD as TRAINER_PASSWORD

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": TRAINER_PASSWORD,
            "new_password1": "Xq7#mZ2!pL9",
            "new_password2": "Xq7#mZ2!pL9",
        },
    )
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in text_of(
        response
    )


def _error_summary(response) -> str:
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_trainer_sign_in_says_the_same_for_an_unknown_user_and_a_wrong_password(
    client, trainer_user
):
    unknown = trainer_sign_in(client, "nobody-here", "wrong-password-1")
    wrong = trainer_sign_in(client, "coach", "wrong-password-1")
    assert unknown.status_code == wrong.status_code == 200
    assert _error_summary(unknown) == _error_summary(wrong) != ""
    assert "nobody-here" not in _error_summary(unknown)


def test_admin_sign_in_says_the_same_for_an_unknown_user_and_a_wrong_password(client, staff_user):
    def errors(response):
        return re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', response.content.decode(), re.S)

    unknown = admin_sign_in(client, "nobody-here", "wrong-password-1")
    wrong = admin_sign_in(client, "curator", "wrong-password-1")
    assert unknown.status_code == wrong.status_code == 200
    assert errors(unknown) == errors(wrong) and errors(wrong)
    # nothing about the second factor before the password is right
    assert "authenticator" not in " ".join(errors(wrong))


def test_password_reset_answers_the_same_whether_or_not_the_address_has_an_account(
    client, trainer_user, mailoutbox
):
    known = client.post("/accounts/password_reset/", {"email": "coach@example.org.uk"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org.uk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password_reset/done/"
    done = client.get(known["Location"])
    assert "If that address belongs to a trainer account, we have sent it a link" in text_of(done)
    assert [mail.to for mail in mailoutbox] == [["coach@example.org.uk"]]


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, trainer_user):
    """Without a trusted proxy (DJANGO_TRUSTED_PROXIES) X-Forwarded-For is the client's
    own words."""
    for attempt in range(5):
        client.post(
            "/accounts/login/",
            {"username": "coach", "password": f"wrong-{attempt}"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )
    response = client.post(
        "/accounts/login/",
        {"username": "coach", "password": "wrong-again"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


def test_behind_one_proxy_the_address_the_proxy_saw_counts(client, trainer_user, settings):
    proxy = "10.0.0.2"
    settings.TRUSTED_PROXIES = [proxy]

    def attempt(client_address, forged="203.0.113.250"):
        return client.post(
            "/accounts/login/",
            {"username": "coach", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}",
        )

    for _ in range(5):
        attempt("198.51.100.7", forged="203.0.113.1")
    assert attempt("198.51.100.7", forged="203.0.113.2").status_code == 429
    # another client behind the same proxy is not locked out
    assert attempt("198.51.100.8").status_code == 200
    assert AccessAttempt.objects.get(ip_address="198.51.100.7").username == "coach"
