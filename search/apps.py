from types import SimpleNamespace

from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        # Imported once the app registry is ready (Django's rule for signal handlers and
        # modules that read models), not to dodge a cycle.
        from content import textsearch

        from . import services, signals, text  # noqa: F401 (signals: connects the handlers)

        # The port the subject apps search through (content/textsearch.py).
        textsearch.install(
            SimpleNamespace(
                search_plan=services.search_plan,
                search_practice_points=services.search_practice_points,
                search_matching=services.search_matching,
                search_resources=services.search_resources,
                finder_results_annotate=services.finder_results_annotate,
                search_notes=services.search_notes,
                clean_query=text.clean_query,
            )
        )
