"""Production export: packages, folder and webhook delivery, retries, signatures, callbacks."""

from __future__ import annotations

import io
import json

import pytest
from django.utils import timezone
from PIL import Image

from configurator.orders.models import OrderStatus
from configurator.production.models import (
    DeliveryAttempt,
    Export,
    ExportStatus,
)
from configurator.production.receiver import Receiver, serve
from configurator.production.services import (
    export_acknowledge,
    export_deliver,
    export_retry,
    order_exports_create,
)
from configurator.production.signing import signed_headers, verify
from configurator.storage import private_storage
from tests.fixtures.orders import place
from tests.fixtures.partners import batch_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path / "production" / "workshop"


def test_order_goes_to_the_workshop_folder_once(version, folder):
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    assert order_exports_create(order_id=order.pk) == [export]  # idempotent
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION
    assert export_deliver(export_id=str(export.pk)) == (ExportStatus.DELIVERED, None)
    assert export_deliver(export_id=str(export.pk)) == (ExportStatus.DELIVERED, None)
    [package] = list(folder.iterdir())
    assert package.name == f"{order.number}-1-{export.pk}"
    assert sorted(p.name for p in package.iterdir()) == [
        "manifest.csv",
        "manifest.json",
        "monogram.pdf",
        "monogram.png",
        "sheet.pdf",
    ]
    manifest = json.loads((package / "manifest.json").read_text())
    assert manifest["idempotency_key"] == str(export.pk)
    assert manifest["quantity"] == 2
    assert [c.get("production_code", c.get("text")) for c in manifest["choices"]] == [
        "",
        "",
        "Ngọc Ánh",
    ]
    assert DeliveryAttempt.objects.filter(export=export).count() == 1


def test_artwork_is_print_ready(version, folder):
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    export_deliver(export_id=str(export.pk))
    with private_storage().open(f"production/{export.pk}/monogram.png", "rb") as f:
        art = Image.open(io.BytesIO(f.read()))
        art.load()
    # The default print area: 80 × 30 mm at 300 DPI.
    assert art.size == (945, 354)
    assert tuple(round(v) for v in art.info["dpi"]) == (300, 300)
    alpha = art.getchannel("A")
    left, _top, right, _bottom = alpha.getbbox()
    assert right - left > 600  # the text fills the width
    assert abs((left + right) / 2 - 945 / 2) < 10  # centred
    with private_storage().open(f"production/{export.pk}/sheet.pdf", "rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(b"/Type /Page ") >= 1
    )
    with private_storage().open(f"production/{export.pk}/monogram.pdf", "rb") as f:
        assert f.read().startswith(b"%PDF")


def test_webhook_500_then_200_delivers_once_after_a_retry(version, webhook_partner):
    partner, receiver = webhook_partner
    receiver.script = [500]
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    assert export.partner == partner
    status, retry_in = export_deliver(export_id=str(export.pk))
    assert status == ExportStatus.PENDING
    assert 2.5 <= retry_in <= 5.0
    assert export_deliver(export_id=str(export.pk)) == (ExportStatus.DELIVERED, None)
    assert receiver.requests == 2
    assert list(receiver.packages) == [str(export.pk)]
    package = receiver.packages[str(export.pk)]
    assert package["order"] == order.number
    assert all(f["url"].startswith("http") for f in package["files"])
    export.refresh_from_db()
    assert export.attempts == 2


def test_webhook_400_fails_without_retrying_and_can_be_retried(
    version, webhook_partner, django_capture_on_commit_callbacks
):
    _partner, receiver = webhook_partner
    receiver.script = [400]
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    assert export_deliver(export_id=str(export.pk)) == (ExportStatus.FAILED, None)
    assert export_deliver(export_id=str(export.pk)) == (ExportStatus.FAILED, None)
    assert receiver.requests == 1
    export.refresh_from_db()
    assert export.last_error.startswith('{"error": "scripted"}')
    with django_capture_on_commit_callbacks(execute=True):
        export_retry(export=export)
    export.refresh_from_db()
    assert export.status == ExportStatus.DELIVERED
    assert list(receiver.packages) == [str(export.pk)]


