"""A corpus of XSS payloads (xss_payloads.txt) in every text field of every model,
then every public page, the API, the session pack pages and every export checked:
no script but the site's own, no event-handler attribute, no javascript:, data: or
vbscript: link; in JSON no "<script", "javascript:" or "onerror=". Typed into the
query string, a payload is never reflected unescaped.

Batched for speed: one object of each model per payload, then each page type fetched
once per object (detail pages) or once for all (list pages).
"""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from content.models import Status
from practice_points.models import Review
from session_packs import exports, services
from session_packs.models import ItemKind, Visibility
from tests.factories import (
    PracticePointFactory,
    PracticeWeekDayFactory,
    PracticeWeekFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)
from tests.roles import admin_login
from tests.session_packs.support import make_user
from themes.models import Agency, GlossaryTerm, Theme, Weekday

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
ESCAPES = {"\\n": "\n", "\\t": "\t", "\\r": "\r", "\\0": "\x00"}


def load_payloads() -> list[str]:
    payloads = []
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        for token, char in ESCAPES.items():
            line = line.replace(token, char)
        payloads.append(line)
    return payloads


PAYLOADS = load_payloads()
CHECKS: Counter = Counter()  # surface -> payloads checked on it


@pytest.fixture(scope="module", autouse=True)
def report_the_checks():
    """After the module's tests, print the (payload x surface) checks made (run with -s).
    A report, not a test: it asserts nothing and depends on no test's order."""
    yield
    total = sum(CHECKS.values())
    print(f"\nXSS corpus: {len(PAYLOADS)} payloads, {total} (payload x surface) checks")
    for surface, count in sorted(CHECKS.items()):
        print(f"  {surface}: {count}")


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}


def normalised_url(value: str | None) -> str:
    """As a browser reads a URL: entities decoded, whitespace and control characters
    dropped, any case."""
    return re.sub(r"[\x00-\x20\x7f-\x9f]", "", html.unescape(value or "")).lower()


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), attrs))

    handle_startendtag = handle_starttag


def assert_safe_page(response, where: str, *, scripts_allowed: bool = True) -> str:
    assert response.status_code in {200, 400, 404}, (where, response.status_code)
    content = response.content.decode()
    csp = response.headers.get("Content-Security-Policy", "")
    assert_safe_html(content, where, csp=csp, scripts_allowed=scripts_allowed)
    return content


def assert_safe_html(
    content: str, where: str, *, csp: str = "", scripts_allowed: bool = True
) -> None:
    nonces = set(re.findall(r"'nonce-([^']+)'", csp))
    parser = Tags()
    parser.feed(content)
    parser.close()
    own_scripts = 0
    for tag, attrs, pairs in parser.tags:
        assert tag not in FORBIDDEN_TAGS, (where, tag)
        if tag == "script":
            assert scripts_allowed, (where, attrs)
            src = attrs.get("src") or ""
            assert src.startswith("/static/"), (where, "script not the site's own", attrs)
            if nonces:
                assert attrs.get("nonce") in nonces, (where, "script without the nonce", attrs)
            own_scripts += 1
        for name, value in pairs:
            assert not name.lower().startswith("on"), (where, tag, name, value)
            if name.lower() in URL_ATTRIBUTES:
                assert not normalised_url(value).startswith(DANGEROUS_SCHEMES), (where, tag, value)
            if name.lower() == "style":
                assert "javascript:" not in normalised_url(value), (where, value)
                assert "expression(" not in normalised_url(value), (where, value)
            if tag == "meta" and name.lower() == "content":
                assert "javascript:" not in normalised_url(value), (where, value)
    # Whatever html.parser made of it, no other "<script" is in the page.
    assert len(re.findall(r"<script", content, re.I)) == own_scripts, where


def assert_safe_json(data, where: str) -> None:
    for text in strings_of(data):
        lowered = text.lower()
        assert "<script" not in lowered, (where, text)
        assert "javascript:" not in normalised_url(text), (where, text)
        assert "onerror=" not in lowered.replace(" ", ""), (where, text)


