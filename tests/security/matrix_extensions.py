"""Feature apps' own permission matrices, joined to the site's.

Each feature app with its own roles (assurance, evidence of use, alerts...) keeps its
permission matrix beside its tests, in ``tests/<app>/``, testing every one of its URLs as
every role of the site and its own. For ``test_every_url_is_in_the_matrix`` to count
those URLs as covered, the module is listed here and defines::

    def matrix_urls(world: dict) -> list[str]:
        "The URLs (paths, with any query) its matrix requests, built on the site's world
        (tests.security.test_permission_matrix.world), adding whatever objects it needs."

One line per feature app: add yours, keep the others.
"""

MODULES: list[str] = [
    "tests.assurance.test_permission_matrix",
    "tests.evidence.test_permission_matrix",
    "tests.alerts.test_permission_matrix",
]
