"""All settings, read from the environment in this one module (12-factor).

Defaults make a laptop work with nothing installed: SQLite under ./var, a file cache under ./var,
Huey on SQLite. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COURTYARD_VAR_DIR", Path.cwd() / "var")).resolve()

TESTING = "pytest" in sys.modules or os.environ.get("COURTYARD_TESTING") == "1"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The "django-insecure-" prefix makes `check --deploy` flag a server started without SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("COURTYARD_SITE_NAME", "Courtyard")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ninja",
    "courtyard.core",
    "courtyard.accounts",
    "courtyard.people",
    "courtyard.groups",
    "courtyard.events",
    "courtyard.pairing",
    "courtyard.recognition",
    "courtyard.surveys",
    "courtyard.welcome",
    "courtyard.insights",
    "courtyard.search",
    "courtyard.mail",
    "courtyard.notifications",
    "courtyard.site",
    "courtyard.api",
]

MIDDLEWARE = [
    "courtyard.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "courtyard.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "courtyard.core.middleware.PrivatePagesMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "courtyard.accounts.middleware.SessionTimeoutMiddleware",
    "courtyard.people.middleware.MemberTimezoneMiddleware",
    "courtyard.people.middleware.DailyVisitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "courtyard.core.middleware.ApplicationErrorMiddleware",
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "courtyard.config.urls"
WSGI_APPLICATION = "courtyard.config.wsgi.application"
ASGI_APPLICATION = "courtyard.config.asgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "courtyard.core.context_processors.site",
                "courtyard.notifications.context_processors.notifications",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "courtyard.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web process and a worker share the file: WAL, a busy timeout and IMMEDIATE transactions
    # are what keeps concurrent writes from failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=134217728;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("COURTYARD_PG_JIT", False):
    # PostgreSQL's JIT compiles expressions of queries it estimates as costly; for the page-sized queries
    # of a web request that costs more than it saves (102 ms of JIT in a 561 ms insights query over
    # 2.5 M rollup rows; the silo map ~20 ms faster without it: bench/README.md).
    # COURTYARD_PG_JIT=1 keeps the server's setting.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database host must not hold a request (and its worker) for minutes: give up soon and
    # answer 503 (core/unavailable.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions --------------------------------------------------------------------
# Rate limits, the unread count and cached access decisions must be the same for every process, so the
# cache is never per process: Redis when configured (answering from memory while Redis is unreachable),
# otherwise files in one directory that every process on the machine shares (docs/faults.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "courtyard.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "courtyard",
            # An unreachable Redis must not hold a request: fail fast, and the backend answers without it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHE_DIR = os.environ.get("COURTYARD_CACHE_DIR", "")
    if not CACHE_DIR and TESTING:
        # Each test process its own directory: parallel test workers clear their cache between tests.
        import atexit
        import shutil
        import tempfile

        CACHE_DIR = tempfile.mkdtemp(prefix="courtyard-test-cache-")
        atexit.register(shutil.rmtree, CACHE_DIR, ignore_errors=True)
    CACHES = {
        "default": {
            "BACKEND": "courtyard.core.cache.SharedFileCache",
            "LOCATION": CACHE_DIR or str(VAR_DIR / "cache"),
            "KEY_PREFIX": "courtyard",
        }
    }
# Sessions live in the database and are cached: a cache restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Idle timeout: a session unused this long ends. Absolute timeout: no session outlives this.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60 * 8)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 60 * 60 * 24 * 14)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security -------------------------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Health checks (load balancers, the container HEALTHCHECK) call the server directly over plain HTTP: a
# redirect to https would read as "unhealthy". The answer carries nothing private.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
if TESTING:
    # Hashing at full strength makes every sign-in in the suite slow and proves nothing more.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "courtyard.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # addresses come from the organization (import, admin, invitation)
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

# Single sign-on with the organization's identity provider (OpenID Connect), when configured.
# People sign in with SSO into the account that the directory import or an admin created for their
# email address; SSO never creates accounts on its own.
SOCIALACCOUNT_ADAPTER = "courtyard.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "")
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "sso",
                "name": os.environ.get("OIDC_NAME", "Single sign-on"),
                "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }

# --- Email ----------------------------------------------------------------------------------


def email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL: smtp://user:pass@host:587?tls=1, smtps://…, console://, locmem://, dummy://, outbox://."""
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        # Kept in the database and shown to admins on /mail/outbox/ (demo and debug mode): `courtyard demo`.
        "outbox": "courtyard.mail.backends.OutboxBackend",
    }
    if parts.scheme not in backends:
        raise ValueError(f"EMAIL_URL scheme must be one of {sorted(backends)}, not {parts.scheme!r}")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": backends[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
    }


