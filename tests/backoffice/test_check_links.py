"""The link checker against a real HTTP server on 127.0.0.1, and its broken-link lists in
the admin.

Every run is limited to the test server's links (``url_prefix`` or explicit querysets), so
the seed content's real internet links are never fetched; the tests check that the seed
items were left unchecked and that the server saw exactly the expected requests.
"""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from backoffice.linkcheck import AddressPolicy, links_check
from content.models import LinkCheckStatus, Status
from practice_points.models import Review
from resources.models import Resource
from tests.factories import ResourceFactory, ReviewFactory
from tests.roles import TRAINER, admin_login, make_role_user

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5
# How long the slow paths hold each request, so that concurrent fetches overlap.
HOLD = 0.1


class LinkServer(ThreadingHTTPServer):
    """Answers a fixed set of paths and records every request and how many connections
    were open at once."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), LinkHandler)
        self.lock = threading.Lock()
        self.seen: list[tuple[str, str]] = []
        self.user_agents: set[str] = set()
        self.active = 0
        self.max_active = 0
        self.release = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def paths(self, method: str) -> list[str]:
        return sorted(path for m, path in self.seen if m == method)


class LinkHandler(BaseHTTPRequestHandler):
    server: LinkServer

    def do_HEAD(self):
        self.answer("HEAD")

    def do_GET(self):
        self.answer("GET")

    def answer(self, method: str):
        # Requests in flight: from the request line read to the reply about to be sent
        # (a client cannot send its next request before it has this one's reply, so a
        # connection still closing is not counted as a second one).
        with self.server.lock:
            self.server.seen.append((method, self.path))
            self.server.user_agents.add(self.headers.get("User-Agent", ""))
            self.server.active += 1
            self.server.max_active = max(self.server.max_active, self.server.active)
        self.respond(method)

    def respond(self, method: str):
        path = self.path
        if path in ("/", "/ok") or path.startswith("/page/"):
            self.reply(200)
        elif path == "/to-home":
            self.reply(302, location="/")
        elif path.startswith("/slow/"):
            self.server.release.wait(HOLD)
            self.reply(200)
        elif path == "/moved":
            self.reply(301, location="/ok")
        elif path == "/missing":
            self.reply(404)
        elif path == "/error":
            self.reply(500)
        elif path == "/no-head":
            self.reply(405 if method == "HEAD" else 200)
        elif path == "/hang":
            self.server.release.wait(10)  # far longer than the checker waits
            self.reply(200)
        elif path == "/to-loopback":
            self.reply(302, location=self.server.url("/ok"))
        elif path == "/to-file":
            self.reply(302, location="file:///etc/passwd")
        elif path == "/loop":
            self.reply(302, location="/loop")
        else:
            self.reply(404)

    def reply(self, code: int, location: str | None = None):
        with self.server.lock:
            self.server.active -= 1  # the answer is on its way: no longer in flight
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server():
    httpd = LinkServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def allow_local(settings):
    settings.LINK_CHECKER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    return settings


def run_check_links(server, **options) -> str:
    out = io.StringIO()
    call_command("check_links", url_prefix=server.base_url, timeout=TIMEOUT, stdout=out, **options)
    return out.getvalue()


def fresh(item):
    item.refresh_from_db()
    return item


@pytest.fixture
def links(server, seed):
    """One item per kind of answer, in every status (staff fix drafts too)."""
    return {
        "ok": ResourceFactory(title="Working procedure", url=server.url("/ok")),
        "moved": ResourceFactory(
            title="Moved briefing", url=server.url("/moved"), status=Status.DRAFT
        ),
        "missing": ResourceFactory(title="Missing guide", url=server.url("/missing")),
        "error": ReviewFactory(
            title="Child Error", source_url=server.url("/error"), status=Status.IN_REVIEW
        ),
        "no_head": ReviewFactory(
            title="Child NoHead", source_url=server.url("/no-head"), status=Status.ARCHIVED
        ),
        "hang": ResourceFactory(title="Hanging video", url=server.url("/hang")),
    }


def test_check_links_records_what_each_link_answers(server, links, allow_local):
    output = run_check_links(server)

    ok, moved, missing = fresh(links["ok"]), fresh(links["moved"]), fresh(links["missing"])
    error, no_head, hang = fresh(links["error"]), fresh(links["no_head"]), fresh(links["hang"])

    assert (ok.link_status, ok.link_status_code, ok.link_error) == ("ok", 200, "")
    assert ok.link_final_url == server.url("/ok")
    assert (moved.link_status, moved.link_status_code) == ("redirected", 200)
    assert moved.link_final_url == server.url("/ok")
    assert (missing.link_status, missing.link_status_code) == ("broken", 404)
    assert missing.link_error == "404 Not Found"
    assert (error.link_status, error.link_status_code) == ("broken", 500)
    assert error.link_error == "500 Internal Server Error"
    assert (no_head.link_status, no_head.link_status_code) == ("ok", 200)
    assert (hang.link_status, hang.link_status_code) == ("broken", None)
    assert hang.link_error == "Timed out after 0.5 s"
    for item in (ok, moved, missing, error, no_head, hang):
        assert item.link_checked_at is not None

    assert "6 checked (6 distinct URLs), 2 ok, 1 redirected, 3 broken" in output
    assert "Missing guide" in output and "404 Not Found" in output
    assert "Child Error" in output and "Hanging video" in output
    assert "Working procedure" not in output


def test_head_first_then_get_only_when_head_fails(server, links, allow_local):
    run_check_links(server)

    # HEAD for everything; GET only where HEAD was refused (404, 500, 405) or timed out.
    assert server.paths("HEAD") == sorted(
        ["/ok", "/moved", "/ok", "/missing", "/error", "/no-head", "/hang"]
    )
    assert server.paths("GET") == sorted(["/missing", "/error", "/no-head", "/hang"])
    (user_agent,) = server.user_agents
    assert "Learning" in user_agent and django_settings.FEEDBACK_EMAIL in user_agent


def test_only_the_test_servers_links_are_fetched(server, links, allow_local):
    run_check_links(server)

    # The seed content's real links were neither fetched nor marked.
    others = Resource.objects.exclude(url__startswith=server.base_url)
    assert others.exists()
    assert not others.filter(link_checked_at__isnull=False).exists()
    assert not Review.objects.exclude(source_url__startswith=server.base_url).filter(
        link_checked_at__isnull=False
    )
    assert {path for _, path in server.seen} == {
        "/ok",
        "/moved",
        "/missing",
        "/error",
        "/no-head",
        "/hang",
    }


def test_recording_a_result_is_not_an_edit(server, links, allow_local):
    item = links["missing"]
    before = (item.version, item.updated_at)
    history = Version.objects.filter(object_id=str(item.pk)).count()

    run_check_links(server)

    item = fresh(item)
    assert item.link_status == LinkCheckStatus.BROKEN
    assert (item.version, item.updated_at) == before
    assert Version.objects.filter(object_id=str(item.pk)).count() == history


def test_each_distinct_url_is_fetched_once(server, seed, allow_local):
    shared = server.url("/page/shared")
    items = [ResourceFactory(url=shared), ResourceFactory(url=shared)]
    review = ReviewFactory(source_url=shared)

    output = run_check_links(server)

    assert server.seen == [("HEAD", "/page/shared")]
    assert "3 checked (1 distinct URLs), 3 ok" in output
    for item in [*items, review]:
        assert fresh(item).link_status == LinkCheckStatus.OK


def test_reviews_without_a_link_are_not_checked(server, seed, allow_local):
    review = ReviewFactory(source_url="")
    links_check(resources=Resource.objects.none(), reviews=Review.objects.filter(pk=review.pk))
    assert fresh(review).link_status == LinkCheckStatus.UNCHECKED
    assert server.seen == []


def test_concurrency_is_bounded_by_the_setting(server, seed, allow_local):
    allow_local.LINK_CHECKER_CONCURRENCY = 2
    for n in range(8):
        ResourceFactory(url=server.url(f"/slow/{n}"))

    output = run_check_links(server)

    assert "8 checked (8 distinct URLs), 8 ok" in output
    assert len(server.paths("HEAD")) == 8
    assert 1 <= server.max_active <= 2


def test_concurrency_option_overrides_the_setting(server, seed, allow_local):
    allow_local.LINK_CHECKER_CONCURRENCY = 8
    for n in range(6):
        ResourceFactory(url=server.url(f"/slow/{n}"))

    run_check_links(server, concurrency=1)

    assert server.max_active == 1
    assert len(server.seen) == 6


def test_only_broken_checks_again_just_the_broken_links(server, links, allow_local):
    run_check_links(server)
    server.seen.clear()
    Resource.objects.filter(pk=links["missing"].pk).update(url=server.url("/ok"))

    output = run_check_links(server, only_broken=True)

    # The three broken ones only: /missing now points at /ok and works.
    assert server.paths("HEAD") == ["/error", "/hang", "/ok"]
    assert fresh(links["missing"]).link_status == LinkCheckStatus.OK
    assert "3 checked (3 distinct URLs), 1 ok, 0 redirected, 2 broken" in output


def test_limit_caps_the_urls_fetched_least_recently_checked_first(server, links, allow_local):
    Resource.objects.exclude(pk=links["ok"].pk).update(link_checked_at="2025-01-01T00:00Z")
    Review.objects.update(link_checked_at="2025-01-01T00:00Z")

    output = run_check_links(server, limit=1)

    assert server.seen == [("HEAD", "/ok")]
    assert output.startswith("1 checked (1 distinct URLs), 1 ok")


def test_too_many_redirects_is_broken(server, seed, allow_local):
    item = ResourceFactory(url=server.url("/loop"))
    run_check_links(server)
    item = fresh(item)
    assert item.link_status == LinkCheckStatus.BROKEN
    assert item.link_error == "Too many redirects (more than 5)"
    assert item.link_status_code == 302
    # The first request and five redirects, each checked, then it stops.
    assert server.paths("HEAD") == ["/loop"] * 6


# --- SSRF: only public addresses, only http(s) --------------------------------------------


def test_without_the_allow_list_local_addresses_are_refused(server, links, settings):
    assert django_settings.LINK_CHECKER_ALLOWED_PRIVATE_HOSTS == []

    output = run_check_links(server)

    assert server.seen == []
    for item in links.values():
        item = fresh(item)
        assert item.link_status == LinkCheckStatus.BROKEN
        assert item.link_error == "Refused: private address (127.0.0.1, loopback)"
        assert item.link_status_code is None
    assert "6 checked (6 distinct URLs), 0 ok, 0 redirected, 6 broken" in output


def test_host_names_are_resolved_and_refused_when_local(server, seed, settings):
    item = ResourceFactory(url=f"http://localhost:{server.server_address[1]}/ok")
    links_check(resources=Resource.objects.filter(pk=item.pk), reviews=Review.objects.none())
    item = fresh(item)
    assert item.link_status == LinkCheckStatus.BROKEN
    assert item.link_error.startswith("Refused: private address (")
    assert server.seen == []


def test_a_redirect_to_a_local_address_from_an_allowed_host_is_refused(server, seed, settings):
    settings.LINK_CHECKER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    item = ResourceFactory(url=f"http://localhost:{server.server_address[1]}/to-loopback")

    links_check(resources=Resource.objects.filter(pk=item.pk), reviews=Review.objects.none())

    item = fresh(item)
    assert item.link_status == LinkCheckStatus.BROKEN
    assert item.link_error == "Refused: private address (127.0.0.1, loopback)"
    assert item.link_final_url == server.url("/ok")
    # The allowed host was asked; the address it redirected to never was.
    assert server.seen == [("HEAD", "/to-loopback")]


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("ftp://127.0.0.1:{port}/ok", "ftp"), ("file:///etc/passwd", "file")],
)
def test_only_http_and_https_links_are_fetched(server, seed, allow_local, url, scheme):
    item = ResourceFactory()
    Resource.objects.filter(pk=item.pk).update(url=url.format(port=server.server_address[1]))

    links_check(resources=Resource.objects.filter(pk=item.pk), reviews=Review.objects.none())

    item = fresh(item)
    assert item.link_status == LinkCheckStatus.BROKEN
    assert item.link_error == f"Refused: only http and https links are checked ({scheme})"
    assert server.seen == []


def test_a_redirect_to_another_scheme_is_refused(server, seed, allow_local):
    item = ResourceFactory(url=server.url("/to-file"))

    links_check(resources=Resource.objects.filter(pk=item.pk), reviews=Review.objects.none())

    item = fresh(item)
    assert item.link_status == LinkCheckStatus.BROKEN
    assert item.link_error == "Refused: only http and https links are checked (file)"
    assert item.link_final_url == "file:///etc/passwd"
    assert server.seen == [("HEAD", "/to-file")]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.2", "loopback"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not public"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1%1", "link-local"),
        ("fd00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:7f00:1::", "loopback"),
    ],
)
def test_non_public_addresses_are_refused(address, kind):
    policy = AddressPolicy.from_entries(["127.0.0.1"])
    refusal = policy.refusal("example.org", address)
    assert refusal is not None and refusal.endswith(f", {kind})")


@pytest.mark.parametrize("address", ["93.184.215.14", "151.101.0.144", "2a04:4e42::144"])
def test_public_addresses_are_fetched(address):
    assert AddressPolicy.from_entries([]).refusal("example.org", address) is None


def test_the_allow_list_takes_addresses_networks_and_host_names():
    policy = AddressPolicy.from_entries(["127.0.0.1", "10.20.0.0/16", "Intranet.Example."])
    assert policy.refusal("127.0.0.1", "127.0.0.1") is None
    assert policy.refusal("x", "10.20.3.4") is None
    assert policy.refusal("intranet.example", "192.168.0.9") is None
    assert policy.refusal("x", "127.0.0.2") is not None
    assert policy.refusal("x", "10.21.0.1") is not None


def test_the_allow_list_is_empty_by_default():
    assert django_settings.LINK_CHECKER_ALLOWED_PRIVATE_HOSTS == []


# --- The broken-link lists in the admin ---------------------------------------------------


RESOURCES_LIST = "admin:backoffice_brokenresourcelink_changelist"
REVIEWS_LIST = "admin:backoffice_brokenreviewlink_changelist"


@pytest.fixture
def checked(server, links, allow_local):
    run_check_links(server)
    return links


@pytest.mark.parametrize("client_fixture", ["publisher_client", "editor_client"])
def test_staff_see_the_broken_links(request, checked, client_fixture):
    client = request.getfixturevalue(client_fixture)

    page = client.get(reverse(RESOURCES_LIST))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Broken links: resources" in html
    assert "Missing guide" in html and "404 Not Found" in html
    assert "Hanging video" in html and "Timed out after 0.5 s" in html
    assert "Working procedure" not in html and "Moved briefing" not in html
    edit_url = reverse("admin:resources_resource_change", args=[checked["missing"].pk])
    assert f'href="{edit_url}"' in html

    page = client.get(reverse(REVIEWS_LIST))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Child Error" in html and "500 Internal Server Error" in html
    assert "Child NoHead" not in html
    edit_url = reverse("admin:practice_points_review_change", args=[checked["error"].pk])
    assert f'href="{edit_url}"' in html


@pytest.mark.parametrize("client_fixture", ["publisher_client", "editor_client"])
def test_the_lists_are_read_only(request, checked, client_fixture):
    client = request.getfixturevalue(client_fixture)
    html = client.get(reverse(RESOURCES_LIST)).content.decode()
    assert "Check these links again" in html
    assert reverse("admin:backoffice_brokenresourcelink_add") not in html
    assert "delete_selected" not in html
    assert client.get(reverse("admin:backoffice_brokenresourcelink_add")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, checked):
    for name in (RESOURCES_LIST, REVIEWS_LIST):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_trainers_are_sent_to_sign_in(client, checked):
    client.force_login(make_role_user("trainer", TRAINER, is_staff=False))
    for name in (RESOURCES_LIST, REVIEWS_LIST):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("client_fixture", ["publisher_client", "editor_client"])
def test_check_these_links_again(request, server, checked, client_fixture):
    client = request.getfixturevalue(client_fixture)
    missing, hang = checked["missing"], checked["hang"]
    Resource.objects.filter(pk=missing.pk).update(url=server.url("/page/fixed"))
    server.seen.clear()

    response = client.post(
        reverse(RESOURCES_LIST),
        {"action": "check_again", "_selected_action": [missing.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert server.seen == [("HEAD", "/page/fixed")]
    assert fresh(missing).link_status == LinkCheckStatus.OK
    assert fresh(hang).link_status == LinkCheckStatus.BROKEN
    html = response.content.decode()
    assert "Checked 1 link(s): 1 now work, 0 still broken." in html
    assert "Missing guide" not in html and "Hanging video" in html


def test_staff_who_may_only_view_cannot_check_again(client, server, checked):
    viewer = make_role_user("viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_brokenresourcelink"),
    )
    admin_login(client, viewer)
    server.seen.clear()

    page = client.get(reverse(RESOURCES_LIST))
    assert page.status_code == 200
    assert "Missing guide" in page.content.decode()
    assert "Check these links again" not in page.content.decode()

    client.post(
        reverse(RESOURCES_LIST),
        {"action": "check_again", "_selected_action": [checked["missing"].pk]},
    )
    assert server.seen == []


def test_staff_without_the_permission_are_refused(partnership_admin_client, checked):
    assert partnership_admin_client.get(reverse(RESOURCES_LIST)).status_code == 403


# --- Not a direct link: a site's home page, or another publisher's site ----------------


@pytest.fixture
def indirect(server, seed):
    return {
        "home": ResourceFactory(
            title="Home page guide", url=server.url("/"), publisher="Test Partnership"
        ),
        "to_home": ResourceFactory(
            title="Redirected guide", url=server.url("/to-home"), publisher="Test Partnership"
        ),
        "other_site": ResourceFactory(
            title="Leeds leaflet",
            url=server.url("/page/leaflet"),
            publisher="Leeds Safeguarding Children Partnership",
        ),
        "own_site": ResourceFactory(
            title="Own site leaflet", url=server.url("/page/own"), publisher="Test Partnership"
        ),
        "labelled": ResourceFactory(
            title="Labelled home page",
            url=server.url("/"),
            publisher="Test Partnership",
            link_kind="publisher_website",
        ),
    }


@pytest.fixture
def partnership_owns_the_server(allow_local):
    allow_local.LINK_CHECKER_PUBLISHER_SITES = {"Test Partnership": ["127.0.0.1"]}
    return allow_local


def test_check_links_reports_home_pages_and_other_publishers_sites(
    server, indirect, partnership_owns_the_server
):
    output = run_check_links(server)

    assert "Not a direct link (4)" in output
    section = output[output.index("Not a direct link") :]
    assert "'Home page guide': It is the home page of 127.0.0.1." in section
    assert "'Redirected guide': It lands on the home page of 127.0.0.1." in section
    assert (
        "'Leeds leaflet': The publisher is ‘Leeds Safeguarding Children Partnership’ but "
        "the link goes to 127.0.0.1." in section
    )
    assert "'Labelled home page'" in section  # still reported: it is not the document
    assert "Own site leaflet" not in section
    assert fresh(indirect["to_home"]).link_final_url == server.url("/")


@pytest.mark.parametrize("client_fixture", ["publisher_client", "editor_client"])
def test_the_admin_lists_them_as_not_a_direct_link(
    request, server, indirect, partnership_owns_the_server, client_fixture
):
    run_check_links(server)
    client = request.getfixturevalue(client_fixture)
    page = client.get(reverse("backoffice_not_direct_links"))
    assert page.status_code == 200
    html = page.content.decode()
    attention = html[
        html.index('id="not-direct-attention"') : html.index('id="not-direct-labelled"')
    ]
    labelled = html[html.index('id="not-direct-labelled"') :]
    for key in ("home", "to_home", "other_site"):
        item = indirect[key]
        assert item.title in attention
        assert reverse("admin:resources_resource_change", args=[item.pk]) in attention
    assert "Own site leaflet" not in html
    assert "Labelled home page" in labelled and "Labelled home page" not in attention
    assert "lands on the home page" in attention


def test_not_a_direct_link_is_not_for_trainers(server, indirect, client, db):
    trainer = make_role_user("trainer-ndl", TRAINER, is_staff=False)
    admin_login(client, trainer)
    page = client.get(reverse("backoffice_not_direct_links"))
    assert page.status_code in (302, 403)
