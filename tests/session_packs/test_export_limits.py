"""Issue 15, finding 3: one shared link must not tie up the site. A pack has a size
limit (items and text) with a clear message; exports render with a per-client and a
global concurrency limit and a timeout; a rendered export is cached until the pack or
its content changes; anonymous export requests are throttled."""

import dataclasses
import threading
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from session_packs import renderers, services
from session_packs.models import ItemKind, PackItem, Visibility
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def patch_format(monkeypatch, key: str, render) -> None:
    """Render one export format with ``render`` (the views read renderers.FORMATS)."""
    monkeypatch.setitem(
        renderers.FORMATS, key, dataclasses.replace(renderers.FORMATS[key], render=render)
    )


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDF renders (the real renderer still runs)."""
    calls = []
    real = renderers.FORMATS["pdf"]

    def counting(export):
        calls.append(export.title)
        return real.render(export)

    patch_format(monkeypatch, "pdf", counting)
    return calls


def export_url(pack, fmt="pdf") -> str:
    return reverse("session_packs:export", args=[pack.pk, fmt])


def shared_export_url(pack, fmt="pdf") -> str:
    return reverse("session_packs:shared_export", args=[pack.share_token, fmt])


# --- Size ------------------------------------------------------------------------------


def test_a_pack_cannot_grow_past_the_item_limit(settings, pack):
    settings.PACK_MAX_ITEMS = pack.items.count()
    with pytest.raises(ValidationError) as refusal:
        services.pack_add_item(pack, kind=ItemKind.FACILITATOR_NOTE, body="One more.")
    assert f"at most {settings.PACK_MAX_ITEMS} items" in " ".join(refusal.value.messages)
    assert pack.items.count() == settings.PACK_MAX_ITEMS


def test_add_to_pack_says_why_it_was_refused(settings, trainer_client, pack):
    settings.PACK_MAX_ITEMS = pack.items.count()
    resource = ResourceFactory(title="One too many")
    response = trainer_client.post(
        reverse("session_packs:add"),
        {"add": f"resource:{resource.pk}", f"pack-resource-{resource.pk}": pack.pk, "next": "/"},
        follow=True,
    )
    assert response.status_code == 200
    assert f"at most {settings.PACK_MAX_ITEMS} items" in response.content.decode()
    assert not pack.items.filter(resource=resource).exists()


def test_a_pack_cannot_hold_more_than_the_text_limit(settings, pack):
    settings.PACK_MAX_TEXT_CHARS = 5000
    with pytest.raises(ValidationError) as refusal:
        services.pack_add_item(pack, kind=ItemKind.FACILITATOR_NOTE, body="word " * 1200)
    assert "too much text" in " ".join(refusal.value.messages)
    item = pack.items.get(kind=ItemKind.REFLECTIVE_QUESTION)
    with pytest.raises(ValidationError):
        services.pack_update_item_notes(item, trainer_notes="note " * 1200, minutes=5)
    item.refresh_from_db()
    assert item.trainer_notes == ""


def test_an_oversized_pack_is_not_exported_and_says_why(settings, trainer_client, pack, renders):
    # Made before the limit existed (or by a bulk insert): the export refuses it.
    PackItem.objects.bulk_create(
        PackItem(pack=pack, position=100 + n, kind=ItemKind.FACILITATOR_NOTE, body=f"Note {n}")
        for n in range(30)
    )
    settings.PACK_MAX_ITEMS = 20
    count = pack.items.count()
    assert count > 20
    for fmt in ("pdf", "docx", "pptx", "briefing"):
        response = trainer_client.get(export_url(pack, fmt))
        assert response.status_code == 400
        page = response.content.decode()
        assert f"{count} items" in page and "at most 20" in page
    assert renders == []


# --- Cache -----------------------------------------------------------------------------


def test_an_export_is_cached_until_the_pack_changes(trainer_client, pack, renders):
    first = trainer_client.get(export_url(pack))
    second = trainer_client.get(export_url(pack))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(renders) == 1
    item = pack.items.get(kind=ItemKind.REFLECTIVE_QUESTION)
    services.pack_update_item_notes(item, trainer_notes="Now with notes", minutes=10)
    assert trainer_client.get(export_url(pack)).status_code == 200
    assert len(renders) == 2


def test_an_export_is_made_again_when_its_content_changes(trainer_client, pack, content, renders):
    assert trainer_client.get(export_url(pack)).status_code == 200
    point = content["points"][1]
    point.text = "Changed by the partnership: ask about every adult."
    point.save()
    response = trainer_client.get(export_url(pack))
    assert len(renders) == 2
    assert response.status_code == 200


# --- Throttle --------------------------------------------------------------------------


def test_anonymous_export_requests_are_throttled(settings, client, pack):
    settings.PACK_EXPORT_ANON_RATE = "3/min"
    pack.visibility = Visibility.SHARED
    pack.save()
    statuses = [client.get(shared_export_url(pack, "docx")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(shared_export_url(pack, "docx"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many downloads" in refused.content.decode()
    # another client is not held back by the first
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert other.get(shared_export_url(pack, "docx")).status_code == 200


def test_the_export_throttle_counts_each_client_behind_the_proxy(settings, pack):
    """Behind the trusted proxy every request comes from the proxy's address: each client
    is counted by the address the proxy saw (not all of them as one), and a client that
    reaches the app directly cannot pick a new address with X-Forwarded-For."""
    settings.PACK_EXPORT_ANON_RATE = "3/min"
    settings.TRUSTED_PROXIES = ["10.20.0.2"]
    pack.visibility = Visibility.SHARED
    pack.save()
    url = shared_export_url(pack, "docx")
    via_proxy = Client(REMOTE_ADDR="10.20.0.2")
    first = [via_proxy.get(url, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code for _ in range(4)]
    assert first == [200, 200, 200, 429]
    # Another practitioner behind the same proxy still gets their download.
    assert via_proxy.get(url, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 200
    direct = Client(REMOTE_ADDR="203.0.113.50")
    forged = [
        direct.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(1, 5)
    ]
    assert forged == [200, 200, 200, 429]


# --- Concurrency and timeout -------------------------------------------------------------


@pytest.fixture
def slow_render(monkeypatch):
    """A PDF render that waits until the test lets it go (at most 5 s)."""
    release = threading.Event()
    started = threading.Event()

    def render(export):
        started.set()
        release.wait(timeout=5)
        return b"%PDF-1.7 slow"

    patch_format(monkeypatch, "pdf", render)
    return started, release


@pytest.mark.django_db(transaction=True)
def test_one_client_gets_one_export_at_a_time_and_the_site_a_few(settings, pack, slow_render):
    settings.PACK_EXPORT_CONCURRENCY = 1
    settings.PACK_EXPORT_CONCURRENCY_PER_CLIENT = 1
    settings.PACK_EXPORT_ANON_RATE = "100/min"
    settings.PACK_EXPORT_TIMEOUT = 10
    pack.visibility = Visibility.SHARED
    pack.save()
    started, release = slow_render
    first: dict = {}

    def first_request():
        first["response"] = Client(REMOTE_ADDR="192.0.2.1").get(shared_export_url(pack))

    thread = threading.Thread(target=first_request)
    thread.start()
    assert started.wait(timeout=5)
    try:
        # The same client again, for another format: refused while its first runs.
        same = Client(REMOTE_ADDR="192.0.2.1").get(shared_export_url(pack, "docx"))
        assert same.status_code == 503 and int(same["Retry-After"]) > 0
        # Another client: refused too, the site's one export slot is taken.
        other = Client(REMOTE_ADDR="192.0.2.2").get(shared_export_url(pack, "docx"))
        assert other.status_code == 503
        assert "try again" in other.content.decode()
    finally:
        release.set()
        thread.join(timeout=10)
    assert first["response"].status_code == 200
    # The slots are free again.
    again = Client(REMOTE_ADDR="192.0.2.2").get(shared_export_url(pack, "docx"))
    assert again.status_code == 200


def test_a_slow_export_times_out_then_is_ready_from_the_cache(
    settings, trainer_client, pack, monkeypatch
):
    settings.PACK_EXPORT_TIMEOUT = 0.3
    calls = []

    def render(export):
        calls.append(1)
        time.sleep(1.0)
        return b"%PDF-1.7 finished"

    patch_format(monkeypatch, "pdf", render)
    waiting = trainer_client.get(export_url(pack))
    assert waiting.status_code == 503
    assert int(waiting["Retry-After"]) > 0
    time.sleep(1.5)
    ready = trainer_client.get(export_url(pack))
    assert ready.status_code == 200 and ready.content == b"%PDF-1.7 finished"
    assert calls == [1]


def test_a_briefing_is_made_again_when_its_themes_resources_change(
    trainer_client, pack, content, monkeypatch
):
    calls = []
    real = renderers.FORMATS["briefing"].render

    def counting(candidates):
        calls.append(1)
        return real(candidates)

    patch_format(monkeypatch, "briefing", counting)
    url = export_url(pack, "briefing")
    assert trainer_client.get(url).status_code == 200
    assert trainer_client.get(url).status_code == 200
    assert len(calls) == 1
    # a new resource on the pack's theme: not in the pack, but in its briefing
    ResourceFactory(title="A new neglect toolkit").themes.add(content["theme"])
    assert trainer_client.get(url).status_code == 200
    assert len(calls) == 2
