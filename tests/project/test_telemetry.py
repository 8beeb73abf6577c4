"""Tracing is switched on by the standard OTEL_* variables, and off without them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from configurator.telemetry import telemetry_enabled

ROOT = Path(__file__).resolve().parents[2]

# A web process as wsgi.py starts it, answering one probe; spans go to stdout.
SCRIPT = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "configurator.settings.test"
from configurator.telemetry import telemetry_start
started = telemetry_start("configurator-web")
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200  # a probe: not traced
response = client.get("/no-such-page/")
print("STATUS", started, response.status_code, flush=True)
"""


def run(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x"}, False),
    ],
)
def test_the_switch_is_the_standard_environment(monkeypatch, env, expected):
    for name in list(os.environ):
        if name.startswith("OTEL_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert telemetry_enabled() is expected


def test_a_request_is_traced_with_the_service_name_from_the_environment():
    out = run({"OTEL_TRACES_EXPORTER": "console", "OTEL_SERVICE_NAME": "shop-web-1"})
    status, _, spans = out.partition("STATUS True 404")
    assert spans == "\n"
    decoder = json.JSONDecoder()
    span, end = decoder.raw_decode(status.strip())
    assert status.strip()[end:] == ""  # one span: the probe was not traced
    assert span["name"] == "GET"
    assert span["kind"] == "SpanKind.SERVER"
    assert span["attributes"]["http.status_code"] == 404
    assert span["attributes"]["http.url"] == "http://localhost/no-such-page/"
    assert span["resource"]["attributes"]["service.name"] == "shop-web-1"


def test_without_the_variables_nothing_is_traced():
    assert run({}) == "STATUS False 404\n"
