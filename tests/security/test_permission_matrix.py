"""The permission matrix: every URL of the site requested as each kind of user, with the
status each should get. Drafts, archived items and private packs are 404 to everyone who
should not see them; staff pages send everyone else to sign in or refuse them.

A URL added to the site without a row here fails ``test_every_url_is_in_the_matrix``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from content.models import Status
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
from tests.security import matrix_extensions
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
    Row(
        "session_packs:welcome",
        u("session_packs:welcome", "MQ", "bad-token"),
        everyone(200),
        "a trainer's invitation link: an invalid one says so",
    ),
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
        "session_packs:item_undo",
        u("session_packs:item_undo", pk("private_pack")),
        everyone(405),
        "POST only",
    ),
    Row(
        "session_packs:item_undo",
        u("session_packs:item_undo", pk("private_pack")),
        expect(302, None, 404, 403, 403, 403),
        "only the owner undoes a removal",
        method="post",
    ),
    Row(
        "session_packs:new_link",
        u("session_packs:new_link", pk("shared_pack")),
        everyone(405),
        "POST only",
    ),
    Row(
        "session_packs:new_link",
        u("session_packs:new_link", pk("shared_pack")),
        expect(302, None, 404, 403, 403, 403),
        "only the owner makes a new shared link",
        method="post",
    ),
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
        for fmt in ("pdf", "docx", "pptx", "briefing", "briefing-docx")
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
        for fmt in ("pdf", "docx", "pptx", "briefing", "briefing-docx")
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


# --- The admin and the back office -----------------------------------------------------
# What each staff role holds on each admin model: v(iew) a(dd) c(hange) d(elete).
# Anonymous visitors and trainers (not staff) are sent to the admin's sign-in page.
E, P, A = "editor", "publisher", "partnership_admin"
# p: may publish, unpublish and archive (restoring over published content needs it too).
CONTENT = {E: "vac", P: "vacdp", A: "v"}
ADMIN_ACCESS = {
    "themes.theme": CONTENT,
    "themes.agency": CONTENT,
    "themes.practiceweek": CONTENT,
    "themes.glossaryterm": CONTENT,
    "practice_points.review": CONTENT,
    "practice_points.practicepoint": CONTENT,
    "resources.resource": CONTENT,
    "auth.user": {A: "vacd"},
    "auth.group": {A: "v"},
    "admin.logentry": {P: "v", A: "v"},
    "axes.accessattempt": {A: "vd"},
    "axes.accesslog": {},
    "axes.accessfailurelog": {},
    "otp_totp.totpdevice": {A: "vacd"},
    "otp_static.staticdevice": {A: "vacd"},
    "session_packs.sessionpack": {},  # oversight for superusers only
    "search.zeroresultquery": {E: "v", P: "v"},
    "backoffice.brokenresourcelink": {E: "v", P: "v"},
    "backoffice.brokenreviewlink": {E: "v", P: "v"},
    # Roles waiting for a second Partnership admin: seen by Partnership admins; approving
    # and refusing are their own rows below (BACKOFFICE_ROWS).
    "backoffice.rolegrant": {A: "v"},
}


def _superuser_request():
    from types import SimpleNamespace

    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = SimpleNamespace(
        is_active=True, is_staff=True, is_superuser=True, has_perm=lambda *a, **k: True
    )
    return request


def admin_objects(world: dict) -> dict:
    """One object for each admin model's change, history and delete pages."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from practice_points.models import Review
    from resources.models import Resource
    from search.models import ZeroResultQuery
    from themes.models import PracticeWeek

    Resource.objects.filter(pk=world["resource"].pk).update(link_status="broken")
    Review.objects.filter(pk=world["review"].pk).update(link_status="broken")
    world["resource"].refresh_from_db()
    world["review"].refresh_from_db()
    editor = world["users"]["editor"]
    log = LogEntry.objects.log_actions(
        user_id=world["users"]["publisher"].pk,
        queryset=[world["point"]],
        action_flag=CHANGE,
        change_message="Published",
        single_object=True,
    )
    attempt = {"ip_address": "192.0.2.1", "user_agent": "test", "username": "someone"}
    return {
        "themes.theme": world["theme"],
        "themes.agency": world["agency"],
        "themes.practiceweek": PracticeWeek.objects.first(),
        "themes.glossaryterm": world["glossary"],
        "practice_points.review": world["review"],
        "practice_points.practicepoint": world["point"],
        "resources.resource": world["resource"],
        "auth.user": editor,
        "auth.group": Group.objects.get(name=EDITOR),
        "admin.logentry": log,
        "axes.accessattempt": AccessAttempt.objects.create(
            failures_since_start=1, path_info="/admin/login/", **attempt
        ),
        "axes.accesslog": AccessLog.objects.create(path_info="/admin/login/", **attempt),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            path_info="/admin/login/", locked_out=False, **attempt
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.get(user=editor),
        "otp_static.staticdevice": StaticDevice.objects.create(user=editor, name="Backup"),
        "session_packs.sessionpack": world["private_pack"],
        "search.zeroresultquery": ZeroResultQuery.objects.create(
            query="zzz matrix", count=1, date=datetime.date(2026, 1, 5)
        ),
        "backoffice.brokenresourcelink": world["resource"],
        "backoffice.brokenreviewlink": world["review"],
        "backoffice.rolegrant": role_grant(world, "mgrantview"),
    }


