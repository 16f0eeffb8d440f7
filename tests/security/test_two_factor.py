"""Staff need two factors for the admin: the password and the code from their
authenticator app (TOTP), or a recovery code. Trainers' packs need the password only."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.roles import PARTNERSHIP_ADMIN
from reviews_toolkit.admin_site import NO_DEVICE_MESSAGE
from tests.roles import EDITOR, PASSWORD, admin_login, make_role_user, totp_device
from tests.session_packs.support import PASSWORD as TRAINER_PASSWORD
from tests.session_packs.support import make_user

pytestmark = pytest.mark.django_db


def code_for(device, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step)
    return f"{value:0{device.digits}d}"


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def sign_in(client, username, password, token):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_token": token, "next": "/admin/"},
    )


@pytest.fixture
def editor_user(db):
    return make_role_user("twofa", EDITOR)


def test_staff_signed_in_without_a_second_factor_cannot_reach_the_admin(client, editor_user):
    totp_device(editor_user)
    client.force_login(editor_user)  # password only (e.g. through the trainers' page)
    for url in ("/admin/", "/admin/practice_points/practicepoint/", "/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    page = client.get("/admin/login/?next=/admin/")
    assert "Code from your authenticator app" in text_of(page)
    assert 'name="otp_token"' in page.content.decode()


def test_the_right_code_admits_and_a_wrong_one_is_refused(client, editor_user):
    device = totp_device(editor_user)
    wrong = sign_in(client, "twofa", PASSWORD, "000000" if code_for(device) != "000000" else "1")
    assert wrong.status_code == 200
    assert "The code is not right" in text_of(wrong)
    assert client.get("/admin/").status_code == 302
    missing = sign_in(client, "twofa", PASSWORD, "")
    assert "Enter the 6-digit code from your authenticator app" in text_of(missing)
    # The code is checked against the device (django-otp throttles after a failure, so the
    # device's failure count is cleared as time passing would).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = sign_in(client, "twofa", PASSWORD, code_for(device))
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200


def test_a_code_cannot_be_used_twice(client, editor_user):
    device = totp_device(editor_user)
    code = code_for(device)
    assert sign_in(client, "twofa", PASSWORD, code).status_code == 302
    client.logout()
    again = sign_in(client, "twofa", PASSWORD, code)
    assert again.status_code == 200 and "The code is not right" in text_of(again)


def test_a_recovery_code_admits_once(client, editor_user):
    recovery = StaticDevice.objects.create(user=editor_user, name="Recovery codes")
    recovery.token_set.create(token="r3cov3ry")  # noqa: S106
    totp_device(editor_user)
    assert sign_in(client, "twofa", PASSWORD, "r3cov3ry").status_code == 302
    client.logout()
    assert sign_in(client, "twofa", PASSWORD, "r3cov3ry").status_code == 200


def test_staff_without_a_device_are_told_to_ask_the_partnership_admin(client, editor_user):
    response = sign_in(client, "twofa", PASSWORD, "123456")
    assert response.status_code == 200
    assert NO_DEVICE_MESSAGE in text_of(response)
    assert "Ask the partnership admin" in NO_DEVICE_MESSAGE
    assert client.get("/admin/").status_code == 302


def test_a_password_reset_does_not_bypass_the_second_factor(client, editor_user, mailoutbox):
    device = totp_device(editor_user)
    client.post("/accounts/password_reset/", {"email": "twofa@example.org.uk"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    new_password = "a-new-long-passphrase-after-reset"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done["Location"] == "/accounts/reset/done/"
    # the reset signs nobody in; signing in with the new password alone is not enough
    assert client.get("/admin/").status_code == 302
    trainer_page = client.post("/accounts/login/", {"username": "twofa", "password": new_password})
    assert trainer_page.status_code == 302
    assert client.get("/admin/").status_code == 302
    assert sign_in(client, "twofa", new_password, "").status_code == 200
    assert sign_in(client, "twofa", new_password, code_for(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_trainers_need_no_second_factor_for_their_packs(client):
    make_user("plaintrainer")
    response = client.post(
        "/accounts/login/", {"username": "plaintrainer", "password": TRAINER_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/packs/"
    assert client.get("/packs/").status_code == 200


def test_admin_login_helper_verifies_the_session(client, editor_user):
    admin_login(client, editor_user)
    assert client.get("/admin/").status_code == 200


def test_partnership_admins_manage_authenticator_devices_with_a_qr_code(client, editor_user):
    group = Group.objects.get(name=PARTNERSHIP_ADMIN)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "add_totpdevice",
        "change_totpdevice",
        "view_totpdevice",
        "delete_totpdevice",
        "view_staticdevice",
        "add_statictoken",
        "view_accessattempt",
        "delete_accessattempt",
    } <= codenames
    manager = make_role_user("padmin", PARTNERSHIP_ADMIN)
    admin_login(client, manager)
    add = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": editor_user.pk,
            "name": "Phone",
            "confirmed": "on",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert add.status_code == 302, text_of(add)[:2000]
    device = TOTPDevice.objects.get(user=editor_user, name="Phone")
    config = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    assert config.status_code == 200 and "otpauth://totp/" in config.content.decode()
    qr = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert "no-store" in qr["Cache-Control"]
    # the editor can now sign in with the code from that device
    client.logout()
    assert sign_in(client, "twofa", PASSWORD, code_for(device)).status_code == 302


def test_editors_cannot_see_anyones_devices(client, editor_user):
    assert not editor_user.has_perm("otp_totp.view_totpdevice")
    admin_login(client, editor_user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403
    assert not Permission.objects.filter(
        group__name=EDITOR, content_type__app_label__in=["otp_totp", "otp_static", "axes"]
    ).exists()


def test_enrol_totp_replaces_the_device_and_prints_the_link(editor_user, capsys):
    old = totp_device(editor_user)
    call_command("enrol_totp", "twofa")
    out = capsys.readouterr().out
    devices = list(TOTPDevice.objects.filter(user=editor_user))
    assert len(devices) == 1 and devices[0].pk != old.pk and devices[0].confirmed
    assert devices[0].config_url in out
    assert "otpauth://totp/" in out and "\u2588" in out  # the link and a QR code


def test_enrol_totp_refuses_unknown_and_non_staff_users(db):
    from django.core.management.base import CommandError

    make_user("notstaff")
    with pytest.raises(CommandError, match="No user called 'ghost'"):
        call_command("enrol_totp", "ghost")
    with pytest.raises(CommandError, match="not staff"):
        call_command("enrol_totp", "notstaff")


def test_create_demo_staff_prints_how_to_enrol(settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_staff", "--username", "demo2fa")
    out = capsys.readouterr().out
    device = TOTPDevice.objects.get(user__username="demo2fa")
    assert device.config_url in out
    call_command("demo_totp_code", "--username", "demo2fa")
    assert re.match(r"\d{6} ", capsys.readouterr().out)


def _parameterless_admin_paths() -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    paths = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            if pattern.pattern.regex.groups or "<" in route:
                continue
            here = prefix + route.lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + here)

    walk(get_resolver().url_patterns, "")
    return sorted(
        p for p in paths if p.startswith("/admin/") and p not in {"/admin/login/", "/admin/logout/"}
    )


def test_every_staff_page_needs_the_second_factor(client, db):
    """Every page under /admin/ (the back office's own pages too) sends a superuser who
    signed in with the password only to the staff sign-in."""
    boss = make_role_user("passwordonly", is_superuser=True)
    totp_device(boss)
    client.force_login(boss)
    paths = _parameterless_admin_paths()
    assert len(paths) > 20 and "/admin/" in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path


def test_partnership_admins_never_touch_a_superusers_second_factor(client, editor_user):
    boss = make_role_user("bigboss", is_superuser=True)
    boss_device = totp_device(boss)
    boss_codes = StaticDevice.objects.create(user=boss, name="Recovery codes")
    staff_device = totp_device(editor_user)
    admin_login(client, make_role_user("padmin2", PARTNERSHIP_ADMIN))

    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert f"/admin/otp_totp/totpdevice/{staff_device.pk}/change/" in listing
    assert f"/admin/otp_totp/totpdevice/{boss_device.pk}/change/" not in listing
    for url in (
        f"/admin/otp_totp/totpdevice/{boss_device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{boss_device.pk}/qrcode/",
        "/admin/otp_totp/totpdevice/999999/config/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/admin/otp_totp/totpdevice/{boss_device.pk}/change/").status_code == 302
    assert client.get(f"/admin/otp_static/staticdevice/{boss_codes.pk}/change/").status_code == 302
    # nor give a superuser a device of their choosing
    add = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": boss.pk,
            "name": "Mine now",
            "confirmed": "on",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert add.status_code == 200
    assert not TOTPDevice.objects.filter(name="Mine now").exists()
