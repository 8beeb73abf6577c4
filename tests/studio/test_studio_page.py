"""The studio page: server-rendered shell with the engine's state for the script."""

from __future__ import annotations

import json
import re

import pytest

from configurator.designs.models import Design

pytestmark = pytest.mark.django_db


def state_of(response) -> dict:
    match = re.search(
        r'<script id="studio-state" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries the studio state"
    return json.loads(match.group(1))


def test_studio_opens_on_the_merchants_defaults(client, tote):
    response = client.get("/studio/TOTE-01/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    state = state_of(response)
    assert state["selection"] == {"material": "canvas", "color": "black"}
    assert [g["name"] for g in state["groups"]] == ["Chất liệu", "Màu", "Chữ thêu"]
    assert state["price"]["total"] == "350000"
    assert b"studio/studio.js" in response.content


def test_studio_in_english(client, tote):
    response = client.get("/studio/TOTE-01/", HTTP_ACCEPT_LANGUAGE="en")
    assert [g["name"] for g in state_of(response)["groups"]] == ["Material", "Colour", "Monogram"]


def test_a_shared_design_opens_with_its_choices(client, tote):
    design = Design.objects.create(
        product=tote.product,
        version=tote,
        session_key="someone-else",
        selection={"material": "suede", "color": "brown", "gone": "x"},
        share_token="tok123",
    )
    state = state_of(client.get("/studio/TOTE-01/?design=tok123"))
    assert state["selection"] == {"material": "suede", "color": "brown"}
    assert state["dropped"] == [{"group": "gone", "value": "x", "reason": "removed"}]
    assert state["design"] is None  # someone else's: starting from it makes a new design
    assert design.selection["material"] == "suede"


def test_unknown_product_and_design(client, tote):
    assert client.get("/studio/NOPE/").status_code == 404
    assert client.get("/studio/TOTE-01/?design=missing").status_code == 404
