"""ORM queries compiled once per process and database, then run with new values.

A studio page view reads the shopper's cart and designs, their customer record and the
product's switch and statistics: a few small queries whose compilation by the ORM (the
query tree, joins, quoting) cost more CPU than running them on this data (cProfile of
``bench/defaults_bench.py``, docs/benchmarks.md). Each query here is still written with the
ORM; :func:`prepared_rows` compiles it once with marker values in place of the varying
ones, remembers where the markers land among the SQL's parameters, and afterwards only
swaps in the real values. Django keeps no such cache itself (each queryset compiles anew).

Rows come back as the database driver gives them: callers convert what the ORM would have
(JSON text, SQLite's 0/1 for booleans).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

logger = logging.getLogger(__name__)

_compiled: dict[tuple[str, str, str], tuple[str, tuple[Any, ...], dict[int, str]]] = {}


def _marker(name: str, value: Any, index: int) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"prepared query value {name!r} must be a str or an int")
    return -(2**31) + 7919 * (index + 1) if isinstance(value, int) else f"\x1fprepared:{name}\x1f"


def _compile(build: Callable[..., QuerySet], values: dict[str, Any]) -> tuple:
    markers = {name: _marker(name, v, i) for i, (name, v) in enumerate(sorted(values.items()))}
    sql, params = build(**markers).query.sql_with_params()
    slots = {
        i: name
        for i, param in enumerate(params)
        for name, marker in markers.items()
        if type(param) is type(marker) and param == marker
    }
    missing = set(markers) - set(slots.values())
    if missing or any(str(m) in sql for m in markers.values() if isinstance(m, str)):
        # A value the ORM inlined or transformed: this query cannot be prepared safely.
        logger.error("prepared query: values %s not found among the parameters", missing)
        raise ValueError(f"cannot prepare a query whose values {sorted(missing)} are inlined")
    return sql, tuple(params), slots


def prepared_rows(name: str, build: Callable[..., QuerySet], **values: Any) -> list[tuple]:
    """The rows of ``build(**values)``, compiled on the first call for this database only.

    ``build`` must give the same query shape for any values (one query per ``name``);
    values are str or int, each passed to the ORM as a plain lookup value.
    """
    key = (connection.alias, connection.vendor, name)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compiled[key] = _compile(build, values)
    sql, params, slots = compiled
    actual = [values[slots[i]] if i in slots else p for i, p in enumerate(params)]
    with connection.cursor() as cursor:
        cursor.execute(sql, actual)
        return cursor.fetchall()


def json_value(raw: Any) -> Any:
    """A JSON column as the ORM gives it: SQLite returns text; PostgreSQL's driver may
    return it decoded already."""
    return json.loads(raw) if isinstance(raw, str | bytes) else raw
