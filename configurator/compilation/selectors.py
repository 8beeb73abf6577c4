"""Load compiled engines: from this process's memory, else from the database."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings

from configurator.engine import Engine

from .errors import NotCompiledYet
from .models import CompiledOptionSet

__all__ = ["NotCompiledYet", "engine_cache", "engine_for_version"]
from .services import ENGINE_FORMAT


class _EngineCache:
    """A small LRU of engines per process, keyed by version id and document digest."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[int, str], Engine] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> Engine | None:
        with self._lock:
            engine = self._items.get(key)
            if engine is not None:
                self._items.move_to_end(key)
            return engine

    def put(self, key: tuple[int, str], engine: Engine) -> None:
        size = getattr(settings, "CONFIGURATOR_ENGINE_CACHE_SIZE", 32)
        with self._lock:
            self._items[key] = engine
            self._items.move_to_end(key)
            while len(self._items) > size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


engine_cache = _EngineCache()


def engine_for_version(*, version_id: int, wait: float = 0) -> Engine:
    """The compiled engine of a version; never compiles (that is the worker's job).

    Raises :class:`NotCompiledYet` at once when the compile task has not finished: web code
    answers "being prepared" rather than holding a request (or a row lock) open. Commands
    may ``wait`` that many seconds for a compile in flight.
    """
    deadline = time.monotonic() + wait
    while True:
        row = (
            CompiledOptionSet.objects.filter(version_id=version_id, engine_format=ENGINE_FORMAT)
            .values_list("digest", flat=True)
            .first()
        )
        if row is not None:
            key = (version_id, row)
            engine = engine_cache.get(key)
            if engine is None:
                blob = (
                    CompiledOptionSet.objects.filter(version_id=version_id)
                    .values_list("blob", flat=True)
                    .get()
                )
                engine = Engine.from_bytes(bytes(blob))
                engine_cache.put(key, engine)
            return engine
        if time.monotonic() >= deadline:
            raise NotCompiledYet(version_id)
        time.sleep(0.2)
