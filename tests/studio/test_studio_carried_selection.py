"""The studio opens on a selection carried in its URL (the language switch sends it there)."""

from __future__ import annotations

import base64
import copy
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.configuring.previews import encode_selection
from tests.fixtures.documents import PHOTO, TOTE
from tests.fixtures.pictures import png

pytestmark = pytest.mark.django_db


def publish(document, capture):
    engine_cache.clear()
    with capture(execute=True):
        return option_set_import(document=copy.deepcopy(document), publish=True)


def carry(selection: dict) -> str:
    """The selection as the studio's script carries it: base64url JSON, in choosing order."""
    raw = json.dumps(selection, ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def state_of(response) -> dict:
    match = re.search(
        r'<script id="studio-state" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries the studio state"
    return json.loads(match.group(1))


def test_the_studio_opens_on_the_carried_selection_in_its_order(
    client, django_capture_on_commit_callbacks
):
    publish(TOTE, django_capture_on_commit_callbacks)
    carried = {"material": "suede", "color": "brown", "monogram": "Ánh"}
    response = client.get(f"/studio/TOTE-01/?s={carry(carried)}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    state = state_of(response)
    assert list(state["selection"].items()) == list(carried.items())
    assert state["uploads"] == {}
    assert state["price"]["total"] == "530000"


@pytest.mark.parametrize(
    "token",
    [
        "not base64!",
        encode_selection({"color": "gold"}),  # no such value
        encode_selection({"material": "suede", "color": "red"}),  # ruled out
        encode_selection({"monogram": "x" * 11}),  # over its length
        "WzFd",  # a list, not an object
    ],
)
def test_a_bad_carried_selection_opens_the_defaults(
    client, django_capture_on_commit_callbacks, token
):
    publish(TOTE, django_capture_on_commit_callbacks)
    response = client.get(f"/studio/TOTE-01/?s={token}")
    assert response.status_code == 200
    assert state_of(response)["selection"] == {"material": "canvas", "color": "black"}


def test_a_picture_is_carried_only_for_the_shopper_who_uploaded_it(
    client, django_capture_on_commit_callbacks
):
    publish(PHOTO, django_capture_on_commit_callbacks)
    uploaded = client.post("/api/v1/uploads/", {"file": SimpleUploadedFile("me.png", png())})
    picture = uploaded.json()["id"]
    token = encode_selection({"material": "canvas", "color": "navy", "photo": picture})

    mine = state_of(client.get(f"/studio/TOTE-01/?s={token}"))
    assert mine["selection"]["photo"] == {"width": 200, "height": 150, "format": "png"}
    assert mine["uploads"] == {"photo": {"id": picture, "width": 200, "height": 150}}
    assert mine["price"]["total"] == "410000"

    stranger = state_of(Client().get(f"/studio/TOTE-01/?s={token}"))
    assert stranger["selection"] == {"material": "canvas", "color": "black"}
    assert stranger["uploads"] == {}
