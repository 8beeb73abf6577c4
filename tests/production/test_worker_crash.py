"""Orders reach the partner once even when the worker is killed and Redis restarts.

A real broker (Redis), real worker processes and PostgreSQL (the worker must see the test
database): the CI setup. 200 orders are placed; the worker is killed with SIGKILL in the
middle; Redis is restarted (it keeps nothing on disk here, so every queued message is
lost); the outbox's periodic resend and a new worker finish the job. Every order line then
sits once at the webhook receiver (by idempotency key) and once in the partner's folder.
"""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache, engine_for_version
from configurator.designs.shoppers import Shopper
from configurator.orders.services import Shipping, cart_line_add, order_place
from configurator.production.models import Export, ExportStatus, Partner, RoutingRule
from configurator.production.receiver import Receiver, serve
from tests.api.test_evaluate import TOTE

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ORDERS = 200
ROOT = Path(__file__).resolve().parents[2]
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "configurator",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def wait_for(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(message)


def test_no_order_is_lost_or_sent_twice(tmp_path, django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL:
        pytest.skip("needs PostgreSQL and a Redis broker (CI)")
    from configurator.celery import app
    from configurator.production.tasks import resend_stuck_exports  # noqa: F401

    engine_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tote = option_set_import(document=copy.deepcopy(TOTE), publish=True)
        mug_doc = copy.deepcopy(TOTE)
        mug_doc["product"]["sku"] = "MUG-T"
        mug = option_set_import(document=mug_doc, publish=True)
    receiver = Receiver("partner-secret")
    server = serve(receiver)
    webhook = Partner.objects.create(
        code="printer",
        name="Nhà in",
        destination="webhook",
        webhook_url=f"http://127.0.0.1:{server.server_port}/",
        secret="partner-secret",
    )
    workshop = Partner.objects.create(
        code="folder", name="Xưởng", destination="folder", folder=str(tmp_path / "folder")
    )
    RoutingRule.objects.create(partner=webhook, product=tote.product)
    RoutingRule.objects.create(partner=workshop, product=mug.product)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "configurator.settings.local",
        "DATABASE_URL": f"postgres://{settings.DATABASES['default']['USER'] or 'postgres'}"
        f"@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    app.conf.task_always_eager = False
    worker = start_worker(env)
    try:
        selection = {"material": "suede", "color": "black", "monogram": "Lô"}
        for i in range(ORDERS):
            version = tote if i % 2 else mug
            shopper = Shopper(None, f"s{i}")
            cart_line_add(
                shopper=shopper,
                version=version,
                engine=engine_for_version(version_id=version.pk),
                selection=selection,
            )
            with django_capture_on_commit_callbacks(execute=True):
                order_place(
                    shopper=shopper,
                    idempotency_key=f"crash-{i}",
                    provider="manual",
                    shipping=Shipping("Khách", "k@example.vn", "0900000000", "1 Phố", "Hà Nội"),
                )
        wait_for(
            lambda: Export.objects.filter(status=ExportStatus.DELIVERED).count() >= 20,
            120,
            "the first worker delivered nothing",
        )
        kill(worker)  # mid-batch, with tasks reserved and some half done
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)
        time.sleep(1)
        subprocess.run(REDIS_START, check=True)
        wait_for(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True
                ).returncode
                == 0
            ),
            30,
            "Redis did not come back",
        )
        worker = start_worker(env)
        # The beat's resend: every pending export whose next attempt is due, now.
        from configurator.production.services import exports_stuck
        from configurator.production.tasks import deliver_export

        for export_id in exports_stuck(older_than=timedelta(0)):
            deliver_export.delay(str(export_id))
        wait_for(
            lambda: Export.objects.filter(status=ExportStatus.DELIVERED).count() == ORDERS,
            240,
            "some exports were never delivered",
        )
    finally:
        kill(worker)
        app.conf.task_always_eager = True
        server.shutdown()
    webhook_ids = {
        str(e) for e in Export.objects.filter(partner=webhook).values_list("pk", flat=True)
    }
    assert set(receiver.packages) == webhook_ids
    assert len(webhook_ids) == ORDERS // 2
    folders = sorted(p.name for p in (tmp_path / "folder").iterdir() if not p.name.startswith("."))
    folder_ids = {
        str(e) for e in Export.objects.filter(partner=workshop).values_list("pk", flat=True)
    }
    assert len(folders) == ORDERS // 2
    assert {name.rsplit("-", 5)[-5:] and name[-36:] for name in folders} == folder_ids
