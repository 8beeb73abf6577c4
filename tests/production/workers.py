"""Real Celery processes for the tests about workers: a worker, beat, and Redis restarts.

They share the test's PostgreSQL database (a subprocess cannot see SQLite's in-memory
test database) and the broker of ``CELERY_BROKER_URL`` (Redis in CI).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def need_postgresql_and_broker() -> None:
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL:
        pytest.skip("needs PostgreSQL and a Redis broker (CI)")


def process_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker or beat on this test's database and broker."""
    user = settings.DATABASES["default"]["USER"] or "postgres"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "configurator.settings.local",
        "DATABASE_URL": f"postgres://{user}@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        **extra,
    }


def _spawn(arguments: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "configurator", *arguments],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return _spawn(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        env,
        log,
    )


def start_beat(env: dict[str, str], folder: Path, log: Path) -> subprocess.Popen:
    return _spawn(
        ["beat", "-l", "warning", "-s", str(folder / "beat-schedule"), "--pidfile="], env, log
    )


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and its children (a prefork worker's pool)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for(condition: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(message)


def redis_stop() -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)
    wait_for(lambda: not redis_up(), 10, "Redis did not stop")


def redis_start() -> None:
    subprocess.run(REDIS_START, check=True)
    wait_for(redis_up, 30, "Redis did not come back")


def redis_up() -> bool:
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True)
    return ping.returncode == 0 and ping.stdout.strip() == b"PONG"


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
