"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Chromium missing is a failure, never a skip: `make test` installs it (see Makefile
`browser-deps`), and CI must run these tests.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import _load_seed
from themes.models import Theme

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = Path(__file__).with_name("axe.min.js")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Browser tests flush the database when they end (they share it with a live server):
    run them after the others."""
    browser = [item for item in items if "browser" in item.keywords]
    others = [item for item in items if "browser" not in item.keywords]
    items[:] = others + browser


@pytest.fixture(scope="session")
def playwright_browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
            "Chromium (apt-get install -y chromium; `make test` does this)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server):
    """The live site with the seed content (reloaded after a flush)."""
    if not Theme.objects.exists():
        _load_seed()
    return live_server.url


class ConsoleErrors(list):
    def check(self):
        assert list(self) == [], f"browser console errors: {list(self)}"


# Every page reports Content-Security-Policy violations (init scripts run whatever the
# policy says): a violation fails the test, so the browser tests run with the CSP enforced.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} on ` +
    `${event.documentURI} (${event.sourceFile || '?'}:${event.lineNumber})`
  )
})
"""


def _watch(page, errors, violations):
    def on_console(msg):
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            violations.append(msg.text)
        if msg.type == "error":
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


@pytest.fixture
def page(playwright_browser, site):
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    errors = ConsoleErrors()
    violations = []
    context.expose_function("reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    # popups (the admin's "add another") are watched too
    context.on("page", lambda popup: _watch(popup, errors, violations))
    page = context.new_page()
    # Exit this page leaves for an outside site; this machine has no internet, so
    # answer for that site locally (and only that one).
    context.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<html><title>BBC Weather</title></html>"
        ),
    )
    page.console_errors = errors
    page.csp_violations = violations
    yield page
    context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets` to copy axe-core from npm")
    return AXE.read_text(encoding="utf-8")
