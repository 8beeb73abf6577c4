"""Celery tasks of production export: ids in, idempotent, acknowledged late."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import batch_deliver, batches_due, export_deliver, exports_stuck


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=None,
)
def deliver_export(self, export_id: str) -> str:
    status, retry_in = export_deliver(export_id=export_id)
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in, max_retries=None)
    # In-process (no broker) there is no later: the periodic resend takes it from here.
    return status


@shared_task(acks_late=True)
def resend_stuck_exports() -> int:
    """Beat task: re-enqueue exports whose message was lost or whose worker died."""
    ids = exports_stuck()
    for export_id in ids:
        deliver_export.delay(str(export_id))
    return len(ids)


@shared_task(acks_late=True)
def deliver_due_batches() -> int:
    """Beat task (hourly): each daily-batch partner's batch, once its hour has come."""
    due = batches_due()
    for partner_id in due:
        batch_deliver(partner_id=partner_id)
    return len(due)
