"""The import pages in a real browser: staff upload a file with problems, then a
large one that the background worker checks and imports while the page follows it by
itself (its script, under the CSP); every page passes axe and fits 320 pixels."""

import csv
import io
import re
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django_otp.oath import totp

from backoffice.transfer.schema import CSV_COLUMNS
from practice_points.models import PracticePoint
from tests.browser.test_session_packs import AXE_TAGS
from tests.roles import PASSWORD, make_role_user, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csv_file(tmp_path, name, rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in CSV_COLUMNS})
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return str(path)


def run_worker() -> None:
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )


def run_worker_while_page_waits(page) -> None:
    """Run the worker; the page's status requests wait meanwhile (the test database is one
    in-memory SQLite shared by threads, where a read during the worker's write fails): a
    routed request goes on only when the test is back in Playwright, after the worker.
    Then the page's script carries on polling and follows the job by itself."""
    page.route("**/status/", lambda route: route.continue_())
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        run_worker()
    page.unroute("**/status/")


def sign_in(page, site):
    # A superuser: browser tests run after others that flush the database, roles included.
    user = make_role_user("importer", is_superuser=True)
    device = totp_device(user)
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("importer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(
        f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/admin/")


def every_node(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [f"{v['id']}: {node['html'][:120]}" for v in result["violations"] for node in v["nodes"]]


def check_page(page, failures: dict, name: str) -> None:
    violations = every_node(page, check_page.axe)
    if violations:
        failures[name] = violations
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        failures[f"{name} at 320 px"] = [f"{width} px wide"]
    page.set_viewport_size(size)


def test_the_import_pages_work_and_pass_axe(page, site, axe_source, settings, tmp_path):
    # Earlier tests flushed the database (content types come back with new ids): the
    # versions the import records must not use ids cached before that.
    ContentType.objects.clear_cache()
    settings.IMPORT_BACKGROUND_ROWS = 5
    check_page.axe = axe_source
    failures = {}
    sign_in(page, site)

    page.goto(site + "/admin/content/import/")
    check_page(page, failures, "upload")

    bad = [
        {"review_slug": "child-b", "review_title": "Child B", "text": "One.", "themes": "nope"},
        {"review_slug": "child-b", "position": "x", "text": "Two.", "agencies": "nobody"},
    ]
    page.get_by_label("File to import").set_input_files(csv_file(tmp_path, "bad.csv", bad))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/admin/content/import/[0-9a-f-]+/$"))
    assert page.get_by_text("Nothing can be imported").is_visible()
    check_page(page, failures, "preview with problems")

    big = [
        {
            "review_slug": "child-l",
            "review_title": "Child L" if index == 1 else "",
            "review_type": "lcspr" if index == 1 else "",
            "position": str(index),
            "text": f"Point {index}.",
            "themes": "neglect",
        }
        for index in range(1, 13)
    ]
    page.goto(site + "/admin/content/import/")
    page.get_by_label("File to import").set_input_files(csv_file(tmp_path, "big.csv", big))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/admin/content/import/[0-9a-f-]+/$"))
    assert page.get_by_text("Checking every row").is_visible()
    # The page's script has taken over the "reload" hint: it follows the job itself.
    page.get_by_text("This page follows the job by itself.").wait_for()
    check_page(page, failures, "progress")

    run_worker_while_page_waits(page)
    confirm = page.get_by_role("button", name="Confirm the import")
    page.wait_for_selector("#import-summary, #import-errors", timeout=15000)  # reloads itself
    assert confirm.is_visible(), page.locator("#content-main").inner_text()[:2000]
    check_page(page, failures, "preview")
    confirm.click()
    page.get_by_text("Importing. Nothing is visible").wait_for()
    run_worker_while_page_waits(page)
    page.get_by_role("heading", name="See what was imported").wait_for(timeout=15000)
    check_page(page, failures, "done")
    assert PracticePoint.objects.filter(review__slug="child-l").count() == 12

    page.get_by_role("link", name="The 12 practice points").click()
    page.wait_for_url(re.compile(r"/admin/practice_points/practicepoint/\?import="))
    assert "12 practice points" in page.locator(".paginator").inner_text()
    assert failures == {}
    page.console_errors.check()
