"""Issue 15, findings 5 and 12: history pages look versions up by model as well as id; a
change form POST without its hidden version is refused; our own CSRF failure page; an
unsafe or non-admin ``next=`` after admin sign-in; the API's caching revalidates."""

import re

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from reversion.models import Version

from content.models import Status
from practice_points.models import PracticePoint
from tests.backoffice.change_forms import change_url, form_data
from tests.factories import AgencyFactory, PracticePointFactory, ThemeFactory
from tests.roles import PASSWORD, PUBLISHER, admin_login, make_role_user, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher_admin():
    return admin_login(Client(), make_role_user("hpublisher", PUBLISHER))


# --- 5. History pages: the version must be of this model ---------------------------------


def _version_of(obj, comment="Saved"):
    with reversion.create_revision():
        reversion.set_comment(comment)
        obj.save()
    return Version.objects.get_for_object(obj).first()


def test_a_history_page_does_not_show_or_restore_another_models_version(publisher_admin):
    agency = AgencyFactory(name="Agency with an id")
    theme = ThemeFactory(name="Theme with the same id")
    # Make a theme version whose object_id is the agency's id: the shape of the attack
    # (/admin/themes/agency/1/history/48/ where version 48 is of another model).
    theme_version = _version_of(theme)
    Version.objects.filter(pk=theme_version.pk).update(object_id=str(agency.pk))
    _version_of(agency)  # the agency has versions of its own

    url = reverse("admin:themes_agency_revision", args=[agency.pk, theme_version.pk])
    assert publisher_admin.get(url).status_code == 404
    response = publisher_admin.post(url, {"name": "Overwritten", "slug": "overwritten"})
    assert response.status_code == 404
    agency.refresh_from_db()
    assert agency.name == "Agency with an id"

    # Its own version still opens.
    own = Version.objects.get_for_object(agency).first()
    own_url = reverse("admin:themes_agency_revision", args=[agency.pk, own.pk])
    assert publisher_admin.get(own_url).status_code == 200


# --- 12a. A change form POST without the hidden version is refused -----------------------


def test_a_change_form_post_without_the_version_is_refused(publisher_admin):
    point = PracticePointFactory(status=Status.DRAFT, text="The saved wording.")
    url = change_url(point)
    data = form_data(publisher_admin.get(url), text="A script's overwrite.")
    for key in [k for k in data if k.startswith("opened_")]:
        del data[key]
    response = publisher_admin.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "This page was not sent back as it was shown" in response.content.decode()
    point.refresh_from_db()
    assert point.text == "The saved wording."

    # The form as the page shows it still saves.
    data = form_data(publisher_admin.get(url), text="An edit made in the page.")
    assert publisher_admin.post(url, data).status_code == 302
    assert PracticePoint.objects.get(pk=point.pk).text == "An edit made in the page."


# --- 12b. CSRF failure page -------------------------------------------------------------


def test_a_csrf_failure_is_our_own_page_with_no_inline_style():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<style" not in html.lower()
    assert not re.search(r"\sstyle=", html)
    assert "govuk-template" in html  # our layout
    assert "session has expired" in html.lower() or "could not be sent" in html.lower()
    # Scripts carry this response's CSP nonce.
    policy = response["Content-Security-Policy"]
    for nonce in re.findall(r'<script[^>]*nonce="([^"]+)"', html):
        assert f"'nonce-{nonce}'" in policy


# --- 12c. After admin sign-in, an unsafe or non-admin next= goes to the admin home -----------


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "/packs/", "/"]
)
def test_admin_sign_in_with_an_unsafe_next_lands_on_the_admin_home(next_url):
    user = make_role_user("nextadmin", PUBLISHER)
    device = totp_device(user)
    client = Client()
    code = f"{totp(device.bin_key):06d}"
    response = client.post(
        reverse("admin:login") + "?next=" + next_url,
        {"username": user.username, "password": PASSWORD, "otp_token": code, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def _sign_in_with_next(user, device, target):
    return Client().post(
        reverse("admin:login"),
        {
            "username": user.username,
            "password": PASSWORD,
            "otp_token": f"{totp(device.bin_key):06d}",
            "next": target,
        },
    )


def test_admin_sign_in_keeps_a_safe_admin_next():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_role_user("nextadmin2", PUBLISHER)
    device = totp_device(user)
    point = PracticePointFactory()
    admin_home = reverse("admin:index")
    # Staff pages: the admin, evidence of use's staff pages, assurance, the preview.
    kept = [
        reverse("admin:practice_points_practicepoint_changelist"),
        "/admin/evidence/good-practice/",
        "/assurance/",
        "/assurance/plans/?page=2",
        f"/preview/practice_point/{point.pk}/",
    ]
    # Other hosts, public and trainers' pages, and ways out of a staff area.
    refused = [
        "https://evil.example.org/assurance/",
        "//evil.example.org/admin/",
        "/packs/",
        "/",
        point.get_absolute_url(),
        "/assurancex/",
        "/assurance/../packs/",
        "/assurance/%2e%2e/packs/",
        "/evidence/record/",
        "javascript:alert(1)//assurance/",
    ]
    for target in kept + refused:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the same code again
        response = _sign_in_with_next(user, device, target)
        assert response.status_code == 302, target
        expected = target if target in kept else admin_home
        assert response["Location"] == expected, target


# --- 12d. The API's caching: revalidate, never kept by shared caches ------------------------


def test_api_responses_must_be_revalidated_so_an_unpublished_item_is_not_served(seed, client):
    point = PracticePointFactory(status=Status.PUBLISHED)
    url = f"/api/practice-points/{point.pk}/"
    first = client.get(url)
    assert first.status_code == 200
    directives = {d.strip() for d in first["Cache-Control"].split(",")}
    assert "no-cache" in directives
    assert not any(d.startswith(("max-age", "s-maxage")) and d != "max-age=0" for d in directives)
    assert first["ETag"]
    # A cache revalidating gets a 304 while unchanged ...
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # ... and a 404 as soon as the item is unpublished.
    PracticePoint.objects.filter(pk=point.pk).update(status=Status.DRAFT)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
