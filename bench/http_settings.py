"""Settings for ``bench.http_bench``: the shop plus a bare JSON view, DEBUG off."""

import os

from configurator.settings.local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.http_urls"
STATICFILES_DIRS = [*STATICFILES_DIRS, os.environ.get("BENCH_STATIC", "/tmp")]  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": True}
