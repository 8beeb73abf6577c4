"""Exports: written with the order's "ready" mark in one transaction, delivered once."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from configurator import outbox
from configurator.metrics import DELIVERY_ATTEMPTS, DELIVERY_SECONDS
from configurator.orders.models import Order, OrderStatus

from .delivery import Outcome, deliver
from .models import (
    Batch,
    DeliveryAttempt,
    DeliveryMode,
    Export,
    ExportStatus,
    Partner,
    PartnerCallback,
    RoutingRule,
)
from .package import package_build

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = getattr(settings, "CONFIGURATOR_EXPORT_MAX_ATTEMPTS", 12)


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: 5 s, 10 s, 20 s … capped at an hour."""
    return outbox.backoff_seconds(attempts)


def default_partner() -> Partner:
    partner, _ = Partner.objects.get_or_create(
        code="workshop", defaults={"name": "Xưởng (thư mục)", "destination": "folder"}
    )
    return partner


def route(product_id: int | None) -> Partner:
    if product_id is None:
        rule = (
            RoutingRule.objects.select_related("partner")
            .filter(partner__is_active=True, product__isnull=True)
            .first()
        )
        return rule.partner if rule else default_partner()
    rule = (
        RoutingRule.objects.select_related("partner")
        .filter(partner__is_active=True)
        .filter(product_id=product_id)
        .first()
    ) or (
        RoutingRule.objects.select_related("partner")
        .filter(partner__is_active=True, product__isnull=True)
        .first()
    )
    return rule.partner if rule else default_partner()


def order_exports_create(*, order_id: int) -> list[Export]:
    """Mark the order ready for production and write its exports (the outbox), atomically.

    Called inside the order's own transaction when it is placed, so the order and its
    exports commit together; the admin's "export again" calls it on its own. Idempotent: an
    order already marked gets its existing exports back. Delivery is enqueued after the
    commit, best effort; the sweeper sends what that misses.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        existing = list(order.exports.all())
        if existing:
            return existing
        now = timezone.now()
        exports = [
            Export.objects.create(
                order=order, line=line, partner=route(line.product_id), next_attempt_at=now
            )
            for line in order.lines.all()
        ]
        order.status = OrderStatus.IN_PRODUCTION
        order.save(update_fields=["status"])
        per_order = [e.pk for e in exports if e.partner.mode == DeliveryMode.PER_ORDER]
        _enqueue_on_commit(per_order)
    return exports


def _enqueue_on_commit(export_ids: list) -> None:
    from .tasks import deliver_export

    outbox.enqueue_on_commit(deliver_export, export_ids)


def order_placed(order_id: int) -> None:
    """Order hook, inside the order's transaction: every placed order goes to production."""
    order_exports_create(order_id=order_id)


def export_deliver(
    *, export_id: str, base_url: str = "", now: datetime | None = None
) -> tuple[str, float | None]:
    """Deliver one export if it is still pending; returns (status, retry in seconds or None).

    The export is claimed with a lease in a short transaction of its own; the package is
    built and sent with no transaction open and no lock held; the outcome is written only
    if the lease is still ours. A worker killed mid-attempt leaves the row pending with a
    lease that runs out; the redelivered message or the sweeper tries again, and the
    idempotency key (the export id) makes a second arrival at the partner harmless.
    """
    base_url = base_url or getattr(settings, "CONFIGURATOR_BASE_URL", "")
    now = now or timezone.now()
    queryset = Export.objects.select_related("partner", "order", "line")
    state, export = outbox.claim(queryset, export_id, now=now)
    if state == "busy":
        return "busy", None  # another worker holds it; its lease or the sweeper decides
    if state != "claimed":
        return state, None
    try:
        manifest = package_build(export, base_url=base_url)
        outcome = deliver(export, manifest, base_url)
    except SoftTimeLimitExceeded:
        logger.error("export %s (order %s): delivery ran out of time", export.pk, export.order)
        outcome = Outcome("retry", None, "the delivery ran out of time")
    except Exception as exc:
        logger.exception("export %s (order %s): delivery failed", export.pk, export.order)
        outcome = Outcome("retry", None, f"{exc.__class__.__name__}: {exc}")
    return _outcome_record(queryset, export, outcome)


