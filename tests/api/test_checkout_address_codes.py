"""The API's checkout takes the address and phone as the checkout page does: the province and
ward by the official codes (or the province's name), checked against the 2025 list, the ward
required; the phone Vietnamese, kept in E.164; a bad one is a 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from configurator.orders.models import CartLine, Order
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import SHIPPING, SUEDE_BLACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(publish) -> APIClient:
    publish(TOTE)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    added = client.post(
        "/api/v1/cart/lines/", {"product": "TOTE-01", "selection": SUEDE_BLACK}, format="json"
    )
    assert added.status_code == 201
    return client


def checkout(client, **overrides):
    return client.post(
        "/api/v1/orders/", {**SHIPPING, "idempotency_key": "k-1", **overrides}, format="json"
    )


def test_codes_are_stored_with_the_official_names(client):
    response = checkout(client, province="79", ward="26740")

    assert response.status_code == 201
    assert response.json()["shipping"] == {
        "name": "Nguyễn Thị Lan",
        "email": "lan@example.vn",
        "phone": "+84901234567",
        "address": "12 Lý Thái Tổ, Hoàn Kiếm",
        "province": "Thành phố Hồ Chí Minh",
        "province_code": "79",
        "ward": "Phường Sài Gòn",
        "ward_code": "26740",
    }
    order = Order.objects.get()
    assert (order.province, order.province_code, order.ward, order.ward_code) == (
        "Thành phố Hồ Chí Minh",
        "79",
        "Phường Sài Gòn",
        "26740",
    )


def test_a_provinces_name_is_read_as_its_code(client):
    response = checkout(client, province="ha noi", ward="70")

    assert response.status_code == 201
    shipping = response.json()["shipping"]
    assert (shipping["province"], shipping["province_code"], shipping["ward"]) == (
        "Thành phố Hà Nội",
        "1",
        "Phường Hoàn Kiếm",
    )


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"province": "Sài Gòn cũ"}, "checkout.E010", "province"),
        ({"province": "999"}, "checkout.E010", "province"),
        ({"province": "1", "ward": "26740"}, "checkout.E011", "ward"),  # a ward of HCMC
        ({"province": "79", "ward": "abc"}, "checkout.E011", "ward"),
        ({"province": "79", "ward": "1234567"}, "request.max_length", "ward"),
        # A parcel goes to a ward: one is required (the checkout page asks for it too).
        ({"province": "79", "ward": ""}, "request.blank", "ward"),
        ({"province": "79", "ward": None}, "request.null", "ward"),
        # A Vietnamese phone, as the checkout page takes it.
        ({"ward": "70", "phone": "+1 415 555 0100"}, "checkout.E012", "phone"),
        ({"ward": "70", "phone": "0901"}, "checkout.E012", "phone"),
        ({"ward": "70", "phone": "0" * 21}, "request.max_length", "phone"),
    ],
)
def test_a_bad_province_ward_or_phone_is_refused_and_nothing_is_placed(
    client, overrides, code, field
):
    response = checkout(client, **overrides)

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert Order.objects.count() == 0
    assert CartLine.objects.count() == 1


def test_a_missing_ward_is_refused_and_nothing_is_placed(client):
    body = {key: value for key, value in SHIPPING.items() if key != "ward"}
    response = client.post("/api/v1/orders/", {**body, "idempotency_key": "k-1"}, format="json")

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("request.required", "ward")
    assert Order.objects.count() == 0


@pytest.mark.parametrize("phone", ["0912 345 678", "+84 912 345 678", "84912345678"])
def test_the_phone_is_kept_in_e164(client, phone):
    response = checkout(client, phone=phone)

    assert response.status_code == 201
    assert response.json()["shipping"]["phone"] == "+84912345678"
    assert Order.objects.get().phone == "+84912345678"
