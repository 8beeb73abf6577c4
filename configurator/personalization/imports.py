"""Purchase events in: the import pipeline, a chunk at a time, and the shopper profiles and
product statistics each chunk updates."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from configurator.metrics import IMPORT_ROWS

from .events import BadLine, EventLimits, EventLine
from .models import Customer, ProductPairStat, ProductValueStat, PurchaseEvent
from .scoring import PARAMS, Purchase, log_add, log_weight

logger = logging.getLogger(__name__)

CHUNK = 50_000  # lines per transaction: profiles and statistics are written once each
LOOKUP = 10_000  # identities per query (SQLite allows 32,766 parameters)
RECENT_ORDERS = 3
MAX_BAD_KEPT = 1000  # bad lines listed in a result or a refusal; the others are counted


def identity(line: Purchase, sku: str) -> str:
    """A line is the same line when customer, order, product, sku and options agree."""
    key = json.dumps(
        [line.customer, line.order, line.product, sku, sorted(line.options.items())],
        ensure_ascii=False,
    )
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class ImportResult:
    created: int = 0
    duplicates: int = 0
    customers: int = 0
    bad: list[BadLine] = field(default_factory=list)  # the first MAX_BAD_KEPT
    bad_count: int = 0


class EventsRefused(Exception):
    """A strict import met bad lines and wrote nothing; ``bad`` lists the first
    ``MAX_BAD_KEPT`` of them, ``count`` says how many there were."""

    def __init__(self, bad: list[BadLine], count: int | None = None) -> None:
        self.bad = bad
        self.count = len(bad) if count is None else count
        super().__init__(f"{self.count} bad lines")


class _Rollback(Exception):
    pass


def file_limits() -> EventLimits:
    """The limits of a purchase-events file from the command or the admin upload."""
    return EventLimits(
        inflated_bytes=settings.CONFIGURATOR_EVENTS_MAX_INFLATED_BYTES,
        lines=settings.CONFIGURATOR_EVENTS_MAX_LINES,
    )


def _log_add(current: float | None, when: datetime, tau: float) -> float:
    return log_add(-math.inf if current is None else current, log_weight(when, tau))


def _profile_add(profile: dict[str, Any], purchase: Purchase) -> None:
    tau = PARAMS.tau_personal_days
    same = profile.setdefault("same", {})
    cross = profile.setdefault("cross", {})
    orders = profile.setdefault("orders", {})
    stamp = purchase.timestamp.isoformat()
    for group, value in purchase.options.items():
        key = f"{purchase.product}|{group}"
        bucket = same.setdefault(key, {})
        bucket[value] = _log_add(bucket.get(value), purchase.timestamp, tau)
        taste = cross.setdefault(group, {})
        taste[value] = _log_add(taste.get(value), purchase.timestamp, tau)
        recent = [o for o in orders.get(key, []) if o[1] != purchase.order]
        recent.append([stamp, purchase.order, value])
        orders[key] = sorted(recent)[-RECENT_ORDERS:]


def purchase_events_import(
    *, lines: Iterable[EventLine], result: ImportResult | None = None
) -> ImportResult:
    """Store new lines (a re-import adds nothing), updating profiles and product statistics;
    the counts are added to ``result`` when given."""
    result = result if result is not None else ImportResult()
    chunk: list[EventLine] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= CHUNK:
            _import_chunk(chunk, result)
            chunk = []
    if chunk:
        _import_chunk(chunk, result)
    return result


def purchase_events_import_items(
    *, items: Iterable[EventLine | BadLine], strict: bool = False
) -> ImportResult:
    """Import parsed lines as they stream in; a bad line is never written.

    Not strict (the command, the admin): every good line is imported and the bad ones are
    returned in ``result.bad``. Strict (the API): all lines are imported in one transaction,
    rolled back when a line is bad, so nothing at all is written: :class:`EventsRefused`
    lists them. Either way ``items`` is read once, lazily: memory holds one chunk of lines,
    never the file. An exception raised while reading (a :class:`BadFile` over a limit)
    leaves a strict import unwritten too.
    """
    result = ImportResult()

    def good() -> Iterator[EventLine]:
        for item in items:
            if isinstance(item, EventLine):
                if not (strict and result.bad_count):  # refused anyway: read on, write no more
                    yield item
                continue
            result.bad_count += 1
            if len(result.bad) < MAX_BAD_KEPT:
                result.bad.append(item)

    if not strict:
        purchase_events_import(lines=good(), result=result)
        _rows_count(result)
        return result
    try:
        with transaction.atomic():
            purchase_events_import(lines=good(), result=result)
            if result.bad_count:
                raise _Rollback
    except _Rollback:
        IMPORT_ROWS.labels("purchase_events", "refused").inc(result.bad_count)
        first = result.bad[0] if result.bad else None
        logger.info(
            "purchase events refused: %d bad line(s), nothing written; first line %s %s",
            result.bad_count,
            first.line if first else "-",
            first.code if first else "-",
        )
        raise EventsRefused(result.bad, result.bad_count) from None
    _rows_count(result)
    return result


def _rows_count(result: ImportResult) -> None:
    if result.bad_count:
        first = result.bad[0]
        logger.info(
            "purchase events: %d bad line(s) skipped, first line %s %s",
            result.bad_count,
            first.line,
            first.code,
        )
    logger.info(
        "purchase events imported: %d new, %d duplicate(s)", result.created, result.duplicates
    )
    IMPORT_ROWS.labels("purchase_events", "accepted").inc(result.created)
    IMPORT_ROWS.labels("purchase_events", "duplicate").inc(result.duplicates)
    IMPORT_ROWS.labels("purchase_events", "refused").inc(result.bad_count)


@transaction.atomic
def _import_chunk(chunk: list[EventLine], result: ImportResult) -> None:
    keyed = {identity(line.purchase, line.sku): line for line in chunk}
    result.duplicates += len(chunk) - len(keyed)
    existing: set[str] = set()
    for keys in _batches(list(keyed)):
        existing.update(
            PurchaseEvent.objects.filter(identity__in=keys).values_list("identity", flat=True)
        )
    new = {k: line for k, line in keyed.items() if k not in existing}
    result.duplicates += len(existing)
    if not new:
        return
    external_ids = {line.purchase.customer for line in new.values()}
    customers = _customers(external_ids)
    missing = [Customer(external_id=e) for e in external_ids if e not in customers]
    Customer.objects.bulk_create(missing, ignore_conflicts=True, batch_size=2000)
    result.customers += len(missing)
    if missing:
        customers |= _customers({customer.external_id for customer in missing})
    _events_write(
        [
            PurchaseEvent(
                customer=customers[line.purchase.customer],
                identity=key,
                timestamp=line.purchase.timestamp,
                order=line.purchase.order,
                product=line.purchase.product,
                channel=line.channel,
                sku=line.sku,
                quantity=line.quantity,
                price=line.price,
                currency=line.currency,
                options=dict(line.purchase.options),
            )
            for key, line in new.items()
        ]
    )
    result.created += len(new)
    # Profiles, in time order.
    touched: dict[str, Customer] = {}
    for line in sorted(new.values(), key=lambda item: item.purchase.timestamp):
        customer = customers[line.purchase.customer]
        _profile_add(customer.profile, line.purchase)
        touched[customer.external_id] = customer
    _profiles_write(list(touched.values()))
    _statistics_add(list(new.values()))
    _pairs_add(list(new.values()))


def _statistics_add(lines: list[EventLine]) -> None:
    """Add new lines to their products' value counts and trends (inside the chunk's
    transaction)."""
    increments: dict[tuple[str, str, str], list[Any]] = defaultdict(lambda: [0, None])
    for line in lines:
        for group, value in line.purchase.options.items():
            entry = increments[(line.purchase.product, group, value)]
            entry[0] += 1
            entry[1] = _log_add(entry[1], line.purchase.timestamp, PARAMS.tau_trend_days)
    stats: dict[tuple[str, str, str], ProductValueStat] = {}
    for products in _batches(sorted({key[0] for key in increments})):
        for stat in ProductValueStat.objects.filter(product__in=products):
            stats[(stat.product, stat.group, stat.value)] = stat
    fresh: list[ProductValueStat] = []
    for key, (count, log_trend) in increments.items():
        found = stats.get(key)
        if found is None:
            fresh.append(
                ProductValueStat(
                    product=key[0], group=key[1], value=key[2], count=count, log_trend=log_trend
                )
            )
        else:
            found.count += count
            if found.log_trend is None:
                found.log_trend = log_trend
            else:
                found.log_trend = log_add(found.log_trend, log_trend)
    ProductValueStat.objects.bulk_create(fresh, batch_size=2000)
    ProductValueStat.objects.bulk_update(
        [s for k, s in stats.items() if k in increments], ["count", "log_trend"], batch_size=2000
    )


def _pairs_add(lines: list[EventLine]) -> None:
    """Add new lines to their products' counts of values chosen together."""
    increments: Counter[tuple[str, str, str, str, str]] = Counter()
    for line in lines:
        chosen = {g: v for g, v in line.purchase.options.items() if v}
        for group, value in chosen.items():
            for other, other_value in chosen.items():
                if other != group:
                    increments[(line.purchase.product, group, value, other, other_value)] += 1
    if not increments:
        return
    stats: dict[tuple[str, str, str, str, str], ProductPairStat] = {}
    for products in _batches(sorted({key[0] for key in increments})):
        for stat in ProductPairStat.objects.filter(product__in=products):
            key = (stat.product, stat.group, stat.value, stat.other_group, stat.other_value)
            stats[key] = stat
    fresh = [
        ProductPairStat(product=p, group=g, value=v, other_group=og, other_value=ov, count=n)
        for (p, g, v, og, ov), n in increments.items()
        if (p, g, v, og, ov) not in stats
    ]
    for key, stat in stats.items():
        stat.count += increments.get(key, 0)
    ProductPairStat.objects.bulk_create(fresh, batch_size=2000)
    ProductPairStat.objects.bulk_update(
        [s for k, s in stats.items() if k in increments], ["count"], batch_size=2000
    )


