"""Retention: purchases older than the shop keeps them are deleted, and what was learnt
from them; orders stay (they are the shop's records, and never pointed at a profile).

Run nightly by beat (``personalization-retention``, :mod:`.tasks`); each run is recorded
(:class:`~.models.RetentionRun`) with its counts, shown in the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from .imports import _profile_add
from .models import Customer, PersonalizationSettings, PurchaseEvent, RetentionRun
from .scoring import Purchase

logger = logging.getLogger(__name__)

CUSTOMERS_PER_BATCH = 500  # one transaction each: a long history never holds a lock for long


@dataclass
class _Counts:
    events_deleted: int = 0
    profiles_rebuilt: int = 0
    profiles_cleared: int = 0
    customers_deleted: int = 0


def retention_cutoff(*, months: int, now: datetime) -> datetime:
    """The moment before which purchases are deleted: ``months`` calendar months ago."""
    return now - relativedelta(months=months)


def retention_apply(*, now: datetime | None = None) -> RetentionRun | None:
    """Delete purchase events older than the shop's retention setting, recompute the
    profiles of the shoppers who had some (emptied when nothing is left), and delete
    customers left with nothing to keep; None (and nothing deleted) when the setting is
    empty, meaning "keep for ever".

    Kept: orders and their lines, acceptance records (``DefaultOutcome``, made from
    orders), product statistics (counts over all shoppers, no one's history), consents
    (the shop's proof of what a shopper agreed to), and a customer who has a consent
    record or switched personalization off (their choice must survive, as with erasure).
    """
    now = now or timezone.now()
    months = PersonalizationSettings.current().retention_months
    if not months:
        logger.info("retention: no retention period set; nothing deleted")
        return None
    cutoff = retention_cutoff(months=months, now=now)
    counts = _Counts()
    for batch in _customer_batches(cutoff):
        _apply_batch(batch, cutoff, counts)
    run = RetentionRun.objects.create(
        started_at=now,
        months=months,
        cutoff=cutoff,
        events_deleted=counts.events_deleted,
        profiles_rebuilt=counts.profiles_rebuilt,
        profiles_cleared=counts.profiles_cleared,
        customers_deleted=counts.customers_deleted,
    )
    logger.info(
        "retention: %d purchase events before %s deleted; %d profiles recomputed, "
        "%d emptied, %d customers deleted (run %s)",
        counts.events_deleted,
        cutoff.isoformat(),
        counts.profiles_rebuilt,
        counts.profiles_cleared,
        counts.customers_deleted,
        run.pk,
    )
    return run


def _customer_batches(cutoff: datetime) -> Iterator[list[int]]:
    """Ids of customers with a purchase before ``cutoff``, a batch at a time, ascending."""
    after = 0
    while True:
        batch = list(
            PurchaseEvent.objects.filter(timestamp__lt=cutoff, customer_id__gt=after)
            .order_by("customer_id")
            .values_list("customer_id", flat=True)
            .distinct()[:CUSTOMERS_PER_BATCH]
        )
        if not batch:
            return
        yield batch
        after = batch[-1]


@transaction.atomic
def _apply_batch(customer_ids: list[int], cutoff: datetime, counts: _Counts) -> None:
    # Locked, so an import for these shoppers waits and adds to the recomputed profile.
    customers = list(
        Customer.objects.select_for_update().filter(pk__in=customer_ids).order_by("pk")
    )
    deleted, _ = PurchaseEvent.objects.filter(
        customer_id__in=customer_ids, timestamp__lt=cutoff
    ).delete()
    counts.events_deleted += deleted
    kept = _kept_purchases(customer_ids)
    with_consents = set(
        Customer.objects.filter(pk__in=customer_ids, consents__isnull=False).values_list(
            "pk", flat=True
        )
    )
    changed: list[Customer] = []
    empty: list[int] = []
    for customer in customers:
        purchases = kept.get(customer.pk, [])
        if not purchases and customer.personalization_enabled and customer.pk not in with_consents:
            empty.append(customer.pk)  # nothing left to keep: no row, as after an erasure
            continue
        profile: dict[str, Any] = {}
        for purchase in purchases:
            _profile_add(profile, purchase)
        customer.profile = profile
        changed.append(customer)
        if purchases:
            counts.profiles_rebuilt += 1
        else:
            counts.profiles_cleared += 1
    Customer.objects.bulk_update(changed, ["profile"], batch_size=1000)
    if empty:
        Customer.objects.filter(pk__in=empty).delete()
        counts.customers_deleted += len(empty)


def _kept_purchases(customer_ids: list[int]) -> dict[int, list[Purchase]]:
    """The remaining purchases of these customers, oldest first (the order profiles are
    built in)."""
    out: dict[int, list[Purchase]] = {}
    rows = (
        PurchaseEvent.objects.filter(customer_id__in=customer_ids)
        .order_by("timestamp", "pk")
        .values_list(
            "customer_id", "customer__external_id", "timestamp", "order", "product", "options"
        )
    )
    for customer_id, external_id, timestamp, order, product, options in rows.iterator(2000):
        out.setdefault(customer_id, []).append(
            Purchase(external_id, timestamp, order, product, dict(options))
        )
    return out
