"""What must follow a placed order: one row per effect in the order's transaction, done by
workers with retries (see :mod:`configurator.outbox`).

Each app registers its effects (a kind and an idempotent handler taking the order id) in its
``AppConfig.ready``; :func:`order_effects_write` writes one row of each kind beside the
order. A handler that raises is retried with backoff and, after ``MAX_ATTEMPTS``, marked
failed with its error, logged, and shown in the admin. Its failure never touches the order
or its production exports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from configurator import outbox
from configurator.messaging import MessageKind, message_send

from .models import EffectStatus, Order, OrderEffect
from .selectors import order_lines

logger = logging.getLogger(__name__)

EffectHandler = Callable[[int], object]  # takes the order id; the return value is ignored
_handlers: dict[str, EffectHandler] = {}
_labels: dict[str, Any] = {}

CONFIRMATION_EMAIL = "confirmation_email"


def max_attempts() -> int:
    return getattr(settings, "CONFIGURATOR_EFFECT_MAX_ATTEMPTS", 10)


def register_order_effect(kind: str, handler: EffectHandler, label: Any = "") -> None:
    """Make every order placed from now on carry an effect ``kind`` done by ``handler``;
    ``label`` names it for merchants (a lazy translation)."""
    _handlers[kind] = handler
    _labels[kind] = label or kind


def order_effect_label(kind: str) -> Any:
    return _labels.get(kind, kind)


def order_effect_retry(*, effect: OrderEffect, now: datetime | None = None) -> bool:
    """Try a failed or waiting effect again now (admin); False when it is done."""
    now = now or timezone.now()
    updated = (
        OrderEffect.objects.filter(pk=effect.pk)
        .exclude(status=EffectStatus.DONE)
        .update(status=EffectStatus.PENDING, attempts=0, next_attempt_at=now, leased_until=None)
    )
    if updated:
        from .tasks import run_order_effect

        outbox.enqueue_on_commit(run_order_effect, [effect.pk])
    return bool(updated)


def order_effects_write(*, order: Order, now: datetime) -> list[OrderEffect]:
    """One pending row per registered effect; call inside the order's transaction."""
    effects = OrderEffect.objects.bulk_create(
        [OrderEffect(order=order, kind=kind, next_attempt_at=now) for kind in sorted(_handlers)]
    )
    from .tasks import run_order_effect

    outbox.enqueue_on_commit(run_order_effect, [effect.pk for effect in effects])
    return effects


def order_effect_run(*, effect_id: int, now: datetime | None = None) -> tuple[str, float | None]:
    """Do one effect if it is still pending; returns (status, retry in seconds or None)."""
    now = now or timezone.now()
    queryset = OrderEffect.objects.all()
    state, effect = outbox.claim(queryset, effect_id, now=now)
    if state != "claimed":
        return state, None
    handler = _handlers.get(effect.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler registered for {effect.kind!r}")
        handler(effect.order_id)
    except Exception as exc:
        logger.exception(
            "order %s: effect %s failed (attempt %s)", effect.order_id, effect.kind, effect.attempts
        )
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        if effect.attempts >= max_attempts():
            outbox.finish(queryset, effect, status=EffectStatus.FAILED, last_error=error)
            logger.error("order %s: effect %s gave up", effect.order_id, effect.kind)
            return EffectStatus.FAILED, None
        retry_in = outbox.backoff_seconds(effect.attempts)
        outbox.finish(
            queryset,
            effect,
            next_attempt_at=now + timedelta(seconds=retry_in),
            last_error=error,
        )
        return EffectStatus.PENDING, retry_in
    outbox.finish(queryset, effect, status=EffectStatus.DONE, done_at=timezone.now(), last_error="")
    return EffectStatus.DONE, None


def order_effects_due(*, now: datetime | None = None) -> list[int]:
    """Effects whose message was lost (a broker outage, a dead worker or web process)."""
    return outbox.due(OrderEffect.objects.all(), now=now or timezone.now())


def order_confirmation_send(order_id: int) -> None:
    """The confirmation e-mail, in the order's language: an order update, sent whatever
    the shopper chose for offers (``configurator.messaging``)."""
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    with translation.override(order.language):
        context = {"order": order, "rows": order_lines(order=order)}
        subject = render_to_string("orders/email/confirmation_subject.txt", context).strip()
        body = render_to_string("orders/email/confirmation.txt", context)
    message_send(
        kind=MessageKind.ORDER_UPDATE,
        to=order.email,
        subject=subject,
        body=body,
        order_email=order.email,
    )
