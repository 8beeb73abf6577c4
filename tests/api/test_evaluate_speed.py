"""The lean evaluate path of an anonymous shopper: no query, no session, the same headers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from configurator.api.memo import evaluations
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/TOTE-01/evaluate/"


def test_a_new_anonymous_answer_asks_the_database_nothing(publish, settings):
    settings.CONFIGURATOR_VERSION_TTL = 2.0  # as in production: the version is remembered
    publish(TOTE)
    evaluations.clear()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    client.post(URL, {"selection": {"material": "canvas"}}, format="json")  # version, engine
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(URL, {"selection": {"material": "suede"}}, format="json")
    assert answer.status_code == 200
    assert [q["sql"] for q in queries.captured_queries] == []
    assert "sessionid" not in answer.cookies
    assert answer.wsgi_request.session.accessed is False  # not even loaded


def test_a_shopper_with_a_session_is_answered_without_the_database(publish, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # a shared cache
    settings.CONFIGURATOR_VERSION_TTL = 2.0
    publish(TOTE)
    evaluations.clear()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    assert client.get("/studio/TOTE-01/").status_code == 200  # the page opens the session
    client.post(URL, {"selection": {"material": "canvas"}}, format="json")
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(URL, {"selection": {"material": "suede"}}, format="json")
    assert answer.status_code == 200
    assert [q["sql"] for q in queries.captured_queries] == []
    assert answer.wsgi_request.session.accessed is True  # read, from the cache


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("redis://127.0.0.1:6379/1", "cached_db"),  # every node reads the same sessions
        ("", "db"),  # local memory: one cache per process, so sessions stay in the database
    ],
)
def test_sessions_are_cached_only_in_a_cache_every_process_shares(cache_url, engine):
    env = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    if cache_url:
        env["CACHE_URL"] = cache_url
    read = subprocess.run(
        [sys.executable, "-c", "import configurator.settings.base as s; print(s.SESSION_ENGINE)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert read.stdout.strip() == f"django.contrib.sessions.backends.{engine}"


def test_the_lean_path_varies_as_drfs_path(publish, django_user_model):
    publish(TOTE)
    evaluations.clear()
    anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in.force_login(django_user_model.objects.create_user("lan", password="x"))
    body = {"selection": {"material": "canvas"}}
    lean = anonymous.post(URL, body, format="json")
    full = signed_in.post(URL, body, format="json")
    # Both say the answer may vary with the cookie, though the lean path never read it.
    assert lean["Vary"] == "Accept, Cookie, Accept-Language"
    assert full["Vary"] == "Accept-Language, Cookie"
    refused = anonymous.post(URL, {"selection": {"finish": "gold"}}, format="json")
    assert refused.status_code == 400
    assert refused["Vary"] == "Accept, Cookie, Accept-Language"


def test_the_lean_answer_says_how_long_the_view_took(publish):
    publish(TOTE)
    answer = APIClient().post(URL, {"selection": {"material": "canvas"}}, format="json")
    name, duration = answer["Server-Timing"].split(";dur=")
    assert name == "evaluate"
    assert 0 < float(duration) < 10_000
