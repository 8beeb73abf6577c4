"""Every message the shop sends to a shopper goes through :func:`message_send`.

Two kinds (docs/personalization.md, "Which messages a shopper receives"):

- an **order update** (the confirmation today) is about the recipient's own order: it is
  part of the purchase, not advertising, and is sent whatever the shopper chose for
  offers; :func:`message_send` sends it only to the order's own address;
- an **offer** (offers and news) is sent only to a shopper who agreed to offers by that
  channel: the check registered by ``configurator.personalization``
  (:func:`offer_consent_register`) answers from their latest consent; with no check
  registered, or no customer known for the address, the answer is no.

Only e-mail has a sender today; SMS and Zalo are choices a shopper can make for offers,
and a message for them is refused until the shop has a sender. This module sits below the
stages (orders, personalization) so the order's confirmation can call it; the consent
lives above, and comes in through the registered check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import NoReturn

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from configurator.errors import ApplicationError

logger = logging.getLogger(__name__)

SUBJECT_MAX = 200
BODY_MAX = 100_000
ADDRESS_MAX = 254


class MessageKind(StrEnum):
    ORDER_UPDATE = "order_update"
    OFFER = "offer"


class MessageCode(StrEnum):
    NO_OFFER_CONSENT = "messages.E001"
    NOT_THE_ORDERS_ADDRESS = "messages.E002"
    NO_SENDER = "messages.E003"
    TOO_LONG = "messages.E004"


class MessageRefused(ApplicationError):
    """The message was not sent; nothing left the shop."""


# (address, channel) -> may an offer be sent there; registered by personalization.
OfferConsent = Callable[[str, str], bool]
_offer_consent: OfferConsent | None = None

EMAIL = "email"
SENDERS = frozenset({EMAIL})  # the channels the shop can send by today


def offer_consent_register(check: OfferConsent | None) -> None:
    """Make ``check`` the one answer to "may this offer go to this address by this
    channel"; None removes it (then no offer is sent)."""
    global _offer_consent
    _offer_consent = check


def message_send(
    *,
    kind: MessageKind,
    to: str,
    subject: str,
    body: str,
    channel: str = EMAIL,
    order_email: str = "",
) -> None:
    """Send one message to one shopper, or raise :class:`MessageRefused` (and log why).

    ``order_email`` is the address of the order an order update is about: an update goes
    to that address only. An offer goes only where :func:`offer_consent_register`'s check
    says yes.
    """
    _check_sizes(to=to, subject=subject, body=body)
    if channel not in SENDERS:
        _refuse(
            kind, to, channel, MessageCode.NO_SENDER, _("The shop cannot send by this channel.")
        )
    if kind == MessageKind.ORDER_UPDATE:
        if not order_email or to.strip().lower() != order_email.strip().lower():
            _refuse(
                kind,
                to,
                channel,
                MessageCode.NOT_THE_ORDERS_ADDRESS,
                _("An order update goes only to the order's own address."),
            )
    elif not _offer_allowed(to, channel):
        _refuse(
            kind,
            to,
            channel,
            MessageCode.NO_OFFER_CONSENT,
            _("This shopper has not agreed to receive offers by this channel."),
        )
    send_mail(subject, body, None, [to])


def _offer_allowed(to: str, channel: str) -> bool:
    check = _offer_consent
    if check is None:
        logger.warning("offer to a shopper refused: no consent check registered")
        return False
    return check(to, channel)


def _check_sizes(*, to: str, subject: str, body: str) -> None:
    for field, value, limit in (
        ("to", to, ADDRESS_MAX),
        ("subject", subject, SUBJECT_MAX),
        ("body", body, BODY_MAX),
    ):
        if len(value) > limit:
            logger.warning(
                "message refused: %s of %d characters (at most %d)", field, len(value), limit
            )
            raise MessageRefused(
                MessageCode.TOO_LONG,
                _("At most %(limit)d characters.") % {"limit": limit},
                field,
            )


def _refuse(kind: str, to: str, channel: str, code: MessageCode, detail: str) -> NoReturn:
    # The address is personal data: the log names the domain only.
    logger.warning(
        "%s by %s to …@%s refused: %s", kind, channel, to.rpartition("@")[2] or "?", code
    )
    raise MessageRefused(code, detail, "to")
