"""A guest's designs and cart follow them into their account."""

from __future__ import annotations

import pytest

from configurator.designs.models import Design
from configurator.orders.models import Cart, CartLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(client, tote):
    body = {"product": "TOTE-01", "selection": {"material": "canvas", "color": "red"}}
    assert client.post("/api/v1/designs/", body, content_type="application/json").status_code == 201
    assert (
        client.post("/api/v1/cart/lines/", body, content_type="application/json").status_code == 201
    )
    return client


def test_signup_keeps_the_guests_designs_and_cart(guest, django_user_model):
    response = guest.post(
        "/accounts/signup/",
        {
            "username": "hoa",
            "email": "Hoa@Example.vn",
            "password1": "mat-khau-rat-dai-2026",
            "password2": "mat-khau-rat-dai-2026",
        },
    )
    assert response.status_code == 302
    user = django_user_model.objects.get(username="hoa")
    assert user.email == "hoa@example.vn"
    assert Design.objects.get().owner == user
    assert Cart.objects.get().owner == user
    page = guest.get("/designs/").content.decode()
    assert "Túi tote vải" in page


def test_login_merges_the_guest_cart_into_the_accounts(guest, django_user_model):
    user = django_user_model.objects.create_user("an", "an@example.vn", "mat-khau-2026-an")
    mine = Cart.objects.create(owner=user)
    line = CartLine.objects.get()
    CartLine.objects.create(
        cart=mine,
        product=line.product,
        version=line.version,
        selection=line.selection,
        unit_price=line.unit_price,
    )
    response = guest.post("/accounts/login/", {"username": "an", "password": "mat-khau-2026-an"})
    assert response.status_code == 302
    assert Cart.objects.count() == 1
    assert Cart.objects.get().lines.count() == 2
    assert Design.objects.get().owner == user


def test_signup_refuses_a_taken_email(guest, django_user_model):
    django_user_model.objects.create_user("x", "hoa@example.vn", "pw-12345678-x")
    response = guest.post(
        "/accounts/signup/",
        {
            "username": "hoa",
            "email": "hoa@example.vn",
            "password1": "mat-khau-rat-dai-2026",
            "password2": "mat-khau-rat-dai-2026",
        },
    )
    assert response.status_code == 200
    assert django_user_model.objects.filter(username="hoa").count() == 0
    assert Design.objects.get().owner is None


def test_my_designs_page_deletes_only_mine(guest, client):
    design = Design.objects.get()
    from django.test import Client

    stranger = Client()
    assert stranger.post(f"/designs/{design.id}/delete/").status_code == 404
    assert guest.post(f"/designs/{design.id}/delete/").status_code == 302
    assert Design.objects.count() == 0
