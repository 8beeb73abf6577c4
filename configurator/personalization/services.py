"""Writes of personalization besides imports: a user's customer record, the shopper's
switch, erasure, and the order hook that turns a placed web order into purchase events."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .consent import consent_record
from .events import EventLine
from .imports import purchase_events_import
from .models import ConsentChannel, ConsentNotice, ConsentPurpose, Customer
from .scoring import Purchase

logger = logging.getLogger(__name__)


def customer_for_user(user: Any) -> Customer | None:
    """The user's customer record, linked by e-mail on first use; events of an unknown
    customer with that e-mail are attached when the account appears."""
    if user is None or not user.is_authenticated:
        return None
    # Compiled once (.prepared): this runs on every studio page of a signed-in shopper.
    sql, params = _customer_sql(user.pk)
    customer = next(iter(Customer.objects.raw(sql, params)), None)
    if customer is None and user.email:
        customer = Customer.objects.filter(email__iexact=user.email, user__isnull=True).first()
        if customer is None:
            customer = Customer.objects.filter(external_id=user.email.lower()).first()
        if customer is not None:
            customer.user = user
            customer.save(update_fields=["user"])
    return customer


def _customer_sql(user_id: int) -> tuple[str, list[Any]]:
    key = (connection.alias, connection.vendor)
    if key not in _CUSTOMER_SQL:
        marker = -(2**31) + 104729
        sql, params = (
            Customer.objects.filter(user_id=marker).order_by("pk")[:1].query.sql_with_params()
        )
        if list(params) != [marker]:
            raise ValueError(f"unexpected parameters {params!r}")
        _CUSTOMER_SQL[key] = sql
    return _CUSTOMER_SQL[key], [user_id]


_CUSTOMER_SQL: dict[tuple[str, str], str] = {}


def customer_for_account(*, user: Any) -> Customer:
    """The signed-in user's customer record, made on first use (no history yet)."""
    customer = customer_for_user(user)
    if customer is None:
        customer = Customer.objects.create(
            external_id=f"user:{user.pk}", email=user.email, user=user
        )
    return customer


def customer_personalization_set(
    *,
    customer: Customer,
    enabled: bool,
    channel: str = ConsentChannel.WEB,
    notice: ConsentNotice | None = None,
    recorded_by: Any = None,
) -> Customer:
    """Switch the shopper's personalized defaults on or off; history is kept either way.

    A change is a consent granted or withdrawn (:func:`.consent.consent_record`), in force
    from the next request; saying again what is already in force records nothing.
    """
    if customer.personalization_consent != enabled or customer.personalization_enabled != enabled:
        consent_record(
            customer=customer,
            purpose=ConsentPurpose.PERSONALIZATION,
            granted=enabled,
            channel=channel,
            notice=notice,
            recorded_by=recorded_by,
        )
    return customer


@transaction.atomic
def customer_erase(*, customer: Customer) -> None:
    """Erase the purchase history and the profile; orders stay for the merchant's books.

    The shopper's switch survives: a shopper who switched personalization off keeps a
    customer row with no events and an empty profile, so their choice still holds after the
    erasure (and for events imported later). So does their consent record: the shop's
    proof of what the shopper agreed to, and when (it holds no purchase). A shopper with the
    switch on and no record keeps nothing: no row reads the same as the default, and
    erasure keeps as little as it can.
    """
    logger.info("customer %s: purchase history erased", customer.pk)
    if customer.personalization_enabled and not customer.consents.exists():
        customer.delete()
        return
    customer.events.all().delete()
    customer.profile = {}
    customer.save(update_fields=["profile"])


def order_placed(order_id: int) -> None:
    """Order hook: a placed order becomes purchase events of its shopper, on the order's
    channel (``web``, or ``store`` when a staff member handed it over)."""
    from configurator.orders.models import Order

    order = Order.objects.select_related("owner").prefetch_related("lines").get(pk=order_id)
    if order.owner is None:
        return  # guests: nothing to remember them by
    external_id = f"user:{order.owner.pk}"
    customer, _ = Customer.objects.get_or_create(
        user=order.owner, defaults={"external_id": external_id, "email": order.owner.email}
    )
    lines = []
    for line in order.lines.all():
        options = {
            c["group"]: c["value"] for c in line.choices if c.get("value") and c["kind"] == "choice"
        }
        lines.append(
            EventLine(
                line=line.position,
                purchase=Purchase(
                    customer=customer.external_id,
                    timestamp=order.placed_at or timezone.now(),
                    order=order.number,
                    product=line.product_sku,
                    options=options,
                ),
                channel=order.channel or "web",
                sku=line.product_sku,
                quantity=line.quantity,
                price=str(line.unit_price),
                currency=order.currency,
            )
        )
    purchase_events_import(lines=lines)
