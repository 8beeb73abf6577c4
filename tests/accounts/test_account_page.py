"""The account page: personalized defaults on or off, export and erase, without the API."""

from __future__ import annotations

import json

import pytest

from configurator.orders.models import Order
from configurator.personalization.models import Customer, PurchaseEvent
from tests.fixtures.consent import consent_given
from tests.fixtures.studio import studio_proposal

pytestmark = pytest.mark.django_db


def test_the_page_lists_history_and_orders(client, an):
    consent_given(an)  # the shop asks first (opt-in): An agreed
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="personalized-defaults" checked' in page
    for number in Order.objects.values_list("number", flat=True):
        # the history, its thumbnail, and the orders link and its text
        assert page.count(number) == 4
    # names in the merchant's group order, never codes (the order line's snapshot)
    assert (
        page.count(
            '<li><span class="choices__group">Material:</span> Canvas</li>'
            '<li><span class="choices__group">Colour:</span> Navy</li>'
        )
        == 2
    )
    assert "navy" not in page


def test_switching_off_and_on_from_the_page(client, an):
    response = client.post("/accounts/me/personalization/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert Customer.objects.get(user=an).personalization_enabled is False
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Options are no longer pre-selected from your past orders." in page
    assert 'id="personalized-defaults">' in page
    assert studio_proposal(client)["color"]["source"] != "personal"
    client.post("/accounts/me/personalization/", {"personalized_defaults": "on"})
    assert Customer.objects.get(user=an).personalization_enabled is True


def test_export_from_the_page(client, an):
    response = client.get("/accounts/me/export/")
    assert response["Content-Disposition"] == 'attachment; filename="my-purchase-history.json"'
    assert len(json.loads(response.content)["purchases"]) == 2


def test_erase_from_the_page_keeps_the_orders(client, an):
    assert client.get("/accounts/me/erase/").status_code == 405  # a link never erases
    response = client.post("/accounts/me/erase/", {"confirm": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert not PurchaseEvent.objects.exists()
    assert not Customer.objects.filter(user=an).exists()
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="no-history"' in page
    assert all(number in page for number in Order.objects.values_list("number", flat=True))


@pytest.mark.parametrize("url", ["/accounts/me/", "/accounts/me/export/"])
def test_guests_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
