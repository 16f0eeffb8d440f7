"""'Staff sign-in' is in the footer for visitors only: signed-in staff have 'Sign out' in
the header instead. Public pages are kept in the page cache for visitors only, so a kept
page (with the link) is never served to someone signed in, and signing in never changes
what a visitor is served."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

SIGN_IN = 'href="/admin/">Staff sign-in</a>'


@pytest.mark.parametrize("path", ["/", "/practice-points/", "/themes/neglect/", "/glossary/"])
def test_visitors_see_staff_sign_in(client, path):
    html = client.get(path).content.decode()
    assert SIGN_IN in html
    assert "Sign out" not in html


@pytest.mark.parametrize("path", ["/", "/practice-points/", "/themes/neglect/", "/glossary/"])
def test_signed_in_staff_do_not(staff_client, path):
    html = staff_client.get(path).content.decode()
    assert "Sign out" in html
    assert SIGN_IN not in html


@override_settings(PAGE_CACHE_ENABLED=True)
def test_the_page_cache_keeps_each_their_own(staff_client):
    visitor = Client()
    first = visitor.get("/glossary/")
    again = visitor.get("/glossary/")
    assert SIGN_IN in first.content.decode() and SIGN_IN in again.content.decode()
    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    html = staff_client.get("/glossary/").content.decode()
    assert SIGN_IN not in html and "Sign out" in html
    assert SIGN_IN in Client().get("/glossary/").content.decode()
