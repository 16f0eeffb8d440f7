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
        engine = {
            name: getattr(services, name, None) or getattr(text, name) for name in textsearch.PORT
        }
        textsearch.install(SimpleNamespace(**engine))
