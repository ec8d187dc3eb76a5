"""Settings for dutyadmin, read from the environment only.

With no variables at all the app runs on a bare machine: SQLite in the project folder, Celery
tasks in-process, DEBUG on. Production sets DJANGO_ENV=prod, DJANGO_SECRET_KEY, DATABASE_URL,
REDIS_URL and DJANGO_ALLOWED_HOSTS.
"""
import os
import sys
import warnings
from datetime import timedelta  # --- auth15
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# dev | test | prod; a pytest run is a test run unless told otherwise.
ENV = os.environ.get("DJANGO_ENV") or ("test" if "pytest" in sys.modules else "dev")
if ENV not in {"dev", "test", "prod"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be dev, test or prod, not {ENV!r}")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", ENV == "dev")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if ENV == "prod":
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-dutyadmin"

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", *env_list("DJANGO_ALLOWED_HOSTS")]
if ENV == "test":
    ALLOWED_HOSTS.append("testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the public duty pages' sitemap.xml
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rules",
    "dutyadmin",
    "deputies",
    "meetings",
    "activities",
    "oversight",
]

# django-rules answers the permissions of dutyadmin.permissions; the model backend keeps logins and
# the Django admin's model permissions.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dutyadmin.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "dutyadmin.urls"
WSGI_APPLICATION = "dutyadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dutyadmin.context_processors.navigation",
            ],
        },
    },
]

# SQLite (the embedded default, or any sqlite:/// URL) under concurrent requests: WAL lets readers go on while
# one writer writes; every transaction takes the write lock when it begins (IMMEDIATE), so one that read first
# waits for the lock instead of failing at once with "database is locked" (a DEFERRED transaction upgrading
# from read to write is not retried by SQLite); the busy timeout (seconds) is how long a writer waits.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def database_from_url(url: str) -> dict:
    """One DATABASES entry from a DATABASE_URL (sqlite:///path or postgres://…)."""
    database = dj_database_url.parse(
        url,
        # A connection per request by default (0): persistent connections (a threaded dev server held 47) add up
        # to max_connections with several processes; behind a pooler (PgBouncer) set DATABASE_CONN_MAX_AGE.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite is for one machine; options given in the URL (?timeout=60) win over these.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    elif database["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: a page's queries are short, and their row estimates (an EXISTS over a street's
        # deputies) can pass jit_above_cost, when compiling takes 0.3 s for a query that runs in 0.07 s. A URL's own
        # ?options=… wins.
        database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return database


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# "SQLite does not support indexes with non-key columns": the participations' deputy index (its INCLUDE columns make
# an index-only read on PostgreSQL) is a plain deputy index on SQLite, which is all it needs there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
if ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production, whitenoise serves straight from the apps and static/ (no collectstatic).
WHITENOISE_USE_FINDERS = ENV != "prod"
if ENV != "prod":
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ENV == "prod"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

if ENV == "prod":
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    # Token first, so a request without credentials gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "dutyadmin.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dutyadmin.api.exceptions.exception_handler",
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dutyadmin API",
    "DESCRIPTION": "东城区人大代表履职管理系统 REST API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names repeat across resources get their own names (no hashed enum names).
    "ENUM_NAME_OVERRIDES": {
        "SuggestionStatusEnum": "oversight.suggestions.choices.SuggestionStatus",
        "HandlingUnitKindEnum": "deputies.choices.HandlingUnitKind",
    },
    # Every operation documents its 400/401/403/404/409/503 bodies (dutyadmin/api/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "dutyadmin.api.schema.document_errors"],
    # The schema and the docs need a login in production (they map every endpoint); open elsewhere.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"] if ENV == "prod"
    else ["rest_framework.permissions.AllowAny"],
}

REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis down a web request must not hang on sending a task: fail fast, the outbox keeps the work.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    # A message taken by a worker that died is given to another after this many seconds.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if ENV == "prod" else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "dutyadmin@localhost")
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "media" / "sent-mail"))
EMAIL_TIMEOUT = 20

# Notifications (oversight.notifications.services): SMS backend, links in emails, delivery timings.
NOTIFICATION_SMS_BACKEND = os.environ.get("DUTYADMIN_SMS_BACKEND", "oversight.notifications.channels.ConsoleSMSBackend")
SITE_URL = os.environ.get("DUTYADMIN_SITE_URL", "")
NOTIFICATION_QUEUE = os.environ.get("DUTYADMIN_NOTIFICATION_QUEUE") or None
NOTIFICATION_CLAIM_LEASE = float(os.environ.get("DUTYADMIN_NOTIFICATION_LEASE", "600"))
NOTIFICATION_RETRY_BASE = float(os.environ.get("DUTYADMIN_NOTIFICATION_RETRY_BASE", "30"))
NOTIFICATION_SEND_DELAY = float(os.environ.get("DUTYADMIN_NOTIFICATION_SEND_DELAY", "0"))  # tests only

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Administrative district shown on exports and page titles.
DISTRICT_NAME = os.environ.get("DUTYADMIN_DISTRICT", "北京市东城区")

