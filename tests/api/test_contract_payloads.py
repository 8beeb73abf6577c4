"""Answers the fuzzer rarely reaches (a signed-in shopper's history, orders, shared designs,
conflicts, imports) conform to the schema's components (configurator/api/contract.py).

Each answer of the Django test client is validated by schemathesis against the operation
the schema declares for its method and path.
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from django.contrib.auth.models import Permission

from configurator.api.contract import ErrorSerializer, error_codes
from tests.fixtures.documents import PHOTO
from tests.fixtures.pictures import png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return schemathesis.openapi.from_dict(client.get("/api/v1/schema/?format=json").json())


def conforms(schema, response, method: str, path: str, status: int):
    """``response`` has ``status`` and conforms to the schema; returns its JSON, if any."""
    assert response.status_code == status, response.content
    request = requests.Request(method, f"http://testserver{path}").prepare()
    answer = schemathesis.Response(
        status_code=response.status_code,
        headers={k: [v] for k, v in response.headers.items()},
        content=b"".join(response.streaming_content) if response.streaming else response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    operation = schema.find_operation_by_path(method, path)
    assert operation is not None, path
    operation.validate_response(answer)
    declared = operation.definition.raw["responses"][str(status)].get("content", {})
    media_type = response.headers.get("Content-Type", "").split(";")[0]
    assert media_type in declared if declared else not answer.content, (media_type, declared)
    is_json = response.headers.get("Content-Type", "").startswith("application/json")
    return answer.json() if is_json and answer.content else None


def test_a_signed_in_shoppers_history_and_orders_conform(client, an, schema):
    me = conforms(schema, client.get("/api/v1/me/personalization/"), "GET", _me(), 200)
    assert [p["order"] for p in me["purchases"]] != []
    switched = client.patch(
        "/api/v1/me/personalization/",
        {"personalized_defaults": False},
        content_type="application/json",
    )
    assert conforms(schema, switched, "PATCH", _me(), 200) == {"personalized_defaults": False}
    exported = client.get("/api/v1/me/personalization/export/")
    assert conforms(schema, exported, "GET", f"{_me()}export/", 200)["customer"]
    orders = conforms(schema, client.get("/api/v1/orders/"), "GET", "/api/v1/orders/", 200)
    assert len(orders) == 2
    number = orders[0]["number"]
    path = f"/api/v1/orders/{number}/"
    assert conforms(schema, client.get(path), "GET", path, 200)["number"] == number
    missing = "/api/v1/orders/NONE/"
    assert conforms(schema, client.get(missing), "GET", missing, 404)["code"] == "order.not_found"


def test_a_picture_design_shared_and_reopened_conforms(client, publish, schema):
    publish(PHOTO)
    picture = conforms(schema, upload(client, png(), "p.png"), "POST", "/api/v1/uploads/", 201)
    selection = {"material": "canvas", "color": "navy", "photo": picture["id"]}
    evaluated = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": selection, "complete": True},
        content_type="application/json",
    )
    body = conforms(schema, evaluated, "POST", _evaluate(), 200)
    assert body["completion"] == {"material": "canvas", "color": "navy", "photo": picture["id"]}
    saved = client.post(
        "/api/v1/designs/",
        {"product": "TOTE-01", "selection": selection},
        content_type="application/json",
    )
    design = conforms(schema, saved, "POST", "/api/v1/designs/", 201)
    share = f"/api/v1/designs/{design['id']}/share/"
    shared = conforms(schema, client.post(share), "POST", share, 200)
    token = shared["share_url"].rstrip("/").rsplit("/", 1)[1]
    path = f"/api/v1/shared/{token}/"
    reopened = conforms(schema, client.__class__().get(path), "GET", path, 200)
    assert reopened["current"]["dropped"] == [
        {"group": "photo", "value": None, "reason": "private"}
    ]
    listed = conforms(schema, client.get("/api/v1/designs/"), "GET", "/api/v1/designs/", 200)
    assert [d["id"] for d in listed] == [design["id"]]


def test_a_conflict_and_a_cart_conform(client, publish, schema):
    publish(PHOTO)
    conflict = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": {"material": "suede", "color": "navy"}},
        content_type="application/json",
    )
    refused = conforms(schema, conflict, "POST", _evaluate(), 409)
    assert (refused["code"], refused["field"]) == ("selection.E010", "selection.color")
    added = client.post(
        "/api/v1/cart/lines/",
        {
            "product": "TOTE-01",
            "selection": {"material": "canvas", "color": "navy", "monogram": "Lan"},
        },
        content_type="application/json",
    )
    cart = conforms(schema, added, "POST", "/api/v1/cart/lines/", 201)
    line = f"/api/v1/cart/lines/{cart['lines'][0]['id']}/"
    changed = client.patch(line, {"quantity": 3}, content_type="application/json")
    assert conforms(schema, changed, "PATCH", line, 200)["total"]["amount"] == "1140000"
    assert conforms(schema, client.delete(line), "DELETE", line, 200)["lines"] == []
    form = client.post("/api/v1/cart/lines/", {"product": "TOTE-01"})  # multipart: refused
    refused = conforms(schema, form, "POST", "/api/v1/cart/lines/", 415)
    assert refused["code"] == "request.unsupported_media_type"


def test_a_preview_image_conforms(client, publish, schema):
    publish(PHOTO)
    evaluated = client.post(_evaluate(), {"selection": {}}, content_type="application/json")
    url = conforms(schema, evaluated, "POST", _evaluate(), 200)["preview_url"]
    path = url.split("?", 1)[0]
    image = client.get(url)
    assert image["Content-Type"] == "image/webp"
    conforms(schema, image, "GET", path, 200)
    wrong = client.get(path.replace("512.webp", "7.gif"))
    assert conforms(schema, wrong, "GET", path, 400)["code"] == "preview.size"


def test_an_import_and_its_bad_lines_conform(client, django_user_model, schema):
    till = django_user_model.objects.create_user("till", "till@example.vn", "mat-khau-2026")
    till.user_permissions.add(Permission.objects.get(codename="add_purchaseevent"))
    client.force_login(till)
    csv = "customer,timestamp,order,product\nlan@example.vn,2026-03-01T10:00:00Z,R-1,TOTE-01\n"
    path = "/api/v1/purchase-events/"
    sent = client.post(path, csv, content_type="text/csv")
    assert conforms(schema, sent, "POST", path, 201) == {"added": 1, "duplicates": 0}
    bad = client.post(path, csv.replace("2026-03-01T10:00:00Z", "soon"), content_type="text/csv")
    refused = conforms(schema, bad, "POST", path, 400)
    assert [e["field"] for e in refused["errors"]] == ["line 2"]


def test_a_url_no_api_route_matches_answers_the_error_shape(client, schema):
    path = "/api/v1/cart/lines/x/"
    missing = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert missing.json() == {"code": "request.not_found", "detail": "Not found.", "field": None}
    assert client.get("/api/v1/cart")["Location"] == "/api/v1/cart/"  # APPEND_SLASH still
    page = client.get("/no-such-page/")
    assert (page.status_code, page["Content-Type"]) == (404, "text/html; charset=utf-8")


def test_every_code_is_documented_in_the_error_component(schema):
    described = schema.raw_schema["components"]["schemas"]["Error"]["description"]
    assert all(f"``{code}``" in described for code in error_codes())
    assert "``selection.E010``" in described and "``product.compiling``" in described
    assert ErrorSerializer().fields.keys() == {"code", "detail", "field", "errors", "repair"}


def _me() -> str:
    return "/api/v1/me/personalization/"


def _evaluate() -> str:
    return "/api/v1/products/TOTE-01/evaluate/"
