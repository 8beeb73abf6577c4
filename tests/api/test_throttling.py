"""Throttles key on the client's address behind the trusted proxies, nothing a client invents."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from configurator.api.memo import evaluations
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

EVALUATE = "/api/v1/products/TOTE-01/evaluate/"
BODY = {"selection": {"material": "canvas"}}
invented = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture
def two_a_minute(publish, monkeypatch):
    publish(TOTE)
    evaluations.clear()
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"evaluate": "2/minute", "upload": "2/minute"}
    )
    cache.clear()
    yield
    cache.clear()


def evaluate(client: APIClient, forwarded: str) -> int:
    return client.post(EVALUATE, BODY, format="json", HTTP_X_FORWARDED_FOR=forwarded).status_code


def upload(client: APIClient, forwarded: str) -> int:
    return client.post("/api/v1/uploads/", {}, HTTP_X_FORWARDED_FOR=forwarded).status_code


@pytest.mark.parametrize(("send", "allowed"), [(evaluate, 200), (upload, 400)])
def test_without_trusted_proxies_an_invented_forwarded_for_changes_nothing(
    two_a_minute, send, allowed
):
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    answers = [send(client, next(invented)) for _ in range(4)]
    assert answers == [allowed, allowed, 429, 429]


@override_settings(CONFIGURATOR_TRUSTED_PROXIES=1)
@pytest.mark.parametrize(("send", "allowed"), [(evaluate, 200), (upload, 400)])
def test_behind_one_proxy_each_client_has_its_own_limit(two_a_minute, send, allowed):
    """nginx appends the address it saw; whatever the client put before it is not believed."""
    proxy = APIClient(REMOTE_ADDR="10.0.0.2")
    first = [send(proxy, f"{next(invented)}, 203.0.113.1") for _ in range(3)]
    second = [send(proxy, f"{next(invented)}, 203.0.113.2") for _ in range(3)]
    assert first == [allowed, allowed, 429]
    assert second == [allowed, allowed, 429]
