"""Designs: save, read, update, share, reopen on a newer version; only the owner writes."""

from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from catalog.services import option_set_new_draft, option_set_publish
from configurator.designs.models import Design
from tests.fixtures.documents import PHOTO, TOTE
from tests.fixtures.pictures import png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def save(client, selection, **extra):
    body = {"product": "TOTE-01", "selection": selection, **extra}
    return client.post("/api/v1/designs/", body, format="json")


def test_a_guest_saves_reads_and_updates_a_design(client, publish):
    publish(TOTE)
    response = save(client, {"material": "suede", "color": "black"}, name="Quà tặng mẹ")
    assert response.status_code == 201
    body = response.json()
    assert body["selection"] == {"material": "suede", "color": "black"}
    assert body["name"] == "Quà tặng mẹ"
    assert body["version"] == 1
    design_id = body["id"]
    assert [d["id"] for d in client.get("/api/v1/designs/").json()] == [design_id]
    updated = client.put(
        f"/api/v1/designs/{design_id}/",
        {"product": "TOTE-01", "selection": {"material": "canvas", "color": "navy"}},
        format="json",
    )
    assert updated.status_code == 200
    assert Design.objects.get().selection == {"material": "canvas", "color": "navy"}


def test_an_invalid_design_is_refused_and_nothing_written(client, publish):
    publish(TOTE)
    response = save(client, {"material": "suede", "color": "navy"})
    assert response.status_code == 409
    assert response.json()["code"] == "selection.E010"
    response = save(client, {"monogram": "Chữ quá dài để thêu"})
    assert response.status_code == 400
    assert response.json()["code"] == "engine.V010"
    assert Design.objects.count() == 0


@pytest.mark.parametrize("text", ["Ánh\x00", "\u202eÁnh", "Á\u200bnh"])
def test_a_design_with_hidden_characters_is_refused_and_nothing_written(client, publish, text):
    publish(TOTE)
    response = save(client, {"material": "canvas", "monogram": text})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (
        "engine.V012",
        "selection.monogram",
    )
    assert Design.objects.count() == 0


def test_another_shopper_cannot_read_change_or_delete(client, other_client, publish):
    publish(TOTE)
    design_id = save(client, {"material": "canvas"}).json()["id"]
    for method in ("get", "delete"):
        response = getattr(other_client, method)(f"/api/v1/designs/{design_id}/")
        assert response.status_code == 404
        assert response.json()["code"] == "design.not_found"
    response = other_client.put(
        f"/api/v1/designs/{design_id}/",
        {"product": "TOTE-01", "selection": {"material": "suede"}},
        format="json",
    )
    assert response.status_code == 404
    assert Design.objects.get().selection == {"material": "canvas"}
    assert other_client.get("/api/v1/designs/").json() == []


def test_share_link_opens_read_only_on_the_current_version(client, other_client, publish):
    first = publish(TOTE)
    design_id = save(client, {"material": "canvas", "color": "red", "monogram": "Ánh"}).json()["id"]
    shared = client.post(f"/api/v1/designs/{design_id}/share/").json()
    token_url = shared["share_url"]
    assert token_url.startswith("http://testserver/api/v1/shared/")
    # The merchant publishes version 2 without red.
    draft = option_set_new_draft(version=first)
    draft.groups.get(code="color").values.filter(code="red").delete()
    option_set_publish(version=draft)
    from configurator.compilation.tasks import compile_version

    compile_version.delay(draft.pk)
    body = other_client.get(token_url.replace("http://testserver", "")).json()
    assert body["version"] == 1
    assert body["selection"] == {"material": "canvas", "color": "red", "monogram": "Ánh"}
    assert body["current"] == {
        "version": 2,
        "selection": {"material": "canvas", "monogram": "Ánh"},
        "dropped": [{"group": "color", "value": "red", "reason": "removed"}],
    }
    # Read-only for others: the token does not open the design for writing.
    response = other_client.put(
        f"/api/v1/designs/{design_id}/",
        {"product": "TOTE-01", "selection": {}},
        format="json",
    )
    assert response.status_code == 404


def test_unknown_shared_token(client, publish):
    publish(TOTE)
    response = client.get("/api/v1/shared/nope/")
    assert response.status_code == 404
    assert response.json()["code"] == "design.not_found"


def test_guest_designs_move_to_the_account(client, publish, django_user_model):
    from configurator.designs.services import designs_claim

    publish(TOTE)
    save(client, {"material": "canvas"})
    session_key = client.session.session_key
    user = django_user_model.objects.create_user("lan", "lan@example.vn", "pw-12345678")
    assert designs_claim(user_id=user.pk, session_key=session_key) == 1
    assert Design.objects.get().owner == user
    client.force_login(user)
    assert len(client.get("/api/v1/designs/").json()) == 1


def test_version_field_points_at_the_version_made_on(client, publish):
    doc = copy.deepcopy(TOTE)
    publish(doc)
    body = save(client, {"material": "canvas"}, version=1).json()
    assert body["version"] == 1
    response = save(client, {"material": "canvas"}, version=9)
    assert response.status_code == 404
    assert Design.objects.count() == 1


def test_a_shared_design_never_shows_the_shoppers_picture(client, other_client, publish):
    publish(PHOTO)
    photo = upload(client, png(), "me.png").json()["id"]
    selection = {"material": "canvas", "color": "navy", "photo": photo, "monogram": "Ánh"}
    design_id = save(client, selection).json()["id"]
    token_url = client.post(f"/api/v1/designs/{design_id}/share/").json()["share_url"]
    response = other_client.get(token_url.replace("http://testserver", ""))
    assert response.status_code == 200
    body = response.json()
    assert body["selection"] == {"material": "canvas", "color": "navy", "monogram": "Ánh"}
    assert body["current"] == {
        "version": 1,
        "selection": {"material": "canvas", "color": "navy", "monogram": "Ánh"},
        "dropped": [{"group": "photo", "value": None, "reason": "private"}],
    }
    assert photo not in response.content.decode()
    # The owner still has it.
    assert client.get(f"/api/v1/designs/{design_id}/").json()["selection"] == selection
    # The studio page of the share link carries no upload id either.
    token = token_url.rstrip("/").rsplit("/", 1)[1]
    page = other_client.get(f"/studio/TOTE-01/?design={token}")
    assert page.status_code == 200
    assert photo not in page.content.decode()
    state = page.context["state"]
    assert state["dropped"] == [{"group": "photo", "value": None, "reason": "private"}]
    assert state["design"] is None
