"""Request and task ids in every log line; JSON lines in production."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task

from configurator.logcontext import ContextFilter, request_id_for

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "-production-secret-for-tests-0123456789abcdefghij"
PROXY_ID = "2f1c6a54b3e94a8d9e0b7c6d5a4f3e21"


class Capture(logging.Handler):
    """The records one logger passes on, through the project's filter."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(ContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured():
    handler = Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.records
    root.removeHandler(handler)


def probe_view_logging(caplog_records, client, **headers):
    response = client.get("/no-such-page/", **headers)  # Django logs "Not Found" for it
    lines = [r for r in caplog_records if r.name == "django.request"]
    return response, lines


@pytest.mark.django_db
def test_a_requests_log_lines_carry_its_id_and_the_response_says_it(client, captured):
    response, lines = probe_view_logging(captured, client)
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and int(rid, 16) >= 0
    assert [(r.levelname, r.request_id, r.context) for r in lines] == [
        ("WARNING", rid, f"request={rid}")
    ]


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_an_incoming_id_is_kept_behind_a_trusted_proxy(client, settings, captured):
    settings.CONFIGURATOR_TRUSTED_PROXIES = 1
    response, lines = probe_view_logging(captured, client, HTTP_X_REQUEST_ID=PROXY_ID)
    assert response["X-Request-ID"] == PROXY_ID
    assert [r.request_id for r in lines] == [PROXY_ID]


@pytest.mark.django_db
def test_an_incoming_id_is_replaced_without_a_trusted_proxy(client, settings):
    settings.CONFIGURATOR_TRUSTED_PROXIES = 0
    response = client.get("/healthz", HTTP_X_REQUEST_ID=PROXY_ID)
    assert response["X-Request-ID"] != PROXY_ID
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.parametrize(
    "incoming", ["short", "x" * 129, "has space-in-it", "line\nbreak-injected", ""]
)
def test_a_malformed_incoming_id_is_replaced_even_from_a_trusted_proxy(incoming):
    rid = request_id_for(incoming, trusted=True)
    assert rid != incoming and len(rid) == 32


def test_log_lines_outside_requests_and_tasks_say_so(captured):
    logging.getLogger("configurator.test").warning("idle")
    assert [(r.request_id, r.task_id, r.context) for r in captured] == [("-", "-", "-")]


@shared_task(name="tests.project.log_something")
def log_something() -> str:
    logging.getLogger("configurator.test").warning("inside a task")
    return "done"


def test_a_task_logs_with_its_id(captured):
    result = log_something.apply_async()  # eager in the tests' settings
    lines = [r for r in captured if r.getMessage() == "inside a task"]
    assert [(r.task_id, r.context) for r in lines] == [(result.id, f"task={result.id}")]
    logging.getLogger("configurator.test").warning("after")
    assert captured[-1].task_id == "-"  # the id ends with the task


@pytest.mark.django_db
def test_a_task_run_during_a_request_logs_both_ids(rf, captured):
    from configurator.logcontext import RequestIdMiddleware

    ids = {}

    def view(request):
        ids["task"] = log_something.apply_async().id
        from django.http import HttpResponse

        return HttpResponse()

    response = RequestIdMiddleware(view)(rf.get("/"))
    line = next(r for r in captured if r.getMessage() == "inside a task")
    assert line.context == f"request={response['X-Request-ID']} task={ids['task']}"


FORMAT_A_RECORD = """
import json, logging, logging.config, django
django.setup()
from django.conf import settings
from configurator.logcontext import ContextFilter, current_request_id
logging.config.dictConfig(settings.LOGGING)
handler = logging.getLogger().handlers[0]
current_request_id.set("req-0123456789")
record = logging.LogRecord("configurator.orders", logging.ERROR, "x.py", 1, "order %s failed",
                           (42,), None)
handler.filter(record)
print(handler.format(record))
"""


def run_settings(module: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env = {**clean, "DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": SECRET}
    return subprocess.run(
        [sys.executable, "-c", FORMAT_A_RECORD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_logs_are_json_lines_with_the_request_id():
    result = run_settings("configurator.settings.production")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert {k: line[k] for k in ("level", "logger", "message", "request_id", "task_id")} == {
        "level": "ERROR",
        "logger": "configurator.orders",
        "message": "order 42 failed",
        "request_id": "req-0123456789",
        "task_id": "-",
    }
    assert "time" in line


def test_local_logs_are_readable_text_with_the_request_id():
    result = run_settings("configurator.settings.local")
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.endswith(" ERROR configurator.orders [request=req-0123456789] order 42 failed")


QUIET = """
import logging, django
django.setup()
names = ("dd", "celery", "kombu", "axes", "django")
print(*(logging.getLogger(n).getEffectiveLevel() for n in names))
"""


def test_the_demo_keeps_cudd_and_celery_quiet():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    result = subprocess.run(
        [sys.executable, "-c", QUIET],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "configurator.settings.demo"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["30", "30", "30", "30", "20"]


WORKER_LOGGING = """
import logging, django
django.setup()
from configurator.celery import app
app.log.setup_logging_subsystem(loglevel="INFO")
handlers = logging.getLogger().handlers
print(len(handlers), type(handlers[0].formatter).__name__)
"""


def test_a_worker_logs_through_the_projects_logging(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "configurator.settings.production",
        "DJANGO_SECRET_KEY": SECRET,
    }
    result = subprocess.run(
        [sys.executable, "-c", WORKER_LOGGING],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "JsonFormatter"]
