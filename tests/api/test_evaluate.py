"""API v1: products, option sets and evaluate, with every refusal coded and nothing written."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rest_framework.test import APIClient

from catalog.services import option_set_import
from configurator.compilation.models import CompiledOptionSet
from tests.fixtures.api import evaluate
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def test_products_list_and_detail(client, tote):
    response = client.get("/api/v1/products/")
    assert response.status_code == 200
    assert response.json() == [
        {"sku": "TOTE-01", "name": "Canvas tote", "base_price": "350000", "currency": "VND"}
    ]
    detail = client.get("/api/v1/products/TOTE-01/", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert detail["name"] == "Túi tote vải"
    assert detail["version"] == 1
    assert [g["code"] for g in detail["option_set"]["groups"]] == [
        "material",
        "color",
        "monogram",
    ]


def test_evaluate_shows_what_is_available_why_not_and_the_price(client, tote):
    response = evaluate(client, {"selection": {"color": "navy", "material": "canvas"}})
    assert response.status_code == 200
    body = response.json()
    material = body["groups"][0]
    suede = material["values"][1]
    assert suede["available"] is False
    assert suede["reason"] == {
        "conflict": ["color"],
        "messages": ["Suede comes only in Black or Brown"],
        "repair": {"color": "black"},
    }
    color = body["groups"][1]
    assert [v["code"] for v in color["values"] if v["shown"]] == ["black", "brown", "navy"]
    assert color["more"] == 1
    assert body["price"] == {
        "currency": "VND",
        "total": "350000",
        "lines": [
            {
                "kind": "base",
                "label": "Canvas tote",
                "group": None,
                "value": None,
                "quantity": 1,
                "amount": "350000",
            }
        ],
    }
    assert body["complete"] is True


def test_evaluate_prices_vietnamese_text_per_character(client, tote):
    body = evaluate(
        client, {"selection": {"material": "suede", "color": "black", "monogram": "Ngọc Ánh"}}
    ).json()
    assert body["price"]["total"] == "570000"  # 350000 + 150000 + 7 × 10000
    assert body["price"]["lines"][-1]["quantity"] == 7


def test_evaluate_completes(client, tote):
    body = evaluate(client, {"selection": {"material": "suede"}, "complete": True}).json()
    assert body["completion"] == {"material": "suede", "color": "black"}
    assert body["complete"] is False
    assert [v["code"] for v in body["violations"]] == ["engine.V003"]


@pytest.mark.parametrize(
    ("selection", "status", "code", "field"),
    [
        ({"size": "42"}, 400, "engine.V001", "selection.size"),
        ({"color": "teal"}, 400, "engine.V002", "selection.color"),
        ({"color": ["black"]}, 400, "engine.V006", "selection.color"),
        ({"monogram": "Quá dài để thêu"}, 400, "engine.V010", "selection.monogram"),
        ({"material": "suede", "color": "navy"}, 409, "selection.E010", "selection.color"),
    ],
)
def test_evaluate_refusals_are_coded(client, tote, selection, status, code, field):
    before = CompiledOptionSet.objects.count()
    response = evaluate(client, {"selection": selection})
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["field"] == field
    assert CompiledOptionSet.objects.count() == before


# The tote's monogram without its pattern: hidden characters are refused by themselves.
TOTE_FREE_TEXT: dict[str, Any] = copy.deepcopy(TOTE)
del TOTE_FREE_TEXT["groups"][2]["pattern"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("Ánh\x00", "U+0000"), ("\u202eÁnh", "U+202E"), ("Á\u200bnh", "U+200B")],
)
@pytest.mark.parametrize("signed_in", [False, True], ids=["lean path", "DRF path"])
def test_control_and_invisible_characters_are_refused(
    client, publish, django_user_model, text, shown, signed_in
):
    publish(TOTE_FREE_TEXT)
    if signed_in:  # a signed-in shopper goes through DRF, an anonymous one the lean path
        client.force_login(django_user_model.objects.create_user("lan", password="x"))
    response = evaluate(client, {"selection": {"material": "canvas", "monogram": text}})
    assert response.status_code == 400
    assert response.json() == {
        "code": "engine.V012",
        "detail": f"Monogram takes no control or invisible characters ({shown}).",
        "field": "selection.monogram",
    }


def test_decomposed_vietnamese_text_is_taken_composed(client, publish):
    publish(TOTE)
    body = evaluate(
        client, {"selection": {"monogram": "Nguye\u0302\u0303n"}, "complete": True}
    ).json()
    assert body["completion"] == {"material": "canvas", "color": "black", "monogram": "Nguyễn"}
    assert body["price"]["lines"][-1]["quantity"] == 6


def test_conflict_names_the_rule_in_the_shoppers_language(client, tote):
    response = evaluate(
        client,
        {"selection": {"material": "suede", "color": "navy"}},
    )
    assert response.json()["detail"] == "Suede comes only in Black or Brown"
    vi = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"material": "suede", "color": "navy"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert vi.json()["detail"] == "Da lộn chỉ có màu Đen hoặc Nâu"


def test_unknown_product_and_bad_request_shape(client, tote):
    response = evaluate(client, {"selection": {}}, sku="NOPE")
    assert response.status_code == 404
    assert response.json() == {
        "code": "product.not_found",
        "detail": "No published product “NOPE”.",
        "field": "sku",
    }
    response = evaluate(client, {"selection": "black"})
    assert response.status_code == 400
    assert response.json()["field"] == "selection"
    response = evaluate(client, {"selection": {}, "explain": [["color", "teal"]]})
    assert response.status_code == 400
    assert response.json()["code"] == "engine.V002"


def test_drafts_are_not_shown(client):
    option_set_import(document=copy.deepcopy(TOTE))
    assert client.get("/api/v1/products/").json() == []
    assert client.get("/api/v1/products/TOTE-01/").status_code == 404


def test_schema_and_docs_render(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/products/{sku}/evaluate/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
