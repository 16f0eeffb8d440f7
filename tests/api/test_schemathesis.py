"""Property-based tests of the API against its own OpenAPI schema, with schemathesis,
in-process through the WSGI application, on the test database with the seed.

For every operation schemathesis generates up to ``MAX_EXAMPLES`` requests from the
schema (filters, page numbers and sizes, ids and slugs) and checks that no response is
a server error and that every response conforms to the schema (status code, content
type and body). Half the cases are wholly generated (mostly unknown ids and slugs, page
numbers past the end, unknown filter values: 400s and 404s); the other half ask for
an existing item or the first page, so the bodies of real answers are checked too."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from practice_points.models import PracticePoint, Review
from resources.models import Resource
from reviews_toolkit.wsgi import application
from themes.models import Agency, Theme

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_process_wsgi(settings):
    """Requests through the real WSGI handler share the test's database connection and
    transaction: keep the handler from closing it between requests (as Django's test
    client does), let it answer ``localhost`` and lift the throttle for the run."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def existing_identifiers() -> dict[str, list]:
    public_points = PracticePoint.objects.public()
    return {
        "/api/practice-points/{id}/": list(public_points.values_list("id", flat=True)[:50]),
        "/api/themes/{slug}/": list(Theme.objects.published().values_list("slug", flat=True)),
        "/api/reviews/{slug}/": list(Review.objects.published().values_list("slug", flat=True)),
        "/api/resources/{id}/": list(
            Resource.objects.published().values_list("id", flat=True)[:50]
        ),
        "/api/agencies/{slug}/": list(Agency.objects.values_list("slug", flat=True)),
    }


def cases(operation, identifiers):
    """Wholly generated cases, or ones for an existing item / the first page."""
    generated = operation.as_strategy()
    if operation.path in identifiers:
        name = "id" if operation.path.endswith("{id}/") else "slug"
        existing = st.sampled_from(identifiers[operation.path]).flatmap(
            lambda value: operation.as_strategy(path_parameters={name: value})
        )
    else:
        existing = operation.as_strategy(query={"page": 1})
    return st.one_of(generated, existing)


def test_the_api_conforms_to_its_schema(seed, in_process_wsgi, record_property):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", in_process_wsgi)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    identifiers = existing_identifiers()

    requests_per_operation: dict[str, int] = {}
    statuses: dict[int, int] = {}
    failures: list[str] = []

    def exercise(operation):
        label = f"{operation.method.upper()} {operation.path}"
        requests_per_operation[label] = 0

        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases(operation, identifiers))
        def run(case):
            requests_per_operation[label] += 1
            # The in-process WSGI client does not undo gzip (public responses are
            # compressed when a client asks): ask for the body as it is.
            response = case.call(headers={"Accept-Encoding": "identity"})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # every failure is collected, then reported
                failures.append(f"{label} {case.formatted_path} {case.query}: {exc}")

        run()

    for operation in operations:
        exercise(operation)

    total = sum(requests_per_operation.values())
    print(f"\nschemathesis: {total} requests over {len(operations)} operations")
    for label, count in requests_per_operation.items():
        print(f"  {label}: {count}")
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    record_property("schemathesis_requests", total)

    assert failures == [], "\n\n".join(failures[:10])
    assert all(count > 0 for count in requests_per_operation.values())
    assert statuses.get(200, 0) >= total // 4
