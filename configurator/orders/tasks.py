"""Celery tasks of the orders stage: ids in, idempotent, acknowledged late."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from configurator import outbox

from .effects import order_effect_run, order_effects_due

logger = logging.getLogger(__name__)


@shared_task(
    **outbox.ROW_TASK_OPTIONS,
    autoretry_for=(OperationalError,),
)
def run_order_effect(self, effect_id: str) -> str:
    """Do one effect of a placed order (the e-mail, the purchase history), once."""
    status, retry_in = order_effect_run(effect_id=int(effect_id))
    outbox.retry_or_leave(self, retry_in)
    return status


@shared_task(acks_late=True, ignore_result=True)
def resend_stuck_effects() -> int:
    """Beat task: send again the effects whose message was lost."""
    return outbox.resend(run_order_effect, order_effects_due(), "order effects")
