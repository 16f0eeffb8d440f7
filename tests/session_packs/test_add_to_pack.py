"""The "Add to pack" forms on finder results, practice point, theme and review pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from session_packs import services
from session_packs.models import ItemKind, SessionPack
from tests.factories import AgencyFactory, PracticePointFactory, ReviewFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FINDER = reverse("practice_points:finder")


def pages(content):
    return {
        "finder": f"{FINDER}?theme={content['theme'].slug}",
        "point": content["points"][0].get_absolute_url(),
        "theme": content["theme"].get_absolute_url(),
        "review": content["review"].get_absolute_url(),
    }


def test_trainers_see_the_form_on_each_kind_of_page(trainer_client, content):
    for name, url in pages(content).items():
        html = trainer_client.get(url).content.decode()
        assert 'class="app-add-to-pack"' in html, name
        assert 'form id="app-add-to-pack" method="post" action="/packs/add/"' in html, name
    finder = trainer_client.get(pages(content)["finder"]).content.decode()
    assert finder.count('class="app-add-to-pack"') == 3
    for point in content["points"]:
        assert f'name="add" value="practice_point:{point.pk}"' in finder
    theme = trainer_client.get(pages(content)["theme"]).content.decode()
    assert f'value="theme_overview:{content["theme"].pk}"' in theme
    assert "Start a 30-minute session on this theme" in theme
    review = trainer_client.get(pages(content)["review"]).content.decode()
    assert f'value="review_summary:{content["review"].pk}"' in review


def test_the_form_never_nests_inside_the_finders_form(trainer_client, content):
    """Forms cannot nest: the finder's results sit in its GET form, so the controls
    belong to the one POST form in the header through their form attribute."""
    html = trainer_client.get(pages(content)["finder"]).content.decode()
    finder_form = html[
        html.index('class="app-finder"') : html.index("</form>", html.index('class="app-finder"'))
    ]
    assert "<form" not in finder_form.split(">", 1)[1]
    # each result's pack choice and button belong to the POST form
    assert html.count('form="app-add-to-pack"') >= 3


def test_nobody_else_sees_the_form(client, practitioner, content):
    for name, url in pages(content).items():
        html = client.get(url).content.decode()
        assert "app-add-to-pack" not in html, name
    client.force_login(practitioner)
    for name, url in pages(content).items():
        html = client.get(url).content.decode()
        assert "app-add-to-pack" not in html, name


def test_a_trainer_with_no_packs_starts_a_new_one(trainer_client, trainer, content):
    point = content["points"][1]
    html = trainer_client.get(pages(content)["finder"]).content.decode()
    assert "Add to a new session pack" in html
    response = trainer_client.post(
        reverse("session_packs:add"),
        {
            "add": f"practice_point:{point.pk}",
            f"pack-practice_point-{point.pk}": "new",
            "next": pages(content)["finder"],
        },
    )
    pack = SessionPack.objects.get(owner=trainer)
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('session_packs:edit', args=[pack.pk])}?next={pack.get_absolute_url()}"
    )
    assert [item.practice_point for item in pack.items.all()] == [point]
    # giving it a title goes on to the pack
    saved = trainer_client.post(
        response["Location"],
        {
            "title": "Team meeting",
            "duration_minutes": "30",
            "visibility": "private",
            "next": pack.get_absolute_url(),
        },
    )
    assert saved["Location"] == pack.get_absolute_url()


def test_adding_to_one_of_my_packs_returns_to_the_result(trainer_client, trainer, content):
    older = services.pack_create(owner=trainer, title="Older pack")
    newer = services.pack_create(owner=trainer, title="Newer pack")
    point = content["points"][2]
    finder = pages(content)["finder"]
    html = trainer_client.get(finder).content.decode()
    # newest first, so the usual choice is already selected
    assert (
        html.index(">Newer pack<") < html.index(">Older pack<") < html.index(">Start a new pack<")
    )
    response = trainer_client.post(
        reverse("session_packs:add"),
        {
            "add": f"practice_point:{point.pk}",
            f"pack-practice_point-{point.pk}": str(older.pk),
            "next": finder,
        },
    )
    assert response["Location"] == f"{finder}#point-{point.pk}"
    assert list(older.items.values_list("practice_point", flat=True)) == [point.pk]
    assert not newer.items.exists()
    # the result now says where it is
    html = trainer_client.get(finder).content.decode()
    card = html[html.index(f'id="point-{point.pk}"') :]
    assert "In your pack" in card[: card.index('name="add"')]
    # adding it again does not duplicate it
    trainer_client.post(
        reverse("session_packs:add"),
        {
            "add": f"practice_point:{point.pk}",
            f"pack-practice_point-{point.pk}": str(older.pk),
            "next": finder,
        },
    )
    assert older.items.count() == 1


def test_adding_a_theme_review_and_resource(trainer_client, trainer, content):
    pack = services.pack_create(owner=trainer, title="Mixed")
    for kind, obj in (
        (ItemKind.THEME_OVERVIEW, content["theme"]),
        (ItemKind.REVIEW_SUMMARY, content["review"]),
        (ItemKind.RESOURCE, content["resource"]),
    ):
        trainer_client.post(
            reverse("session_packs:add"),
            {"add": f"{kind}:{obj.pk}", f"pack-{kind}-{obj.pk}": str(pack.pk)},
        )
    assert [item.kind for item in pack.items.order_by("position")] == [
        ItemKind.THEME_OVERVIEW,
        ItemKind.REVIEW_SUMMARY,
        ItemKind.RESOURCE,
    ]


def test_an_outside_next_address_is_not_followed(trainer_client, trainer, content):
    pack = services.pack_create(owner=trainer, title="Mine")
    point = content["points"][0]
    response = trainer_client.post(
        reverse("session_packs:add"),
        {
            "add": f"practice_point:{point.pk}",
            f"pack-practice_point-{point.pk}": str(pack.pk),
            "next": "https://evil.example/",
        },
    )
    assert response["Location"].startswith("/packs/")


@pytest.mark.parametrize(
    "add", ["", "practice_point", "slides:1", "practice_point:abc", "facilitator_note:1"]
)
def test_nonsense_is_refused(trainer_client, add):
    assert trainer_client.post(reverse("session_packs:add"), {"add": add}).status_code == 400


def finder_queries(client, results) -> int:
    theme = ThemeFactory(slug=f"count-{results}")
    agencies = [AgencyFactory() for _ in range(3)]
    review = ReviewFactory()
    for _ in range(results):
        PracticePointFactory(themes=[theme, ThemeFactory()], agencies=agencies, review=review)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FINDER, {"theme": theme.slug, "page_size": 100})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_anonymous_finder_pages_cost_no_query_for_the_forms(client):
    few, _ = finder_queries(client, 10)
    many, html = finder_queries(client, 100)
    assert many == few <= 20
    assert "app-add-to-pack" not in html


def test_a_trainers_finder_page_loads_their_packs_once(trainer, trainer_client):
    services.pack_create(owner=trainer, title="One")
    services.pack_create(owner=trainer, title="Two")
    few, _ = finder_queries(trainer_client, 10)
    many, html = finder_queries(trainer_client, 100)
    assert html.count('class="app-add-to-pack"') == 100
    assert many == few
    # session + user + trainer check + packs + their contents, on top of the finder's own
    assert many <= 20 + 5