def _outcome_record(queryset, export: Export, outcome: Outcome) -> tuple[str, float | None]:
    retry_in = None
    now = timezone.now()
    fields: dict = {}
    if outcome.result == "delivered":
        fields = {
            "status": ExportStatus.DELIVERED,
            "delivered_at": now,
            "package": f"production/{export.id}",
            "last_error": "",
        }
    elif outcome.result == "failed" or export.attempts >= MAX_ATTEMPTS:
        fields = {
            "status": ExportStatus.FAILED,
            "last_error": outcome.detail or f"HTTP {outcome.status_code}",
        }
        logger.error(
            "export %s (order %s) to %s failed for good after %d attempts: %s",
            export.pk,
            export.order,
            export.partner.code,
            export.attempts,
            fields["last_error"],
        )
    else:
        retry_in = backoff_seconds(export.attempts)
        fields = {
            "next_attempt_at": now + timedelta(seconds=retry_in),
            "last_error": outcome.detail or f"HTTP {outcome.status_code}",
        }
        logger.warning(
            "export %s (order %s) to %s: attempt %d failed (%s); again in %.0f s",
            export.pk,
            export.order,
            export.partner.code,
            export.attempts,
            fields["last_error"],
            retry_in,
        )
    with transaction.atomic():
        if not outbox.finish(queryset.model.objects, export, **fields):
            logger.warning("export %s: lease lost before its outcome was written", export.pk)
            return "busy", None
        DeliveryAttempt.objects.create(
            export=export,
            outcome=outcome.result,
            status_code=outcome.status_code,
            detail=outcome.detail[:2000],
        )
    status = fields.get("status", ExportStatus.PENDING)
    DELIVERY_ATTEMPTS.labels(status if status in ("delivered", "failed") else "retry").inc()
    if status == ExportStatus.DELIVERED:
        DELIVERY_SECONDS.observe((now - export.created_at).total_seconds())
    return status, retry_in


def export_retry(*, export: Export) -> Export:
    """Send a failed export again (admin action), with the same idempotency key."""
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export.pk)
        if export.status == ExportStatus.FAILED:
            export.status = ExportStatus.PENDING
            export.attempts = 0
            export.leased_until = None
            export.next_attempt_at = timezone.now()
            export.save(update_fields=["status", "attempts", "leased_until", "next_attempt_at"])
            _enqueue_on_commit([export.pk])
    return export


def exports_stuck(*, now: datetime | None = None) -> list:
    """Pending per-order exports due for a while and not leased (a lost message, a crash)."""
    return outbox.due(
        Export.objects.filter(partner__mode=DeliveryMode.PER_ORDER), now=now or timezone.now()
    )


# A partner's statuses in the order they happen; a callback never moves an export back.
PARTNER_STATUS_RANK = {"received": 1, "in_production": 2, "shipped": 3, "rejected": 3}
PARTNER_STATUSES = set(PARTNER_STATUS_RANK)


def export_acknowledge(
    *, partner: Partner, export_id: str, status: str, message_id: str = ""
) -> Export:
    """The partner reports on an export; shipped on every line ships the order.

    Deduplicated on the callback's ``webhook-id`` (``message_id``): a replay changes
    nothing. A status earlier than the one recorded (a late or replayed "received" after
    "shipped") is ignored: statuses only move forward. Raises ``Export.DoesNotExist``.
    """
    if status not in PARTNER_STATUSES:
        raise ValueError(status)
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=uuid.UUID(export_id), partner=partner)
        if message_id:
            try:
                with transaction.atomic():
                    PartnerCallback.objects.create(
                        partner=partner, message_id=message_id, export=export, status=status
                    )
            except IntegrityError:
                logger.info("export %s: callback %s was handled before", export.pk, message_id)
                return export  # this very callback was handled before
        current = PARTNER_STATUS_RANK.get(export.partner_status, 0)
        if PARTNER_STATUS_RANK[status] <= current:
            if status != export.partner_status:
                logger.warning(
                    "export %s: partner %s sent %s after %s; kept %s",
                    export.pk,
                    partner.code,
                    status,
                    export.partner_status,
                    export.partner_status,
                )
            return export
        export.partner_status = status
        if export.status == ExportStatus.DELIVERED:
            export.status = ExportStatus.ACKNOWLEDGED
        export.acknowledged_at = export.acknowledged_at or timezone.now()
        export.save()
        order = export.order
        statuses = set(
            order.exports.exclude(status="failed").values_list("partner_status", flat=True)
        )
        if statuses == {"shipped"}:
            order.status = OrderStatus.SHIPPED
            order.save(update_fields=["status"])
    return export


