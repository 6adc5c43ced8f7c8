"""Settings from the environment, each with a default that works on a fresh clone.

Nothing here needs to be edited to run: SQLite (WAL) without `DATABASE_URL`, local-memory cache
without `REDIS_URL`, jobs in-process without a broker.
"""

import os
from pathlib import Path
from typing import Any

import django_stubs_ext
from csp.constants import NONE, SELF

from townsquare.lib.env import env_bool, env_database, env_float, env_int, env_token

# Lets `ModelAdmin[Site]` and other generic classes be subscripted at run time, for mypy.
django_stubs_ext.monkeypatch()


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TOWNSQUARE_DATA_DIR", Path.cwd() / "var"))

DEBUG = env_bool("TOWNSQUARE_DEBUG", False)
# The default key is for a local checkout only; system check townsquare.W001 warns when it is used.
DEFAULT_SECRET_KEY = "townsquare-insecure-development-key-change-me"  # noqa: S105
SECRET_KEY = os.environ.get("TOWNSQUARE_SECRET_KEY", DEFAULT_SECRET_KEY)
PUBLIC_URL = os.environ.get("TOWNSQUARE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = [h for h in os.environ.get("TOWNSQUARE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS.append("testserver")
CSRF_TRUSTED_ORIGINS = [PUBLIC_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    # Serves the API docs (Swagger UI) from our own static files: the CSP allows no CDN scripts.
    "ninja",
    "townsquare.sites",
    "townsquare.accounts",
    "townsquare.comments",
    "townsquare.moderation",
    "townsquare.classifier",
    "townsquare.jobs",
    "townsquare.demo",
    "townsquare.core",
]

MIDDLEWARE = [
    "townsquare.core.metrics.MetricsMiddleware",
    "townsquare.core.slots.RequestSlotsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "townsquare.lib.middleware.TownsquareErrorMiddleware",
]

ROOT_URLCONF = "townsquare.urls"
WSGI_APPLICATION = "townsquare.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        f"sqlite:///{DATA_DIR / 'townsquare.sqlite3'}",
        conn_max_age=env_int("TOWNSQUARE_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that is down or unreachable fails the request in seconds instead of holding a
    # web thread for the operating system's TCP timeout (minutes). A connect_timeout in the URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("TOWNSQUARE_DB_CONNECT_TIMEOUT", 3)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A new TOWNSQUARE_DATA_DIR (or a file URL into a new folder) works on the first command.
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Connections are kept (CONN_MAX_AGE above), as for PostgreSQL: opening one per request cost a
    # file open, the pragmas and, whenever the last one closed, a full WAL checkpoint.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids lock upgrades that fail.
        # Sorts and temporary indexes stay in memory instead of files under /var/tmp.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open (misses, dropped writes) while Redis is down; short timeouts so a dead
            # Redis costs milliseconds, not a worker thread.
            "BACKEND": "townsquare.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("TOWNSQUARE_CACHE_PREFIX", "townsquare"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions are read from Redis and written through to the database, so a Redis restart signs
    # nobody out and a Redis outage does not stop readers from posting (accounts.sessions).
    SESSION_ENGINE = "townsquare.accounts.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs: one rule. TOWNSQUARE_JOBS=inline (the default) runs each job in this process
# once the transaction commits, so the embedded install needs no other process. TOWNSQUARE_JOBS=
# celery publishes jobs to the broker for `townsquare worker`; the broker is REDIS_URL unless
# TOWNSQUARE_BROKER_URL names another (checks townsquare.E001-E003 explain a broken setup).
TOWNSQUARE_JOBS = os.environ.get("TOWNSQUARE_JOBS", "inline").strip().lower()
TOWNSQUARE_BROKER_URL = os.environ.get("TOWNSQUARE_BROKER_URL", REDIS_URL)
TOWNSQUARE_JOBS_QUEUE = os.environ.get("TOWNSQUARE_JOBS_QUEUE", "townsquare")
# Seconds to connect to the broker, and to wait on it once connected: publishing a job runs in the
# request that stored the comment, and a broker that accepts connections but never answers would
# otherwise hold that request forever. Past it the job runs in-process instead (jobs.api).
TOWNSQUARE_BROKER_TIMEOUT = env_float("TOWNSQUARE_BROKER_TIMEOUT", 2)
# A job not acknowledged this many seconds after delivery (its worker died) is delivered again.
# Keep it above the longest job's time limit.
TOWNSQUARE_JOBS_VISIBILITY_TIMEOUT = env_int("TOWNSQUARE_JOBS_VISIBILITY_TIMEOUT", 600)
# Extra modules that register jobs (plugins), imported at start-up: "pkg.mod,pkg.other".
TOWNSQUARE_JOB_MODULES = [m for m in os.environ.get("TOWNSQUARE_JOB_MODULES", "").split(",") if m]
# The sweeper re-queues comments held "check unavailable" for longer than this.
TOWNSQUARE_SWEEP_AFTER_MINUTES = env_int("TOWNSQUARE_SWEEP_AFTER_MINUTES", 10)
TOWNSQUARE_SWEEP_INTERVAL_SECONDS = env_int("TOWNSQUARE_SWEEP_INTERVAL_SECONDS", 300)

# `townsquare serve`: where gunicorn listens, its processes and the threads of each, and how long a
# connection stays open after a response (0: closed, so the next request goes to a free worker).
TOWNSQUARE_BIND = os.environ.get("TOWNSQUARE_BIND", "127.0.0.1:8000")
TOWNSQUARE_WORKERS = env_int("TOWNSQUARE_WORKERS", 2)
TOWNSQUARE_THREADS = env_int("TOWNSQUARE_THREADS", 4)
TOWNSQUARE_KEEP_ALIVE = env_int("TOWNSQUARE_KEEP_ALIVE", 0)

# /healthz gives each part it checks (database, cache, broker, model) this many seconds to answer.
TOWNSQUARE_HEALTHZ_TIMEOUT = env_float("TOWNSQUARE_HEALTHZ_TIMEOUT", 2)
# /metrics answers only `Authorization: Bearer <this>` when it is set (Prometheus's `authorization`
# scrape option), and only this machine when it is not (core.metrics; check townsquare.W003).
TOWNSQUARE_METRICS_TOKEN = env_token("TOWNSQUARE_METRICS_TOKEN")

# Live updates: each open server-sent-events stream holds a web thread, so a process serves at
# most TOWNSQUARE_SSE_STREAMS of them, each for at most TOWNSQUARE_SSE_SECONDS; readers beyond
# that are told to poll (every 15 s) instead.
TOWNSQUARE_SSE_STREAMS = env_int("TOWNSQUARE_SSE_STREAMS", 2)
TOWNSQUARE_SSE_SECONDS = env_int("TOWNSQUARE_SSE_SECONDS", 30)
# Reverse proxies in front of the web processes that append the address they saw to
# X-Forwarded-For (nginx's $proxy_add_x_forwarded_for, a load balancer): the reader's address is
# that many entries from the right. 0 (direct connections) ignores the header, which anyone can send.
TOWNSQUARE_PROXY_HOPS = env_int("TOWNSQUARE_PROXY_HOPS", 0)
# Requests one web process computes at once (core.slots): the rest of its threads wait their turn.
TOWNSQUARE_REQUEST_SLOTS = env_int("TOWNSQUARE_REQUEST_SLOTS", 1)

# E-mail (address confirmation links, reply notifications). Without TOWNSQUARE_EMAIL_HOST mail is written
# to the log.
EMAIL_HOST = os.environ.get("TOWNSQUARE_EMAIL_HOST", "")
EMAIL_PORT = env_int("TOWNSQUARE_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("TOWNSQUARE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TOWNSQUARE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TOWNSQUARE_EMAIL_TLS", True)
# Seconds to wait on the mail server: mail is sent by jobs, in-process by default, and a dead server
# would otherwise hold the web thread that runs one.
EMAIL_TIMEOUT = env_float("TOWNSQUARE_EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("TOWNSQUARE_FROM_EMAIL", "comments@localhost")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Django's model backend, loading the reader's profile in the same query and throttling password
# guesses (accounts.backends).
AUTHENTICATION_BACKENDS = ["townsquare.accounts.backends.ReaderBackend"]
# Password guessing (accounts.throttle): after this many failed sign-ins for one user name, or from one
# client address, within a window of this many seconds, sign-in with that name or from that address is
# refused until the window ends, even with the right password: on our page and at /admin/ alike.
SIGNIN_WINDOW_SECONDS = env_int("TOWNSQUARE_SIGNIN_WINDOW_SECONDS", 900)
SIGNIN_FAILURES_PER_NAME = env_int("TOWNSQUARE_SIGNIN_FAILURES_PER_NAME", 10)
SIGNIN_FAILURES_PER_ADDRESS = env_int("TOWNSQUARE_SIGNIN_FAILURES_PER_ADDRESS", 50)
LOGIN_URL = "accounts:signin"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Security defaults. Cookies are Secure whenever the public address is https. A reader page
# embedded on a publisher's own domain is a third-party frame: there SameSite must be None.
SECURE = PUBLIC_URL.startswith("https://")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "None" if SECURE else "Lax"
CSRF_COOKIE_SAMESITE = "None" if SECURE else "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "townsquare.lib.views.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Comments.
COMMENT_MAX_LENGTH = env_int("TOWNSQUARE_COMMENT_MAX_LENGTH", 5000)
EDIT_WINDOW_SECONDS = env_int("TOWNSQUARE_EDIT_WINDOW_SECONDS", 600)
THREAD_PAGE_SIZE = env_int("TOWNSQUARE_THREAD_PAGE_SIZE", 20)
REPLIES_PER_ROOT = env_int("TOWNSQUARE_REPLIES_PER_ROOT", 50)
# Thread pages for readers not signed in are cached (see comments.pagecache): up to this long in a
# shared cache (Redis; a change bumps the version at once), this long in a per-process one.
THREAD_CACHE_SECONDS = env_int("TOWNSQUARE_THREAD_CACHE_SECONDS", 300)
THREAD_CACHE_LOCAL_SECONDS = env_int("TOWNSQUARE_THREAD_CACHE_LOCAL_SECONDS", 2)

# Moderation: the ordered pipeline (first decisive verdict wins unless a phase says "override": true
# in its OPTIONS), and its time budget per comment. Sites override phases in their policy ("pipeline").
_PHASES = "townsquare.moderation.phases"
MODERATION_PIPELINE: list[dict[str, Any]] = [
    {"NAME": f"{_PHASES}.content.Length"},
    {"NAME": f"{_PHASES}.reader.ArticleClosed"},
    {"NAME": f"{_PHASES}.reader.ReaderStanding"},
    {"NAME": f"{_PHASES}.reader.RateLimits"},
    {"NAME": f"{_PHASES}.reader.Repeats"},
    {"NAME": f"{_PHASES}.content.Threats"},
    {"NAME": f"{_PHASES}.content.WordLists"},
    {"NAME": f"{_PHASES}.content.Links", "OPTIONS": {"max_links": 3}},
    {"NAME": f"{_PHASES}.content.Spam"},
    {"NAME": f"{_PHASES}.content.PersonalData"},
    {"NAME": f"{_PHASES}.content.PersonalAttacks"},
    # The model's spam head learned from YouTube comments, where a link is spam; on news comments a link
    # is usually a source. Its score is kept for moderators, and the Spam and Links rules decide.
    # The cascade tier scores with the linear model alone where it is sure a comment is fine (most are).
    {
        "NAME": f"{_PHASES}.scores.ModelScores",
        "OPTIONS": {
            "tier": os.environ.get("TOWNSQUARE_MODEL_TIER", "cascade"),
            "labels": ["toxicity", "insult", "identity_attack", "threat", "profanity"],
        },
    },
    {"NAME": f"{_PHASES}.reader.History"},
    {"NAME": f"{_PHASES}.reader.NewReader"},
    {"NAME": f"{_PHASES}.reader.Premoderation"},
]
MODERATION_BUDGET_MS = env_float("TOWNSQUARE_MODERATION_BUDGET_MS", 150)
MODERATION_RECHECK_BUDGET_MS = env_float("TOWNSQUARE_MODERATION_RECHECK_BUDGET_MS", 5000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TOWNSQUARE_LOG_LEVEL", "WARNING")},
}
