"""The Celery application.

With no broker configured (``CELERY_BROKER_URL`` unset) tasks run in-process, eagerly, so a
newcomer's ``manage.py demo`` needs no Redis and no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings.local")

app = Celery("configurator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
