"""What a practitioner's phone downloads for the finder, and when pages are compressed.

The budget: a first visit to the finder under 150 KB transferred, a repeat visit under
40 KB. Sizes are measured here, not taken from the code: the HTML as the site sends it
with ``Accept-Encoding: gzip``, and every static file the page loads (its stylesheet,
its module scripts and what they import, the images the stylesheet uses) gzipped as
WhiteNoise serves them in production. On a repeat visit the static files come from the
browser's cache (production names them by their hash and serves them as immutable), so
only the HTML travels again.
"""

from __future__ import annotations

import gzip
import re
from pathlib import PurePosixPath

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

FIRST_VISIT_BUDGET = 150 * 1024
REPEAT_VISIT_BUDGET = 40 * 1024


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def static_path(url: str) -> str:
    return url.split("?")[0].removeprefix(settings.STATIC_URL)


def static_files_loaded(html: str) -> set[str]:
    """Every static file the page makes the browser fetch, following imports."""
    queue = re.findall(r'<link rel="(?:stylesheet|icon)"[^>]* href="([^"]+)"', html)
    queue += re.findall(r'<script[^>]* src="([^"]+)"', html)
    queue = [static_path(url) for url in queue if url.startswith(settings.STATIC_URL)]
    seen: set[str] = set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        found = finders.find(path)
        assert found, f"the page loads {path}, which is not a static file"
        text = open(found, "rb").read().decode("utf-8", "replace")
        base = PurePosixPath(path).parent
        if path.endswith((".js", ".mjs")):
            for target in re.findall(r"""(?:import\(|from\s*)['"](\.[^'"]+)['"]""", text):
                queue.append(str(PurePosixPath(base, target)).replace("/./", "/"))
        if path.endswith(".css"):
            for target in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", text):
                if target.startswith(("data:", "#")):
                    continue
                if target.startswith("/"):
                    queue.append(static_path(target))
                    continue
                resolved = PurePosixPath(base, target)
                parts = []
                for part in resolved.parts:
                    if part == "..":
                        parts.pop()
                    elif part != ".":
                        parts.append(part)
                queue.append("/".join(parts))
    return seen


def test_public_pages_are_compressed(seed, client):
    for url in ("/", "/practice-points/", "/themes/neglect/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip", url
        assert len(gzip.decompress(response.content)) > 3 * len(response.content), url


def test_pages_with_a_secret_are_never_compressed(seed, client, django_user_model):
    # The sign-in page carries a CSRF token (BREACH).
    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Content-Encoding" not in response
    # A signed-in person's pages carry their session's CSRF token too.
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    client.force_login(user)
    response = client.get("/practice-points/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_the_finder_keeps_within_its_page_weight_budget(seed, client):
    response = client.get("/practice-points/", HTTP_ACCEPT_ENCODING="gzip")
    html_transferred = len(response.content)
    html = gzip.decompress(response.content).decode()
    files = static_files_loaded(html)
    # The page's own stylesheet and scripts, and the MoJ filter the script imports.
    assert any(path.endswith("application.css") for path in files)
    assert any(path.endswith("moj-frontend.min.js") for path in files)
    assert any(path.endswith("govuk-frontend.min.js") for path in files)
    static_transferred = sum(gzipped_size(open(finders.find(p), "rb").read()) for p in files)
    first_visit = html_transferred + static_transferred
    assert first_visit < FIRST_VISIT_BUDGET, (first_visit, sorted(files))
    print(
        f"finder: first visit {first_visit} bytes ({len(files)} static files), repeat {html_transferred}"
    )
    # A repeat visit fetches the HTML again; the static files come from the cache.
    assert html_transferred < REPEAT_VISIT_BUDGET, html_transferred
