"""Partners' status callbacks under attack, and the sample receiver partners copy."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from configurator.orders.models import OrderStatus
from configurator.production.models import Export, ExportStatus, PartnerCallback
from configurator.production.receiver import Receiver, serve
from configurator.production.services import export_deliver, order_exports_create
from configurator.production.signing import sign, signed_headers, verify
from tests.fixtures.orders import place

pytestmark = pytest.mark.django_db


def wsgi_headers(headers: dict[str, str]) -> dict[str, str]:
    return {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}


def callback(client, partner, body: dict | bytes, message_id: str, **override):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = signed_headers(partner.secret, message_id, raw)
    headers.update(override)
    return client.post(
        f"/production/callback/{partner.code}/",
        raw,
        content_type="application/json",
        **wsgi_headers(headers),
    )


@pytest.fixture
def delivered(version, webhook_partner):
    partner, _receiver = webhook_partner
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    export_deliver(export_id=str(export.pk))
    return partner, export


def test_a_timestamp_must_be_ascii_digits():
    body = b"{}"
    now = int(time.time())
    headers = {
        "webhook-id": "m1",
        "webhook-timestamp": "²",  # str.isdigit() says yes, int() says no
        "webhook-signature": sign("key", "m1", now, body),
    }
    assert verify("key", headers, body) is False
    assert verify("key", dict(headers, **{"webhook-timestamp": "١٢٣"}), body) is False
    assert verify("key", dict(headers, **{"webhook-timestamp": str(now)}), body) is True


def test_a_superscript_timestamp_is_refused_not_a_server_error(client, delivered):
    partner, export = delivered
    body = {"export_id": str(export.pk), "status": "shipped"}

    response = callback(client, partner, body, "cb-1", **{"webhook-timestamp": "²"})

    assert response.status_code == 401
    assert response.json()["code"] == "production.bad_signature"


def test_a_signed_callback_with_a_bad_export_id_is_a_400(client, delivered):
    partner, _export = delivered

    response = callback(client, partner, {"export_id": "not-a-uuid", "status": "shipped"}, "c1")
    nested = callback(client, partner, b"[" * 100_000 + b"]" * 100_000, "c2")

    assert response.status_code == 400
    assert response.json()["code"] == "production.bad_export_id"
    assert response.json()["field"] == "export_id"
    assert nested.status_code == 400
    assert nested.json()["code"] == "production.bad_body"
    assert PartnerCallback.objects.count() == 0


def test_statuses_never_move_backwards_and_a_replay_changes_nothing(client, delivered):
    partner, export = delivered
    received = {"export_id": str(export.pk), "status": "received"}
    shipped = {"export_id": str(export.pk), "status": "shipped"}

    assert callback(client, partner, received, "cb-received").status_code == 200
    assert callback(client, partner, shipped, "cb-shipped").status_code == 200
    # A replay of the earlier signed "received" (fresh signature, same webhook-id) ...
    replay = callback(client, partner, received, "cb-received")
    # ... and a late "received" sent again under a new id.
    late = callback(client, partner, received, "cb-received-again")

    assert (replay.status_code, late.status_code) == (200, 200)
    export.refresh_from_db()
    assert (export.status, export.partner_status) == (ExportStatus.ACKNOWLEDGED, "shipped")
    assert export.order.status == OrderStatus.SHIPPED
    assert list(
        PartnerCallback.objects.order_by("received_at", "pk").values_list("message_id", "status")
    ) == [
        ("cb-received", "received"),
        ("cb-shipped", "shipped"),
        ("cb-received-again", "received"),
    ]


def test_the_receiver_keeps_packages_across_a_restart(tmp_path):
    out = tmp_path / "received"
    body = json.dumps({"order": "A-1"}).encode()
    first = Receiver("key", out)
    server = serve(first)
    url = f"http://127.0.0.1:{server.server_port}/"
    assert requests.post(url, data=body, headers=signed_headers("key", "pkg-1", body)).ok
    server.shutdown()

    again = Receiver("key", out)  # a restart: nothing in memory
    server = serve(again)
    url = f"http://127.0.0.1:{server.server_port}/"
    other = json.dumps({"order": "A-1", "changed": True}).encode()
    response = requests.post(url, data=other, headers=signed_headers("key", "pkg-1", other))
    server.shutdown()

    assert response.json() == {"received": "pkg-1"}
    assert again.packages == {"pkg-1": {"order": "A-1"}}  # kept once, as first received
    assert sorted(p.name for p in out.iterdir()) == ["pkg-1.json"]


def test_the_receiver_serves_requests_in_parallel(tmp_path):
    class Slow(Receiver):
        release = threading.Event()

        def __call__(self, environ, start_response):
            if environ.get("HTTP_WEBHOOK_ID") == "slow":
                self.release.wait(20)
            return super().__call__(environ, start_response)

    receiver = Slow("key", tmp_path)
    server = serve(receiver)
    url = f"http://127.0.0.1:{server.server_port}/"
    body = b'{"n": 1}'
    slow = threading.Thread(
        target=requests.post,
        args=(url,),
        kwargs={"data": body, "headers": signed_headers("key", "slow", body)},
    )
    slow.start()
    try:
        fast = requests.post(url, data=body, headers=signed_headers("key", "fast", body), timeout=5)
        assert fast.json() == {"received": "fast"}
        assert sorted(receiver.packages) == ["fast"]
    finally:
        receiver.release.set()
        slow.join(10)
        server.shutdown()
    assert sorted(receiver.packages) == ["fast", "slow"]


def test_the_receiver_refuses_an_unsafe_webhook_id(tmp_path):
    receiver = Receiver("key", tmp_path)
    server = serve(receiver)
    body = b"{}"
    response = requests.post(
        f"http://127.0.0.1:{server.server_port}/",
        data=body,
        headers=signed_headers("key", "../../etc/x", body),
    )
    server.shutdown()
    assert response.status_code == 400
    assert list(tmp_path.iterdir()) == []


def test_exports_are_not_written_twice_for_an_order(delivered):
    _partner, export = delivered
    assert order_exports_create(order_id=export.order_id) == [export]
    assert Export.objects.count() == 1
