"""Listeners called inside a placed order's transaction, with its id (production exports).

A listener writes rows only (an outbox): no e-mail, no HTTP call, no broker. It commits or
rolls back with the order. Work done later goes through ``register_order_effect``
(:mod:`configurator.orders.effects`).
"""

from __future__ import annotations

from collections.abc import Callable

OrderListener = Callable[[int], object]  # the return value is ignored
_listeners: list[OrderListener] = []


def register_order_placed(listener: OrderListener) -> OrderListener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def order_placed_listeners() -> tuple[OrderListener, ...]:
    return tuple(_listeners)
