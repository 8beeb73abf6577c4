"""A daily batch is gathered and leased in short transactions and sent with none open: a
worker killed mid-upload leaves the batch (its id, its exports) for the next run, which
sends the same archive under the same id; exports that joined later wait for the next one."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from configurator.production.models import (
    Batch,
    DeliveryAttempt,
    Export,
    ExportStatus,
)
from configurator.production.services import (
    batch_deliver,
    batches_due,
    order_exports_create,
)
from tests.fixtures.orders import place
from tests.fixtures.partners import batch_partner

pytestmark = pytest.mark.django_db(transaction=True)

EVENING = datetime(2026, 11, 23, 18, 0)


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from the code's side: nothing after it runs."""


def killed(*args, **kwargs):
    raise WorkerKilled


@pytest.fixture
def partner(version, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    partner = batch_partner(version.product, tmp_path / "batcher")
    for key in ("c1", "c2"):
        order_exports_create(order_id=place(version, key=key).pk)
    return partner


def archives(partner) -> list:
    folder = partner.folder
    from pathlib import Path

    return sorted(Path(folder).iterdir()) if Path(folder).exists() else []


def test_the_archive_is_sent_with_no_transaction_open(partner, monkeypatch):
    from configurator.production import delivery

    send = delivery.deliver_batch
    seen = []

    def watched(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return send(*args, **kwargs)

    monkeypatch.setattr(delivery, "deliver_batch", watched)
    batch = batch_deliver(partner_id=partner.pk, now=timezone.make_aware(EVENING))
    assert seen == [False]
    assert batch.status == ExportStatus.DELIVERED


def test_a_worker_killed_mid_upload_leaves_the_batch_and_the_next_run_sends_it_under_its_id(
    partner, monkeypatch, settings
):
    from configurator.production import delivery

    evening = timezone.make_aware(EVENING)
    send = delivery.deliver_batch

    monkeypatch.setattr(delivery, "deliver_batch", killed)
    with pytest.raises(WorkerKilled):
        batch_deliver(partner_id=partner.pk, now=evening)
    [batch] = Batch.objects.all()  # gathered and kept: the crash did not roll it back
    assert (batch.status, batch.attempts) == (ExportStatus.PENDING, 1)
    assert batch.leased_until is not None
    assert set(Export.objects.values_list("batch", "status")) == {(batch.pk, ExportStatus.PENDING)}
    assert archives(partner) == []

    monkeypatch.setattr(delivery, "deliver_batch", send)
    # While the lease holds, another run does not send it a second time.
    assert batch_deliver(partner_id=partner.pk, now=evening).status == ExportStatus.PENDING
    assert archives(partner) == []
    # Once it has run out the partner is due again, and the same batch goes.
    later = evening + timedelta(seconds=settings.CONFIGURATOR_LEASE_SECONDS + 1)
    assert batches_due(now=later) == [partner.pk]
    sent = batch_deliver(partner_id=partner.pk, now=later)
    assert (sent.pk, sent.status, sent.attempts) == (batch.pk, ExportStatus.DELIVERED, 2)
    [archive] = archives(partner)
    with zipfile.ZipFile(archive) as zf:
        assert json.loads(zf.read("manifest.json"))["batch_id"] == str(batch.pk)
    assert set(Export.objects.values_list("status", flat=True)) == {ExportStatus.DELIVERED}
    assert list(DeliveryAttempt.objects.values_list("batch", "outcome")) == [
        (batch.pk, "delivered")
    ]
    assert batches_due(now=later) == []


def test_a_crashed_batch_of_an_earlier_day_is_sent_before_todays(partner, monkeypatch, version):
    from configurator.production import delivery

    evening = timezone.make_aware(EVENING)
    send = delivery.deliver_batch
    monkeypatch.setattr(
        delivery, "deliver_batch", lambda *a, **k: (_ for _ in ()).throw(WorkerKilled)
    )
    with pytest.raises(WorkerKilled):
        batch_deliver(partner_id=partner.pk, now=evening)
    [yesterday] = Batch.objects.all()
    monkeypatch.setattr(delivery, "deliver_batch", send)
    order_exports_create(order_id=place(version, key="c3").pk)  # the next day's order

    today = batch_deliver(partner_id=partner.pk, now=evening + timedelta(days=1))

    assert today.pk != yesterday.pk
    assert sorted(Batch.objects.values_list("day", "status")) == [
        (yesterday.day, ExportStatus.DELIVERED),
        (today.day, ExportStatus.DELIVERED),
    ]
    assert [b.exports.count() for b in (yesterday, today)] == [2, 1]
    assert len(archives(partner)) == 2


def test_a_day_with_nothing_to_send_makes_no_batch(partner):
    evening = timezone.make_aware(EVENING)
    Export.objects.update(status=ExportStatus.DELIVERED)  # everything went already

    assert batches_due(now=evening) == []
    assert batch_deliver(partner_id=partner.pk, now=evening) is None
    assert Batch.objects.count() == 0
    assert DeliveryAttempt.objects.count() == 0
