"""Load compiled engines: from this process's memory, else from the database."""

from __future__ import annotations

import time

from configurator.engine import Engine
from configurator.metrics import ENGINE_LOADS

from .cache import BoundedCache
from .errors import NotCompiledYet
from .models import CompiledOptionSet
from .services import ENGINE_FORMAT

__all__ = ["NotCompiledYet", "engine_cache", "engine_for_version"]


# Engines per process, keyed by version id and document digest.
engine_cache: BoundedCache[tuple[int, str], Engine] = BoundedCache()


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
            ENGINE_LOADS.labels("hit" if engine is not None else "load").inc()
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
