"""Issue 15, finding 8: password reset emails are limited per address and per client, and
the page answers the same whether or not the address has an account, limited or not."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.session_packs.support import make_user

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def post(client, email, address="198.51.100.20"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_twenty_posts_for_one_address_send_at_most_the_per_address_limit(mailoutbox, settings):
    make_user("resetme")
    client = Client()
    responses = [
        post(client, "resetme@example.org.uk", address=f"198.51.100.{n}") for n in range(20)
    ]
    # Every post gets the same answer ...
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, DONE)}
    # ... but only the first few send an email (3 an hour per address by default).
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS == 3


def test_one_client_cannot_send_reset_emails_to_many_addresses(mailoutbox, settings):
    for n in range(15):
        make_user(f"trainer{n}")
    client = Client()
    responses = [post(client, f"trainer{n}@example.org.uk") for n in range(15)]
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, DONE)}
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_CLIENT == 10


def test_the_answer_is_the_same_for_known_unknown_and_limited_addresses(mailoutbox):
    make_user("known")
    client = Client()
    known = [post(client, "known@example.org.uk", address="203.0.113.1") for _ in range(5)]
    unknown = [post(client, "nobody@example.org.uk", address="203.0.113.2") for _ in range(5)]
    answers = {(r.status_code, r["Location"], r.content) for r in known + unknown}
    assert len(answers) == 1
    page = client.get(DONE).content.decode()
    assert "If that address belongs to a trainer account, we have sent it a link" in page
    assert len(mailoutbox) == 3  # the known address, limited; nothing for the unknown one


def test_an_unknown_address_uses_up_its_allowance_like_a_known_one():
    """So the limit does not tell anyone whether an address has an account."""
    client = Client()
    for _ in range(3):
        post(client, "ghost@example.org.uk", address="203.0.113.9")
    from content.ratelimit import RateLimit

    limit = RateLimit("password-reset-address", limit=3, period=3600)
    assert limit.exceeded("ghost@example.org.uk")


def test_addresses_are_counted_whatever_their_case():
    from content.ratelimit import RateLimit

    limit = RateLimit("t-case", limit=2, period=60)
    assert limit.hit("Casey@Example.org.uk") and limit.hit("casey@example.org.uk ")
    assert not limit.hit("CASEY@EXAMPLE.ORG.UK")


def test_the_limiter_counts_in_the_cache_and_forgets_after_its_period(monkeypatch):
    import time

    from content.ratelimit import RateLimit

    now = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    limit = RateLimit("t-period", limit=2, period=60)
    assert [limit.hit("x") for _ in range(3)] == [True, True, False]
    now[0] += 61
    assert limit.hit("x")
