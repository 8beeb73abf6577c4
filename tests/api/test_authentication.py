"""Who the API believes: a token or the session (CSRF-checked, guests too); never Basic."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from configurator.designs.models import Design, Upload
from configurator.orders.models import Cart, CartLine, Order
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import SHIPPING, SUEDE_BLACK

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/personalization/"
CART_LINE = {"product": "TOTE-01", "selection": SUEDE_BLACK, "quantity": 1}


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_basic_authentication_is_not_accepted_even_with_the_right_password(django_user_model):
    django_user_model.objects.create_user("lan", password="right-password-1")
    response = APIClient().get(ME, HTTP_AUTHORIZATION=basic("lan", "right-password-1"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "request.not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "field": None,
    }


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"l\x00an:x").decode(),  # NUL in the username
        "Token abc\x00def",  # NUL in the key
        "Token " + "a" * 41,  # longer than any key
        "Token " + "a" * 10_000,
        "Token \x01\x02\x03",
        "Token khóa",  # not ASCII
        "Token ключ",  # not even Latin-1
        "Token",
        "Token a b",
    ],
    ids=["basic-nul", "nul", "41", "10000", "control", "latin-1", "cyrillic", "empty", "spaces"],
)
def test_junk_credentials_are_a_json_401_never_a_500(django_user_model, header):
    user = django_user_model.objects.create_user("lan", password="x-123456789")
    Token.objects.create(user=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    expected = (
        "request.not_authenticated"
        if header.startswith("Basic")
        else ("request.authentication_failed")
    )
    assert response.json()["code"] == expected


def test_a_nul_in_a_token_is_a_401_on_postgresql_too(django_user_model):
    """PostgreSQL refuses NUL in a query: the key must never reach it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://… (SQLite accepts NUL)")
    user = django_user_model.objects.create_user("lan", password="x-123456789")
    client = APIClient(raise_request_exception=False)
    for header in (f"Token {Token.objects.create(user=user).key[:20]}\x00", basic("l\x00an", "x")):
        response = client.get(ME, HTTP_AUTHORIZATION=header)
        assert (response.status_code, response["Content-Type"]) == (401, "application/json")


def test_a_valid_token_still_authenticates(django_user_model):
    user = django_user_model.objects.create_user("lan", password="x-123456789")
    token = Token.objects.create(user=user)
    response = APIClient().get(ME, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@pytest.fixture
def guest(publish) -> APIClient:
    """A browser-like guest: CSRF checked, with the cookie the studio page sets."""
    publish(TOTE)
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/studio/TOTE-01/")
    assert page.status_code == 200
    return client


def nothing_written() -> bool:
    return not (
        Cart.objects.exists()
        or CartLine.objects.exists()
        or Design.objects.exists()
        or Upload.objects.exists()
        or Order.objects.exists()
    )


@pytest.mark.parametrize(
    ("url", "body", "fmt"),
    [
        ("/api/v1/cart/lines/", CART_LINE, "json"),
        ("/api/v1/designs/", {"product": "TOTE-01", "selection": SUEDE_BLACK}, "json"),
        ("/api/v1/uploads/", {"file": b"\x89PNG"}, "multipart"),
        ("/api/v1/orders/", {**SHIPPING, "idempotency_key": "k-1"}, "json"),
    ],
    ids=["cart", "design", "upload", "checkout"],
)
def test_a_guest_write_without_the_csrf_token_is_refused_and_writes_nothing(guest, url, body, fmt):
    assert "csrftoken" in guest.cookies  # the studio page set it
    response = guest.post(url, body, format=fmt)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "request.csrf_failed",
        "detail": "CSRF Failed: CSRF token missing.",
        "field": None,
    }
    assert nothing_written()


def test_a_guest_write_with_the_csrf_token_works(guest):
    token = guest.cookies["csrftoken"].value
    response = guest.post("/api/v1/cart/lines/", CART_LINE, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert CartLine.objects.count() == 1


def test_a_guest_without_any_cookie_is_refused_too(publish):
    publish(TOTE)
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/v1/cart/lines/", CART_LINE, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "request.csrf_failed"
    assert nothing_written()


def test_reads_and_the_evaluate_post_need_no_csrf_token(publish):
    publish(TOTE)
    client = APIClient(enforce_csrf_checks=True)
    assert client.get("/api/v1/cart/").status_code == 200
    evaluate = client.post(
        "/api/v1/products/TOTE-01/evaluate/", {"selection": {"material": "canvas"}}, format="json"
    )
    assert evaluate.status_code == 200


def test_a_token_client_needs_no_csrf_token(django_user_model):
    user = django_user_model.objects.create_user("till-1", password="x-123456789")
    user.user_permissions.add(Permission.objects.get(codename="add_purchaseevent"))
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.post("/api/v1/purchase-events/", {"events": []}, format="json")
    assert response.status_code == 200
    assert response.json() == {"added": 0, "duplicates": 0}
