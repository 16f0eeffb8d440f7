"""Settings for the Learning from Reviews Toolkit.

One module, read from the environment (see README.md, "Configuration"):

- ``DJANGO_DEBUG``: ``true`` for local development; anything else is production.
- ``DJANGO_SECRET_KEY``: required in production (start-up fails without it).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names; required in production.
- ``DATABASE_URL``: e.g. ``postgresql://user@host:5432/name``; default a SQLite file
  in the project, so the toolkit runs with no database server.

Production (DEBUG off) passes ``manage.py check --deploy --fail-level WARNING``: see
docs/security.md for each control and the other variables (TLS proxy header, HSTS, ...).
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
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
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # The same test as Django's deploy check (security.W009), enforced at start-up.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak: it needs at least 50 characters, at least 5 of them "
        "different, and must not start with 'django-insecure-'. Generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Production needs the site's host names, "
        "comma-separated, e.g. DJANGO_ALLOWED_HOSTS=learning.example.org.uk"
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    _parts = urlsplit(_origin)
    if _parts.scheme not in ({"https"} if not DEBUG else {"http", "https"}) or not _parts.netloc:
        raise ImproperlyConfigured(
            f"DJANGO_CSRF_TRUSTED_ORIGINS: {_origin!r} is not an origin. Give each as "
            "scheme and host, e.g. https://learning.example.org.uk"
            + (" (https only in production)." if not DEBUG else ".")
        )

# --- Transport and cookies (TLS ends at the reverse proxy: docs/security.md) -----------
# DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https": trust the proxy's header
# saying the request came over https. Set it ONLY behind a proxy that always sets (or
# strips) that header, or clients could claim https.
SECURE_PROXY_SSL_HEADER = None
if env("DJANGO_SECURE_PROXY_SSL_HEADER"):
    _header = [part.strip() for part in env("DJANGO_SECURE_PROXY_SSL_HEADER").split(",")]
    if len(_header) != 2 or not _header[0].startswith("HTTP_") or not _header[1]:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must be the request header's META name and the "
            "value meaning https, separated by a comma, e.g. "
            "DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = (_header[0].upper(), _header[1])
# DJANGO_TRUSTED_PROXIES: the reverse proxies' addresses or networks (comma-separated,
# e.g. 10.20.0.2 or 10.20.0.0/24). X-Forwarded-For / -Proto and the proxy SSL header are
# read only on requests whose connection comes from one of them (content.clients);
# from anyone else they are dropped, so a client reaching gunicorn directly cannot forge
# its address (sign-in lockout, API throttle) or claim https. docs/deployment.md.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network. Give the "
            "reverse proxies' addresses, comma-separated, e.g. 10.20.0.2,10.30.0.0/24."
        ) from None
if int(env("DJANGO_NUM_PROXIES", "0")) and not TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        "DJANGO_NUM_PROXIES is no longer used: forwarded headers are trusted only from the "
        "proxies named in DJANGO_TRUSTED_PROXIES (their IP addresses or networks, "
        "comma-separated). Set DJANGO_TRUSTED_PROXIES and remove DJANGO_NUM_PROXIES."
    )
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The container's health check asks over plain http inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads the CSRF cookie: forms carry the token
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# A signed-in session lasts a working day at most (ASVS 3.3.2), then sign in again.
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Turning preload off is a deliberate choice (e.g. subdomains that are not yet https).
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# The partnership running this instance: shown in the header, titles and exports.
PARTNERSHIP_NAME = env("TOOLKIT_PARTNERSHIP_NAME", "Safeguarding Children Partnership")
SITE_NAME = env("TOOLKIT_SITE_NAME", "Learning from Reviews Toolkit")
FEEDBACK_EMAIL = env("TOOLKIT_FEEDBACK_EMAIL", "safeguarding.partnership@example.org.uk")
# The partnership's own area: its procedures are "ours"; another area's procedures are
# shown as "Another area's procedure: check your own" (content.areas).
PARTNERSHIP_AREA = env("TOOLKIT_PARTNERSHIP_AREA", "Hampshire")
# The partnership's colour on exported slides, handouts and briefings (hex, no '#').
PARTNERSHIP_COLOUR = (env("TOOLKIT_PARTNERSHIP_COLOUR", "1D70B8") or "1D70B8").lstrip("#")
if not re.fullmatch(r"[0-9A-Fa-f]{6}", PARTNERSHIP_COLOUR):
    raise ImproperlyConfigured("TOOLKIT_PARTNERSHIP_COLOUR must be a hex colour like 1D70B8.")

# Session pack limits (docs/security.md, "Session pack exports"): a pack's size, how
# many exports render at once (the site's and one client's), how long a request waits
# for one, how long a rendered export is kept, and how often an anonymous client may
# download through a shared link.
PACK_MAX_ITEMS = int(env("TOOLKIT_PACK_MAX_ITEMS", "80"))
PACK_MAX_TEXT_CHARS = int(env("TOOLKIT_PACK_MAX_TEXT_CHARS", "120000"))
PACK_EXPORT_CONCURRENCY = int(env("TOOLKIT_PACK_EXPORT_CONCURRENCY", "2"))
PACK_EXPORT_CONCURRENCY_PER_CLIENT = int(env("TOOLKIT_PACK_EXPORT_CONCURRENCY_PER_CLIENT", "1"))
PACK_EXPORT_TIMEOUT = float(env("TOOLKIT_PACK_EXPORT_TIMEOUT", "20"))
PACK_EXPORT_CACHE_SECONDS = int(env("TOOLKIT_PACK_EXPORT_CACHE_SECONDS", str(24 * 60 * 60)))
PACK_EXPORT_ANON_RATE = env("TOOLKIT_PACK_EXPORT_ANON_RATE", "20/hour")

# The site's address (TOOLKIT_SITE_URL, e.g. https://learning.example.org.uk): links in
# emails sent without a request to read it from (alerts, evidence follow-ups, assurance
# reminders, all by background jobs). Required in production, https only; in development
# it defaults to http://127.0.0.1:8000, what `make run` serves (set it if runserver runs
# on another address or port, or the emails' links lead nowhere).
SITE_URL = (env("TOOLKIT_SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")).rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "TOOLKIT_SITE_URL is not set. Production needs the site's address for the links in "
        "the emails it sends, e.g. TOOLKIT_SITE_URL=https://learning.example.org.uk"
    )
_parts = urlsplit(SITE_URL)
if _parts.scheme not in ({"https"} if not DEBUG else {"http", "https"}) or not _parts.netloc:
    raise ImproperlyConfigured(
        f"TOOLKIT_SITE_URL: {SITE_URL!r} is not the site's address. Give its scheme and host, "
        "e.g. https://learning.example.org.uk" + (" (https in production)." if not DEBUG else ".")
    )

# Evidence of use (evidence/): work email domains whose people may record a session
# through a pack's shared link with a one-time code (partnership admins add more at
# /admin/evidence/domains/); the site's address for links in follow-up emails; how many
# "Was this useful?" answers one client address may send per period (seconds).
EVIDENCE_ALLOWED_EMAIL_DOMAINS = env_list("TOOLKIT_EVIDENCE_ALLOWED_EMAIL_DOMAINS")
EVIDENCE_SITE_URL = SITE_URL
EVIDENCE_FEEDBACK_LIMIT = int(env("TOOLKIT_EVIDENCE_FEEDBACK_LIMIT", "10"))
EVIDENCE_FEEDBACK_PERIOD = int(env("TOOLKIT_EVIDENCE_FEEDBACK_PERIOD", "3600"))

# Alerts (alerts/): the site's address for links in alert emails (sent by background
# jobs, without a request); how many subscribe or manage-link requests one client address
# (and one email address) may make per period (seconds).
ALERTS_SITE_URL = SITE_URL
ALERTS_LIMIT_PER_CLIENT = int(env("TOOLKIT_ALERTS_LIMIT_PER_CLIENT", "10"))
ALERTS_LIMIT_PER_ADDRESS = int(env("TOOLKIT_ALERTS_LIMIT_PER_ADDRESS", "3"))
ALERTS_LIMIT_PERIOD = int(env("TOOLKIT_ALERTS_LIMIT_PERIOD", "3600"))

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
    "csp",
    "reviews_toolkit.security_apps.SignInLockoutsConfig",  # django-axes
    "django_otp",
    "reviews_toolkit.security_apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp
    "reviews_toolkit.security_apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "django_tasks",
    "django_tasks_db",  # background jobs: `python manage.py db_worker` runs them
    "scheduling",  # scheduled jobs, once per period: `python manage.py worker` runs them
    "content",  # the content core (ground floor): status, public(), registry, signals
    "themes",
    "resources",
    "practice_points",
    "session_packs",
    "search",
    "evidence",  # evidence of use: sessions delivered, follow-ups, feedback, uptake
    "backoffice",
    "assurance",  # learning into practice: recommendations, actions, assurance
    "alerts",  # stay informed: change notes, feeds, email alerts, recurrence
    "reviews_toolkit",  # the project shell: its commands (generate_demo_data)
]

MIDDLEWARE = [
    # First: forwarded headers count only from DJANGO_TRUSTED_PROXIES.
    "content.clients.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Compresses public pages only (BREACH: never a page with a CSRF token or signed in).
    "reviews_toolkit.middleware.PublicGZipMiddleware",
    "reviews_toolkit.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous GETs of public pages from the shared cache (before the session: a hit runs
    # no session, CSRF or view; after CSP: a served page gets a fresh nonce).
    "content.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reviews_toolkit.middleware.PrivateCacheForSignedInMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reviews_toolkit.urls"
# A refused form (CSRF) gets a page in the site's layout, clean under the CSP.
CSRF_FAILURE_VIEW = "reviews_toolkit.security.csrf_failure"

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
                "reviews_toolkit.security.csp_nonce",
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
# A read replica for the public read path (off unless DATABASE_REPLICA_URL is set):
# reviews_toolkit/dbrouter.py and docs/deployment.md ("Many users").
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["reviews_toolkit.dbrouter.PublicReadRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer fails the request in seconds (a 503, errors.py), never
    # hangs it; CONN_HEALTH_CHECKS above connects again once it is back.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(env("DATABASE_CONNECT_TIMEOUT", "3"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (make run): the dev server and the background worker share one file. Each
    # transaction takes the write lock as it begins and waits up to 20 s for it, so two
    # writers queue instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# django-axes first: it refuses a locked-out account before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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
# Password reset emails: at most this many per address and per client address in each
# period (seconds), counted in the cache (content.ratelimit). Beyond, the page
# answers the same and nothing is sent.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(env("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT = int(env("PASSWORD_RESET_LIMIT_PER_CLIENT", "10"))
PASSWORD_RESET_LIMIT_PERIOD = int(env("PASSWORD_RESET_LIMIT_PERIOD", "3600"))
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
    # The client's address is content.clients.client_ip (DJANGO_TRUSTED_PROXIES):
    # throttles count by it with content.clients.ClientAddressThrottleMixin. 0 here makes DRF's own
    # rule (for a throttle without the mixin) the connection's address, never a forgeable
    # X-Forwarded-For.
    "NUM_PROXIES": 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Learning from Reviews Toolkit API",
    "DESCRIPTION": "Read-only access to the published learning: practice points, themes, "
    "reviews, resources and agencies. Anonymous; limited to "
    f"{REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon']} per client (429 with Retry-After "
    "beyond). Responses carry an ETag and Cache-Control: no-cache: keep them, and send "
    "If-None-Match to revalidate (a 304 while unchanged).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Background jobs (django-tasks, DEP 14): large imports run in the database-backed queue,
# worked by `python manage.py db_worker` (make run starts one; docker-compose has a
# `worker` service). TOOLKIT_TASKS_BACKEND=immediate runs every job inside the request.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env("TOOLKIT_TASKS_BACKEND", "database")],
        "QUEUES": ["default"],
    }
}
# An import of more rows than this is checked and saved by a background job, with its
# progress shown; smaller ones are done while the page loads.
IMPORT_BACKGROUND_ROWS = int(env("TOOLKIT_IMPORT_BACKGROUND_ROWS", "300"))

# The cache: the API throttle, the password reset and content-gaps limits count here.
# REDIS_URL (e.g. redis://redis:6379/0): one cache shared by every gunicorn worker and
# server (django-redis). Without it, an in-memory cache for ONE process only (make run,
# tests): with several workers each would count on its own. If Redis goes away, cache
# errors are logged and read as a miss (IGNORE_EXCEPTIONS): limits lapse, the site stays up.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("DJANGO_CACHE_KEY_PREFIX", "reviews_toolkit"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(env("REDIS_CONNECT_TIMEOUT", "1")),
                "SOCKET_TIMEOUT": float(env("REDIS_TIMEOUT", "1")),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "reviews_toolkit.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (content/pagecache.py): anonymous GETs of public pages and the API, kept
# in the cache under a generation every content change moves on. On by default only with
# Redis (a cache every process shares); TOOLKIT_PAGE_CACHE=on/off overrides. Kept at most
# PAGE_CACHE_SECONDS on the server; browsers and a CDN may reuse a page PAGE_CACHE_MAX_AGE
# seconds and then revalidate it (ETag / Last-Modified: 304 while unchanged).
PAGE_CACHE_ENABLED = env_bool("TOOLKIT_PAGE_CACHE", default=bool(REDIS_URL))
PAGE_CACHE_SECONDS = int(env("TOOLKIT_PAGE_CACHE_SECONDS", "3600"))
PAGE_CACHE_MAX_AGE = int(env("TOOLKIT_PAGE_CACHE_MAX_AGE", "60"))

# Logs go to stdout (the container's log), one line each, times in UTC ISO 8601
# (2026-11-23T12:34:56.789Z) whatever TIME_ZONE says. Django's security loggers
# (django.security.*: bad hosts, CSRF failures) and axes' lockouts are included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "reviews_toolkit.security.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "utc",
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # Not axes' banner at every start (its failures and lockouts are still logged).
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

# --- Content-Security-Policy (django-csp 4) -----------------------------------------------
# Scripts only from this site and only with the response's nonce (templates write
# nonce="{{ csp_nonce }}"); no inline styles; nothing may frame the site. The admin's own
# scripts are files under /static/admin/, allowed by 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Sent with every response by reviews_toolkit.middleware.SecurityHeadersMiddleware.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()"
)

# --- Sign-in protection (django-axes 8) ---------------------------------------------------
# 5 failed sign-ins for one username from one address lock that pair out for 15 minutes,
# on the admin's and the trainers' sign-in pages alike; a success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "reviews_toolkit.security.lockout_response"
# The client's address as the API throttle sees it (DJANGO_TRUSTED_PROXIES, above).
AXES_CLIENT_IP_CALLABLE = "content.clients.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]

# --- Two-factor for staff (django-otp) ----------------------------------------------------
# The admin requires a verified TOTP device (reviews_toolkit.admin_site). The issuer is
# the name authenticator apps show next to the code.
OTP_TOTP_ISSUER = SITE_NAME

# Content gaps (searches with no results; search.gaps): one client counted at most once per
# query per period (seconds), at most so many new queries per client a day; at most so
# many rows, none older than so many days.
SEARCH_GAPS_PERIOD = int(env("SEARCH_GAPS_PERIOD", "3600"))
SEARCH_GAPS_PER_CLIENT_PER_DAY = int(env("SEARCH_GAPS_PER_CLIENT_PER_DAY", "20"))
SEARCH_GAPS_MAX_ROWS = int(env("SEARCH_GAPS_MAX_ROWS", "5000"))
SEARCH_GAPS_KEEP_DAYS = int(env("SEARCH_GAPS_KEEP_DAYS", "365"))

# Link checker (manage.py check_links; backoffice/linkcheck/).
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
