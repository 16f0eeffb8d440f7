"""Settings for the Learning from Reviews Toolkit.

One module, read from the environment (see README.md, "Configuration"):

- ``DJANGO_DEBUG``: ``true`` for local development; anything else is production.
- ``DJANGO_SECRET_KEY``: required in production (start-up fails without it).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names; required in production.
- ``DATABASE_URL``: e.g. ``postgresql://user@host:5432/name``; default a SQLite file
  in the project, so the toolkit runs with no database server.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG not 'true') needs a long, "
            "random secret key from the environment, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-when-debug-is-off"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Production needs the site's host names, "
        "comma-separated, e.g. DJANGO_ALLOWED_HOSTS=learning.example.org.uk"
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The partnership running this instance: shown in the header, titles and exports.
PARTNERSHIP_NAME = env("TOOLKIT_PARTNERSHIP_NAME", "Safeguarding Children Partnership")
SITE_NAME = env("TOOLKIT_SITE_NAME", "Learning from Reviews Toolkit")
FEEDBACK_EMAIL = env("TOOLKIT_FEEDBACK_EMAIL", "safeguarding.partnership@example.org.uk")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "themes",
    "resources",
    "practice_points",
    "session_packs",
    "search",
    "backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "session_packs.middleware.PrivateCacheForSignedInMiddleware",
]

ROOT_URLCONF = "reviews_toolkit.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reviews_toolkit.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "reviews_toolkit.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SEED_CONTENT_DIR = BASE_DIR / "reviews_toolkit" / "seed_content"

# Trainers sign in to build session packs (accounts are made by staff in the admin).
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/packs/"
# Password reset emails: printed to the console in development unless set.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", FEEDBACK_EMAIL)

# The public API (/api/): anonymous, read-only, JSON; throttled per client address.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_THROTTLE_RATE", "120/minute")},
    # Proxies in front of the app: 0 = use the connection's address (no X-Forwarded-For,
    # which a client could forge to escape the throttle); 1 behind one reverse proxy.
    "NUM_PROXIES": int(env("DJANGO_NUM_PROXIES", "0")),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Learning from Reviews Toolkit API",
    "DESCRIPTION": "Read-only access to the published learning: practice points, themes, "
    "reviews, resources and agencies. Anonymous; limited to "
    f"{REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon']} per client (429 with Retry-After "
    "beyond). Responses carry an ETag (send If-None-Match for a 304) and "
    "Cache-Control: public, max-age=300.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# One cache per process: the API throttle counts requests here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# Link checker (manage.py check_links; backoffice/linkcheck.py).
# Seconds to wait to connect and for each read; links checked at once; redirects followed.
LINK_CHECKER_TIMEOUT = float(env("LINK_CHECKER_TIMEOUT", "10"))
LINK_CHECKER_CONCURRENCY = int(env("LINK_CHECKER_CONCURRENCY", "8"))
LINK_CHECKER_MAX_REDIRECTS = int(env("LINK_CHECKER_MAX_REDIRECTS", "5"))
# The checker never fetches private, loopback, link-local or reserved addresses (SSRF),
# except these host names / IP addresses / networks (comma-separated). Keep it empty.
LINK_CHECKER_ALLOWED_PRIVATE_HOSTS = env_list("LINK_CHECKER_ALLOWED_PRIVATE_HOSTS")
LINK_CHECKER_USER_AGENT = env(
    "LINK_CHECKER_USER_AGENT",
    f"LearningFromReviewsToolkit-LinkChecker/1.0 (+mailto:{FEEDBACK_EMAIL})",
)
