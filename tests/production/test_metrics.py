"""Prometheus metrics: who may read them, and that the shop's figures count what happened."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import REGISTRY

from configurator.compilation.selectors import engine_cache, engine_for_version
from configurator.production.models import Export, ExportStatus, Partner, RoutingRule
from configurator.production.services import (
    batch_deliver,
    export_deliver,
    order_exports_create,
)
from tests.fixtures.orders import place

pytestmark = pytest.mark.django_db


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client, token: str = "t0ken") -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


@pytest.fixture
def token(settings):
    settings.CONFIGURATOR_METRICS_TOKEN = "t0ken"
    return "t0ken"


def test_metrics_are_not_served_without_the_token(client, token):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="t0ken").status_code == 404


def test_with_no_token_only_a_developers_own_machine_reads_them(client, settings):
    settings.CONFIGURATOR_METRICS_TOKEN = ""
    settings.DEBUG = False
    assert client.get("/metrics").status_code == 404
    settings.DEBUG = True
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_http_metrics_count_requests_per_view(client, token):
    labels = {"status": "200", "view": "studio:home", "method": "GET"}
    before = sample("django_http_responses_total_by_status_view_method_total", **labels)
    assert client.get("/").status_code == 200
    after = sample("django_http_responses_total_by_status_view_method_total", **labels)
    assert after - before == 1.0
    text = scrape(client)
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert "configurator_orders_placed_total" in text
    assert "configurator_exports{state=" in text


def test_an_order_placed_counts_once_and_a_replay_not_at_all(version):
    before = sample("configurator_orders_placed_total")
    place(version, key="m1")
    place(version, key="m1")  # the same idempotency key: the same order, not a new one
    assert sample("configurator_orders_placed_total") - before == 1.0


def test_engine_lookups_tell_hits_from_loads(version):
    engine_cache.clear()
    loads = sample("configurator_engine_lookups_total", result="load")
    hits = sample("configurator_engine_lookups_total", result="hit")
    engine_for_version(version_id=version.pk)
    engine_for_version(version_id=version.pk)
    engine_for_version(version_id=version.pk)
    assert sample("configurator_engine_lookups_total", result="load") - loads == 1.0
    assert sample("configurator_engine_lookups_total", result="hit") - hits == 2.0


def test_a_delivery_is_counted_with_its_latency(version, webhook_partner):
    order = place(version, key="m2")
    [export] = order_exports_create(order_id=order.pk)
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.PENDING, attempts=0)
    delivered = sample("configurator_export_attempts_total", outcome="delivered")
    observed = sample("configurator_export_delivery_seconds_count")
    export_deliver(export_id=str(export.pk))
    assert Export.objects.get(pk=export.pk).status == ExportStatus.DELIVERED
    assert sample("configurator_export_attempts_total", outcome="delivered") - delivered == 1.0
    assert sample("configurator_export_delivery_seconds_count") - observed == 1.0


def test_a_failed_attempt_counts_as_a_retry(version, webhook_partner):
    _partner, receiver = webhook_partner
    receiver.script = [503]
    order = place(version, key="m3")
    [export] = order_exports_create(order_id=order.pk)
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.PENDING, attempts=0)
    retries = sample("configurator_export_attempts_total", outcome="retry")
    status, retry_in = export_deliver(export_id=str(export.pk))
    assert (status, retry_in is not None) == (ExportStatus.PENDING, True)
    assert sample("configurator_export_attempts_total", outcome="retry") - retries == 1.0


def test_the_outbox_gauges_are_the_rows_states(client, token, version, webhook_partner):
    order = place(version, key="m4")
    exports = order_exports_create(order_id=order.pk)
    Export.objects.filter(pk__in=[e.pk for e in exports]).update(
        status=ExportStatus.FAILED, attempts=10
    )
    failed = Export.objects.filter(status=ExportStatus.FAILED).count()
    pending = Export.objects.filter(status=ExportStatus.PENDING, attempts=0).count()
    assert failed >= 1
    assert sample("configurator_exports", state="failed") == float(failed)
    assert sample("configurator_exports", state="pending") == float(pending)
    text = scrape(client)
    assert f'configurator_exports{{state="failed"}} {float(failed)}' in text


def test_a_batch_that_fails_leaves_a_log_line(version, tmp_path, caplog, monkeypatch):
    partner = Partner.objects.create(
        code="batcher", name="Xưởng in lô", mode="daily_batch", folder=str(tmp_path / "b")
    )
    RoutingRule.objects.create(partner=partner, product=version.product)
    order_exports_create(order_id=place(version, key="m5").pk)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("configurator.production.delivery.deliver_batch", broken)
    retries = sample("configurator_export_attempts_total", outcome="retry")
    with caplog.at_level(logging.ERROR, logger="configurator.production.services"):
        batch = batch_deliver(partner_id=partner.pk)
    assert batch.status == ExportStatus.PENDING
    assert batch.last_error == "OSError: disk full"
    [record] = [r for r in caplog.records if "delivery failed" in r.getMessage()]
    assert record.getMessage() == f"batch {batch.pk} (batcher, {batch.day}): delivery failed"
    assert sample("configurator_export_attempts_total", outcome="retry") - retries == 1.0
