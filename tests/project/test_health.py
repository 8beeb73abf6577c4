"""/healthz and /readyz: alive without dependencies, ready only when every one answers."""

from __future__ import annotations

import os
import time
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
ALL_OK = {
    "database": "ok",
    "migrations": "ok",
    "cache": "ok",
    "broker": "skipped",  # the tests' settings have no broker unless CI sets one
    "storage:default": "ok",
    "storage:private": "ok",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_broker(settings):
    """Every test starts with tasks in-process (no broker), whatever the environment says."""
    settings.CELERY_BROKER_URL = ""


def states(response) -> dict[str, str]:
    return {name: check["state"] for name, check in response.json()["checks"].items()}


def test_readyz_answers_200_with_every_dependency_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["status"] == "ready"
    assert states(response) == ALL_OK
    assert response.json()["checks"]["broker"]["detail"] == (
        "no broker configured: tasks run in-process"
    )


def test_readyz_answers_503_naming_the_database_when_it_is_down(client):
    refused = OperationalError("connection refused")
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=refused):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    # Whether migrations are applied cannot be known without the database.
    assert states(response) == {**ALL_OK, "database": "failing", "migrations": "failing"}
    assert response.json()["checks"]["migrations"]["detail"] == "database unavailable"


def test_healthz_answers_200_with_the_database_down(client):
    refused = OperationalError("connection refused")
    with mock.patch.object(
        connections["default"], "ensure_connection", side_effect=refused
    ) as ensure:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    ensure.assert_not_called()


def test_healthz_touches_no_session_and_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "Vary" not in response  # no session or language middleware looked at it


def test_readyz_answers_503_naming_the_cache_when_it_is_down(client):
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
        }
    }
    with override_settings(CACHES=redis_cache):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert states(response) == {**ALL_OK, "cache": "failing"}


def test_readyz_answers_503_naming_the_broker_when_it_is_down_and_fast(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_REDIS
    started = time.monotonic()
    response = client.get("/readyz")
    took = time.monotonic() - started
    assert response.status_code == 503
    assert states(response) == {**ALL_OK, "broker": "failing"}
    assert response.json()["checks"]["broker"]["detail"].startswith("unreachable")
    assert took < 3


def test_readyz_answers_503_naming_the_private_storage_when_it_cannot_write(
    client, settings, tmp_path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "configurator.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": blocker / "private"},  # under a file: no folder possible
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert states(response) == {**ALL_OK, "storage:private": "failing"}


def test_readyz_answers_503_naming_the_default_storage_when_it_fails(client):
    with mock.patch(
        "django.core.files.storage.FileSystemStorage._save", side_effect=PermissionError(13, "no")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    # Both storages are folders on this machine here, so both fail the same way.
    assert states(response) == {
        **ALL_OK,
        "storage:default": "failing",
        "storage:private": "failing",
    }
    assert response.json()["checks"]["storage:default"]["detail"] == (
        "not writable (PermissionError)"
    )


def test_readyz_answers_503_naming_the_migrations_when_one_is_not_applied(client):
    executor = MigrationExecutor(connections["default"])
    last = executor.loader.get_migration(
        "catalog", executor.loader.graph.leaf_nodes("catalog")[0][1]
    )
    with mock.patch.object(MigrationExecutor, "migration_plan", return_value=[(last, False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert states(response) == {**ALL_OK, "migrations": "failing"}
    assert response.json()["checks"]["migrations"]["detail"] == (
        f"1 unapplied, first catalog.{last.name}"
    )


@override_settings(ALLOWED_HOSTS=["shop.example.vn"], SECURE_SSL_REDIRECT=True)
def test_probes_by_address_over_http_are_answered(client):
    """Load balancers ask by the pod's address, over plain HTTP."""
    live = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    ready = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert (live.status_code, ready.status_code) == (200, 200)


def test_probes_are_never_throttled_nor_csrf_checked(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    codes = {client.get("/healthz").status_code for _ in range(5)}
    assert codes == {200}
    csrf_client = type(client)(enforce_csrf_checks=True)
    assert csrf_client.head("/readyz").status_code == 200


@pytest.fixture
def real_redis():
    """The Redis the run was given as its broker (CI sets one), for checks that pass."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://… (a running Redis)")
    return url


def test_readyz_reports_a_reachable_broker_and_redis_cache_ok(client, settings, real_redis):
    settings.CELERY_BROKER_URL = real_redis
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": real_redis,
        }
    }
    with override_settings(CACHES=redis_cache):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert states(response) == {**ALL_OK, "broker": "ok"}