def role_grant(world: dict, username: str):
    """A pending grant of Publisher to a new person, asked for by a second Partnership
    admin (so the matrix's Partnership admin may decide it)."""
    from django.contrib.auth.models import Group

    from backoffice.models import RoleGrant

    key = f"grant_{username}"
    if key not in world:
        if "asker" not in world:
            world["asker"] = make_role_user("masker", PARTNERSHIP_ADMIN)
        world[key] = RoleGrant.objects.create(
            user=make_role_user(username),
            group=Group.objects.get(name=PUBLISHER),
            requested_by=world["asker"],
        )
    return world[key]


def _staff_status(allowed: bool) -> int:
    return 200 if allowed else 403


def admin_rows(world: dict) -> list[Row]:
    import reversion
    from django.contrib.auth.models import User
    from reversion.admin import VersionAdmin
    from reversion.models import Version

    superuser = _superuser_request()
    objects = admin_objects_cache(world)
    rows = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        access = ADMIN_ACCESS[label]  # a KeyError here: a new admin model needs a row
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        can_add = model_admin.has_add_permission(superuser)
        can_delete = model_admin.has_delete_permission(superuser)

        def staff(test, access=access) -> dict:
            return expect(302, 302, 302, *(_staff_status(test(access.get(r, ""))) for r in STAFF))

        def viewer(letters):
            return "v" in letters or "c" in letters

        obj = objects[label]
        obj_pk = obj.pk
        rows += [
            Row(f"{info}_changelist", lambda w, i=info: reverse(f"{i}_changelist"), staff(viewer)),
            Row(
                f"{info}_add",
                lambda w, i=info: reverse(f"{i}_add"),
                staff(lambda letters, ok=can_add: ok and "a" in letters),
            ),
            Row(
                f"{info}_change",
                lambda w, i=info, pk=obj_pk: reverse(f"{i}_change", args=[pk]),
                staff(viewer),
            ),
            Row(
                f"{info}_history",
                lambda w, i=info, pk=obj_pk: reverse(f"{i}_history", args=[pk]),
                staff(viewer),
            ),
            Row(
                f"{info}_delete",
                lambda w, i=info, pk=obj_pk: reverse(f"{i}_delete", args=[pk]),
                staff(lambda letters, ok=can_delete: ok and "d" in letters),
            ),
            Row(
                f"{info} object",
                lambda w, i=info, pk=obj_pk: reverse(f"{i}_change", args=[pk]).removesuffix(
                    "change/"
                ),
                expect(302, 302, 302, 302, 302, 302),
                "the old object URL redirects to the change page",
            ),
        ]
        if isinstance(model_admin, VersionAdmin):
            with reversion.create_revision():
                reversion.set_comment("Matrix")
                obj.save()
            version = Version.objects.get_for_object(obj).first()
            # Restoring over published content is the Publisher's: others are sent back
            # to the history with a message (302).
            guarded = getattr(obj, "status", None) == Status.PUBLISHED

            def restore(letters, needs, guarded=guarded):
                if not needs(letters):
                    return 403
                return 302 if guarded and "p" not in letters else 200

            def staff_restore(needs, access=access) -> dict:
                return expect(302, 302, 302, *(restore(access.get(r, ""), needs) for r in STAFF))

            rows += [
                Row(
                    f"{info}_recoverlist",
                    lambda w, i=info: reverse(f"{i}_recoverlist"),
                    staff(lambda letters: "a" in letters and "c" in letters),
                ),
                Row(
                    f"{info}_recover",
                    lambda w, i=info, v=version.pk: reverse(f"{i}_recover", args=[v]),
                    staff_restore(lambda letters: "a" in letters),
                    "recovering needs add",
                ),
                Row(
                    f"{info}_revision",
                    lambda w, i=info, pk=obj_pk, v=version.pk: reverse(
                        f"{i}_revision", args=[pk, v]
                    ),
                    staff_restore(viewer),
                    "view-only staff see an earlier version read-only",
                ),
            ]
        if model is User:
            rows.append(
                Row(
                    "admin:auth_user_password_change",
                    lambda w, pk=obj_pk: reverse("admin:auth_user_password_change", args=[pk]),
                    staff(lambda letters: "c" in letters),
                )
            )
    return rows


