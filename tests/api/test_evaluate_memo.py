"""Evaluate answers are kept per engine: the same request is worked out once."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from configurator.api import views
from configurator.api.memo import evaluations
from tests.fixtures.api import evaluate
from tests.fixtures.documents import PHOTO, TOTE
from tests.fixtures.pictures import png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def calls(monkeypatch):
    evaluations.clear()
    seen: list[dict] = []
    real = views.selection_evaluate

    def counting(**kwargs):
        seen.append(dict(kwargs["selection"]))
        return real(**kwargs)

    monkeypatch.setattr(views, "selection_evaluate", counting)
    return seen


def test_the_same_request_is_worked_out_once(shopper, publish, calls):
    publish(TOTE)
    client = shopper
    body = {"selection": {"material": "canvas", "color": "navy"}}
    first = evaluate(client, body)
    second = evaluate(client, body)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert len(calls) == 1
    # Anything in the request that changes the answer is a new answer.
    evaluate(client, {**body, "complete": True})
    evaluate(client, {**body, "explain": [["material", "suede"]]})
    evaluate(client, {"selection": {"color": "navy", "material": "canvas"}})  # same, reordered
    assert len(calls) == 3
    vietnamese = client.post(
        "/api/v1/products/TOTE-01/evaluate/", body, format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert vietnamese.json()["groups"][0]["name"] != first.json()["groups"][0]["name"]
    assert len(calls) == 4


def test_an_answer_naming_an_upload_is_never_kept(shopper, publish, calls):
    client = shopper
    publish(PHOTO)
    photo = upload(client, png(), "cat.png").json()["id"]
    body = {"selection": {"material": "canvas", "photo": photo}}
    assert evaluate(client, body).status_code == 200
    assert evaluate(client, body).status_code == 200
    assert len(calls) == 2  # each time through the full path, which checks the owner
    stranger = client.__class__()
    refused = evaluate(stranger, body)
    assert refused.status_code == 404
    assert refused.json()["code"] == "upload.not_found"
