"""Exports: written with the order's "ready" mark in one transaction, delivered once."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from configurator.orders.models import Order, OrderStatus

from .delivery import Outcome, deliver
from .models import (
    Batch,
    DeliveryAttempt,
    DeliveryMode,
    Export,
    ExportStatus,
    Partner,
    RoutingRule,
)
from .package import package_build

MAX_ATTEMPTS = getattr(settings, "CONFIGURATOR_EXPORT_MAX_ATTEMPTS", 12)


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter: 5 s, 10 s, 20 s … capped at an hour."""
    ceiling = min(3600.0, 5.0 * (2 ** max(0, attempts - 1)))
    return random.uniform(ceiling / 2, ceiling)


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

    Idempotent: an order already marked gets its existing exports back. Delivery is
    enqueued after the commit; if that enqueue is lost, the periodic resend finds the rows.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        existing = list(order.exports.all())
        if existing:
            return existing
        exports = []
        for line in order.lines.all():
            exports.append(
                Export.objects.create(
                    order=order,
                    line=line,
                    partner=route(line.product_id),
                    next_attempt_at=timezone.now(),
                )
            )
        order.status = OrderStatus.IN_PRODUCTION
        order.save(update_fields=["status"])
        per_order = [e.pk for e in exports if e.partner.mode == DeliveryMode.PER_ORDER]
        transaction.on_commit(lambda: _enqueue(per_order))
    return exports


def _enqueue(export_ids: list) -> None:
    from .tasks import deliver_export

    for export_id in export_ids:
        deliver_export.delay(str(export_id))


def order_placed(order_id: int) -> None:
    """Order hook: every placed order goes to production."""
    order_exports_create(order_id=order_id)


def export_deliver(*, export_id: str, base_url: str = "") -> tuple[str, float | None]:
    """Deliver one export if it is still pending; returns (status, retry in seconds or None).

    The row is locked for the attempt, so a duplicate message waits and then finds it
    delivered. A worker killed mid-attempt leaves the row pending; the redelivered message
    (acks late) or the periodic resend tries again, and the idempotency key (the export id)
    makes a second arrival at the partner harmless.
    """
    base_url = base_url or getattr(settings, "CONFIGURATOR_BASE_URL", "")
    with transaction.atomic():
        # Lock the export's row only: a lock on the joined partner (or order) row would make
        # every other delivery to that partner "busy" and stall checkout's new exports.
        export = (
            Export.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("partner", "order", "line")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            return "busy", 30.0  # another worker holds it; look again later
        if export.status != ExportStatus.PENDING:
            return export.status, None
        try:
            manifest = package_build(export, base_url=base_url)
            outcome = deliver(export, manifest, base_url)
        except Exception as exc:
            outcome = Outcome("retry", None, f"{exc.__class__.__name__}: {exc}")
        export.attempts += 1
        retry_in = None
        if outcome.result == "delivered":
            export.status = ExportStatus.DELIVERED
            export.delivered_at = timezone.now()
            export.package = f"production/{export.id}"
            export.last_error = ""
        elif outcome.result == "failed" or export.attempts >= MAX_ATTEMPTS:
            export.status = ExportStatus.FAILED
            export.last_error = outcome.detail or f"HTTP {outcome.status_code}"
        else:
            retry_in = backoff_seconds(export.attempts)
            export.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
            export.last_error = outcome.detail or f"HTTP {outcome.status_code}"
        export.save()
        DeliveryAttempt.objects.create(
            export=export,
            outcome=outcome.result,
            status_code=outcome.status_code,
            detail=outcome.detail[:2000],
        )
    return export.status, retry_in


def export_retry(*, export: Export) -> Export:
    """Send a failed export again (admin action), with the same idempotency key."""
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export.pk)
        if export.status == ExportStatus.FAILED:
            export.status = ExportStatus.PENDING
            export.attempts = 0
            export.next_attempt_at = timezone.now()
            export.save(update_fields=["status", "attempts", "next_attempt_at"])
            export_id = export.pk
            transaction.on_commit(lambda: _enqueue([export_id]))
    return export


def exports_stuck(*, older_than: timedelta = timedelta(minutes=2)) -> list:
    """Pending per-order exports whose next attempt is overdue (a lost message, a crash)."""
    limit = timezone.now() - older_than
    return list(
        Export.objects.filter(
            status=ExportStatus.PENDING,
            next_attempt_at__lte=limit,
            partner__mode=DeliveryMode.PER_ORDER,
        ).values_list("pk", flat=True)[:500]
    )


PARTNER_STATUSES = {"received", "in_production", "shipped", "rejected"}


def export_acknowledge(*, partner: Partner, export_id: str, status: str) -> Export:
    """The partner reports on an export; shipped on every line ships the order."""
    if status not in PARTNER_STATUSES:
        raise ValueError(status)
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export_id, partner=partner)
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
    """Daily-batch partners whose batch hour has come and who have pending exports."""
    now = timezone.localtime(now or timezone.now())
    partners = Partner.objects.filter(
        is_active=True, mode=DeliveryMode.DAILY_BATCH, batch_hour__lte=now.hour
    )
    return [
        partner.pk
        for partner in partners
        if Export.objects.filter(
            partner=partner, status=ExportStatus.PENDING, batch__isnull=True
        ).exists()
    ]


def batch_deliver(*, partner_id: int, now: datetime | None = None, base_url: str = "") -> Batch:
    """Gather the partner's pending exports into today's batch and deliver it as one
    archive with one manifest. Idempotent: one batch per partner and day; a batch already
    delivered is returned as it is, and the archive's name is the batch id."""
    from .delivery import deliver_batch

    base_url = base_url or getattr(settings, "CONFIGURATOR_BASE_URL", "")
    day = timezone.localtime(now or timezone.now()).date()
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner_id)
        batch, _ = Batch.objects.get_or_create(partner=partner, day=day)
        if batch.status == ExportStatus.DELIVERED:
            return batch
        Export.objects.filter(
            partner=partner, status=ExportStatus.PENDING, batch__isnull=True
        ).update(batch=batch)
        exports = list(batch.exports.select_related("order", "line", "partner"))
        manifests = [package_build(export, base_url=base_url) for export in exports]
        try:
            outcome = deliver_batch(batch, exports, manifests, base_url)
        except Exception as exc:
            outcome = Outcome("retry", None, f"{exc.__class__.__name__}: {exc}")
        batch.attempts += 1
        if outcome.result == "delivered":
            batch.status = ExportStatus.DELIVERED
            batch.delivered_at = timezone.now()
            batch.exports.update(status=ExportStatus.DELIVERED, delivered_at=batch.delivered_at)
        elif outcome.result == "failed":
            batch.status = ExportStatus.FAILED
        batch.last_error = outcome.detail
        batch.save()
        DeliveryAttempt.objects.create(
            batch=batch,
            outcome=outcome.result,
            status_code=outcome.status_code,
            detail=outcome.detail[:2000],
        )
    return batch
