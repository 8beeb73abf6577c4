"""Erasing the purchase history keeps the shopper's choice to switch personalization off."""

from __future__ import annotations

import pytest

from configurator.personalization.models import Customer, PurchaseEvent
from configurator.personalization.services import (
    customer_erase,
    customer_for_user,
    customer_personalization_set,
)
from tests.fixtures.histories import LAN_EMAIL, lan_with_history, tote_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan(django_user_model):
    return lan_with_history(django_user_model)


def test_customer_erase_keeps_the_opt_out_and_nothing_else(lan):
    customer = customer_for_user(lan)
    customer_personalization_set(customer=customer, enabled=False)
    customer_erase(customer=customer)
    rows = Customer.objects.filter(user=lan).values_list(
        "external_id", "personalization_enabled", "profile"
    )
    assert list(rows) == [(LAN_EMAIL, False, {})]
    assert not PurchaseEvent.objects.filter(customer__user=lan).exists()
    # Another shopper's history is untouched.
    assert PurchaseEvent.objects.filter(customer__external_id="khach2").count() == 6


def test_api_erase_keeps_the_opt_out(client, lan, django_capture_on_commit_callbacks):
    tote_publish(django_capture_on_commit_callbacks)
    client.force_login(lan)
    client.patch(
        "/api/v1/me/personalization/", {"personalized_defaults": False}, "application/json"
    )
    assert client.delete("/api/v1/me/personalization/").status_code == 204
    data = client.get("/api/v1/me/personalization/").json()
    assert (data["personalized_defaults"], data["preferences"], data["purchases"]) == (
        False,
        {},
        [],
    )
    assert list(Customer.objects.filter(user=lan).values_list("personalization_enabled")) == [
        (False,)
    ]
