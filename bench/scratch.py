"""A scratch shop for in-process benchmarks: its own SQLite database and media folder."""

from __future__ import annotations

import os
import tempfile


def django_setup(prefix: str = "bench-") -> str:
    """Point Django at a fresh database and media folder in a new temporary folder (unless
    the environment names others), as a shop runs it (DEBUG off: it keeps every query;
    tasks in-process; quiet logs), and set it up. Returns the folder."""
    work = tempfile.mkdtemp(prefix=prefix)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work}/bench.sqlite3")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", f"{work}/media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks (compiles) run in the process
    import django

    django.setup()
    return work
