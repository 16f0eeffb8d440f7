"""Every response carries the Content-Security-Policy and the other security headers; every
script on our pages carries that response's nonce; signed-in pages are never cached."""

import re

import pytest
from django.test import Client
from django.urls import path, reverse

from session_packs import services
from session_packs.models import ItemKind
from tests.factories import PracticePointFactory
from tests.session_packs.support import make_user

pytestmark = pytest.mark.django_db

EXPECTED_DIRECTIVES = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def nonce_of(response) -> str | None:
    script_src = policy(response)["script-src"]
    nonces = [v[len("'nonce-") : -1] for v in script_src if v.startswith("'nonce-")]
    assert len(nonces) <= 1
    return nonces[0] if nonces else None


def script_tags(response) -> list[str]:
    return re.findall(r"<script\b[^>]*>", response.content.decode())


def assert_security_headers(response):
    directives = policy(response)
    for name, values in EXPECTED_DIRECTIVES.items():
        assert directives[name] == values, name
    assert directives["script-src"][0] == "'self'"
    assert not any("unsafe" in v for values in directives.values() for v in values)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def assert_every_script_has_the_nonce(response):
    nonce = nonce_of(response)
    tags = script_tags(response)
    assert tags, "expected the page's scripts"
    assert nonce, "a page with scripts must send a nonce"
    for tag in tags:
        assert f'nonce="{nonce}"' in tag, tag


@pytest.fixture
def trainer_pack(client, seed):
    trainer = make_user("csptrainer")
    pack = services.pack_create(owner=trainer, title="Curiosity", audience="Health visitors")
    for point in PracticePointFactory.create_batch(2):
        services.pack_add_item(pack, kind=ItemKind.PRACTICE_POINT, content=point, minutes=5)
    client.force_login(trainer)
    return pack


def test_a_public_page(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert_every_script_has_the_nonce(response)
    # anonymous public pages may be cached
    assert "no-store" not in response.get("Cache-Control", "")


def test_each_response_has_its_own_nonce(client, seed):
    first, second = client.get("/"), client.get("/")
    assert nonce_of(first) and nonce_of(second) and nonce_of(first) != nonce_of(second)


def test_the_404_page(client, seed):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert_every_script_has_the_nonce(response)


def test_the_api_and_its_docs(client, seed):
    response = client.get("/api/themes/")
    assert response.status_code == 200
    assert_security_headers(response)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert_security_headers(docs)
    assert_every_script_has_the_nonce(docs)
    assert "<style" not in docs.content.decode()


def test_a_pack_page_with_its_reorder_script(client, trainer_pack):
    response = client.get(trainer_pack.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)
    assert_every_script_has_the_nonce(response)
    assert any("pack-reorder.mjs" in tag for tag in script_tags(response))
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_trainer_sign_in_page_is_not_cached(client, seed):
    response = client.get("/accounts/login/")
    assert_security_headers(response)
    assert_every_script_has_the_nonce(response)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_admin_pages(staff_client, seed):
    for url in (
        reverse("admin:index"),
        reverse("admin:practice_points_practicepoint_add"),
        reverse("admin:themes_theme_changelist"),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        # The admin's scripts are Django's own files from this site (/static/admin/...,
        # /admin/jsi18n/), allowed by 'self': no inline script, none from elsewhere.
        tags = script_tags(response)
        assert tags
        for tag in tags:
            src = re.search(r'src="([^"]+)"', tag)
            assert src and src.group(1).startswith("/") and not src.group(1).startswith("//"), tag


def test_the_admin_sign_in_page(client, seed):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


def _broken_view(request):
    raise RuntimeError("secret detail")


urlpatterns = [path("boom/", _broken_view)]


@pytest.mark.urls(__name__)
def test_the_500_page_has_the_headers_and_no_script(db):
    """Django renders 500.html with no context: it says nothing of the error, and has no
    script, so nothing for the policy to refuse."""
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert_security_headers(response)
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "secret detail" not in html and "RuntimeError" not in html
    assert script_tags(response) == []
