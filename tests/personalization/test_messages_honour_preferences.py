"""Every message the shop sends honours the shopper's message preferences: offers only to
those who agreed, by the channel they chose; order updates to the order's own address."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core import mail

from configurator import messaging
from configurator.messaging import MessageCode, MessageKind, MessageRefused, message_send
from configurator.personalization.consent import message_preferences_set, offer_allowed_to
from configurator.personalization.models import Customer

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LAN = "lan@example.vn"


def offer(to: str = LAN, channel: str = "email") -> None:
    message_send(kind=MessageKind.OFFER, to=to, subject="Ưu đãi", body="Giảm 10%", channel=channel)


def refused(code: MessageCode, **kwargs) -> None:
    with pytest.raises(MessageRefused) as caught:
        offer(**kwargs)
    assert caught.value.code == code
    assert mail.outbox == []


@pytest.fixture
def lan():
    return Customer.objects.create(external_id="lan-1", email=LAN)


def test_an_offer_to_a_shopper_who_never_chose_is_refused(lan):
    refused(MessageCode.NO_OFFER_CONSENT)


def test_an_offer_to_an_address_the_shop_does_not_know_is_refused():
    refused(MessageCode.NO_OFFER_CONSENT, to="nobody@example.vn")


def test_order_updates_only_refuses_offers(lan):
    message_preferences_set(customer=lan, offers=False, channels=[], now=NOW)
    refused(MessageCode.NO_OFFER_CONSENT)


def test_an_offer_goes_only_by_the_channel_chosen(lan):
    message_preferences_set(customer=lan, offers=True, channels=["zalo"], now=NOW)
    refused(MessageCode.NO_OFFER_CONSENT)
    assert offer_allowed_to(LAN, "zalo") is True


def test_an_offer_by_a_chosen_channel_without_a_sender_is_refused(lan):
    message_preferences_set(customer=lan, offers=True, channels=["sms"], now=NOW)
    refused(MessageCode.NO_SENDER, channel="sms")


def test_an_offer_by_e_mail_to_a_shopper_who_agreed_is_sent(lan):
    message_preferences_set(customer=lan, offers=True, channels=["email"], now=NOW)
    offer(to="Lan@Example.VN")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["Lan@Example.VN"], "Ưu đãi", "Giảm 10%")
    ]


def test_a_withdrawal_stops_offers_at_once(lan):
    message_preferences_set(customer=lan, offers=True, channels=["email"], now=NOW)
    message_preferences_set(customer=lan, offers=False, channels=[], now=NOW + timedelta(hours=1))
    refused(MessageCode.NO_OFFER_CONSENT)


def test_every_record_of_the_address_must_agree(lan, django_user_model):
    message_preferences_set(customer=lan, offers=True, channels=["email"], now=NOW)
    user = django_user_model.objects.create_user("lan2", LAN.upper(), "x")
    Customer.objects.create(external_id="user:2", email="", user=user)
    refused(MessageCode.NO_OFFER_CONSENT)


def test_with_no_consent_check_registered_no_offer_is_sent(lan, monkeypatch):
    message_preferences_set(customer=lan, offers=True, channels=["email"], now=NOW)
    monkeypatch.setattr(messaging, "_offer_consent", None)
    refused(MessageCode.NO_OFFER_CONSENT)


def test_an_order_update_goes_to_the_orders_address_whatever_the_offers_choice(lan):
    message_preferences_set(customer=lan, offers=False, channels=[], now=NOW)
    message_send(kind=MessageKind.ORDER_UPDATE, to=LAN, subject="Đơn 1", body="…", order_email=LAN)
    assert [m.to for m in mail.outbox] == [[LAN]]


def test_an_order_update_to_another_address_is_refused(lan):
    with pytest.raises(MessageRefused) as caught:
        message_send(
            kind=MessageKind.ORDER_UPDATE,
            to="other@example.vn",
            subject="Đơn 1",
            body="…",
            order_email=LAN,
        )
    assert (caught.value.code, caught.value.field) == (MessageCode.NOT_THE_ORDERS_ADDRESS, "to")
    assert mail.outbox == []


def test_a_message_too_long_is_refused(lan):
    message_preferences_set(customer=lan, offers=True, channels=["email"], now=NOW)
    with pytest.raises(MessageRefused) as caught:
        message_send(kind=MessageKind.OFFER, to=LAN, subject="x" * 201, body="")
    assert (caught.value.code, caught.value.field) == (MessageCode.TOO_LONG, "subject")
    assert mail.outbox == []


def test_no_module_sends_mail_but_the_one_gate():
    """Every sender calls ``message_send``: nothing else imports Django's mail senders."""
    root = Path(__file__).resolve().parents[2]
    senders = {"send_mail", "send_mass_mail", "EmailMessage", "EmailMultiAlternatives"}
    found = []
    for package in ("configurator", "catalog"):
        for path in (root / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "django.core.mail"
                ):
                    names = {alias.name for alias in node.names}
                    if names & senders or "*" in names:
                        found.append(str(path.relative_to(root)))
                if isinstance(node, ast.Attribute) and node.attr in senders:
                    found.append(str(path.relative_to(root)))
    assert sorted(set(found)) == ["configurator/messaging.py"]