# --- opinions: a forwarded constituents' opinion is answered within this many calendar days (RULES.md, choice) ---
OPINION_REPLY_DAYS = int(os.environ.get("DUTYADMIN_OPINION_REPLY_DAYS", "30"))

# --- auth15: login lockout (django-axes), idle/absolute session timeout, expiring API tokens, password rules ---
INSTALLED_APPS += ["axes"]
# Axes watches every authenticate() first (page, admin, token endpoint); a test client's login() has no
# request, so tests get a backend that lets that one call through (dutyadmin/accounts.py).
AUTHENTICATION_BACKENDS = [
    "dutyadmin.accounts.TestClientAxesBackend" if ENV == "test" else "axes.backends.AxesStandaloneBackend",
    *AUTHENTICATION_BACKENDS,
]
# The timeout needs the session and the user (after AuthenticationMiddleware) and a message; axes last.
MIDDLEWARE += ["dutyadmin.accounts.SessionTimeoutMiddleware", "axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = int(os.environ.get("DUTYADMIN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("DUTYADMIN_LOGIN_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
# Locked per account (whatever the address) and per address (whatever the account tried).
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dutyadmin.accounts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind a reverse proxy (nginx) every request comes from the proxy: give the number of proxies that append
# to X-Forwarded-For so the client's own address is read (else all users would share one lockout).
if os.environ.get("DUTYADMIN_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["DUTYADMIN_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
# Sessions: signed out after this many minutes without a request, and after this many hours in any case.
DUTYADMIN_SESSION_IDLE_MINUTES = int(os.environ.get("DUTYADMIN_SESSION_IDLE_MINUTES", "30"))
DUTYADMIN_SESSION_MAX_HOURS = int(os.environ.get("DUTYADMIN_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = DUTYADMIN_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
# An API token is good for this many days from its creation; a password change or deactivation ends it.
DUTYADMIN_API_TOKEN_DAYS = int(os.environ.get("DUTYADMIN_API_TOKEN_DAYS", "30"))
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "dutyadmin.api.authentication.ExpiringTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
# Passwords: at least 10 characters (ASVS 5.0 asks 8 or more), not like the user's name, not a common
# password, not digits only. Django's own messages are in Chinese under zh-hans.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dutyadmin.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- audit15: the audit log (dutyadmin/audit.py): every 403 of the pages is recorded; rows are kept this long,
# then `manage.py prune_audit` (the Celery task dutyadmin.audit_prune) deletes them.
MIDDLEWARE = [*MIDDLEWARE, "dutyadmin.audit.AuditMiddleware"]
AUDIT_RETENTION_DAYS = int(os.environ.get("DUTYADMIN_AUDIT_RETENTION_DAYS", str(3 * 365)))

# --- issue 17: JSON (503 with Retry-After when the database or broker is unreachable) for every API failure
MIDDLEWARE = ["dutyadmin.middleware.ApiErrorMiddleware", *MIDDLEWARE]  # outermost: sees every failure

# --- deploy15: HTTPS (HSTS, redirect), Content-Security-Policy (django-csp), Referrer-Policy, no framing
# In production HTTPS is enforced by default. Behind a TLS-terminating proxy that sends X-Forwarded-Proto
# (SECURE_PROXY_SSL_HEADER above) both stay on; switch one off only if the proxy does it itself.
if ENV == "prod":
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer probes /healthz/ over plain HTTP inside the network: answer it, do not redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading is a promise made by submitting the domain to the browsers' list: the operator's choice.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS += ["security.W021"]  # "SECURE_HSTS_PRELOAD is not True": deliberate, see above
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
INSTALLED_APPS += ["csp"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware"]
# No inline script anywhere (JS lives in static/js/). Styles allow 'unsafe-inline': the Django admin, DRF's
# browsable API and the Swagger UI page carry inline style blocks and attributes we do not own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Choice sets whose field is named `kind` in several resources: each gets its own enum name.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "ActivityKindEnum": "activities.choices.ActivityKind",
    "MeetingKindEnum": "meetings.choices.MeetingKind",
    "ContributionKindEnum": "meetings.choices.ContributionKind",
    "InterventionKindEnum": "oversight.choices.InterventionKind",
    "CheckinKindEnum": "activities.api.serializers.CHECKIN_KINDS",
})

# --- findings snapshot (issue 18): today's findings of a term kept current per process (oversight.findings.snapshot)
FINDINGS_SNAPSHOT = env_bool("DUTYADMIN_FINDINGS_SNAPSHOT", True)
