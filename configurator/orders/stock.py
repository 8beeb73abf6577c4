"""Stock taken by orders: reserved in the order's transaction, given back on cancel.

Stock is taken with one conditional UPDATE per value (``quantity >= n``), in a fixed order
(the rows' ids) so that two checkouts never wait on each other in a circle. On PostgreSQL a
second checkout waits on the row's lock and then re-reads the row, so the quantity never
goes below zero and no order is refused while enough is left; a database constraint keeps
it at zero or above whatever happens.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import ValueStock
from catalog.stock import stock_forget

from .errors import CheckoutCode, CheckoutRefused, OrderCode, OrderRefused
from .models import Order, OrderStatus, StockReservation

logger = logging.getLogger(__name__)

StockKey = tuple[int, str, str]  # (product id, group code, value code)


@dataclass
class StockNeed:
    quantity: int
    label: str  # "Túi vải · Chất liệu: Da bò", for a refusal


def stock_reserve(*, order: Order, needs: Mapping[StockKey, StockNeed]) -> list[StockReservation]:
    """Take what ``order`` needs of each counted value; inside the order's transaction.

    Raises :class:`CheckoutRefused` (``checkout.E009``) naming the first value without
    enough left; the caller's transaction then writes nothing.
    """
    if not needs:
        return []
    products = {product for product, _group, _value in needs}
    rows = [
        row
        for row in ValueStock.objects.filter(
            product_id__in=products, quantity__isnull=False
        ).order_by("pk")
        if (row.product_id, row.group_code, row.value_code) in needs
    ]
    reservations = []
    for row in rows:
        need = needs[(row.product_id, row.group_code, row.value_code)]
        taken = ValueStock.objects.filter(pk=row.pk, quantity__gte=need.quantity).update(
            quantity=F("quantity") - need.quantity
        )
        if not taken:
            left = ValueStock.objects.filter(pk=row.pk).values_list("quantity", flat=True).first()
            logger.info(
                "order %s refused: %s:%s of product %s has %s left, %s needed",
                order.number,
                row.group_code,
                row.value_code,
                row.product_id,
                left,
                need.quantity,
            )
            if left:
                why = ngettext(
                    "only %(left)s left; lower the quantity or choose another value.",
                    "only %(left)s left; lower the quantity or choose another value.",
                    left,
                ) % {"left": left}
            else:
                why = _("out of stock; choose another value in the studio.")
            raise CheckoutRefused(CheckoutCode.OUT_OF_STOCK, f"{need.label}: {why}", "cart")
        reservations.append(
            StockReservation(
                order=order,
                stock=row,
                group_code=row.group_code,
                value_code=row.value_code,
                quantity=need.quantity,
            )
        )
    StockReservation.objects.bulk_create(reservations)
    transaction.on_commit(stock_forget)
    return reservations


def order_cancel(*, order_id: int, now: datetime.datetime) -> Order:
    """Cancel the order and give its stock back, once.

    Raises :class:`OrderRefused`: ``order.E001`` when it is cancelled already,
    ``order.E002`` when it has shipped. A value the merchant no longer counts (its quantity
    emptied since) takes nothing back.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status == OrderStatus.CANCELLED:
            raise OrderRefused(
                OrderCode.ALREADY_CANCELLED,
                _("Order %(number)s is cancelled already.") % {"number": order.number},
            )
        if order.status == OrderStatus.SHIPPED:
            raise OrderRefused(
                OrderCode.NOT_CANCELLABLE,
                _("Order %(number)s has shipped: it cannot be cancelled.")
                % {"number": order.number},
            )
        held = list(order.reservations.filter(released_at__isnull=True).order_by("stock_id"))
        for reservation in held:
            if reservation.stock_id is not None:
                ValueStock.objects.filter(pk=reservation.stock_id, quantity__isnull=False).update(
                    quantity=F("quantity") + reservation.quantity
                )
        StockReservation.objects.filter(pk__in=[r.pk for r in held]).update(released_at=now)
        order.status = OrderStatus.CANCELLED
        order.save(update_fields=["status"])
        transaction.on_commit(stock_forget)
    logger.info("order %s cancelled; %d stock reservations given back", order.number, len(held))
    return order