# On PostgreSQL, events and profiles are written with COPY: an import of 600,000 lines is
# mostly these writes, and COPY streams rows where a multi-row INSERT (or bulk_update's CASE)
# makes Django and psycopg build and quote one enormous statement per batch.
_EVENT_FIELDS = (
    "customer",
    "identity",
    "timestamp",
    "order",
    "product",
    "channel",
    "sku",
    "quantity",
    "price",
    "currency",
    "options",
)


def _copy_possible() -> bool:
    return connection.vendor == "postgresql"


def _events_write(events: list[PurchaseEvent]) -> None:
    if not _copy_possible():
        PurchaseEvent.objects.bulk_create(events, batch_size=2000)
        return
    meta = PurchaseEvent._meta
    column_of = {field.name: str(field.column) for field in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in _EVENT_FIELDS)
    table = connection.ops.quote_name(meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for event in events:
            copy.write_row(
                (
                    event.customer_id,
                    event.identity,
                    event.timestamp,
                    event.order,
                    event.product,
                    event.channel,
                    event.sku,
                    event.quantity,
                    event.price,
                    event.currency,
                    json.dumps(event.options, ensure_ascii=False),
                )
            )


def _profiles_write(customers: list[Customer]) -> None:
    if not _copy_possible():
        Customer.objects.bulk_update(customers, ["profile"], batch_size=1000)
        return
    table = connection.ops.quote_name(Customer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE profile_update (id bigint, profile jsonb)")
        with cursor.cursor.copy("COPY profile_update (id, profile) FROM STDIN") as copy:
            for customer in customers:
                copy.write_row((customer.pk, json.dumps(customer.profile, ensure_ascii=False)))
        cursor.execute(
            f"UPDATE {table} AS c SET profile = u.profile FROM profile_update AS u "
            "WHERE c.id = u.id"
        )
        cursor.execute("DROP TABLE profile_update")


def _customers(external_ids: set[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    for ids in _batches(sorted(external_ids)):
        for customer in Customer.objects.filter(external_id__in=ids):
            found[customer.external_id] = customer
    return found


def _batches(values: list[str]) -> Iterator[list[str]]:
    """``values`` in runs of at most ``LOOKUP``, one ``__in`` query each."""
    for start in range(0, len(values), LOOKUP):
        yield values[start : start + LOOKUP]