def strings_of(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from strings_of(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_of(value)


def assert_safe_text(text: str, where: str) -> None:
    lowered = text.lower()
    assert "<script" not in lowered, (where, text[:300])
    assert "javascript:" not in lowered, (where, text[:300])
    assert "onerror=" not in lowered, (where, text[:300])


def assert_http(url: str, where: str) -> None:
    assert normalised_url(url).startswith(("http://", "https://", "mailto:")), (where, url)


def fit(field_owner, name: str, value: str) -> str:
    """``value`` cut to the field's max_length (PostgreSQL refuses longer)."""
    limit = field_owner._meta.get_field(name).max_length
    return value[:limit] if limit else value


def labelled(i: int, payload: str) -> str:
    """The payload after a marker, for fields that must not end up empty."""
    return f"Item {i}: {payload}"


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The API's anonymous throttle (counted in the cache) is cleared between batches
    of requests: this test makes far more than a client may in a minute."""
    cache.clear()
    yield
    cache.clear()


# --- The corpus --------------------------------------------------------------------------


@pytest.fixture
def corpus(db, django_user_model):
    """One published theme, review, point, resource, agency and glossary term (two)
    per payload, with the payload in every text field; agencies saved through the
    admin form."""
    staff = django_user_model.objects.create_user(
        "xss-staff",
        "xss-staff@example.org.uk",
        "a-long-test-password",
        is_staff=True,
        is_superuser=True,
    )
    admin = admin_login(Client(), staff)
    objects = []
    for i, payload in enumerate(PAYLOADS):
        response = admin.post(
            "/admin/themes/agency/add/",
            {
                "name": fit(Agency, "name", labelled(i, payload)),
                "slug": f"xss-agency-{i}",
                "description": payload,
            },
        )
        if "\x00" in payload:  # refused by the form, as Django does
            assert "Null characters are not allowed." in response.content.decode()
            Agency.objects.create(
                name=labelled(i, payload), slug=f"xss-agency-{i}", description=payload
            )
        else:
            assert response.status_code == 302, (payload, response.status_code)
        agency = Agency.objects.get(slug=f"xss-agency-{i}")
        theme = ThemeFactory(
            name=fit(Theme, "name", labelled(i, payload)),
            slug=f"xss-theme-{i}",
            summary=f"XQ{i} " + payload,
            body=payload + "\n\n- " + payload + "\n- XQ" + str(i),
            key_messages=payload + "\n" + payload,
        )
        review = ReviewFactory(
            title=fit(Review, "title", labelled(i, payload)),
            slug=f"xss-review-{i}",
            partnership=fit(Review, "partnership", payload),
            summary=payload,
            source_url=f"https://example.org/review/{i}?q={quote(payload)}"[:500],
        )
        resource = ResourceFactory(
            title=labelled(i, payload)[:300],
            slug=f"xss-resource-{i}",
            publisher=payload[:200],
            summary=payload,
            url=f"https://example.org/resource/{i}?q={quote(payload)}"[:500],
        )
        resource.themes.set([theme])
        point = PracticePointFactory(
            slug=f"xss-point-{i}",
            text=labelled(i, f"XQ{i} {payload}"),
            guidance=payload + f"\n\nXQ{i} again",
            review=review,
            themes=[theme],
            agencies=[agency],
        )
        point.resources.set([resource])
        for term, slug in [(f"XQ{i}", f"xss-acronym-{i}"), (labelled(i, payload), f"xss-term-{i}")]:
            GlossaryTerm.objects.create(
                term=fit(GlossaryTerm, "term", term),
                slug=slug,
                expansion=fit(GlossaryTerm, "expansion", payload),
                definition=payload,
                synonyms=payload,
                status=Status.PUBLISHED,
                published_at=timezone.now(),
            )
        objects.append({"theme": theme, "review": review, "resource": resource, "point": point})
    return objects


# --- Public pages ----------------------------------------------------------------------


def fetch_all_pages(client, path: str, params: dict, where: str) -> list[str]:
    pages, number = [], 1
    while True:
        response = client.get(path, {**params, "page": number})
        if response.status_code == 404 and number > 1:
            return pages
        pages.append(assert_safe_page(response, f"{where} page {number}"))
        if 'rel="next"' not in pages[-1] and "govuk-pagination__next" not in pages[-1]:
            return pages
        number += 1


def test_every_public_page_is_safe_with_the_corpus_in_every_field(corpus):
    client = Client()
    for i, objects in enumerate(corpus):
        for surface, url in [
            ("theme page", objects["theme"].get_absolute_url()),
            ("practice point page", objects["point"].get_absolute_url()),
            ("review page", objects["review"].get_absolute_url()),
        ]:
            content = assert_safe_page(client.get(url), f"{surface} {i}")
            assert f"Item {i}:" in content or f"XQ{i}" in content, (surface, i)
            CHECKS[surface] += 1
    lists = [
        ("home", "/", {}),
        ("themes list", "/themes/", {}),
        ("finder", "/practice-points/", {"page_size": 100}),
        ("finder for an agency", "/practice-points/", {"agency": "xss-agency-1"}),
        ("reviews list", "/reviews/", {}),
        ("resources list", "/resources/", {"page_size": 100}),
        ("glossary", "/glossary/", {}),
        ("accessibility", "/accessibility/", {}),
    ]
    for surface, path, params in lists:
        pages = fetch_all_pages(client, path, params, surface)
        everything = "".join(pages)
        if surface in {"themes list", "finder", "reviews list", "resources list", "glossary"}:
            assert all(f"Item {i}:" in everything for i in range(len(PAYLOADS))), surface
            CHECKS[surface] += len(PAYLOADS)
    for i in range(len(PAYLOADS)):
        # Each payload's objects found by the search (its marker), with their snippets;
        # the payloads typed into the search: test_query_string_payloads_...
        for surface, path, q in [
            ("search results", "/search/", f"XQ{i}"),
            ("finder results", "/practice-points/", f"XQ{i}"),
        ]:
            assert_safe_page(client.get(path, {"q": q}), f"{surface} {i}")
            CHECKS[surface] += 1


def test_the_practice_week_and_its_days_are_safe_with_every_payload(corpus):
    """The current week (starting today, so today is its Monday) on the home page, the
    finder's day filter and its themes' pages, rewritten with each payload in turn."""
    client = Client()
    today = timezone.localdate()
    week = PracticeWeekFactory(start_date=today, slug="xss-week")
    days = {
        weekday: PracticeWeekDayFactory(week=week, weekday=weekday, title=weekday)
        for weekday in Weekday.values
    }
    for i, payload in enumerate(PAYLOADS):
        week.title = labelled(i, payload)[:200]
        week.partnership = payload[:200]
        week.introduction = payload
        week.save()
        for day in days.values():
            day.title = labelled(i, payload)[:200]
            day.introduction = payload
            day.save()
            day.themes.set([corpus[i]["theme"]])
        home = assert_safe_page(client.get("/"), f"home with week {i}")
        assert f"Item {i}:" in home
        assert_safe_page(client.get("/practice-points/", {"day": "monday"}), f"day {i}")
        assert_safe_page(client.get(corpus[i]["theme"].get_absolute_url()), f"week theme {i}")
        CHECKS["practice week and day (home, finder day, theme)"] += 1


# --- The API -------------------------------------------------------------------------


def test_the_api_is_safe_with_the_corpus_in_every_field(corpus):
    client = Client()
    endpoints = ["practice-points", "themes", "reviews", "resources", "agencies"]
    for endpoint in endpoints:
        url, count = f"/api/{endpoint}/?page_size=100", 0
        while url:
            response = client.get(url)
            assert response.status_code == 200, (endpoint, response.content[:300])
            data = response.json()
            assert_safe_json(data, f"api {endpoint} list")
            count += len(data["results"])
            url = data.get("next")
        CHECKS[f"api {endpoint} list"] += len(PAYLOADS)
        assert count >= len(PAYLOADS)
    for i, objects in enumerate(corpus):
        cache.clear()  # the throttle
        for endpoint, key in [
            ("practice-points", objects["point"].pk),
            ("themes", objects["theme"].slug),
            ("reviews", objects["review"].slug),
            ("resources", objects["resource"].pk),
            ("agencies", f"xss-agency-{i}"),
        ]:
            response = client.get(f"/api/{endpoint}/{key}/")
            assert response.status_code == 200, (endpoint, key)
            data = response.json()
            assert_safe_json(data, f"api {endpoint} {i}")
            for field in ("url", "source_url"):
                if data.get(field):
                    assert_http(data[field], f"api {endpoint} {i}")
            CHECKS[f"api {endpoint} detail"] += 1


# --- Session packs ---------------------------------------------------------------------

BATCH = 13  # six items a payload: 78, within a pack's 80-item limit


def build_packs(corpus, owner):
    """For each batch of payloads: a pack with every kind of item (titles, notes and
    questions carrying the payloads), and a one-theme pack for the 7-minute briefing."""
    packs = []
    for start in range(0, len(PAYLOADS), BATCH):
        batch = list(enumerate(PAYLOADS))[start : start + BATCH]
        first, payload = batch[0]
        full = services.pack_create(
            owner=owner,
            title=labelled(first, payload)[:200],
            audience=payload[:300],
            learning_objectives="\n".join(p for _, p in batch),
            visibility=Visibility.SHARED,
        )
        briefing = services.pack_create(
            owner=owner, title=labelled(first, payload)[:200], visibility=Visibility.SHARED
        )
        services.pack_add_item(
            briefing, kind=ItemKind.THEME_OVERVIEW, content=corpus[first]["theme"]
        )
        for i, payload in batch:
            objects = corpus[i]
            for kind, content in [
                (ItemKind.PRACTICE_POINT, objects["point"]),
                (ItemKind.RESOURCE, objects["resource"]),
                (ItemKind.THEME_OVERVIEW, objects["theme"]),
                (ItemKind.REVIEW_SUMMARY, objects["review"]),
            ]:
                services.pack_add_item(full, kind=kind, content=content, trainer_notes=payload)
            for kind in (ItemKind.FACILITATOR_NOTE, ItemKind.TIMED_ACTIVITY):
                services.pack_add_item(
                    full, kind=kind, body=labelled(i, payload), trainer_notes=payload, minutes=5
                )
            services.pack_add_item(
                briefing, kind=ItemKind.REFLECTIVE_QUESTION, body=labelled(i, payload)
            )
            services.pack_add_item(briefing, kind=ItemKind.PRACTICE_POINT, content=objects["point"])
        packs.append((batch, full, briefing))
    return packs


def pdf_text_and_links(data: bytes) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    # (Some fonts' text comes out as UTF-16: drop its NUL bytes.)
    text = " ".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/URI"):
                links.append(str(action["/URI"]))
    return text, links


def docx_text_and_links(data: bytes) -> tuple[str, list[str]]:
    document = Document(io.BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    links = [rel.target_ref for rel in document.part.rels.values() if "hyperlink" in rel.reltype]
    return text, links


def pptx_text_and_links(data: bytes) -> tuple[str, list[str]]:
    deck = Presentation(io.BytesIO(data))
    texts, links = [], []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        texts.append(run.text)
                        if run.hyperlink.address:
                            links.append(run.hyperlink.address)
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts), links


READERS = {"pdf": pdf_text_and_links, "docx": docx_text_and_links, "pptx": pptx_text_and_links}


def test_session_pack_pages_and_exports_are_safe_with_the_corpus(corpus):
    trainer = make_user("xss-trainer")
    owner = Client()
    owner.force_login(trainer)
    anonymous = Client()
    for batch, full, briefing in build_packs(corpus, trainer):
        where = f"pack from payload {batch[0][0]}"
        first = batch[0][0]
        for surface, client, url in [
            ("pack page (owner)", owner, full.get_absolute_url()),
            ("pack page (shared link)", anonymous, full.get_shared_url()),
            ("briefing pack page", owner, briefing.get_absolute_url()),
            ("pack list", owner, "/packs/"),
        ]:
            content = assert_safe_page(client.get(url), f"{surface}, {where}")
            assert f"Item {first}:" in content, (surface, where)
            CHECKS[surface] += len(batch)
        # The HTML WeasyPrint is given: no markup from the content.
        handout = render_to_string(
            "session_packs/exports/handout.html", {"pack": exports.pack_export(full)}
        )
        assert_safe_html(handout, f"handout HTML, {where}", scripts_allowed=False)
        CHECKS["PDF handout HTML"] += len(batch)
        for fmt, reader in READERS.items():
            urls = [(owner, f"{full.get_absolute_url()}export/{fmt}/")]
            if fmt == "docx":  # the shared link's exports are the same documents
                urls.append((anonymous, f"{full.get_shared_url()}export/{fmt}/"))
            for client, url in urls:
                response = client.get(url)
                assert response.status_code == 200, (fmt, where, response.status_code)
                text, links = reader(response.content)
                assert_safe_text(text, f"{fmt}, {where}")
                assert f"Item {first}:" in text, (fmt, where)
                for link in links:
                    assert_http(link, f"{fmt} link, {where}")
            CHECKS[f"{fmt} export"] += len(batch)
        response = owner.get(f"{briefing.get_absolute_url()}export/briefing/")
        assert response.status_code == 200, (where, response.content[:300])
        text, links = pdf_text_and_links(response.content)
        assert_safe_text(text, f"briefing, {where}")
        for link in links:
            assert_http(link, f"briefing link, {where}")
        CHECKS["7-minute briefing"] += len(batch)


# --- Typed into the query string --------------------------------------------------------

REFLECTING = [
    ("/practice-points/", "q"),
    ("/practice-points/", "theme"),
    ("/practice-points/", "agency"),
    ("/practice-points/", "day"),
    ("/practice-points/", "review"),
    ("/practice-points/", "page"),
    ("/practice-points/", "page_size"),
    ("/search/", "q"),
    ("/search/", "kind"),
    ("/glossary/", "q"),
    ("/reviews/", "partnership"),
    ("/reviews/", "review_type"),
    ("/resources/", "q"),
    ("/resources/", "theme"),
    ("/resources/", "resource_type"),
    ("/themes/", "kind"),
]
API_FILTERS = [
    ("/api/practice-points/", "theme"),
    ("/api/practice-points/", "agency"),
    ("/api/practice-points/", "q"),
    ("/api/practice-points/", "page"),
    ("/api/practice-points/", "page_size"),
    ("/api/resources/", "theme"),
    ("/api/resources/", "resource_type"),
    ("/api/themes/", "kind"),
    ("/api/reviews/", "review_type"),
]


ALWAYS = {("/practice-points/", "q"), ("/search/", "q"), ("/glossary/", "q")}
ROTATE = 4  # every other parameter gets every 4th payload (each payload, some parameters)


def test_query_string_payloads_are_never_reflected_unescaped(seed):
    client = Client()
    for i, payload in enumerate(PAYLOADS):
        for j, (path, name) in enumerate(REFLECTING):
            if (path, name) not in ALWAYS and (i + j) % ROTATE:
                continue
            response = client.get(path, {name: payload})
            content = assert_safe_page(response, f"{path}?{name}= payload {i}")
            if "<" in payload or '"' in payload:
                assert payload not in content, (path, name, payload)
            CHECKS["query string on pages"] += 1
        cache.clear()  # the throttle
        for j, (path, name) in enumerate(API_FILTERS):
            if j and (i + j) % ROTATE:
                continue
            response = client.get(path, {name: payload})
            assert response.status_code in {200, 400, 404}, (path, name, response.status_code)
            assert response["Content-Type"].startswith("application/json"), (path, name)
            # An error may name the value it refused: as JSON, never as markup.
            body = response.content.decode()
            assert "<" not in body and ">" not in body, (path, name, body[:300])
            if response.status_code == 200:
                assert_safe_json(json.loads(body), f"{path}?{name}= payload {i}")
            CHECKS["query string on the API"] += 1


# Each family of attack the corpus must hold (a payload can belong to several).
FAMILIES = {
    "script element": r"<\s*script",
    "mixed-case or split script": r"<ScRiPt|<scr<script>|<<script>",
    "event handler attribute": r"\bon[a-z]+\s*=",
    "javascript: link": r"(?i)javascript:",
    "data: link": r"(?i)data:text/html",
    "vbscript: link": r"(?i)vbscript:",
    "entity-encoded": r"&#x?[0-9a-f]+;",
    "svg": r"<svg",
    "iframe, object or embed": r"<(iframe|object|embed)",
    "Markdown link": r"\]\(",
    "control character": "[\x00\t\n\r]",
}


def test_the_corpus_is_large_distinct_and_holds_every_family_of_attack():
    """The file read independently of load_payloads(): every non-comment line is a
    payload, none is lost or repeated, and every family of attack is there."""
    lines = [
        line
        for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("# ")
    ]
    assert len(PAYLOADS) == len(lines) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS), "a payload is repeated"
    for family, pattern in FAMILIES.items():
        assert any(re.search(pattern, payload) for payload in PAYLOADS), family
