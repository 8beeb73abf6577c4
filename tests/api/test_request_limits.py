"""Bodies over the size limit or nested too deep get a JSON error, on every path."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from configurator.api.memo import evaluations
from configurator.designs.models import Design
from configurator.orders.models import CartLine
from configurator.personalization.models import PurchaseEvent
from tests.fixtures.documents import TOTE

pytestmark = pytest.mark.django_db

EVALUATE = "/api/v1/products/TOTE-01/evaluate/"
URLS = [EVALUATE, "/api/v1/cart/lines/", "/api/v1/designs/"]


@pytest.fixture
def client(publish) -> APIClient:
    publish(TOTE)
    evaluations.clear()
    return APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)


def nested(depth: int) -> bytes:
    return b'{"product": "TOTE-01", "selection": {"material": %s}}' % (b"[" * depth + b"]" * depth)


def nothing_written() -> bool:
    return not (CartLine.objects.exists() or Design.objects.exists())


@pytest.mark.parametrize("url", URLS)
def test_a_body_over_the_limit_is_a_json_413(client, url):
    body = b'{"product": "TOTE-01", "selection": {"monogram": "%s"}}' % (b"x" * 2_000)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000):
        response = client.post(url, body, content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (413, "application/json")
    assert response.json() == {
        "code": "request.too_large",
        "detail": "The request body is larger than 1000 bytes.",
        "field": None,
    }
    assert nothing_written()


@pytest.mark.parametrize("url", URLS)
def test_a_body_nested_deeper_than_the_parser_allows_is_a_json_400(client, url):
    response = client.post(url, nested(100_000), content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json()["code"] == "request.parse_error"
    assert response.json()["field"] is None
    assert nothing_written()


@pytest.mark.parametrize("depth", [40, 300, 1_000])
@pytest.mark.parametrize("url", URLS)
def test_a_body_nested_deeper_than_any_document_is_a_json_400(client, url, depth):
    response = client.post(url, nested(depth), content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json() == {
        "code": "request.too_deep",
        "detail": "The JSON body nests lists and objects more than 32 levels deep.",
        "field": None,
    }
    assert nothing_written()


def test_purchase_events_refuse_deep_json_with_a_400(django_user_model):
    user = django_user_model.objects.create_user("till-1", password="x-123456789")
    user.user_permissions.add(Permission.objects.get(codename="add_purchaseevent"))
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    codes = []
    for depth in (1_000, 100_000):
        body = b'{"events": %s}' % (b"[" * depth + b"]" * depth)
        response = client.post("/api/v1/purchase-events/", body, content_type="application/json")
        assert (response.status_code, response["Content-Type"]) == (400, "application/json")
        codes.append(response.json()["code"])
    assert codes == ["request.too_deep", "request.parse_error"]
    assert not PurchaseEvent.objects.exists()
