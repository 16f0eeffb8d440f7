import pytest

from session_packs import services
from session_packs.models import ItemKind
from tests.factories import PracticePointFactory, ResourceFactory, ReviewFactory, ThemeFactory

from .support import make_user


@pytest.fixture
def trainer(db):
    return make_user("trainer")


@pytest.fixture
def other_trainer(db):
    return make_user("othertrainer")


@pytest.fixture
def practitioner(db):
    """Signed in, but not a trainer."""
    return make_user("practitioner", trainer=False)


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def content(db):
    """A theme with points, a resource and a review, all published."""
    theme = ThemeFactory(
        name="Professional curiosity",
        slug="pc-test",
        summary="Being curious about what you see and hear.",
        body="Reviews find practitioners accepted what parents said.\n\nAsk, check, challenge.",
        key_messages="Remember to ask who lives in the home.\nRemember to check what you are told.",
    )
    review = ReviewFactory(title="Child Q", slug="child-q-test", summary="What happened to Q.")
    resource = ResourceFactory(title="Curiosity toolkit", url="https://example.org/curiosity")
    points = [
        PracticePointFactory(
            text=f"Point {n}: ask about the adults in the home.",
            guidance=f"Guidance {n}: use open questions.",
            review=review,
            themes=[theme],
        )
        for n in range(1, 4)
    ]
    points[0].resources.add(resource)
    resource.themes.add(theme)
    return {"theme": theme, "review": review, "resource": resource, "points": points}


@pytest.fixture
def pack(trainer, content):
    """A pack of every kind of item, in a known order."""
    pack = services.pack_create(
        owner=trainer,
        title="Curiosity: team meeting",
        audience="Health visitors",
        duration_minutes=45,
        learning_objectives="Ask about the adults in the home\nCheck what you are told",
    )
    services.pack_add_item(pack, kind=ItemKind.THEME_OVERVIEW, content=content["theme"], minutes=5)
    for point in content["points"]:
        services.pack_add_item(
            pack,
            kind=ItemKind.PRACTICE_POINT,
            content=point,
            minutes=5,
            trainer_notes=f"Notes for {point.text[:7]}",
        )
    services.pack_add_item(
        pack, kind=ItemKind.REFLECTIVE_QUESTION, body="Think of a family you work with.", minutes=10
    )
    services.pack_add_item(pack, kind=ItemKind.RESOURCE, content=content["resource"])
    services.pack_add_item(pack, kind=ItemKind.REVIEW_SUMMARY, content=content["review"])
    services.pack_add_item(
        pack, kind=ItemKind.TIMED_ACTIVITY, body="Pairs: map the family network.", minutes=10
    )
    return pack
