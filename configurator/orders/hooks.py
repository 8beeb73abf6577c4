"""Listeners told about each placed order, after its commit (personalization, production)."""

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
