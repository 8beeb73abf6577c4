"""Checkout on a bad day, with real processes: PostgreSQL, Redis, a Celery worker and beat.

Each test places orders as the web process does (real commits) while something is broken,
then lets the worker and beat heal it: every export reaches the partner exactly once.
"""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache, engine_for_version
from configurator.designs.shoppers import Shopper
from configurator.orders.models import EffectStatus, Order, OrderEffect
from configurator.orders.services import Shipping, cart_line_add, order_place
from configurator.production.models import Export, ExportStatus, Partner, RoutingRule
from configurator.production.receiver import Receiver, serve
from tests.fixtures.documents import TOTE

from .workers import (
    kill,
    need_postgresql_and_broker,
    process_env,
    redis_start,
    redis_stop,
    redis_up,
    start_beat,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SWEEP, STUCK_AFTER = 1, 2  # seconds: the sweeper's settings for these processes
SHIPPING = Shipping("Khách", "k@example.vn", "0900000000", "1 Phố Huế", "Hà Nội")
SELECTION = {"material": "suede", "color": "black", "monogram": "Lô"}


@pytest.fixture
def shop(tmp_path):
    """A published tote routed to a webhook partner (the sample receiver)."""
    need_postgresql_and_broker()
    from configurator.celery import app

    engine_cache.clear()
    version = option_set_import(document=copy.deepcopy(TOTE), publish=True)
    receiver = Receiver("partner-secret", tmp_path / "received")
    server = serve(receiver)
    partner = Partner.objects.create(
        code="printer",
        name="Nhà in",
        destination="webhook",
        webhook_url=f"http://127.0.0.1:{server.server_port}/",
        secret="partner-secret",
    )
    RoutingRule.objects.create(partner=partner, product=version.product)
    app.conf.task_always_eager = False
    processes = []
    yield version, receiver, processes
    for process in processes:
        kill(process)
    app.conf.task_always_eager = True
    server.shutdown()
    if not redis_up():
        redis_start()


def place(version, count: int, prefix: str) -> list[Order]:
    orders = []
    for i in range(count):
        shopper = Shopper(None, f"{prefix}-{i}")
        cart_line_add(
            shopper=shopper,
            version=version,
            engine=engine_for_version(version_id=version.pk),
            selection=SELECTION,
        )
        order, created = order_place(
            shopper=shopper, shipping=SHIPPING, provider="manual", idempotency_key=f"{prefix}-{i}"
        )
        assert created
        orders.append(order)
    return orders


def env_for(tmp_path, **extra):
    return process_env(
        tmp_path,
        CONFIGURATOR_SWEEP_SECONDS=str(SWEEP),
        CONFIGURATOR_STUCK_AFTER_SECONDS=str(STUCK_AFTER),
        **extra,
    )


def delivered_count() -> int:
    return Export.objects.filter(status=ExportStatus.DELIVERED).count()


def test_broker_down_at_checkout_orders_are_placed_and_delivered_once_it_is_back(shop, tmp_path):
    version, receiver, processes = shop
    redis_stop()
    try:
        orders = place(version, 5, "down")  # each enqueue fails fast and is logged
    finally:
        redis_start()
    assert Order.objects.count() == 5
    assert set(Export.objects.values_list("status", flat=True)) == {ExportStatus.PENDING}

    env = env_for(tmp_path)
    processes.append(start_worker(env, tmp_path / "worker.log"))
    processes.append(start_beat(env, tmp_path, tmp_path / "beat.log"))
    wait_for(lambda: delivered_count() == 5, 60, "exports were not delivered after the outage")

    ids = {str(pk) for pk in Export.objects.filter(order__in=orders).values_list("pk", flat=True)}
    assert set(receiver.packages) == ids
    wait_for(
        lambda: not OrderEffect.objects.exclude(status=EffectStatus.DONE).exists(),
        30,
        "order effects were not done after the outage",
    )


def test_the_sweeper_delivers_within_its_interval_when_the_web_process_died_before_enqueueing(
    shop, tmp_path, monkeypatch
):
    version, receiver, processes = shop
    env = env_for(tmp_path)
    processes.append(start_worker(env, tmp_path / "worker.log"))
    processes.append(start_beat(env, tmp_path, tmp_path / "beat.log"))
    # The commit happens; the process "dies" before sending a single message.
    monkeypatch.setattr("configurator.outbox.enqueue_on_commit", lambda task, ids: None)

    place(version, 3, "died")

    wait_for(lambda: delivered_count() == 3, 60, "the sweeper did not deliver the exports")
    for export in Export.objects.select_related("order"):
        waited = (export.delivered_at - export.order.placed_at).total_seconds()
        # Due at placing; sent once due for STUCK_AFTER, by a sweep every SWEEP seconds.
        assert waited < STUCK_AFTER + SWEEP + 10, waited
    assert len(receiver.packages) == 3


def test_mail_server_down_orders_are_delivered_and_the_email_waits_for_its_retry(shop, tmp_path):
    version, receiver, processes = shop
    env = env_for(
        tmp_path,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT="9",  # nothing listens: the connection is refused
        DJANGO_EMAIL_TIMEOUT="2",
    )
    processes.append(start_worker(env, tmp_path / "worker.log"))
    processes.append(start_beat(env, tmp_path, tmp_path / "beat.log"))

    [order] = place(version, 1, "nomail")

    wait_for(lambda: delivered_count() == 1, 60, "the export was not delivered")
    assert list(receiver.packages) == [str(Export.objects.get().pk)]
    wait_for(
        lambda: OrderEffect.objects.filter(kind="confirmation_email", attempts__gte=1).exists(),
        30,
        "the e-mail was never tried",
    )
    email = OrderEffect.objects.get(kind="confirmation_email")
    assert email.status == EffectStatus.PENDING
    assert "ConnectionRefusedError" in email.last_error
    order.refresh_from_db()
    assert order.status == "in_production"

    # The order's other effects are done by the same worker in their own tasks, whatever
    # the mail server does (in any order: waited for, not assumed done at this instant).
    def done() -> list[str]:
        return sorted(
            OrderEffect.objects.filter(status=EffectStatus.DONE).values_list("kind", flat=True)
        )

    wait_for(lambda: len(done()) >= 2, 30, "the order's other effects were not done")
    assert done() == ["default_outcomes", "purchase_events"]
    email.refresh_from_db()
    assert email.status == EffectStatus.PENDING


def test_a_retry_with_a_long_wait_is_left_to_the_sweeper(settings):
    from configurator import outbox

    settings.CONFIGURATOR_RETRY_COUNTDOWN_MAX_SECONDS = 300
    assert outbox.retry_countdown(120.0) == 120.0
    assert outbox.retry_countdown(301.0) is None
    # Redis gives a taken message back after the visibility timeout: it outlasts any
    # countdown and the delivery's hard time limit.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > 300 + settings.CONFIGURATOR_DELIVERY_TIME_LIMIT
    assert timedelta(seconds=settings.CONFIGURATOR_LEASE_SECONDS) > timedelta(
        seconds=settings.CONFIGURATOR_DELIVERY_TIME_LIMIT
    )
