"""Cart, checkout and confirmation pages (server-rendered forms)."""

from __future__ import annotations

import re

import pytest

from configurator.orders.models import Order
from tests.fixtures.orders import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(client, tote):
    response = client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": {"material": "canvas", "color": "red"}},
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()


def test_cart_page_lists_lines_with_prices(client, cart):
    page = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Túi tote vải" in page
    assert "350.000\xa0₫" in page


def test_checkout_places_the_order_once_and_shows_the_confirmation(client, cart):
    page = client.get("/checkout/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    response = client.post("/checkout/", {**FORM, "idempotency_key": key})
    assert response.status_code == 302
    number = Order.objects.get().number
    assert response["Location"] == f"/orders/{number}/"
    again = client.post("/checkout/", {**FORM, "idempotency_key": key})  # double submit
    assert again.status_code in (302, 200)
    assert Order.objects.count() == 1
    confirmation = client.get(f"/orders/{number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert number in confirmation
    assert "Canvas tote" in confirmation
    assert f"Transfer with the reference “{number}”" in confirmation


def test_checkout_form_errors_write_nothing(client, cart):
    response = client.post("/checkout/", {**FORM, "phone": "abc", "idempotency_key": "x1"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert Order.objects.count() == 0


def test_someone_elses_confirmation_is_not_found(client, cart, django_user_model):
    page = client.get("/checkout/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    client.post("/checkout/", {**FORM, "idempotency_key": key})
    number = Order.objects.get().number
    from django.test import Client

    assert Client().get(f"/orders/{number}/").status_code == 404
