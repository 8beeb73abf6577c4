"""The API's checkout takes the province and ward as the checkout page does: by the official
codes (or the province's name), checked against the 2025 list; a bad one is a 400."""

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
        "phone": "0901 234 567",
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
    response = checkout(client, province="ha noi")

    assert response.status_code == 201
    shipping = response.json()["shipping"]
    assert (shipping["province"], shipping["province_code"], shipping["ward"]) == (
        "Thành phố Hà Nội",
        "1",
        "",
    )


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"province": "Sài Gòn cũ"}, "checkout.E010", "province"),
        ({"province": "999"}, "checkout.E010", "province"),
        ({"province": "1", "ward": "26740"}, "checkout.E011", "ward"),  # a ward of HCMC
        ({"province": "79", "ward": "abc"}, "checkout.E011", "ward"),
        ({"province": "79", "ward": "1234567"}, "request.max_length", "ward"),
    ],
)
def test_a_bad_province_or_ward_is_refused_and_nothing_is_placed(client, overrides, code, field):
    response = checkout(client, **overrides)

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert Order.objects.count() == 0
    assert CartLine.objects.count() == 1
