"""Test settings: local settings with fast password hashing and an isolated media folder."""

import tempfile
from pathlib import Path

from .local import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="configurator-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
