"""Celery tasks of production export: ids in, idempotent, acknowledged late.

Delivery has a soft and a hard time limit shorter than the export's lease
(``CONFIGURATOR_LEASE_SECONDS``), so an attempt is over before another worker may claim the
row; retries wait with a countdown only while it stays short (see
:func:`configurator.outbox.retry_countdown`), longer waits are the sweeper's.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from configurator import outbox

from .services import batch_deliver, batches_due, export_deliver, exports_stuck

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = settings.CONFIGURATOR_DELIVERY_SOFT_TIME_LIMIT
TIME_LIMIT = settings.CONFIGURATOR_DELIVERY_TIME_LIMIT


@shared_task(
    **outbox.ROW_TASK_OPTIONS,
    autoretry_for=(OperationalError,),
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def deliver_export(self, export_id: str) -> str:
    status, retry_in = export_deliver(export_id=export_id)
    outbox.retry_or_leave(self, retry_in)
    return status


@shared_task(acks_late=True, ignore_result=True)
def resend_stuck_exports() -> int:
    """Beat task: send again the exports whose message was lost or whose worker died."""
    return outbox.resend(deliver_export, exports_stuck(), "production exports")


@shared_task(acks_late=True, ignore_result=True)
def deliver_due_batches() -> int:
    """Beat task (hourly): each daily-batch partner's batch, once its hour has come."""
    due = batches_due()
    for partner_id in due:
        batch_deliver(partner_id=partner_id)
    return len(due)
