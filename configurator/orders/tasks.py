"""Celery tasks of the orders stage: ids in, idempotent, acknowledged late."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from configurator import outbox

from .effects import order_effect_run, order_effects_due

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def run_order_effect(self, effect_id: str) -> str:
    """Do one effect of a placed order (the e-mail, the purchase history), once."""
    status, retry_in = order_effect_run(effect_id=int(effect_id))
    countdown = outbox.retry_countdown(retry_in) if retry_in is not None else None
    if countdown is not None and not self.request.is_eager:
        raise self.retry(countdown=countdown, max_retries=None)
    # In-process, or a long wait: the row's next_attempt_at and the sweeper take it from here.
    return status


@shared_task(acks_late=True)
def resend_stuck_effects() -> int:
    """Beat task: send again the effects whose message was lost."""
    ids = order_effects_due()
    if ids:
        logger.warning("resending %d order effects that were due and not running", len(ids))
    return outbox.enqueue(run_order_effect, ids)
