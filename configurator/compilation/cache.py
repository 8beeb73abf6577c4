"""A small, thread-safe LRU per process, its entries optionally kept for a few seconds."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from django.conf import settings

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

FOREVER = float("inf")


class BoundedCache(Generic[K, V]):
    """At most ``size`` entries (``CONFIGURATOR_ENGINE_CACHE_SIZE`` by default); the least
    recently used go first."""

    def __init__(self, size: int | None = None) -> None:
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: K) -> V | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] <= time.monotonic():
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: K, value: V, ttl: float = FOREVER) -> None:
        """Keep ``value`` for ``ttl`` seconds (for as long as there is room by default)."""
        size = self._size or settings.CONFIGURATOR_ENGINE_CACHE_SIZE
        with self._lock:
            self._items[key] = (time.monotonic() + ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