def admin_site_rows(world: dict) -> list[Row]:
    from django.contrib.contenttypes.models import ContentType

    point_type = ContentType.objects.get_for_model(world["point"])
    device = admin_objects_cache(world)["otp_totp.totpdevice"]
    return [
        Row("admin:index", u("admin:index"), STAFF_PAGE),
        Row(
            "admin:login",
            u("admin:login"),
            expect(200, 200, 200, 302, 302, 302),
            "trainers see 'not authorised'; staff are sent on",
        ),
        Row(
            "admin:logout",
            u("admin:logout"),
            expect(302, 302, 302, 405, 405, 405),
            "sign out is a POST",
        ),
        Row("admin:password_change", u("admin:password_change"), STAFF_PAGE),
        Row("admin:password_change_done", u("admin:password_change_done"), STAFF_PAGE),
        Row("admin:jsi18n", u("admin:jsi18n"), STAFF_PAGE),
        Row(
            "admin:autocomplete",
            u(
                "admin:autocomplete",
                query="?app_label=practice_points&model_name=practicepoint&field_name=review",
            ),
            STAFF_PAGE,
            "reviews, which every staff role may view",
        ),
        Row(
            "admin:autocomplete",
            u(
                "admin:autocomplete",
                query="?app_label=auth&model_name=user&field_name=groups",
            ),
            expect(302, 302, 302, 403, 403, 200),
            "roles' names: for those who may view them",
        ),
        Row(
            "admin:view_on_site",
            u("admin:view_on_site", point_type.pk, pk("point")),
            everyone(302),
        ),
        Row(
            "admin:app_list",
            u("admin:app_list", "practice_points"),
            STAFF_PAGE,
        ),
        Row(
            "admin:app_list",
            u("admin:app_list", "auth"),
            expect(302, 302, 302, 404, 404, 200),
            "staff see only apps they hold permissions in",
        ),
        Row(
            "admin:session_packs_invite_trainer",
            u("admin:session_packs_invite_trainer"),
            expect(302, 302, 302, 403, 403, 200),
            "inviting a trainer makes an account: those who manage accounts only",
        ),
        Row(
            "admin:otp_totp_totpdevice_config",
            lambda w: reverse("admin:otp_totp_totpdevice_config", args=[device.pk]),
            expect(302, 302, 302, 403, 403, 200),
            "an authenticator's secret: partnership admins only",
        ),
        Row(
            "admin:otp_totp_totpdevice_qrcode",
            lambda w: reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]),
            expect(302, 302, 302, 403, 403, 200),
        ),
        Row(
            "admin catch-all",
            lambda w: "/admin/no/such/page/",
            expect(302, 302, 302, 404, 404, 404),
        ),
    ]


def admin_objects_cache(world: dict) -> dict:
    if "admin_objects" not in world:
        world["admin_objects"] = admin_objects(world)
    return world["admin_objects"]


def _import_job(world: dict):
    """A checked import job of the publisher's, with problems (so it cannot be confirmed)."""
    if "import_job" not in world:
        from backoffice.models import ImportJob

        world["import_job"] = ImportJob.objects.create(
            user=world["users"]["publisher"],
            filename="matrix.csv",
            format="csv",
            text="text,themes\nA point,no-such-theme\n",
            state=ImportJob.State.CHECKED,
            total=1,
            done=1,
            result={"ok": False, "filename": "matrix.csv", "format": "csv", "records": []},
        )
    return world["import_job"].pk


