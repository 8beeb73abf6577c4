"""Test settings: local settings with fast password hashing and an isolated media folder.

Tasks run in-process (eagerly) even when a broker is configured: the tests that are about
tasks start a real worker (``tests/conftest.py``'s ``celery_worker``) and switch eager off.
"""

import os
import tempfile
from pathlib import Path

from .local import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One folder per test run (inherited by the workers a run starts), so that runs side by
# side on one machine never empty each other's media.
RUN = os.environ.setdefault("CONFIGURATOR_TEST_RUN", f"{os.getpid()}")
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"configurator-test-media-{RUN}"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Partner folders and other run-time files of the tests stay out of the checkout.
VAR_DIR = Path(tempfile.gettempdir()) / f"configurator-test-var-{RUN}"
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"  # emptied with VAR_DIR
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "configurator.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CONFIGURATOR_VERSION_TTL = 0  # tests publish and read at once
CONFIGURATOR_IMPORTS_ROOT = VAR_DIR / "imports"
# Blocked words are re-read at every use in tests: a test's rolled-back rows would otherwise
# linger in the per-process list (catalog/selectors.py; tests/catalog/test_blocked_words_cache.py
# turns it on).
CATALOG_BLOCKED_WORDS_SECONDS = 0
