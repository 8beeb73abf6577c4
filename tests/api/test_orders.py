"""Cart and checkout: re-validated and re-priced on the server, placed once per key."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from rest_framework.test import APIClient

from catalog.models import OptionValue, Product
from configurator.orders.models import CartLine, Order, OrderLine
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import SHIPPING, SUEDE_BLACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="vi")


def add(client, selection, quantity=1):
    return client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": selection, "quantity": quantity},
        format="json",
    )


def checkout(client, key="k-1", **overrides):
    return client.post(
        "/api/v1/orders/", {**SHIPPING, "idempotency_key": key, **overrides}, format="json"
    )


def test_cart_takes_only_complete_valid_configurations(client, publish):
    publish(TOTE)
    response = add(client, {"material": "suede"})
    assert response.status_code == 400
    assert response.json()["code"] == "engine.V003"
    assert response.json()["field"] == "selection.color"
    response = add(client, {"material": "suede", "color": "navy"})
    assert response.status_code == 409
    assert CartLine.objects.count() == 0
    response = add(client, SUEDE_BLACK, quantity=2)
    assert response.status_code == 201
    cart = response.json()
    assert cart["total"] == {"amount": "1060000", "display": "1.060.000\xa0₫"}
    line_id = cart["lines"][0]["id"]
    patched = client.patch(f"/api/v1/cart/lines/{line_id}/", {"quantity": 3}, format="json")
    assert patched.json()["lines"][0]["quantity"] == 3
    bad = client.patch(f"/api/v1/cart/lines/{line_id}/", {"quantity": 0}, format="json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "quantity"
    assert client.delete(f"/api/v1/cart/lines/{line_id}/").json()["lines"] == []


def test_checkout_places_one_order_per_key_with_server_prices(
    client, publish, django_capture_on_commit_callbacks
):
    publish(TOTE)
    add(client, SUEDE_BLACK, quantity=2)
    CartLine.objects.update(unit_price=Decimal(1))  # a tampered or stale price is ignored
    with django_capture_on_commit_callbacks(execute=True):
        first = checkout(client)
    assert first.status_code == 201
    body = first.json()
    assert body["total"] == {"amount": "1060000", "display": "1.060.000\xa0₫"}
    again = checkout(client)  # double click
    assert again.status_code == 200
    assert again.json()["number"] == body["number"]
    assert Order.objects.count() == 1
    assert OrderLine.objects.count() == 1
    assert client.get("/api/v1/cart/").json()["lines"] == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@example.vn"]
    assert body["number"] in mail.outbox[0].subject
    assert "1.060.000" in mail.outbox[0].body


def test_the_snapshot_never_changes_with_the_catalog(client, publish):
    version = publish(TOTE)
    add(client, SUEDE_BLACK)
    number = checkout(client).json()["number"]
    line = OrderLine.objects.get()
    before = (line.choices, line.price_lines, line.product_name, line.unit_price)
    assert line.choices[0] == {
        "group": "material",
        "group_name": {"en": "Material", "vi": "Chất liệu"},
        "kind": "choice",
        "value": "suede",
        "value_name": {"en": "Suede", "vi": "Da lộn"},
        "production_code": "",
        "price_delta": "150000",
    }
    assert line.choices[-1]["text"] == "Lan"
    Product.objects.filter(pk=version.product_id).update(name_vi="Đổi tên")
    OptionValue.objects.filter(code="suede").update(name_vi="Khác", price_delta=Decimal(9))
    line.refresh_from_db()
    assert (line.choices, line.price_lines, line.product_name, line.unit_price) == before
    assert client.get(f"/api/v1/orders/{number}/").json()["lines"][0]["name"]["vi"] == (
        "Túi tote vải"
    )


def test_checkout_refusals_write_nothing(client, publish):
    publish(TOTE)
    response = checkout(client)
    assert response.status_code == 409
    assert response.json()["code"] == "checkout.E004"
    add(client, SUEDE_BLACK)
    assert checkout(client, payment="bitcoin").json()["code"] == "checkout.E002"
    assert checkout(client, key="").json()["code"] == "checkout.E001"
    bad_phone = checkout(client, phone="call me")
    assert bad_phone.status_code == 400
    assert bad_phone.json()["field"] == "phone"
    # A line that is no longer valid (here: tampered) refuses the whole order.
    CartLine.objects.update(selection={"material": "suede", "color": "navy"})
    response = checkout(client, key="k-2")
    assert response.status_code == 409
    assert response.json()["code"] == "checkout.E003"
    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert CartLine.objects.count() == 1


def test_orders_are_private(client, publish):
    publish(TOTE)
    add(client, SUEDE_BLACK)
    number = checkout(client).json()["number"]
    other = APIClient()
    response = other.get(f"/api/v1/orders/{number}/")
    assert response.status_code == 404
    assert response.json()["code"] == "order.not_found"
    assert other.get("/api/v1/orders/").json() == []
    # Another shopper reusing the key cannot read the order through it.
    add(other, SUEDE_BLACK)
    stolen = checkout(other)
    assert stolen.status_code == 409
    assert stolen.json()["code"] == "checkout.E005"
    assert Order.objects.count() == 1


def test_idempotency_key_header(client, publish):
    publish(TOTE)
    add(client, SUEDE_BLACK)
    body = {**SHIPPING}
    first = client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="h-1")
    second = client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="h-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert Order.objects.count() == 1
