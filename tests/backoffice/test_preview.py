"""Staff preview of content in any status: the public page as it would look, with a
banner, to staff allowed to view that content; a 404 to everyone else."""

import pytest
from django.urls import reverse

from content.models import Status
from tests.factories import (
    PracticePointFactory,
    PracticeWeekDayFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)
from tests.roles import TRAINER, admin_login, make_role_user
from themes.models import GlossaryTerm

pytestmark = pytest.mark.django_db

KINDS = ["theme", "practice-point", "review", "resource", "practice-week", "glossary"]


def preview(kind, obj):
    return reverse("preview:detail", kwargs={"kind": kind, "pk": obj.pk})


@pytest.fixture
def drafts():
    """One unpublished item of each kind, with the words its page shows."""
    review = ReviewFactory(title="Child Zed draft review", status=Status.DRAFT)
    return {
        "theme": (ThemeFactory(name="Draft theme Zymurgy", status=Status.DRAFT), "Zymurgy"),
        "practice-point": (
            PracticePointFactory(
                text="Draft point about Quillwort.", review=review, status=Status.IN_REVIEW
            ),
            "Quillwort",
        ),
        "review": (review, "Child Zed draft review"),
        "resource": (
            ResourceFactory(title="Archived Yarrow briefing", status=Status.ARCHIVED),
            "Yarrow briefing",
        ),
        "practice-week": (
            PracticeWeekDayFactory(
                week__title="Draft Wombat practice week", week__status=Status.DRAFT
            ).week,
            "Draft Wombat practice week",
        ),
        "glossary": (
            GlossaryTerm.objects.create(
                term="ZYQ", slug="zyq", expansion="Zany Yellow Quince", status=Status.DRAFT
            ),
            "Zany Yellow Quince",
        ),
    }


@pytest.mark.parametrize("kind", KINDS)
def test_staff_preview_unpublished_content_with_a_banner(editor_client, drafts, kind):
    obj, words = drafts[kind]
    response = editor_client.get(preview(kind, obj))
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert "govuk-notification-banner" in page
    assert "the public cannot see it" in page
    status_words = {
        Status.DRAFT: "this is a draft",
        Status.IN_REVIEW: "this item is in review",
        Status.ARCHIVED: "this item is archived",
    }[obj.status]
    assert f"Preview: {status_words}; the public cannot see it." in page
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]


def test_the_preview_uses_the_public_page(staff_client, seed):
    theme = ThemeFactory(name="Draft theme Quagga", summary="Summary of Quagga.", status="draft")
    page = staff_client.get(preview("theme", theme)).content.decode()
    assert "Summary of Quagga." in page and "Key messages" not in page
    assert 'class="govuk-breadcrumbs"' in page and "Practice points" in page


def test_a_published_item_preview_says_it_is_public(staff_client):
    theme = ThemeFactory(name="Live theme Narwhal")
    page = staff_client.get(preview("theme", theme)).content.decode()
    assert "this item is published; the public can see it" in page


@pytest.mark.parametrize("kind", KINDS)
def test_anyone_else_gets_a_404(client, drafts, kind, django_user_model):
    obj, _ = drafts[kind]
    url = preview(kind, obj)
    assert client.get(url).status_code == 404  # anonymous: no redirect to sign in
    trainer = make_role_user("t", TRAINER, is_staff=False)
    admin_login(client, trainer)
    assert client.get(url).status_code == 404
    no_permission = make_role_user("staff-without-permission", is_staff=True)
    admin_login(client, no_permission)
    assert client.get(url).status_code == 404


def test_unknown_kinds_and_items_are_404(staff_client):
    theme = ThemeFactory(status=Status.DRAFT)
    assert staff_client.get(f"/preview/widget/{theme.pk}/").status_code == 404
    assert staff_client.get(f"/preview/theme/{theme.pk + 10_000}/").status_code == 404


def test_drafts_stay_off_the_public_pages(client, drafts):
    theme, _ = drafts["theme"]
    point, _ = drafts["practice-point"]
    review, _ = drafts["review"]
    assert client.get(theme.get_absolute_url()).status_code == 404
    assert client.get(point.get_absolute_url()).status_code == 404
    assert client.get(review.get_absolute_url()).status_code == 404
    assert "Draft Wombat practice week" not in client.get(reverse("home")).content.decode()
    resources = client.get(reverse("resources:list")).content.decode()
    assert "Yarrow briefing" not in resources
    assert "Zany Yellow Quince" not in client.get(reverse("glossary")).content.decode()


def test_the_admin_links_to_the_preview_or_the_public_page(editor_client):
    draft = ThemeFactory(status=Status.DRAFT)
    page = editor_client.get(reverse("admin:themes_theme_change", args=[draft.pk]))
    assert f'href="{preview("theme", draft)}"' in page.content.decode()
    published = ThemeFactory()
    page = editor_client.get(reverse("admin:themes_theme_change", args=[published.pk]))
    assert f'href="{published.get_absolute_url()}"' in page.content.decode()