globals().update(email_settings(os.environ.get("EMAIL_URL", "locmem://" if TESTING else "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Courtyard <courtyard@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP conversation may hang before it counts as a temporary failure (retried later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Notices by email (docs/email.md): those arriving within MAIL_BATCH_SECONDS of the first go out as one email;
# a temporary failure is retried with growing delays, MAIL_MAX_ATTEMPTS times in all; unsubscribe links
# work for MAIL_UNSUBSCRIBE_MAX_AGE seconds. Links in emails start with SITE_URL; Message-IDs end in the
# host of SITE_URL unless MAIL_MESSAGE_ID_DOMAIN says otherwise.
MAIL_BATCH_SECONDS = env_int("MAIL_BATCH_SECONDS", 300)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
MAIL_UNSUBSCRIBE_MAX_AGE = env_int("MAIL_UNSUBSCRIBE_MAX_AGE", 60 * 60 * 24 * 180)
MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN") or urlsplit(SITE_URL).hostname or "localhost"
# `courtyard demo` sets COURTYARD_DEMO=1: the outbox page exists (as in DEBUG), for admins only.
COURTYARD_DEMO = env_bool("COURTYARD_DEMO", False)

# --- Jobs (Huey) ----------------------------------------------------------------------------
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", TESTING)
if REDIS_URL and not HUEY_IMMEDIATE:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "courtyard",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": env_int("WORKER_THREADS", 2), "worker_type": "thread"},
    }
else:
    # SqliteHuey opens its file as soon as Django starts: a fresh checkout has no ./var yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "courtyard",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("WORKER_THREADS", 2), "worker_type": "thread"},
    }

# --- Metrics and error reports ---------------------------------------------------------------
# /metrics (Prometheus) answers a Bearer METRICS_TOKEN or a client in METRICS_ALLOWED_NETWORKS (CIDR list,
# matched against the connecting address); with neither set it does not exist (404).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
try:
    METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network(cidr, strict=False) for cidr in env_list("METRICS_ALLOWED_NETWORKS")]
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS must be a comma-separated list of CIDR ranges: {exc}") from exc
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from courtyard.config.sentry import sentry_init

    sentry_init(SENTRY_DSN)

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("COURTYARD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
# A container image collects static files at build time into a directory outside its data volume.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # A failed write (full or read-only disk) leaves no partial file and answers a clear refusal.
    "default": {"BACKEND": "courtyard.core.storage.SafeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PHOTO_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 20 * 1024 * 1024

# --- Product settings -----------------------------------------------------------------------
NEWCOMER_DAYS = env_int("NEWCOMER_DAYS", 90)
DIRECTORY_PAGE_SIZE = 24
# The reactions a new installation offers (admins change them later): more than "like".
DEFAULT_REACTIONS = [("👍", "Thanks"), ("🎉", "Congrats"), ("💡", "Insightful"), ("❤️", "Love it"), ("😂", "Funny")]
API_TOKEN_PREFIX = "cy_"  # noqa: S105 - a public prefix that makes leaked tokens recognizable

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Its own handler, so that run_huey does not add a second one (every line printed twice).
        "huey": {"handlers": ["stdout"], "level": "WARNING" if TESTING else "INFO", "propagate": False},
    },
}