BACKOFFICE_ROWS = [
    Row("backoffice_due_for_review", u("backoffice_due_for_review"), STAFF_PAGE),
    *[
        Row(
            f"admin:backoffice_rolegrant_{decision}",
            lambda w, d=decision: reverse(
                f"admin:backoffice_rolegrant_{d}", args=[role_grant(w, f"mgrant{d}").pk]
            ),
            expect(302, 302, 302, 403, 403, 405),
            "POST only",
        )
        for decision in ("approve", "refuse")
    ],
    *[
        Row(
            f"admin:backoffice_rolegrant_{decision}",
            lambda w, d=decision: reverse(
                f"admin:backoffice_rolegrant_{d}", args=[role_grant(w, f"mgrant{d}").pk]
            ),
            expect(302, 302, 302, 403, 403, 302),
            "a second Partnership admin decides; Editors and Publishers are refused",
            method="post",
        )
        for decision in ("approve", "refuse")
    ],
    Row("backoffice_not_direct_links", u("backoffice_not_direct_links"), STAFF_PAGE),
    Row("backoffice_likely_duplicates", u("backoffice_likely_duplicates"), STAFF_PAGE),
    Row("transfer:import", u("transfer:import"), expect(302, 302, 302, 200, 200, 403)),
    *[
        Row(
            "transfer:import_template",
            u("transfer:import_template", fmt),
            expect(302, 302, 302, 200, 200, 403),
            f"the {fmt} template",
        )
        for fmt in ("csv", "yaml")
    ],
    # An import job is its owner's (here the publisher's): anyone else's is 404.
    Row(
        "transfer:import_job",
        u("transfer:import_job", _import_job),
        expect(302, 302, 302, 404, 200, 403),
        "the owner's job only",
    ),
    Row(
        "transfer:import_job_status",
        u("transfer:import_job_status", _import_job),
        expect(302, 302, 302, 404, 200, 403),
        "the owner's job only",
    ),
    Row(
        "transfer:import_confirm",
        u("transfer:import_confirm", _import_job),
        expect(302, 302, 302, 405, 405, 405),
        "POST only",
    ),
    Row(
        "transfer:import_confirm",
        u("transfer:import_confirm", _import_job),
        expect(302, 302, 302, 404, 302, 403),
        "the owner's job has problems: back to its page, nothing imported",
        method="post",
    ),
    Row("transfer:export", u("transfer:export"), STAFF_PAGE),
    *[
        Row(
            "transfer:export_download",
            u("transfer:export_download", fmt),
            STAFF_PAGE,
            fmt,
        )
        for fmt in ("json", "yaml", "csv")
    ],
    *[
        Row(
            "preview:detail",
            u("preview:detail", kind, pk(key)),
            NOT_FOUND_FOR_PUBLIC_200_FOR_STAFF,
            f"a draft {kind}",
        )
        for kind, key in (
            ("practice-point", "draft"),
            ("practice-point", "archived"),
            ("theme", "draft_theme"),
            ("review", "draft_review"),
            ("resource", "draft_resource"),
            ("glossary", "glossary"),
        )
    ],
]


def test_admin_matrix(world):
    rows = admin_rows(world)
    assert len(rows) > 100
    failures = check(world, rows)
    assert not failures, "\n".join(failures)


def test_admin_site_and_back_office_matrix(world):
    failures = check(world, admin_site_rows(world) + BACKOFFICE_ROWS)
    assert not failures, "\n".join(failures)


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _normal(route: str) -> str:
    return route.replace("^", "").replace("\\Z", "")


def test_every_url_is_in_the_matrix(world):
    """Each of the site's URL patterns is requested by at least one row of the matrix."""
    rows = SITE_ROWS + BACKOFFICE_ROWS + admin_site_rows(world) + admin_rows(world)
    urls = [row.url(world) for row in rows]
    for module in matrix_extensions.MODULES:  # feature apps' own matrices
        urls += import_module(module).matrix_urls(world)
    covered = {_normal(resolve(urlsplit(url).path).route) for url in urls}
    every = {_normal(route) for route in _routes(get_resolver().url_patterns)}
    assert every - covered == set()
    # The size of the matrix, for the record: rows x roles.
    print(f"permission matrix: {len(urls)} URLs (site: {len(rows)} x {len(ROLES)} roles)")


def test_role_change_rules_as_each_role(world):
    """The role-change rules, from the refused side, as each role: nobody gives themselves
    a role; only a Partnership admin gives a role, and Publisher only as a request that
    waits for a second Partnership admin."""
    from django.contrib.auth.models import Group

    from backoffice.models import RoleGrant

    publisher_group = Group.objects.get(name=PUBLISHER)
    expected_status = expect(302, 302, 302, 403, 403, 302)
    for role in ROLES:
        client = world["clients"][role]
        me = world["users"].get(role)
        target = make_role_user(f"mrole{role}")
        for person in (me, target):
            if person is None:
                continue
            before = set(person.groups.values_list("name", flat=True))
            url = reverse("admin:auth_user_change", args=[person.pk])
            data = {
                "username": person.username,
                "email": person.email,
                "is_active": "on",
                "is_staff": "on",
                "groups": [publisher_group.pk],
            }
            response = client.post(url, data)
            if person is target:
                assert response.status_code == expected_status[role], (role, response)
            assert set(person.groups.values_list("name", flat=True)) == before, (role, person)
        waiting = RoleGrant.objects.filter(user=target, status=RoleGrant.Status.PENDING)
        assert waiting.exists() == (role == "partnership_admin"), role
