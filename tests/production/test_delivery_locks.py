"""A delivery in progress locks its export only: not the partner, not the order.

PostgreSQL only (SQLite has no row locks). A partner that is slow to answer one package must
not hold up the partner's other packages (another worker delivers them meanwhile) nor
checkout (a new order's exports reference the same partner row).
"""

from __future__ import annotations

import copy
import socketserver
import threading
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.db import connection, transaction

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.production.models import Export, ExportStatus, Partner, RoutingRule
from configurator.production.receiver import Receiver
from configurator.production.services import export_deliver
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import place

pytestmark = pytest.mark.django_db(transaction=True)


class SlowReceiver(Receiver):
    """Holds the answer to one package until released; answers the others at once."""

    def __init__(self, secret: str) -> None:
        super().__init__(secret)
        self.hold = ""
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(self, environ: dict, start_response: Any):
        if environ.get("HTTP_WEBHOOK_ID") == self.hold:
            self.holding.set()
            self.release.wait(30)
        return super().__call__(environ, start_response)


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def slow_partner(monkeypatch, django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # Exports are written on commit as usual; their delivery is this test's to start.
    monkeypatch.setattr("configurator.outbox.enqueue", lambda task, ids: 0)
    engine_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version = option_set_import(document=copy.deepcopy(TOTE), publish=True)
    receiver = SlowReceiver("s3cr3t")
    server = make_server("127.0.0.1", 0, receiver, ThreadingServer, Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    partner = Partner.objects.create(
        code="slow",
        name="Nhà in chậm",
        destination="webhook",
        webhook_url=f"http://127.0.0.1:{server.server_port}/",
        secret="s3cr3t",
    )
    RoutingRule.objects.create(partner=partner, product=version.product)
    yield version, receiver
    receiver.release.set()
    server.shutdown()


def test_a_slow_delivery_holds_up_neither_the_partners_other_packages_nor_checkout(
    slow_partner,
):
    version, receiver = slow_partner
    first = Export.objects.get(order=place(version, key="slow-1"))
    second = Export.objects.get(order=place(version, key="slow-2"))
    receiver.hold = str(first.pk)
    outcomes: list[tuple[str, float | None]] = []

    def deliver_first() -> None:
        try:
            outcomes.append(export_deliver(export_id=str(first.pk)))
        finally:
            connection.close()

    worker = threading.Thread(target=deliver_first)
    worker.start()
    try:
        assert receiver.holding.wait(30)  # the first delivery is now at the partner
        # It holds a lease, not a lock: its row can be locked at once by anyone.
        with transaction.atomic():
            leased = Export.objects.select_for_update(nowait=True).get(pk=first.pk)
        assert leased.leased_until is not None
        assert export_deliver(export_id=str(first.pk)) == ("busy", None)
        assert export_deliver(export_id=str(second.pk)) == (ExportStatus.DELIVERED, None)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        try:
            third = place(version, key="slow-3")  # would wait for the partner's row
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        assert Export.objects.filter(order=third, status=ExportStatus.PENDING).count() == 1
    finally:
        receiver.release.set()
        worker.join(30)
    assert outcomes == [(ExportStatus.DELIVERED, None)]
    assert set(receiver.packages) == {str(first.pk), str(second.pk)}