def batches_due(*, now: datetime | None = None) -> list:
    """Daily-batch partners whose batch hour has come and who have pending exports not in a
    batch yet, or a batch still to send whose lease (if any) has run out."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    partners = Partner.objects.filter(
        is_active=True, mode=DeliveryMode.DAILY_BATCH, batch_hour__lte=local.hour
    )
    free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    return [
        partner.pk
        for partner in partners
        if Export.objects.filter(
            partner=partner, status=ExportStatus.PENDING, batch__isnull=True
        ).exists()
        or Batch.objects.filter(free, partner=partner, status=ExportStatus.PENDING).exists()
    ]


def batch_deliver(
    *, partner_id: int, now: datetime | None = None, base_url: str = ""
) -> Batch | None:
    """Send the partner's batches still to send (one left by a worker killed mid-upload
    first), then today's, which takes every pending export not in a batch yet; returns
    today's (None when there was nothing to send today). Idempotent: one batch per partner
    and day, its id the archive's name and idempotency key; a batch delivered is never sent
    again.

    Each step is a short transaction of its own, and the archive is sent with none open: the
    batch is gathered under the partner's lock, then leased (:func:`outbox.claim`), sent, and
    its outcome written only if the lease is still ours. Exports join a batch only while no
    worker holds it, and only those in the archive are marked delivered.
    """
    base_url = base_url or getattr(settings, "CONFIGURATOR_BASE_URL", "")
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner_id)
        today, _ = Batch.objects.get_or_create(partner=partner, day=day)
        today = Batch.objects.select_for_update().get(pk=today.pk)
        free = today.leased_until is None or today.leased_until <= now
        sending = [today.pk]
        if today.status == ExportStatus.PENDING and free:
            Export.objects.filter(
                partner=partner, status=ExportStatus.PENDING, batch__isnull=True
            ).update(batch=today)
            if not today.attempts and not today.exports.exists():
                today.delete()  # nothing to send today: no batch (exports coming make one)
                sending = []
        left = list(
            Batch.objects.filter(partner=partner, status=ExportStatus.PENDING, day__lt=day)
            .order_by("day")
            .values_list("pk", flat=True)
        )
    for batch_id in [*left, *sending]:
        _batch_send(batch_id, now=now, base_url=base_url)
    return Batch.objects.select_related("partner").filter(partner=partner, day=day).first()


def _batch_send(batch_id: Any, *, now: datetime, base_url: str) -> None:
    from .delivery import deliver_batch

    queryset = Batch.objects.select_related("partner")
    state, batch = outbox.claim(queryset, batch_id, now=now)
    if state != "claimed":
        return  # delivered, failed, or another worker holds it
    exports = list(batch.exports.select_related("order", "line", "partner"))
    if not exports:  # pragma: no cover - a batch is made with its exports and never emptied
        outbox.finish(Batch.objects, batch, attempts=batch.attempts - 1)
        return
    partner = batch.partner
    try:
        manifests = [package_build(export, base_url=base_url) for export in exports]
        outcome = deliver_batch(batch, exports, manifests, base_url)
    except SoftTimeLimitExceeded:
        logger.error(
            "batch %s (%s, %s): delivery ran out of time", batch.pk, partner.code, batch.day
        )
        outcome = Outcome("retry", None, "the delivery ran out of time")
    except Exception as exc:
        logger.exception("batch %s (%s, %s): delivery failed", batch.pk, partner.code, batch.day)
        outcome = Outcome("retry", None, f"{exc.__class__.__name__}: {exc}")
    fields: dict[str, Any] = {"last_error": outcome.detail}
    delivered_at = timezone.now()
    if outcome.result == "delivered":
        fields |= {"status": ExportStatus.DELIVERED, "delivered_at": delivered_at}
    elif outcome.result == "failed" or batch.attempts >= MAX_ATTEMPTS:
        fields |= {"status": ExportStatus.FAILED}
        logger.error(
            "batch %s (%s, %s) failed for good after %d attempts: %s",
            batch.pk,
            partner.code,
            batch.day,
            batch.attempts,
            outcome.detail,
        )
    with transaction.atomic():
        if not outbox.finish(Batch.objects, batch, **fields):
            logger.warning("batch %s: lease lost before its outcome was written", batch.pk)
            return
        if outcome.result == "delivered":
            sent = [export.pk for export in exports]
            Export.objects.filter(pk__in=sent).update(
                status=ExportStatus.DELIVERED, delivered_at=delivered_at
            )
            # An export that joined after the archive was made waits for the next batch.
            batch.exports.exclude(pk__in=sent).update(batch=None)
        DeliveryAttempt.objects.create(
            batch=batch,
            outcome=outcome.result,
            status_code=outcome.status_code,
            detail=outcome.detail[:2000],
        )
    DELIVERY_ATTEMPTS.labels(outcome.result).inc()
    if outcome.result == "delivered":
        for export in exports:
            DELIVERY_SECONDS.observe((delivered_at - export.created_at).total_seconds())
