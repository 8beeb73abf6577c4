"""Settings for ``bench.http_bench``: the shop plus a bare JSON view, DEBUG off."""

import os

from configurator.settings.local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.http_urls"
STATICFILES_DIRS = [*STATICFILES_DIRS, os.environ.get("BENCH_STATIC", "/tmp")]  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
# Throttling stays on (it is part of the real path), with rates the load never reaches.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "evaluate": "1000000/second",
        "render": "1000000/second",
        "upload": "1000000/second",
    },
}
LOGGING = {"version": 1, "disable_existing_loggers": True}
