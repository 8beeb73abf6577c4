"""Celery tasks of personalization."""

from __future__ import annotations

import logging

from celery import shared_task

from .retention import retention_apply

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def apply_retention() -> int:
    """Beat task (nightly): delete purchases older than the shop keeps them; the number of
    purchase events deleted (0 when the shop keeps them for ever)."""
    run = retention_apply()
    return run.events_deleted if run is not None else 0
