"""Settings for ``bench.export_bench`` (its process and its workers): DEBUG off, quiet mail."""

from configurator.settings.local import *  # noqa: F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": True}
