"""Without a broker (the demo), the sweepers run in a thread of the web process."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections

from configurator.orders.tasks import resend_stuck_effects

from .tasks import resend_stuck_exports

logger = logging.getLogger(__name__)


def sweeper_thread_start() -> Any:
    """Without a broker (the demo), run the sweepers in a thread of this process.

    Tasks run in-process there, so a side effect that failed (the mail server was down)
    is retried by this thread instead of a beat; with a broker, beat does it.
    """
    interval = settings.CONFIGURATOR_SWEEP_SECONDS

    def sweep_forever() -> None:
        while True:
            time.sleep(interval)
            try:
                resend_stuck_exports()
                resend_stuck_effects()
            except Exception:
                logger.exception("the in-process sweeper failed; trying again")
            finally:
                close_old_connections()

    thread = threading.Thread(target=sweep_forever, name="outbox-sweeper", daemon=True)
    thread.start()
    return thread
