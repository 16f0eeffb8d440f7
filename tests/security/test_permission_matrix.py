"""The permission matrix: every URL of the site requested as each kind of user, with the
status each should get. Drafts, archived items and private packs are 404 to everyone who
should not see them; staff pages send everyone else to sign in or refuse them.

A URL added to the site without a row here fails ``test_every_url_is_in_the_matrix``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reviews_toolkit.content import Status
from session_packs import services as pack_services
from session_packs.models import ItemKind, Visibility
from tests.factories import (
    AgencyFactory,
    PracticePointFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)
from tests.roles import EDITOR, PARTNERSHIP_ADMIN, PUBLISHER, admin_login, make_role_user
from tests.session_packs.support import make_user
from themes.models import GlossaryTerm

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "trainer", "other_trainer", "editor", "publisher", "partnership_admin")
STAFF = ("editor", "publisher", "partnership_admin")


def expect(anonymous, trainer, other_trainer, editor, publisher, partnership_admin) -> dict:
    return dict(
        zip(
            ROLES,
            (anonymous, trainer, other_trainer, editor, publisher, partnership_admin),
            strict=True,
        )
    )


def everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


# Signed out -> sign in (302); a trainer -> 200; staff who are not trainers -> 403.
TRAINERS_ONLY = expect(302, 200, 200, 403, 403, 403)
OWNER_ONLY = expect(302, 200, 404, 403, 403, 403)
LISTED_PACK = expect(302, 200, 200, 403, 403, 403)
# Staff pages: not signed in or not staff -> the admin's sign-in page.
STAFF_PAGE = expect(302, 302, 302, 200, 200, 200)
NOT_FOUND_FOR_PUBLIC_200_FOR_STAFF = expect(404, 404, 404, 200, 200, 200)
SIGNED_IN = expect(302, 200, 200, 200, 200, 200)
SIGNED_OUT_ONLY = expect(200, 302, 302, 302, 302, 302)


@dataclass
class Row:
    name: str  # the URL's name, namespaced
    url: Callable[[dict], str]
    expected: dict
    note: str = ""
    method: str = "get"
    data: dict | None = None


@pytest.fixture
def world(db, seed):
    cache.clear()
    theme = ThemeFactory(name="Matrix theme", slug="matrix-theme")
    draft_theme = ThemeFactory(name="Draft theme", slug="matrix-draft", status=Status.DRAFT)
    review = ReviewFactory(title="Child M", slug="child-m")
    draft_review = ReviewFactory(title="Child Draft", slug="child-draft", status=Status.DRAFT)
    agency = AgencyFactory(name="Matrix agency", slug="matrix-agency")
    resource = ResourceFactory(title="Matrix resource")
    draft_resource = ResourceFactory(title="Draft resource", status=Status.DRAFT)
    point = PracticePointFactory(review=review, themes=[theme], agencies=[agency])
    draft = PracticePointFactory(text="A draft point", status=Status.DRAFT, themes=[theme])
    in_review = PracticePointFactory(text="In review", status=Status.IN_REVIEW)
    archived = PracticePointFactory(text="An archived point", status=Status.ARCHIVED)
    glossary = GlossaryTerm.objects.create(
        term="MATRIX", slug="matrix", expansion="A draft term", status=Status.DRAFT
    )

    trainer = make_user("mtrainer")
    other_trainer = make_user("mother")
    private_pack = pack_services.pack_create(
        owner=trainer, title="Private pack", duration_minutes=30
    )
    pack_services.pack_add_item(private_pack, kind=ItemKind.THEME_OVERVIEW, content=theme)
    pack_services.pack_add_item(private_pack, kind=ItemKind.PRACTICE_POINT, content=point)
    pack_services.pack_add_item(
        private_pack, kind=ItemKind.REFLECTIVE_QUESTION, body="Reflect.", minutes=5
    )
    listed_pack = pack_services.pack_create(
        owner=trainer, title="Listed pack", duration_minutes=30, visibility=Visibility.LISTED
    )
    shared_pack = pack_services.pack_create(
        owner=trainer, title="Shared pack", duration_minutes=30, visibility=Visibility.SHARED
    )
    pack_services.pack_add_item(shared_pack, kind=ItemKind.THEME_OVERVIEW, content=theme)

    users = {
        "trainer": trainer,
        "other_trainer": other_trainer,
        "editor": make_role_user("meditor", EDITOR),
        "publisher": make_role_user("mpublisher", PUBLISHER),
        "partnership_admin": make_role_user("madmin", PARTNERSHIP_ADMIN),
    }
    clients = {"anonymous": Client()}
    for role, user in users.items():
        client = Client()
        if role in STAFF:
            admin_login(client, user)
        else:
            client.force_login(user)
        clients[role] = client
    return {
        "theme": theme,
        "draft_theme": draft_theme,
        "review": review,
        "draft_review": draft_review,
        "agency": agency,
        "resource": resource,
        "draft_resource": draft_resource,
        "point": point,
        "draft": draft,
        "in_review": in_review,
        "archived": archived,
        "glossary": glossary,
        "private_pack": private_pack,
        "item": private_pack.items.order_by("position").last(),
        "listed_pack": listed_pack,
        "shared_pack": shared_pack,
        "users": users,
        "clients": clients,
    }


def u(name: str, *args, query: str = "", **kwargs) -> Callable[[dict], str]:
    """A URL builder: positional args are keys into the world (their pk or slug)."""

    def build(world: dict) -> str:
        resolved = [a(world) if callable(a) else a for a in args]
        resolved_kwargs = {k: (v(world) if callable(v) else v) for k, v in kwargs.items()}
        return reverse(name, args=resolved, kwargs=resolved_kwargs) + query

    return build


def pk(key: str):
    return lambda world: world[key].pk


def slug(key: str):
    return lambda world: world[key].slug


def token(key: str):
    return lambda world: world[key].share_token


PUBLIC_ROWS = [
    Row("home", u("home"), everyone(200)),
    Row("accessibility", u("accessibility"), everyone(200)),
    Row("healthz", u("healthz"), everyone(200)),
    Row("themes:list", u("themes:list"), everyone(200)),
    Row("themes:detail", u("themes:detail", slug("theme")), everyone(200), "published"),
    Row("themes:detail", u("themes:detail", slug("draft_theme")), everyone(404), "draft"),
    Row("practice_points:finder", u("practice_points:finder"), everyone(200)),
    Row("practice_points:detail", u("practice_points:detail", pk("point")), everyone(200)),
    Row("practice_points:detail", u("practice_points:detail", pk("draft")), everyone(404), "draft"),
    Row(
        "practice_points:detail",
        u("practice_points:detail", pk("in_review")),
        everyone(404),
        "in review",
    ),
    Row(
        "practice_points:detail",
        u("practice_points:detail", pk("archived")),
        everyone(404),
        "archived",
    ),
    Row("reviews:list", u("reviews:list"), everyone(200)),
    Row("reviews:detail", u("reviews:detail", slug("review")), everyone(200)),
    Row("reviews:detail", u("reviews:detail", slug("draft_review")), everyone(404), "draft"),
    Row("resources:list", u("resources:list"), everyone(200)),
    Row("search:search", u("search:search", query="?q=matrix"), everyone(200)),
    Row("glossary", u("glossary"), everyone(200)),
]

API_ROWS = [
    Row("api:api-root", u("api:api-root"), everyone(200)),
    Row("api:api-root", lambda w: "/api/.json", everyone(200), "format suffix"),
    Row("api:schema", u("api:schema"), everyone(200)),
    Row("api:docs", u("api:docs"), everyone(200)),
    Row("api:practice-point-list", u("api:practice-point-list"), everyone(200)),
    Row(
        "api:practice-point-list",
        lambda w: reverse("api:practice-point-list", kwargs={"format": "json"}),
        everyone(200),
        "format suffix",
    ),
    Row("api:practice-point-detail", u("api:practice-point-detail", pk("point")), everyone(200)),
    Row(
        "api:practice-point-detail",
        u("api:practice-point-detail", pk("draft")),
        everyone(404),
        "draft",
    ),
    Row(
        "api:practice-point-detail",
        u("api:practice-point-detail", pk("archived")),
        everyone(404),
        "archived",
    ),
    Row(
        "api:practice-point-detail",
        lambda w: reverse(
            "api:practice-point-detail", kwargs={"pk": w["point"].pk, "format": "json"}
        ),
        everyone(200),
        "format suffix",
    ),
    Row("api:theme-list", u("api:theme-list"), everyone(200)),
    Row(
        "api:theme-list",
        lambda w: reverse("api:theme-list", kwargs={"format": "json"}),
        everyone(200),
    ),
    Row("api:theme-detail", u("api:theme-detail", slug("theme")), everyone(200)),
    Row("api:theme-detail", u("api:theme-detail", slug("draft_theme")), everyone(404), "draft"),
    Row(
        "api:theme-detail",
        lambda w: reverse("api:theme-detail", kwargs={"slug": w["theme"].slug, "format": "json"}),
        everyone(200),
    ),
    Row("api:review-list", u("api:review-list"), everyone(200)),
    Row(
        "api:review-list",
        lambda w: reverse("api:review-list", kwargs={"format": "json"}),
        everyone(200),
    ),
    Row("api:review-detail", u("api:review-detail", slug("review")), everyone(200)),
    Row("api:review-detail", u("api:review-detail", slug("draft_review")), everyone(404), "draft"),
    Row(
        "api:review-detail",
        lambda w: reverse("api:review-detail", kwargs={"slug": w["review"].slug, "format": "json"}),
        everyone(200),
    ),
    Row("api:resource-list", u("api:resource-list"), everyone(200)),
    Row(
        "api:resource-list",
        lambda w: reverse("api:resource-list", kwargs={"format": "json"}),
        everyone(200),
    ),
    Row("api:resource-detail", u("api:resource-detail", pk("resource")), everyone(200)),
    Row(
        "api:resource-detail",
        u("api:resource-detail", pk("draft_resource")),
        everyone(404),
        "draft",
    ),
    Row(
        "api:resource-detail",
        lambda w: reverse("api:resource-detail", kwargs={"pk": w["resource"].pk, "format": "json"}),
        everyone(200),
    ),
    Row("api:agency-list", u("api:agency-list"), everyone(200)),
    Row(
        "api:agency-list",
        lambda w: reverse("api:agency-list", kwargs={"format": "json"}),
        everyone(200),
    ),
    Row("api:agency-detail", u("api:agency-detail", slug("agency")), everyone(200)),
    Row(
        "api:agency-detail",
        lambda w: reverse("api:agency-detail", kwargs={"slug": w["agency"].slug, "format": "json"}),
        everyone(200),
    ),
]

ACCOUNT_ROWS = [
    Row("login", u("login"), SIGNED_OUT_ONLY, "signed-in users are sent on"),
    Row("logout", u("logout"), everyone(405), "GET is refused: sign out is a POST"),
    Row("password_change", u("password_change"), SIGNED_IN),
    Row("password_change_done", u("password_change_done"), SIGNED_IN),
    Row("password_reset", u("password_reset"), everyone(200)),
    Row("password_reset_done", u("password_reset_done"), everyone(200)),
    Row(
        "password_reset_confirm",
        u("password_reset_confirm", "MQ", "bad-token"),
        everyone(200),
        "an invalid link says so",
    ),
    Row("password_reset_complete", u("password_reset_complete"), everyone(200)),
]

PACK_ROWS = [
    Row("session_packs:list", u("session_packs:list"), TRAINERS_ONLY),
    Row("session_packs:new", u("session_packs:new"), TRAINERS_ONLY),
    Row("session_packs:add", u("session_packs:add"), everyone(405), "POST only"),
    Row(
        "session_packs:add",
        u("session_packs:add"),
        expect(302, None, None, 403, 403, 403),
        method="post",
    ),
    Row("session_packs:from_theme", u("session_packs:from_theme"), everyone(405), "POST only"),
    Row(
        "session_packs:from_theme",
        u("session_packs:from_theme"),
        expect(302, None, None, 403, 403, 403),
        method="post",
    ),
    Row("session_packs:detail", u("session_packs:detail", pk("private_pack")), OWNER_ONLY),
    Row("session_packs:detail", u("session_packs:detail", pk("listed_pack")), LISTED_PACK),
    Row("session_packs:edit", u("session_packs:edit", pk("private_pack")), OWNER_ONLY),
    Row("session_packs:edit", u("session_packs:edit", pk("listed_pack")), OWNER_ONLY, "listed"),
    Row("session_packs:delete", u("session_packs:delete", pk("private_pack")), OWNER_ONLY),
    Row(
        "session_packs:duplicate",
        u("session_packs:duplicate", pk("private_pack")),
        everyone(405),
        "POST only",
    ),
    Row(
        "session_packs:duplicate",
        u("session_packs:duplicate", pk("private_pack")),
        expect(302, None, 404, 403, 403, 403),
        "another trainer cannot copy a private pack",
        method="post",
    ),
    Row(
        "session_packs:reorder",
        u("session_packs:reorder", pk("private_pack")),
        everyone(405),
        "POST only",
    ),
    Row(
        "session_packs:reorder",
        u("session_packs:reorder", pk("private_pack")),
        expect(302, None, 404, 403, 403, 403),
        method="post",
    ),
    Row(
        "session_packs:item_add",
        u("session_packs:item_add", pk("private_pack")),
        everyone(405),
        "POST only",
    ),
    Row(
        "session_packs:item_add",
        u("session_packs:item_add", pk("private_pack")),
        expect(302, None, 404, 403, 403, 403),
        method="post",
        data={"kind": "facilitator_note", "body": "Not yours"},
    ),
    Row(
        "session_packs:item_move",
        u("session_packs:item_move", pk("private_pack"), pk("item")),
        everyone(405),
        "POST only",
    ),
    Row(
        "session_packs:item_move",
        u("session_packs:item_move", pk("private_pack"), pk("item")),
        expect(302, None, 404, 403, 403, 403),
        method="post",
        data={"direction": "up"},
    ),
    Row(
        "session_packs:item_edit",
        u("session_packs:item_edit", pk("private_pack"), pk("item")),
        OWNER_ONLY,
    ),
    Row(
        "session_packs:item_remove",
        u("session_packs:item_remove", pk("private_pack"), pk("item")),
        everyone(405),
        "POST only",
    ),
    Row(
        "session_packs:item_remove",
        u("session_packs:item_remove", pk("private_pack"), pk("item")),
        expect(302, None, 404, 403, 403, 403),
        method="post",
    ),
    *[
        Row(
            "session_packs:export",
            u("session_packs:export", pk("private_pack"), fmt),
            OWNER_ONLY,
            fmt,
        )
        for fmt in ("pdf", "docx", "pptx", "briefing")
    ],
    Row(
        "session_packs:export",
        u("session_packs:export", pk("listed_pack"), "docx"),
        LISTED_PACK,
        "listed",
    ),
    Row("session_packs:shared", u("session_packs:shared", token("shared_pack")), everyone(200)),
    Row(
        "session_packs:shared",
        u("session_packs:shared", token("private_pack")),
        everyone(404),
        "a private pack's token shares nothing",
    ),
    *[
        Row(
            "session_packs:shared_export",
            u("session_packs:shared_export", token("shared_pack"), fmt),
            everyone(200),
            fmt,
        )
        for fmt in ("pdf", "docx", "pptx", "briefing")
    ],
    Row(
        "session_packs:shared_export",
        u("session_packs:shared_export", token("private_pack"), "docx"),
        everyone(404),
        "private",
    ),
]

SITE_ROWS = PUBLIC_ROWS + API_ROWS + ACCOUNT_ROWS + PACK_ROWS


def row_id(row: Row) -> str:
    return f"{row.method} {row.name}" + (f" ({row.note})" if row.note else "")


def check(world: dict, rows: list[Row]) -> list[str]:
    """Every row as every role; the mismatches, described."""
    failures = []
    for row in rows:
        url = row.url(world)
        for role in ROLES:
            if row.expected[role] is None:  # the owner's own changes are tested elsewhere
                continue
            client = world["clients"][role]
            cache.clear()  # the API's throttle counts by address: not what is tested here
            response = getattr(client, row.method)(url, row.data or {})
            if response.status_code != row.expected[role]:
                failures.append(
                    f"{row.method.upper()} {url} as {role}: got {response.status_code}, "
                    f"expected {row.expected[role]}"
                )
            signed_in_page = role != "anonymous" and not row.name.startswith("api:")
            if signed_in_page and response.status_code == 200:
                assert "no-store" in response.get("Cache-Control", ""), (url, role)
    return failures


@pytest.mark.parametrize(
    "rows",
    [PUBLIC_ROWS, API_ROWS, ACCOUNT_ROWS, PACK_ROWS],
    ids=["public", "api", "accounts", "packs"],
)
def test_site_matrix(world, rows):
    failures = check(world, rows)
    assert not failures, "\n".join(failures)
