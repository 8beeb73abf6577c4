"""Values behind "Show all" are explained like the shown ones: reason and repair."""

from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

SUEDE_COLOURS = {
    "conflict": ["material"],
    "messages": ["Suede comes only in Black or Brown"],
    "repair": {"material": "canvas"},
}


@pytest.fixture
def tote(django_capture_on_commit_callbacks):
    engine_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return option_set_import(document=copy.deepcopy(TOTE), publish=True)


def test_a_hidden_unavailable_value_has_its_reason_and_repair(tote):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"material": "suede", "color": "black"}},
        format="json",
    )
    assert response.status_code == 200
    color = response.json()["groups"][1]
    assert color["more"] == 1
    states = {v["code"]: (v["available"], v["shown"], v["reason"]) for v in color["values"]}
    assert states == {
        "black": (True, True, None),
        "brown": (True, True, None),
        "navy": (False, True, SUEDE_COLOURS),
        "red": (False, False, SUEDE_COLOURS),
    }


def test_the_hidden_value_is_explained_in_vietnamese_too(tote):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    body = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"material": "suede", "color": "brown"}},
        format="json",
    ).json()
    red = next(v for v in body["groups"][1]["values"] if v["code"] == "red")
    assert (red["shown"], red["reason"]) == (
        False,
        {
            "conflict": ["material"],
            "messages": ["Da lộn chỉ có màu Đen hoặc Nâu"],
            "repair": {"material": "canvas"},
        },
    )
