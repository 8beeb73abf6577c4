"""``/healthz`` and ``/readyz``: is the process alive, can it serve.

:class:`HealthMiddleware` answers both before the rest of the stack (no session, language,
CSRF, DRF or throttling; no host check or HTTPS redirect either, since load balancers and
orchestrators probe by address over plain HTTP), the way
:mod:`configurator.api.middleware` serves stored previews.

- ``/healthz`` (liveness): the process answers. Nothing else is touched, so a database
  outage never makes an orchestrator restart every web process.
- ``/readyz`` (readiness): the database answers, the cache stores and reads back, the broker
  accepts a connection, the default and private storages write, read and delete a file, and
  no migration is left to apply. 200 when every check passes, 503 naming what fails.

The database, cache and storage probes are django-health-check's; the broker and migration
probes are ours, in its shape. Every check is bounded by its client's own timeouts.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
from collections.abc import Callable

from asgiref.sync import async_to_sync
from django import db
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from health_check import checks as library
from health_check.base import HealthCheck
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from kombu import Connection

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
BROKER_TIMEOUT_SECONDS = 2.0
NO_STORE = "no-store"


class CheckSkipped(HealthCheckException):
    """Not a failure: there is nothing to check (no broker, tasks run in-process)."""

    message_type = "skipped"


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (within ``BROKER_TIMEOUT_SECONDS``)."""

    def run(self) -> None:
        url: str = settings.CELERY_BROKER_URL
        if not url:
            raise CheckSkipped("no broker configured: tasks run in-process")
        options = {
            **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
            "socket_timeout": BROKER_TIMEOUT_SECONDS,
            "max_retries": 0,  # a probe says how it is now; retrying is the worker's job
        }
        connection = Connection(
            url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options
        )
        try:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        except Exception as error:  # kombu and each transport raise their own kinds
            raise ServiceUnavailable(f"unreachable ({type(error).__name__})") from error
        finally:
            connection.release()


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the code is applied to the database."""

    alias: str = "default"

    def run(self) -> None:
        try:
            executor = MigrationExecutor(connections[self.alias])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except db.Error as error:
            raise ServiceUnavailable("database unavailable") from error
        if plan:
            first = plan[0][0]
            raise ServiceUnavailable(f"{len(plan)} unapplied, first {first.app_label}.{first.name}")


@dataclasses.dataclass
class Storage(library.Storage):
    """Writes, reads back and deletes a file (an OS error is a failure, not a crash)."""

    def run(self) -> None:
        try:
            super().run()
        except OSError as error:
            raise ServiceUnavailable(f"not writable ({type(error).__name__})") from error


def readiness_checks() -> dict[str, HealthCheck]:
    """What ``/readyz`` checks, by the name its answer gives each."""
    return {
        "database": library.Database(alias="default"),
        "migrations": Migrations(alias="default"),
        "cache": library.Cache(alias="default"),
        "broker": Broker(),
        "storage:default": Storage(alias="default"),
        "storage:private": Storage(alias="private"),
    }


def check_state(check: HealthCheck) -> dict[str, str]:
    """``{"state": "ok" | "skipped" | "failing", "detail": ...}`` for one check, run now."""
    try:
        if inspect.iscoroutinefunction(check.run):
            async_to_sync(check.run)()
        else:
            check.run()
    except CheckSkipped as skipped:
        return {"state": "skipped", "detail": skipped.message}
    except HealthCheckException as error:
        logger.warning("Readiness check %r failed: %s", check, error.message)
        return {"state": "failing", "detail": error.message}
    except Exception:  # a probe must answer; the failure is logged with its traceback
        logger.exception("Readiness check %r raised", check)
        return {"state": "failing", "detail": "unexpected error"}
    return {"state": "ok", "detail": ""}


def readiness() -> tuple[bool, dict[str, dict[str, str]]]:
    """Whether the process can serve, and each dependency's state."""
    states = {name: check_state(check) for name, check in readiness_checks().items()}
    return all(state["state"] != "failing" for state in states.values()), states


class HealthMiddleware:
    """Answers ``GET /healthz`` and ``GET /readyz``; passes every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD"):
            if request.path_info == LIVENESS_PATH:
                return self._answer({"status": "ok"}, 200)
            if request.path_info == READINESS_PATH:
                ready, states = readiness()
                status = "ready" if ready else "unavailable"
                return self._answer({"status": status, "checks": states}, 200 if ready else 503)
        return self.get_response(request)

    @staticmethod
    def _answer(body: dict[str, object], status: int) -> JsonResponse:
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = NO_STORE
        return response
