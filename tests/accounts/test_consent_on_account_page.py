"""The account page: the notice shown with the switch, the messages the shopper receives,
their recorded choices; the export carries consents and message preferences."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from configurator.personalization.consent import consent_record
from configurator.personalization.models import ConsentRecord, Customer
from configurator.personalization.services import customer_for_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def page(client, language="en"):
    return client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def marketing():
    return list(
        ConsentRecord.objects.filter(purpose="marketing")
        .order_by("pk")
        .values_list("granted", "channel", "notice__version", "message_channels")
    )


def test_opt_in_the_page_says_nothing_is_used_before_agreeing(client, an):
    html = page(client)
    assert 'id="personalized-defaults">' in html  # unticked
    assert "The shop uses nothing from your orders until you agree" in html
    assert "Allow the shop to use your past orders" in html
    assert 'id="offers-no" checked' in html
    assert 'id="no-consents"' in html


def test_ticking_the_box_records_the_notice_shown(client, an):
    client.post("/accounts/me/personalization/", {"personalized_defaults": "on", "notice": "1"})
    assert list(
        ConsentRecord.objects.values_list("purpose", "granted", "channel", "notice__version")
    ) == [("personalization", True, "web", 1)]
    html = page(client)
    assert 'id="personalized-defaults" checked' in html
    assert "Suggestions from past orders" in html and "Agreed" in html


def test_offers_by_email_and_zalo_then_order_updates_only(client, an):
    response = client.post(
        "/accounts/me/messages/", {"offers": "yes", "channels": ["email", "zalo"], "notice": "1"}
    )
    assert response.status_code == 302
    html = page(client)
    assert "Your message choices are saved." in html
    assert 'id="offers-yes" checked' in html
    assert 'id="channel-email" checked' in html and 'id="channel-zalo" checked' in html
    assert 'id="channel-sms">' in html
    client.post(
        "/accounts/me/messages/", {"offers": "yes", "channels": ["zalo", "email"], "notice": "1"}
    )
    client.post("/accounts/me/messages/", {"offers": "no", "channels": ["sms"], "notice": "1"})
    assert marketing() == [(True, "web", 1, ["email", "zalo"]), (False, "web", 1, [])]


def test_offers_without_a_channel_are_refused_beside_the_field(client, an):
    response = client.post("/accounts/me/messages/", {"offers": "yes", "notice": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="channels-error" role="alert">Choose at least one way to receive offers.' in html
    assert marketing() == []


def test_a_refusal_is_said_in_vietnamese(client, an):
    response = client.post(
        "/accounts/me/messages/", {"offers": "yes", "notice": "1"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert "Hãy chọn ít nhất một cách nhận ưu đãi." in response.content.decode()


def test_an_unknown_channel_or_notice_records_nothing(client, an):
    assert (
        client.post(
            "/accounts/me/messages/", {"offers": "yes", "channels": ["fax"], "notice": "1"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/accounts/me/messages/", {"offers": "yes", "channels": ["sms"], "notice": "9"}
        ).status_code
        == 400
    )
    assert marketing() == []


def test_the_export_lists_consents_and_message_preferences(client, an):
    customer = customer_for_user(an)
    consent_record(
        customer=customer, purpose="personalization", granted=True, channel="store", now=NOW
    )
    consent_record(
        customer=customer,
        purpose="marketing",
        granted=True,
        channel="web",
        message_channels=["sms", "email"],
        now=NOW,
    )
    data = json.loads(client.get("/accounts/me/export/").content)
    assert data["personalized_defaults"] is True
    assert data["message_preferences"] == {
        "order_updates": True,
        "offers": True,
        "channels": ["email", "sms"],
    }
    texts = {c["purpose"]: c.pop("notice_text") for c in data["consents"]}
    assert data["consents"] == [
        {
            "purpose": "personalization",
            "granted": True,
            "recorded_at": "2026-12-01T09:30:00+00:00",
            "channel": "store",
            "notice_version": 1,
            "message_channels": [],
            "recorded_by_staff": False,
        },
        {
            "purpose": "marketing",
            "granted": True,
            "recorded_at": "2026-12-01T09:30:00+00:00",
            "channel": "web",
            "notice_version": 1,
            "message_channels": ["email", "sms"],
            "recorded_by_staff": False,
        },
    ]
    assert texts["personalization"]["vi"].startswith("Cho phép cửa hàng")
    assert texts["marketing"]["en"].startswith("Receive offers and news")
    assert len(data["purchases"]) == 2
    # The API's export is the same document.
    assert (
        client.get("/api/v1/me/personalization/").json()["consents"]
        == json.loads(client.get("/accounts/me/export/").content)["consents"]
    )


def test_erasing_keeps_the_consents_and_the_row_that_holds_them(client, an):
    customer = customer_for_user(an)
    consent_record(customer=customer, purpose="personalization", granted=True, channel="web")
    client.post("/accounts/me/erase/", {"confirm": "on"})
    assert list(Customer.objects.filter(user=an).values_list("profile", flat=True)) == [{}]
    assert not customer.events.exists()
    assert ConsentRecord.objects.filter(customer=customer).count() == 1
