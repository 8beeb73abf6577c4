"""Work that must never be lost is a database row first and a Celery message second.

The row (an export, an order's side effect) is written in the transaction of the change
that needs it, so both commit together. Sending the message is only a way to do the work
*sooner*: :func:`enqueue_on_commit` sends it after the commit, once, without retrying and
without ever raising. A broker that is down, a worker that dies, a web process killed
between the commit and the send: the row stays due, and the sweeper (a beat task every
``CONFIGURATOR_SWEEP_SECONDS``) sends it again once it has been due for
``CONFIGURATOR_STUCK_AFTER_SECONDS``.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# Options of a task that does one row's work: acknowledged after it ran, given back when
# its worker dies, retried a few times when the database itself is briefly away (the row's
# own retries are its backoff, see retry_or_leave). Its outcome is the row, never a Celery
# result: ignoring results keeps a send from touching the result backend (a Redis result
# backend that is down would hold the send for its own retries, and a checkout with it).
ROW_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "ignore_result": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "max_retries": 5,
}


_broker_down_until = 0.0  # monotonic time before which sends are not even tried
BROKER_PAUSE_SECONDS = 10.0


def enqueue(task: Any, ids: Iterable[Any]) -> int:
    """Send ``task(id)`` for each id, best effort; returns how many were sent.

    No retry (a checkout must not wait for a broker that is down) and no exception: a send
    that fails is logged and left to the sweeper. After a send fails, this process does not
    try again for ``BROKER_PAUSE_SECONDS``: during an outage a checkout pays for one failed
    connection at most, not one per export and effect. In-process (no broker) the task runs
    here, and its failure is logged the same way: the row records what is left to do.
    """
    global _broker_down_until
    eager = bool(task.app.conf.task_always_eager)
    sent = 0
    for item in ids:
        if not eager and time.monotonic() < _broker_down_until:
            logger.info("broker paused: %s for %s left to the sweeper", task.name, item)
            continue
        try:
            task.apply_async(args=(str(item),), retry=False)
        except Exception:
            logger.exception(
                "could not enqueue %s for %s; the sweeper will send it", task.name, item
            )
            if not eager:
                _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        else:
            sent += 1
    return sent


def enqueue_on_commit(task: Any, ids: Iterable[Any]) -> None:
    """:func:`enqueue` once the current transaction commits (at once outside one)."""
    ids = [str(item) for item in ids]
    if ids:
        transaction.on_commit(lambda: enqueue(task, ids))


def stuck_after() -> timedelta:
    """How long a due row may wait for its message before the sweeper sends another."""
    return timedelta(seconds=settings.CONFIGURATOR_STUCK_AFTER_SECONDS)


def lease() -> timedelta:
    """How long a worker holds a claimed row; longer than the task's hard time limit."""
    return timedelta(seconds=settings.CONFIGURATOR_LEASE_SECONDS)


def backoff_seconds(attempts: int, *, first: float = 5.0, ceiling: float = 3600.0) -> float:
    """Exponential backoff with jitter: about 5 s, 10 s, 20 s … capped at ``ceiling``."""
    top = min(ceiling, first * (2 ** max(0, attempts - 1)))
    return random.uniform(top / 2, top)


def retry_countdown(seconds: float) -> float | None:
    """The countdown to give Celery for a retry, or None to leave the wait to the sweeper.

    A message waiting for its countdown is held unacknowledged by a worker (RabbitMQ closes
    a consumer that holds one past its ``consumer_timeout``, 30 minutes by default) or sits
    in Redis's unacked set (redelivered after the ``visibility_timeout``). Longer waits are
    the row's ``next_attempt_at``, which the sweeper honours.
    """
    limit = settings.CONFIGURATOR_RETRY_COUNTDOWN_MAX_SECONDS
    return seconds if seconds <= limit else None


def claim(queryset: Any, pk: Any, *, now: Any) -> tuple[str, Any]:
    """Take a lease on a pending row, in a short transaction of its own.

    Returns ``("claimed", row)`` with ``row.attempts`` counting this attempt (the finishing
    write names it, so a worker whose lease ran out writes nothing), ``("busy", None)``
    when another worker holds the row or its lease, ``("missing", None)``, or
    ``(status, row)`` when the row is no longer pending. No lock is held after it returns:
    the slow part (a partner's HTTP call, an SMTP server) runs outside any transaction.
    """
    with transaction.atomic():
        row = queryset.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
        if row is None:
            exists = queryset.filter(pk=pk).exists()
            return ("busy", None) if exists else ("missing", None)
        if row.status != "pending":
            return row.status, row
        if row.leased_until is not None and row.leased_until > now:
            return "busy", None
        row.attempts += 1
        row.leased_until = now + lease()
        row.save(update_fields=["attempts", "leased_until"])
    return "claimed", row


def finish(queryset: Any, row: Any, **fields: Any) -> bool:
    """Record the outcome of the attempt ``row`` claimed; False when its lease was lost."""
    written = queryset.filter(pk=row.pk, attempts=row.attempts, status="pending").update(
        leased_until=None, **fields
    )
    return bool(written)


def stuck(queryset: Any, *, now: Any) -> Any:
    """Pending rows due for ``stuck_after()`` and not leased (their message was lost)."""
    from django.db.models import Q

    return queryset.filter(status="pending", next_attempt_at__lte=now - stuck_after()).filter(
        Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    )


def due(queryset: Any, *, now: Any, limit: int = 500) -> list[Any]:
    """Ids of the :func:`stuck` rows, oldest first: the sweeper sends them again."""
    return list(
        stuck(queryset, now=now).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )


def retry_or_leave(task: Any, retry_in: float | None) -> None:
    """Raise the task's retry when the wait is short enough for Celery (and a broker runs);
    otherwise the row's ``next_attempt_at`` and the sweeper take it from here."""
    countdown = retry_countdown(retry_in) if retry_in is not None else None
    if countdown is not None and not task.request.is_eager:
        raise task.retry(countdown=countdown, max_retries=None)


def resend(task: Any, ids: list[Any], what: str) -> int:
    """The sweeper's send of rows that were due and not running; returns how many."""
    if ids:
        logger.warning("resending %d %s that were due and not running", len(ids), what)
    return enqueue(task, ids)