def test_a_redelivered_package_is_harmless(version, webhook_partner):
    _partner, receiver = webhook_partner
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    export_deliver(export_id=str(export.pk))
    # A worker died after the partner answered but before the commit: it is sent again.
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.PENDING)
    export_deliver(export_id=str(export.pk))
    assert receiver.requests == 2
    assert len(receiver.packages) == 1


def test_signatures(version):
    body = b'{"hello": "world"}'
    headers = {k.lower(): v for k, v in signed_headers("key", "msg-1", body).items()}
    assert verify("key", headers, body)
    assert not verify("other", headers, body)
    assert not verify("key", headers, body + b" ")
    old = {k.lower(): v for k, v in signed_headers("key", "msg-1", body, now=1_000).items()}
    assert not verify("key", old, body)
    receiver = Receiver("key")
    server = serve(receiver)
    import requests

    bad = dict(headers, **{"webhook-signature": "v1,AAAA"})
    response = requests.post(f"http://127.0.0.1:{server.server_port}/", data=body, headers=bad)
    server.shutdown()
    assert response.status_code == 401
    assert receiver.packages == {}


def test_partner_callback_ships_the_order(client, version, webhook_partner):
    partner, _receiver = webhook_partner
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    export_deliver(export_id=str(export.pk))
    body = json.dumps({"export_id": str(export.pk), "status": "shipped"}).encode()
    headers = signed_headers(partner.secret, "cb-1", body)
    wsgi = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    bad = client.post(
        "/production/callback/printer/",
        body,
        content_type="application/json",
        **dict(wsgi, HTTP_WEBHOOK_SIGNATURE="v1,xxxx"),
    )
    assert bad.status_code == 401
    assert bad.json()["code"] == "production.bad_signature"
    ok = client.post("/production/callback/printer/", body, content_type="application/json", **wsgi)
    assert ok.status_code == 200
    export.refresh_from_db()
    order.refresh_from_db()
    assert (export.status, export.partner_status) == (ExportStatus.ACKNOWLEDGED, "shipped")
    assert order.status == OrderStatus.SHIPPED
    with pytest.raises(ValueError):
        export_acknowledge(partner=partner, export_id=str(export.pk), status="lost")


def test_package_file_links_are_signed(client, version, webhook_partner):
    _partner, receiver = webhook_partner
    order = place(version)
    [export] = order_exports_create(order_id=order.pk)
    export_deliver(export_id=str(export.pk))
    url = receiver.packages[str(export.pk)]["files"][0]["url"]
    path = url.split("http://127.0.0.1:8000", 1)[-1]
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    forged = client.get(path.replace("/files/", "/files/x"))
    assert forged.status_code == 403


def test_a_daily_batch_is_one_archive_with_one_manifest(version, folder, tmp_path):
    import zipfile
    from datetime import datetime

    from configurator.production.services import batch_deliver, batches_due

    partner = batch_partner(version.product, tmp_path / "batcher")
    first = place(version, key="b1")
    second = place(version, key="b2", monogram="Minh")
    for order in (first, second):
        order_exports_create(order_id=order.pk)
    evening = timezone.make_aware(datetime(2026, 11, 23, 18, 0))
    morning = timezone.make_aware(datetime(2026, 11, 23, 9, 0))
    assert batches_due(now=morning) == []
    assert batches_due(now=evening) == [partner.pk]
    batch = batch_deliver(partner_id=partner.pk, now=evening)
    assert batch.status == ExportStatus.DELIVERED
    assert set(Export.objects.values_list("status", flat=True)) == {ExportStatus.DELIVERED}
    [archive] = list((tmp_path / "batcher").iterdir())
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = zf.namelist()
    assert manifest["idempotency_key"] == str(batch.id)
    assert sorted(p["order"] for p in manifest["packages"]) == sorted([first.number, second.number])
    assert sum(name.endswith("/sheet.pdf") for name in names) == 2
    again = batch_deliver(partner_id=partner.pk, now=evening)
    assert again.pk == batch.pk
    assert len(list((tmp_path / "batcher").iterdir())) == 1
    assert batches_due(now=evening) == []
