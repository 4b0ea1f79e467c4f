"""Settings for the People Power portal, all read from the environment.

Every variable is listed in the README's configuration table. Production (DEBUG off)
refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# Every variable may instead be given as NAME_FILE, the path of a file holding the value
# (container secrets): django-environ's FileAwareEnv reads it.
env = environ.FileAwareEnv()
VAR_DIR.mkdir(exist_ok=True)


def _text(name: str, default: str = "") -> str:
    """A text value without the newline a secret file usually ends with."""
    return env.str(name, default=default).strip()


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = _text("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105
# A short or generated-for-development key can be guessed offline from any signed value
# (cookies, unsubscribe and share links), so production refuses one, as Django's own
# deploy check warns (50 characters, not Django's "django-insecure-" template prefix).
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 random characters, not starting with "
        "'django-insecure', when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails and share links must reach the server that sent them: with SITE_URL
# unset, it is where `make run` serves (HOST and PORT, read by every process it starts).
# A wildcard bind address is not a place to link to, so it becomes the loopback one.
_RUN_HOST = env.str("HOST", default="127.0.0.1")
if _RUN_HOST in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104  # nosec B104: compared, never bound
    _RUN_HOST = "127.0.0.1"
SITE_URL = env.str("SITE_URL", default=f"http://{_RUN_HOST}:{env.str('PORT', default='8000')}")
SITE_URL = SITE_URL.rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="People Power")

# The apps, bottom to top (README "How the code is laid out"); import-linter keeps the
# order in pyproject.toml.
INSTALLED_APPS = [
    "portal",
    "groups",
    "partners",
    "campaigns",
    "resources",
    "cases",
    "events",
    "resolutions",
    "guests",
    "conversations",
    "front",
    "review",
    "api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
]

# Development tools (bench/: seed_scale, bench_digest, the bare view for `make bench`):
# installed only when wanted, never in production.
DEV_TOOLS = env.bool("DEV_TOOLS", default=DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.PersonalDataCacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.MalformedInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside every middleware that adds a header, so a cached page gets them all too.
    "portal.pagecache.AnonymousPageCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.mfa.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.site",
            ],
            # The cached loader outside DEBUG: templates are parsed once per process.
            "loaders": _loaders if DEBUG else [("django.template.loaders.cached.Loader", _loaders)],
        },
    }
]

# Database: PostgreSQL in production and CI; a SQLite file under var/ when unset.
DATABASES = {
    "default": env.db_url_config(
        _text("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
    ),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not IS_POSTGRES:
    # A file, not memory, so that a Celery worker started by a test can see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the Celery broker and the cache when REDIS_URL is set. Without it the broker
# is kombu's filesystem transport and the cache is the database, both of which work
# across the web, worker and beat processes with no server.
REDIS_URL = _text("REDIS_URL")


def redis_url_for_test_process(url: str, worker: str, count: int) -> str:
    """REDIS_URL for one of the processes pytest-xdist runs the tests in ("gw0", "gw1", ...
    of `count`): its database number plus the process's index. The tests flush the database
    between tests and the Celery worker tests use it as their broker, so the processes must
    not share one; each also has its own PostgreSQL test database (test_<name>_gw0, ...)."""
    parts = urlsplit(url)
    number = parts.path.strip("/") or "0"
    if not number.isdigit():
        raise ImproperlyConfigured(
            f"REDIS_URL must end in a database number (like /14) for parallel tests: {url}"
        )
    first, last = int(number), int(number) + count - 1
    if last > 15:
        raise ImproperlyConfigured(
            f"{count} test processes from REDIS_URL's database {first} would use databases "
            f"{first}-{last}, but Redis has 0-15: set REDIS_URL to /{16 - count} or lower, or "
            "run fewer test processes (TEST_WORKERS)."
        )
    return urlunsplit(parts._replace(path=f"/{first + int(worker.removeprefix('gw'))}"))


# Set by pytest-xdist in each test process, and inherited by the Celery workers and
# commands the tests start, which must see the same Redis database.
_TEST_PROCESS = env.str("PYTEST_XDIST_WORKER", default="")
if REDIS_URL and _TEST_PROCESS:
    REDIS_URL = redis_url_for_test_process(
        REDIS_URL, _TEST_PROCESS, env.int("PYTEST_XDIST_WORKER_COUNT")
    )
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis keeps one client per server and reuses it for every call
            # (Django's own Redis cache builds a new one each time, ~0.1 ms of CPU).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Sessions are read from Redis and written through to the database, so a signed-in
    # request costs no session query and a flushed Redis signs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task not acknowledged within this time is handed to another worker. It must
        # exceed the longest task (time limit below) and any countdown we use, or a
        # slow-but-alive task would be run twice; our sends are idempotent anyway.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
    _queue_dir = Path(env.str("CELERY_FS_DIR", default=str(VAR_DIR / "celery")))
    _queue_dir /= _TEST_PROCESS  # parallel test processes: a queue folder each
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        # Where kombu keeps its exchange bindings; by default a "control" folder in the
        # current directory.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
# Whole public pages for anonymous visitors (portal.pagecache); 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 60)
# How old a live counter (signatures, supporters) on a cached page may be; 0 reads it
# from the database each time the page is served.
LIVE_COUNTER_SECONDS = env.int("LIVE_COUNTER_SECONDS", default=5)
# While one process rebuilds a stale cached page, the others serve the previous copy, for
# at most this long (the rebuild's lock expires then, should its process die); 0: every
# reader that finds the page stale rebuilds it.
PAGE_REBUILD_SECONDS = env.int("PAGE_REBUILD_SECONDS", default=5)
# The review dashboard's group figures (portal.review.cached_group_rows); 0 turns it off.
REVIEW_CACHE_SECONDS = env.int("REVIEW_CACHE_SECONDS", default=0 if DEBUG else 300)

CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is stopped at the hard limit (its process killed): the bound that lets the
# outbox and bulk batches tell a dead worker's claim from a live one's.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_SOFT_TIME_LIMIT = env.int(
    "CELERY_TASK_SOFT_TIME_LIMIT", default=max(CELERY_TASK_TIME_LIMIT - 60, 1)
)
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Email: every message goes through the outbox (portal.outbox); this is how it leaves.
EMAIL_URL = _text("EMAIL_URL")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "portal.mail.EmlFileBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="People Power <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
# A row claimed for sending longer ago than this is presumed lost with its worker, and
# sent again. The shortest safe value: a live worker's claim is never older than the
# task's hard time limit (each message is claimed just before it is handed to SMTP, and
# the pool kills a task at the limit), so a little more than that is enough. Shorter
# would let a slow but live worker's message go twice.
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 30)
if OUTBOX_STALE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"OUTBOX_STALE_SECONDS must exceed the task time limit ({CELERY_TASK_TIME_LIMIT} s)."
    )
# Copies of sent emails are personal data: kept this long, then purged by beat.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_portal"

ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "portal.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# How many proxies in front of the portal append to X-Forwarded-For (the README's TLS
# proxy is one). Rate limits key on the client's address (portal.ratelimit.client_ip),
# which behind n proxies is the n-th from the right; 0 trusts no header.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES
# allauth's defaults, written out so that they are visible and testable; they count in
# the shared cache above, so all web processes enforce one limit.
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}

# Two-factor sign-in (portal.mfa; README "Two-factor sign-in"): an authenticator app's
# codes with recovery codes. Reps, area reps and staff must set it up; leads too if this
# is on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Accept the code of the 30-second step before and after the current one (RFC 6238 section 5.2
# allows one step of network delay and clock drift): a code typed as the app turns it over, or
# on a phone whose clock is a few seconds out, still works. allauth refuses a code used once.
MFA_TOTP_TOLERANCE = 1
REQUIRE_2FA_FOR_LEADS = env.bool("REQUIRE_2FA_FOR_LEADS", default=False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# Security. Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Beat's schedule lives here, in code (and in the README's table).
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "portal.tasks.sweep_outbox", "schedule": 120.0},
    "purge-outbox": {"task": "portal.tasks.purge_outbox", "schedule": crontab(hour=3, minute=30)},
    "reminder-tick": {"task": "portal.tasks.reminder_tick", "schedule": 300.0},
    "digest-tick": {"task": "portal.tasks.digest_tick", "schedule": 900.0},
    "bulk-tick": {"task": "portal.tasks.bulk_tick", "schedule": 60.0},
    "cases-deadline-reminders": {
        "task": "cases.deadline_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Resolutions that fell short close once their meeting's submission deadline passes.
    "resolutions-close-short": {"task": "resolutions.close_short", "schedule": 900.0},
    "conversations-welcome-tick": {"task": "conversations.welcome_tick", "schedule": 300.0},
}

# Event reminders (events.reminders): the evening before at this local time, and this
# many hours before the start. The reminder tick runs every REMINDER_TICK_SECONDS; a
# reminder whose time passed less than one tick ago still goes (the grace).
REMINDER_DAY_BEFORE_LOCAL_TIME = env.str("REMINDER_DAY_BEFORE_LOCAL_TIME", default="18:00")
REMINDER_HOURS_BEFORE = env.float("REMINDER_HOURS_BEFORE", default=2.0)
REMINDER_TICK_SECONDS = 300
REMINDER_LOOKAHEAD_HOURS = 48

# Digests (front.digests): built from DIGEST_LOCAL_HOUR (Europe/London) until
# DIGEST_LATEST_LOCAL_HOUR, so a tick missed at 07:00 catches up later in the morning.
DIGEST_LOCAL_HOUR = env.int("DIGEST_LOCAL_HOUR", default=7)
DIGEST_LATEST_LOCAL_HOUR = env.int("DIGEST_LATEST_LOCAL_HOUR", default=12)
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)  # Monday
# Every bulk send (portal.bulk: digests and the like) is built and sent in batches of
# this many recipients, at most this many emails a second per batch.
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=200)
DIGEST_SEND_RATE_PER_SECOND = env.float("DIGEST_SEND_RATE_PER_SECOND", default=20.0)
DIGEST_NEARBY_KM = env.float("DIGEST_NEARBY_KM", default=15.0)
# A batch handed to a worker this long ago and not done was lost (broker restart, worker
# killed); it is dispatched again. Outbox rows it queued are swept sooner by sweep_outbox.
DIGEST_REDISPATCH_SECONDS = env.int("DIGEST_REDISPATCH_SECONDS", default=3600)
# A bulk batch claimed by a worker this long ago and not done lost its worker (killed, or
# its machine gone): it is dispatched again. A live worker's claim is never older than the
# task's hard time limit, so a little more than that is enough: a few minutes, not an hour.
BULK_BATCH_STALE_SECONDS = env.int("BULK_BATCH_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
if BULK_BATCH_STALE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"BULK_BATCH_STALE_SECONDS must exceed the task time limit ({CELERY_TASK_TIME_LIMIT} s)."
    )

# Trust (issue 15). gunicorn keeps an idle connection open this long: longer than the
# proxy's idle timeout (nginx's upstream keepalive_timeout and most load balancers: 60 s),
# so the proxy always closes first and never sends a request on a connection gunicorn is
# closing.
WEB_KEEPALIVE_SECONDS = env.int("WEB_KEEPALIVE_SECONDS", default=75)

# Acting without an account (guests app): at most this many actions per email address
# may wait for the click in the confirmation email at once.
GUEST_PENDING_CAP = env.int("GUEST_PENDING_CAP", default=5)
CELERY_BEAT_SCHEDULE["guests-purge-expired"] = {
    "task": "guests.purge_expired",
    "schedule": crontab(minute=17),
}
# The JSON API (api/, docs/api.md): token authentication only (never the session cookie),
# OSDI-style error bodies, an OpenAPI schema by drf-spectacular.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=65_536)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.handle_exception",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "OSDI-shaped JSON API (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # An event's kind is read and written (EventWriteSerializer): one enum, one name.
    "ENUM_NAME_OVERRIDES": {"EventKindEnum": "events.models.Event.Kind"},
}
# Webhooks (api/webhooks.py): a delivery gets WEBHOOK_TIMEOUT_SECONDS, is tried up to
# WEBHOOK_MAX_ATTEMPTS times, RETRY_SECONDS * 2^n apart; a subscription failing
# DISABLE_AFTER times in a row is disabled. Private, loopback and link-local addresses are
# refused unless WEBHOOK_ALLOW_PRIVATE (a receiver on your own network).
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=60)
WEBHOOK_DISABLE_AFTER = env.int("WEBHOOK_DISABLE_AFTER", default=15)
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
CELERY_BEAT_SCHEDULE["webhook-tick"] = {"task": "api.webhook_tick", "schedule": 60.0}

Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
