"""The Celery application.

With no broker configured (``CELERY_BROKER_URL`` unset) tasks run in-process, eagerly, so a
newcomer's ``manage.py demo`` needs no Redis and no worker. A task's log lines carry its id
(:mod:`configurator.logcontext`), in a worker and in-process alike, and a worker logs
through Django's ``LOGGING`` (JSON in production) rather than Celery's own handlers.
"""

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun, worker_process_init

from configurator.logcontext import task_ended, task_started

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings.local")

app = Celery("configurator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

task_prerun.connect(task_started, weak=False)
task_postrun.connect(task_ended, weak=False)


@worker_process_init.connect(weak=False)
def _tracing_start(**kwargs: Any) -> None:
    from configurator.telemetry import telemetry_start

    telemetry_start("configurator-worker")  # only when OTEL_* variables ask for it


@setup_logging.connect(weak=False)
def use_django_logging(**kwargs: Any) -> None:
    """Workers and beat log as the web process does: one configuration, ``LOGGING``.

    With a receiver here Celery adds no handler of its own (so no second, differently
    formatted copy of each line); the level is ``DJANGO_LOG_LEVEL``'s, not ``-l``'s.
    """
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
