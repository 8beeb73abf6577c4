"""Reads of personalization: a shopper's history for the model, the weights and reasons of
their defaults, whether a product is personalized, and the export of a shopper's data."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet, Value

from configurator.designs.models import Design
from configurator.designs.shoppers import Shopper
from configurator.orders.models import CartLine

from .consent import consents_export, may_personalize, message_preferences
from .models import Customer, ProductPairStat, ProductSetting, ProductValueStat
from .prepared import json_value, prepared_rows
from .scoring import NO_CONTEXT, PARAMS, Context, ContextLine, Decayed, History

CONTEXT_LINES = 70  # the newest cart lines and saved designs the studio looks at


def studio_context_for(*, user: Any, session_key: str | None) -> Context:
    """What the studio knows when it pre-selects: the shopper's cart lines and saved
    designs (the newest 70 of them together), as product code and chosen values. One
    query (compiled once, :mod:`.prepared`); none for a guest without a session (no session
    is made for this)."""
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not session_key:
        return NO_CONTEXT
    if signed_in:
        rows = prepared_rows("studio-context-user", _context_query, user_id=user.pk)
    else:
        rows = prepared_rows("studio-context-guest", _context_query, session_key=session_key)
    lines = []
    for sku, raw, saved, _ in rows:
        selection = json_value(raw) or {}
        options = {g: v for g, v in selection.items() if isinstance(v, str)}
        if options:
            lines.append(ContextLine(sku, options, bool(saved)))
    return Context(tuple(lines))


def _context_query(*, user_id: int | None = None, session_key: str = "") -> QuerySet:
    shopper = Shopper(user_id, session_key)
    cart = CartLine.objects.filter(
        Q(cart__owner_id=user_id)
        if user_id is not None
        else Q(cart__owner__isnull=True, cart__session_key=session_key)
    ).annotate(saved=Value(False), at=F("created_at"))
    designs = Design.objects.filter(shopper.owns()).annotate(saved=Value(True), at=F("updated_at"))
    fields = ("product__sku", "selection", "saved", "at")
    return (
        cart.order_by()
        .values_list(*fields)
        .union(designs.order_by().values_list(*fields), all=True)
        .order_by("-at")[:CONTEXT_LINES]
    )


def history_for(
    *, product: str, customer: Customer | None, context: Context = NO_CONTEXT
) -> History:
    """The model's view for one shopper and one product: product statistics plus the
    shopper's profile, and the product's values chosen together with the context's (one
    more query when there is a context); no scan of the event table."""
    history = History(PARAMS)
    _pairs_load(history, product, context)
    for group, value, count, log_trend in prepared_rows(
        "product-value-stats", _stats_query, product=product
    ):
        history.popularity[(product, group)][value] = count
        decayed = Decayed()
        decayed.log_total = log_trend if log_trend is not None else -math.inf
        history.trend[(product, group)][value] = decayed
    if customer is not None and customer.personalization_enabled:
        cid = customer.external_id
        profile = customer.profile or {}
        # Only this product's entries: a shopper with a long history has hundreds of
        # (product, group) keys, and converting them all was most of a page view's time.
        for key, values in profile.get("same", {}).items():
            prod, _, group = key.partition("|")
            if prod == product:
                history.same[(cid, prod, group)] = _decayed(values)
        for group, values in profile.get("cross", {}).items():
            history.cross[(cid, group)] = _decayed(values)
        for key, rows in profile.get("orders", {}).items():
            prod, _, group = key.partition("|")
            if prod == product:
                history.orders[(cid, prod, group)] = {
                    order: (datetime.fromisoformat(stamp), value) for stamp, order, value in rows
                }
    return history


def _pairs_load(history: History, product: str, context: Context) -> None:
    """The counts of values chosen with the context's values, for :attr:`History.together`."""
    wanted = {(group, value) for line in context.lines for group, value in line.options.items()}
    if not wanted:
        return
    stats = ProductPairStat.objects.filter(
        product=product, other_value__in=sorted({value for _, value in wanted})
    ).values_list("group", "value", "other_group", "other_value", "count")
    for group, value, other_group, other_value, count in stats:
        if (other_group, other_value) in wanted:
            history.together[(product, group, other_group, other_value)][value] = count


def _decayed(values: Mapping[str, float]) -> dict[str, Decayed]:
    out: dict[str, Decayed] = {}
    for value, log_total in values.items():
        d = out[value] = Decayed()
        d.log_total = log_total
    return out


def _stats_query(*, product: str) -> QuerySet:
    return ProductValueStat.objects.filter(product=product).values_list(
        "group", "value", "count", "log_trend"
    )


def personalization_enabled_for(product: str) -> bool:
    rows = prepared_rows("product-setting", _setting_query, product=product)
    return not rows or bool(rows[0][0])


def _setting_query(*, product: str) -> QuerySet:
    return (
        ProductSetting.objects.filter(product=product)
        .order_by("pk")
        .values_list("personalization_enabled")[:1]
    )


def customer_export(*, customer: Customer) -> dict[str, Any]:
    """Everything kept about the shopper: whether their purchases are used (and every
    consent they gave or withdrew), their message preferences, the profile, purchases
    oldest first."""
    messages = message_preferences(customer)
    return {
        "customer": customer.external_id,
        "email": customer.email,
        "personalized_defaults": may_personalize(customer),
        "consents": consents_export(customer),
        "message_preferences": {
            "order_updates": True,
            "offers": messages.offers,
            "channels": list(messages.channels),
        },
        "preferences": customer.profile,
        "purchases": [
            {
                "timestamp": e.timestamp.isoformat(),
                "order": e.order,
                "product": e.product,
                "channel": e.channel,
                "sku": e.sku,
                "quantity": e.quantity,
                "options": e.options,
            }
            for e in customer.events.order_by("timestamp")
        ],
    }


def weights_and_reasons(
    *,
    history: History,
    customer: Customer | None,
    product: str,
    groups: Mapping[str, list[str]],
    now: datetime,
    context: Context = NO_CONTEXT,
) -> tuple[dict[tuple[str, str], float], dict[str, Any]]:
    """Per-value weights for the engine's completion, and the reason of each group's best.

    A value scored at or below zero (the cart's penalty can make a score negative) gets no
    weight, like a value nobody chose."""
    cid = (
        customer.external_id if customer is not None and customer.personalization_enabled else None
    )
    weights: dict[tuple[str, str], float] = {}
    reasons: dict[str, Any] = {}
    for group, candidates in groups.items():
        prediction = history.predict(cid, product, group, now, candidates, context)
        if prediction is None or prediction.score <= 0:
            continue
        for value, score in prediction.scores.items():
            if score > 0:
                weights[(group, value)] = 0.001 + score
        reasons[group] = prediction.reason
    return weights, reasons
