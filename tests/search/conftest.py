import pytest

from search import services
from search.kinds import KINDS


@pytest.fixture
def find():
    """Slugs of the published points a query finds, best first."""

    def run(q: str) -> list[str]:
        found = services.search_practice_points(KINDS["practice_points"].published(), q)
        return [point.slug for point in found]

    return run
