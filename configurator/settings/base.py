"""Settings shared by every environment, read from the environment with safe defaults.

No variable set: SQLite in ``var/`` and Celery tasks executed in-process. ``DATABASE_URL``
switches to PostgreSQL (psycopg 3), ``CELERY_BROKER_URL`` to Redis and real workers.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # SQLite database and local media live here by default.

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "nested_admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",  # tokens of tills and ERPs sending purchase events
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",  # sign-in lockout
    "django_prometheus",  # HTTP, database and cache metrics (docs/operations.md)
    "catalog",
    "configurator.compilation",
    "configurator.designs",
    "configurator.orders",
    "configurator.accounts",
    "configurator.production",
    "configurator.personalization",
    "configurator.clienteling",
    "configurator.studio",  # no models: "Xem thử" and the layer picture on a version's page
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/designs/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    # Outermost: counts every request and its latency, health probes included.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Every response, a probe's too, carries its request id (docs/operations.md).
    "configurator.logcontext.RequestIdMiddleware",
    # /healthz and /readyz, before host checks, HTTPS redirects, sessions and throttles.
    "configurator.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "configurator.api.middleware.CachedPreviewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out sign-in into its page
    # Innermost: latency per view, responses per status.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Content-Security-Policy (django-csp 4): scripts, styles and fonts from this site only, so
# no inline script, handler or style attribute runs; text for scripts comes by json_script.
# Pictures may also come from CONFIGURATOR_CSP_IMAGE_ORIGINS (a media CDN or bucket).
CONFIGURATOR_CSP_IMAGE_ORIGINS = env.list("CONFIGURATOR_CSP_IMAGE_ORIGINS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *CONFIGURATOR_CSP_IMAGE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no page of the shop uses these.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

ROOT_URLCONF = "configurator.urls"
WSGI_APPLICATION = "configurator.wsgi.application"
ASGI_APPLICATION = "configurator.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's SQLite serves parallel requests: readers never wait for the writer (WAL),
    # a writer takes the lock when its transaction starts (IMMEDIATE: no "database is
    # locked" when two transactions both try to upgrade) and waits for it up to 20 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Persistent connections: opening one cost PostgreSQL 45% of a loaded web core. Django checks
# a kept connection before reusing it (CONN_HEALTH_CHECKS), so a database restart costs one
# reconnect, not an error. SQLite opens a file, not a connection: nothing to keep.
_sqlite = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0 if _sqlite else 300)
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://configurator"),
}
# Sessions are read from the cache and written through to the database: every shopper who
# opened a studio has a session, and each evaluate call reads it (is someone signed in?).
# From the database that was a query per keystroke, 28% of the web workers' samples at 500
# shoppers (docs/benchmarks.md, "Steady state"). Only a cache the processes share may hold
# them: with one per process (local memory, the default) a session ended in one process
# would live on in another's, so they stay in the database alone.
_SHARED_CACHE = "LocMemCache" not in CACHES["default"]["BACKEND"]
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if _SHARED_CACHE else "db")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# Shoppers' pictures and all made from them (private previews, order copies, production
# packages): outside MEDIA_ROOT, with no URL; only views that check who asks read them
# (configurator/storage.py). On object storage: a bucket or location of its own, private,
# read through signed URLs that expire quickly.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
PRIVATE_S3_BUCKET = env.str("DJANGO_PRIVATE_S3_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "configurator.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if PRIVATE_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_S3_BUCKET,
            "location": env.str("DJANGO_PRIVATE_S3_LOCATION", default="private"),
            "endpoint_url": env.str("DJANGO_PRIVATE_S3_ENDPOINT_URL", default="")
            or env.str("DJANGO_S3_ENDPOINT_URL", default="")
            or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("DJANGO_PRIVATE_S3_URL_SECONDS", default=300),
            "signature_version": "s3v4",  # SigV4: its URLs carry their own expiry
            "custom_domain": None,  # a CDN domain would mean unsigned, public URLs
            "file_overwrite": False,
        },
    }
# Public media (merchants' pictures, value thumbnails, public previews) on S3-compatible
# object storage: DJANGO_S3_BUCKET, readable by anybody (a bucket policy, or
# DJANGO_S3_DEFAULT_ACL=public-read), unsigned URLs, served by a CDN when
# DJANGO_S3_CUSTOM_DOMAIN names one. Names never change content (previews are named by what
# they show; an upload never overwrites), so objects are cached for a year. Credentials:
# the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role).
S3_BUCKET = env.str("DJANGO_S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": env.str("DJANGO_S3_LOCATION", default="media"),
            "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default="") or None,
            "custom_domain": env.str("DJANGO_S3_CUSTOM_DOMAIN", default="") or None,
            "default_acl": env.str("DJANGO_S3_DEFAULT_ACL", default="") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Django itself serves MEDIA_ROOT (public media only) at MEDIA_URL: for DEBUG and the demo;
# in production the web server or CDN does.
CONFIGURATOR_SERVE_MEDIA = env.bool("CONFIGURATOR_SERVE_MEDIA", default=False)
# Uploads above this size go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Celery: no broker configured means tasks run in-process, eagerly.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Redis: a message a dead worker had taken comes back after this many seconds; it must
# outlast the longest retry countdown (CONFIGURATOR_RETRY_COUNTDOWN_MAX_SECONDS) and task.
# Connections fail fast, so a checkout never waits long for a broker that is down.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "resend-stuck-exports": {
        "task": "configurator.production.tasks.resend_stuck_exports",
        "schedule": float(env.int("CONFIGURATOR_SWEEP_SECONDS", default=5)),
    },
    "resend-stuck-order-effects": {
        "task": "configurator.orders.tasks.resend_stuck_effects",
        "schedule": float(env.int("CONFIGURATOR_SWEEP_SECONDS", default=5)),
    },
    "deliver-daily-batches": {
        "task": "configurator.production.tasks.deliver_due_batches",
        "schedule": 600.0,
    },
    # Purchases older than the shop's retention setting (admin: Personalization settings).
    "personalization-retention": {
        "task": "configurator.personalization.tasks.apply_retention",
        "schedule": float(env.int("CONFIGURATOR_RETENTION_SECONDS", default=24 * 3600)),
    },
}

# Outgoing mail (production: SMTP). A send never waits more than the timeout: the
# confirmation e-mail is a task with retries, never part of a checkout.
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# Absolute links in e-mails and partner manifests.
CONFIGURATOR_BASE_URL = env.str("CONFIGURATOR_BASE_URL", default="http://127.0.0.1:8000")

# How many proxies in front of the web process append to X-Forwarded-For (0: none, trust
# no such header; 1: one nginx). Throttles and the login lockout key on the address it gives.
CONFIGURATOR_TRUSTED_PROXIES = env.int("CONFIGURATOR_TRUSTED_PROXIES", default=0)
# /metrics answers a scraper sending "Authorization: Bearer <token>"; with no token, only a
# developer's own machine (DEBUG, loopback). docs/operations.md.
CONFIGURATOR_METRICS_TOKEN = env.str("CONFIGURATOR_METRICS_TOKEN", default="")

# Sign-in lockout (django-axes), shop and admin alike: after this many wrong passwords for
# one username from one address, that pair waits the cool-off, even with the right
# password. By pair, so that nobody can lock a shopper out from elsewhere.
AXES_FAILURE_LIMIT = env.int("CONFIGURATOR_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CONFIGURATOR_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "configurator.clients.client_address"
AXES_LOCKOUT_CALLABLE = "configurator.accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; successful sign-ins are not logged

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Tokens (tills, ERPs) and the browser's session, CSRF-checked for guests too; no Basic.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "configurator.api.authentication.TokenAuthentication",
        "configurator.api.authentication.SessionAuthentication",
    ],
    "NUM_PROXIES": CONFIGURATOR_TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "configurator.api.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "configurator.api.rendering.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "configurator.api.rendering.ORJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["configurator.api.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "evaluate": env.str("THROTTLE_EVALUATE", default="600/minute"),
        "render": env.str("THROTTLE_RENDER", default="120/minute"),
        "upload": env.str("THROTTLE_UPLOAD", default="30/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Configurator API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the drf-spectacular-sidecar package: nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies as their own components (FooRequest): a file field is then binary,
    # not the URL a response would carry.
    "COMPONENT_SPLIT_REQUEST": True,
    # The contract's enums (configurator/api/contract.py), named for generated clients.
    "ENUM_NAME_OVERRIDES": {
        "GroupKindEnum": "configurator.api.contract.GROUP_KINDS",
        "PriceLineKindEnum": "configurator.api.contract.PRICE_LINE_KINDS",
        "PrintQualityLevelEnum": "configurator.api.contract.PRINT_LEVELS",
        "DroppedReasonEnum": "configurator.api.contract.DROPPED_REASONS",
    },
}

# Logs (docs/operations.md): one line per record on stderr, each with the request id of the
# web request or the task id of the Celery task it belongs to (configurator/logcontext.py).
# Readable text here; JSON in production (settings/production.py).
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "configurator.logcontext.ContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(context)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(task_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "text"}
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # dd says "Using CUDD v3.0.0" at INFO each time an engine is compiled or loaded.
        "dd": {"level": "WARNING"},
    },
}
if not CELERY_BROKER_URL:
    # Tasks in-process: kombu still builds a producer pool and warns that it has no host.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

# Project knobs.
# Where compiled option sets are cached in each web process (number of versions kept).
CONFIGURATOR_ENGINE_CACHE_SIZE = env.int("CONFIGURATOR_ENGINE_CACHE_SIZE", default=32)
# How long a command waits for a real worker to compile a version (web requests never wait).
CONFIGURATOR_COMPILE_WAIT_SECONDS = env.int("CONFIGURATOR_COMPILE_WAIT_SECONDS", default=120)

# The outbox (docs/production.md, "Runbook: stuck, healing, forcing"). A due export or order effect
# whose message was lost is sent again by the sweeper (beat, every SWEEP seconds) once it
# has been due for STUCK_AFTER seconds. A worker holds a claimed row for LEASE seconds,
# longer than delivery's hard time limit, so two workers never deliver the same export.
CONFIGURATOR_SWEEP_SECONDS = env.int("CONFIGURATOR_SWEEP_SECONDS", default=5)
CONFIGURATOR_STUCK_AFTER_SECONDS = env.int("CONFIGURATOR_STUCK_AFTER_SECONDS", default=10)
CONFIGURATOR_DELIVERY_SOFT_TIME_LIMIT = env.int("CONFIGURATOR_DELIVERY_SOFT_TIME_LIMIT", default=15)
CONFIGURATOR_DELIVERY_TIME_LIMIT = env.int("CONFIGURATOR_DELIVERY_TIME_LIMIT", default=18)
CONFIGURATOR_LEASE_SECONDS = env.int("CONFIGURATOR_LEASE_SECONDS", default=20)
# Retries wait in Celery (countdown) up to this long, below Redis's visibility timeout and
# RabbitMQ's consumer timeout (30 min); longer waits are left to the sweeper.
CONFIGURATOR_RETRY_COUNTDOWN_MAX_SECONDS = env.int(
    "CONFIGURATOR_RETRY_COUNTDOWN_MAX_SECONDS", default=300
)
CONFIGURATOR_WEBHOOK_TIMEOUT = env.float("CONFIGURATOR_WEBHOOK_TIMEOUT", default=8.0)

# Bounded imports. Purchase events: a few kilobytes of gzip can inflate to gigabytes, so a
# file is refused (events.E008, events.E009) past these sizes of its inflated text. The API
# imports one request in one transaction: its limits are smaller than a file's (the command
# and the admin upload, which import in chunks).
CONFIGURATOR_EVENTS_MAX_INFLATED_BYTES = env.int(
    "CONFIGURATOR_EVENTS_MAX_INFLATED_BYTES", default=4 * 1024**3
)
CONFIGURATOR_EVENTS_MAX_LINES = env.int("CONFIGURATOR_EVENTS_MAX_LINES", default=20_000_000)
CONFIGURATOR_EVENTS_API_MAX_INFLATED_BYTES = env.int(
    "CONFIGURATOR_EVENTS_API_MAX_INFLATED_BYTES", default=200 * 1024**2
)
CONFIGURATOR_EVENTS_API_MAX_LINES = env.int("CONFIGURATOR_EVENTS_API_MAX_LINES", default=500_000)
# Option-set documents larger than this are refused before they are parsed (format.E070);
# the other limits of a document (depth, groups, values, rules, rows...) are in
# catalog/limits.py and docs/option-set-format.md.
CONFIGURATOR_OPTION_SET_MAX_BYTES = env.int(
    "CONFIGURATOR_OPTION_SET_MAX_BYTES", default=100 * 1024**2
)
# Admin uploads larger than this are imported by a Celery task, with its progress on an
# import job the merchant follows in the admin.
CONFIGURATOR_IMPORT_BACKGROUND_BYTES = env.int(
    "CONFIGURATOR_IMPORT_BACKGROUND_BYTES", default=2 * 1024**2
)
# Where uploads waiting for their import job are kept: outside MEDIA_ROOT (purchase events
# name customers), removed when the job ends.
CONFIGURATOR_IMPORTS_ROOT = env.path("CONFIGURATOR_IMPORTS_ROOT", default=VAR_DIR / "imports")
