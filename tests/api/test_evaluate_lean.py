"""The lean path in front of DRF answers exactly what DRF's path answers."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from configurator.api.memo import evaluations
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/TOTE-01/evaluate/"


@pytest.fixture
def dispatched(monkeypatch):
    """The requests DRF dispatched (the lean path answered the others)."""
    seen: list[str] = []
    real = APIView.dispatch

    def counting(self, request, *args, **kwargs):
        seen.append(request.path)
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "dispatch", counting)
    return seen


@pytest.fixture
def clients(publish):
    publish(TOTE)
    evaluations.clear()
    anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in.force_login(get_user_model().objects.create_user("lan", password="x"))
    return anonymous, signed_in


@pytest.mark.parametrize(
    "body",
    [
        {"selection": {"material": "suede", "color": "navy"}},
        {"selection": {"material": "canvas"}, "complete": True, "explain": [["color", "red"]]},
        {"selection": {"finish": "gold"}},  # unknown group: 400
        {"selection": {"material": "suede", "color": "white"}},  # cannot be combined: 409
        {"selection": "navy"},  # wrong shape: 400
        {"version": 9},  # no such version: 404
    ],
)
def test_both_paths_give_the_same_answer(clients, dispatched, body):
    anonymous, signed_in = clients
    lean = anonymous.post(URL, body, format="json")
    assert dispatched == []  # answered before DRF
    evaluations.clear()
    full = signed_in.post(URL, body, format="json")
    assert dispatched == [URL]
    assert (lean.status_code, lean["Content-Type"]) == (full.status_code, full["Content-Type"])
    assert lean.json() == full.json()
    assert lean["Allow"] == full["Allow"] == "POST, OPTIONS"


def test_the_lean_path_is_throttled_like_drf(clients, dispatched, monkeypatch):
    anonymous, _ = clients
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"evaluate": "2/minute"})
    cache.clear()
    body = {"selection": {"material": "canvas"}}
    assert [anonymous.post(URL, body, format="json").status_code for _ in range(2)] == [200, 200]
    refused = anonymous.post(URL, body, format="json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "request.throttled"
    assert dispatched == [URL]  # the refusal is DRF's, with its Retry-After
    assert refused["Retry-After"] == "60"
    cache.clear()


def test_what_the_lean_path_leaves_to_drf(clients, dispatched):
    anonymous, _ = clients
    form = anonymous.post(URL, {"selection": "x"})  # multipart: not JSON
    assert form.status_code == 415
    broken = anonymous.post(URL, b"{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "request.parse_error"
    wrong = anonymous.post(URL, {}, format="json", HTTP_AUTHORIZATION="Token nope")
    assert wrong.status_code == 401  # the token authentication refuses an unknown token
    assert wrong.json()["code"] == "request.authentication_failed"
    assert dispatched == [URL, URL, URL]
