"""The demo shop (``manage.py demo``): local settings, served the way a shop is, DEBUG off.

No tracebacks or URL lists for whoever reaches the port. Static files come from WhiteNoise
straight from the apps and ``static/`` (no collectstatic); public media (MEDIA_ROOT only,
never the private storage) from :mod:`configurator.media`. ``manage.py demo`` sets
``DJANGO_ALLOWED_HOSTS`` to the address it serves unless it is set already.
"""

import copy
import secrets
import warnings

from .base import LOGGING, VAR_DIR, env
from .local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
CONFIGURATOR_SERVE_MEDIA = True
# No broker, no beat: a thread of the server sends again what is due (a failed e-mail).
CONFIGURATOR_SWEEPER_THREAD = True
# A quiet console: the shop's address, requests and what goes wrong; no task chatter.
LOGGING = copy.deepcopy(LOGGING)
# The same loggers as catalog/management/commands/demo.py's QUIET_LOGGERS.
LOGGING["loggers"].update(
    {name: {"level": "WARNING"} for name in ("celery", "kombu", "amqp", "axes")}
)
# WhiteNoise serves from the finders here; an empty STATIC_ROOT is expected, not news.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)


def _demo_secret_key() -> str:
    """A random key made once and kept in var/: with DEBUG off, a well-known key would let
    anyone forge sessions and signed links."""
    path = VAR_DIR / "demo-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _demo_secret_key()
