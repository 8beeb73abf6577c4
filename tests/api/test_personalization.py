"""API v1 me/personalization: a shopper with web orders switches off, exports and erases."""

from __future__ import annotations

import json

import pytest

from configurator.orders.models import Order
from configurator.personalization.models import Customer, PurchaseEvent
from tests.fixtures.consent import consent_given
from tests.fixtures.studio import studio_proposal

pytestmark = pytest.mark.django_db


def test_get_lists_the_web_purchases_and_the_switch(client, an):
    consent_given(an)  # the shop asks first (opt-in): An agreed
    data = client.get("/api/v1/me/personalization/").json()
    assert data["personalized_defaults"] is True
    numbers = sorted(Order.objects.values_list("number", flat=True))
    assert sorted(p["order"] for p in data["purchases"]) == numbers
    assert {(p["channel"], p["product"]) for p in data["purchases"]} == {("web", "TOTE-01")}
    assert [p["options"] for p in data["purchases"]] == [
        {"material": "canvas", "color": "navy"}
    ] * 2


def test_switching_off_gives_the_merchants_defaults_and_on_again_the_personal_ones(client, an):
    consent_given(an)  # the shop asks first (opt-in): An agreed
    assert studio_proposal(client)["color"] == {"value": "navy", "source": "personal"}
    response = client.patch(
        "/api/v1/me/personalization/", {"personalized_defaults": False}, "application/json"
    )
    assert response.json() == {"personalized_defaults": False}
    # Popularity still speaks (An's own orders made navy popular), but nothing personal.
    assert {p["source"] for p in studio_proposal(client).values()} <= {"popular", "merchant"}
    assert PurchaseEvent.objects.filter(customer__user=an).count() == 2  # history kept
    client.patch("/api/v1/me/personalization/", {"personalized_defaults": True}, "application/json")
    assert studio_proposal(client)["color"] == {"value": "navy", "source": "personal"}


def test_a_switch_that_is_not_a_boolean_is_refused_with_a_code(client, an):
    response = client.patch(
        "/api/v1/me/personalization/", {"personalized_defaults": "maybe"}, "application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert response.json()["field"] == "personalized_defaults"
    assert Customer.objects.get(user=an).personalization_enabled is True


def test_export_downloads_the_purchases_as_json(client, an):
    response = client.get("/api/v1/me/personalization/export/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-purchase-history.json"'
    data = json.loads(response.content)
    assert data["email"] == "an@example.vn"
    assert len(data["purchases"]) == 2
    assert data["preferences"]["orders"]["TOTE-01|color"][0][2] == "navy"


def test_erase_removes_history_and_profile_but_keeps_the_orders(client, an):
    assert client.delete("/api/v1/me/personalization/").status_code == 204
    assert not Customer.objects.filter(user=an).exists()
    assert not PurchaseEvent.objects.exists()
    assert Order.objects.filter(owner=an).count() == 2
    assert len(client.get("/api/v1/orders/").json()) == 2
    assert client.get("/api/v1/me/personalization/").json()["purchases"] == []
    assert studio_proposal(client)["color"]["source"] != "personal"


def test_erasing_twice_is_harmless(client, an):
    assert client.delete("/api/v1/me/personalization/").status_code == 204
    assert client.delete("/api/v1/me/personalization/").status_code == 204


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/me/personalization/"),
        ("patch", "/api/v1/me/personalization/"),
        ("delete", "/api/v1/me/personalization/"),
        ("get", "/api/v1/me/personalization/export/"),
    ],
)
def test_a_guest_has_no_personalization_to_see_switch_export_or_erase(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 401  # with the scheme to use: a token, or a session
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "request.not_authenticated"
    assert not Customer.objects.exists()
