"""Settings shared by every environment, read from the environment with safe defaults.

No variable set: SQLite in ``var/`` and Celery tasks executed in-process. ``DATABASE_URL``
switches to PostgreSQL (psycopg 3), ``CELERY_BROKER_URL`` to Redis and real workers.
"""

from datetime import timedelta
from pathlib import Path

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
    "catalog",
    "configurator.compilation",
    "configurator.designs",
    "configurator.orders",
    "configurator.accounts",
    "configurator.production",
    "configurator.personalization",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/designs/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "configurator.studio.middleware.CachedPreviewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into its page
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
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://configurator"),
}

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
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
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "resend-stuck-exports": {
        "task": "configurator.production.tasks.resend_stuck_exports",
        "schedule": 120.0,
    },
    "deliver-daily-batches": {
        "task": "configurator.production.tasks.deliver_due_batches",
        "schedule": 600.0,
    },
}

# Absolute links in e-mails and partner manifests.
CONFIGURATOR_BASE_URL = env.str("CONFIGURATOR_BASE_URL", default="http://127.0.0.1:8000")

# How many proxies in front of the web process append to X-Forwarded-For (0: none, trust
# no such header; 1: one nginx). Throttles and the login lockout key on the address it gives.
CONFIGURATOR_TRUSTED_PROXIES = env.int("CONFIGURATOR_TRUSTED_PROXIES", default=0)

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
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Project knobs.
# Where compiled option sets are cached in each web process (number of versions kept).
CONFIGURATOR_ENGINE_CACHE_SIZE = env.int("CONFIGURATOR_ENGINE_CACHE_SIZE", default=32)
# How long `import_option_set --publish` waits for a real worker to compile the version.
CONFIGURATOR_COMPILE_WAIT_SECONDS = env.int("CONFIGURATOR_COMPILE_WAIT_SECONDS", default=120)
