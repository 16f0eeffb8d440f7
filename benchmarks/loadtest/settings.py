"""The load test's servers run the site's own settings (reviews_toolkit.settings, from the
environment run.py gives them) with one change: the collected static files go to the load
test's directory (LOADTEST_STATIC_ROOT), not the working tree's staticfiles/. With
LOADTEST_STATIC=finders (the small form, in CI) nothing is collected: whitenoise serves
the files from the apps' folders, unhashed, which saves collectstatic's 30-50 s on 2 busy
cores (Locust asks for pages, never for static files; the pages are the same but for the
static files' names)."""

import os

from reviews_toolkit.settings import *  # noqa: F403
from reviews_toolkit.settings import STORAGES

STATIC_ROOT = os.environ["LOADTEST_STATIC_ROOT"]
if os.environ.get("LOADTEST_STATIC") == "finders":
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = True
