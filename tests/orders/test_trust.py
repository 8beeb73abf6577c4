"""Checkout on a bad day: the order, its exports and its effects commit together, and
nothing that happens after the commit (mail server, broker, a dead process) changes the
answer or loses work. Real commits (transactional tests), so on_commit hooks run as in
production."""

from __future__ import annotations

import copy
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown
from rest_framework.test import APIClient

from catalog.services import option_set_import
from configurator.compilation.models import CompiledOptionSet
from configurator.compilation.selectors import engine_cache
from configurator.orders import effects
from configurator.orders.models import CartLine, EffectStatus, Order, OrderEffect
from configurator.orders.payments import PaymentStart, _providers
from configurator.orders.tasks import resend_stuck_effects
from configurator.production.models import Export, ExportStatus
from configurator.production.services import exports_stuck
from configurator.production.tasks import resend_stuck_exports
from tests.fixtures.documents import TOTE
from tests.fixtures.orders import SHIPPING

pytestmark = pytest.mark.django_db(transaction=True)

SELECTION = {"material": "suede", "color": "black", "monogram": "Lan"}
EFFECT_KINDS = ["confirmation_email", "default_outcomes", "purchase_events"]


@pytest.fixture
def tote(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the default partner's folder
    engine_cache.clear()
    return option_set_import(document=copy.deepcopy(TOTE), publish=True)


@pytest.fixture
def client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="vi")


def add_to_cart(client: APIClient, product: str = "TOTE-01") -> None:
    response = client.post(
        "/api/v1/cart/lines/", {"product": product, "selection": SELECTION}, format="json"
    )
    assert response.status_code == 201, response.json()


def checkout(client: APIClient, key: str = "key-1", **overrides):
    return client.post(
        "/api/v1/orders/", {**SHIPPING, "idempotency_key": key, **overrides}, format="json"
    )


def later(seconds: float = 3600):
    return timezone.now() + timedelta(seconds=seconds)


def test_mail_server_down_at_checkout_places_the_order_and_delivers_its_exports(
    tote, client, settings
):
    # Real SMTP to a port where nothing listens: the send raises ConnectionRefusedError.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    add_to_cart(client)

    response = checkout(client)

    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json()["number"] == order.number
    [export] = Export.objects.filter(order=order)
    assert export.status == ExportStatus.DELIVERED  # in-process tasks: delivered at once
    email = OrderEffect.objects.get(order=order, kind="confirmation_email")
    assert (email.status, email.attempts) == (EffectStatus.PENDING, 1)
    assert email.last_error.startswith("ConnectionRefusedError")
    assert email.next_attempt_at > timezone.now()
    assert sorted(
        OrderEffect.objects.filter(order=order, status=EffectStatus.DONE).values_list(
            "kind", flat=True
        )
    ) == ["default_outcomes", "purchase_events"]
    # A retry of the same request names the same order and writes nothing more.
    again = checkout(client)
    assert (again.status_code, again.json()["number"]) == (200, order.number)
    assert (Order.objects.count(), Export.objects.count(), OrderEffect.objects.count()) == (1, 1, 3)

    # The mail server is back: the sweeper sends the e-mail once it is due.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert effects.order_effects_due() == []  # not due yet: its backoff is running
    assert effects.order_effects_due(now=later()) == [email.pk]
    assert effects.order_effect_run(effect_id=email.pk) == (EffectStatus.DONE, None)
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    assert order.number in mail.outbox[0].subject
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EffectStatus.DONE, 2, "")


def test_an_effect_that_keeps_failing_is_marked_failed_and_never_touches_the_order(
    tote, client, settings
):
    settings.CONFIGURATOR_EFFECT_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    add_to_cart(client)
    assert checkout(client).status_code == 201
    email = OrderEffect.objects.get(kind="confirmation_email")

    assert effects.order_effect_run(effect_id=email.pk, now=later()) == (EffectStatus.FAILED, None)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EffectStatus.FAILED, 2)
    assert effects.order_effects_due(now=later(7200)) == []
    order = Order.objects.get()
    assert order.status == "in_production"
    assert Export.objects.get().status == ExportStatus.DELIVERED


def test_a_broker_outage_never_fails_checkout(tote, client, monkeypatch, caplog):
    from configurator.orders.tasks import run_order_effect
    from configurator.production.tasks import deliver_export

    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_export, "apply_async", broker_down)
    monkeypatch.setattr(run_order_effect, "apply_async", broker_down)
    add_to_cart(client)

    response = checkout(client)

    assert response.status_code == 201
    order = Order.objects.get()
    [export] = Export.objects.filter(order=order)
    assert export.status == ExportStatus.PENDING
    assert sorted(OrderEffect.objects.values_list("kind", "status")) == [
        (kind, "pending") for kind in EFFECT_KINDS
    ]
    assert "could not enqueue" in caplog.text
    # The broker is back: the sweeper finds every row and delivers it.
    monkeypatch.undo()
    assert exports_stuck(now=later(60)) == [export.pk]
    due = effects.order_effects_due(now=later(60))
    assert sorted(OrderEffect.objects.filter(pk__in=due).values_list("kind", flat=True)) == (
        EFFECT_KINDS
    )
    monkeypatch.setattr("configurator.outbox.stuck_after", lambda: timedelta(0))
    assert resend_stuck_exports() == 1
    assert resend_stuck_effects() == 3
    export.refresh_from_db()
    assert export.status == ExportStatus.DELIVERED
    assert set(OrderEffect.objects.values_list("status", flat=True)) == {"done"}
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]


def test_order_and_outbox_commit_together_when_the_process_dies_after_the_commit(
    tote, client, monkeypatch, settings
):
    # The web process dies between the commit and the enqueue: nothing is ever sent.
    monkeypatch.setattr("configurator.outbox.enqueue", lambda task, ids: 0)
    add_to_cart(client)

    assert checkout(client).status_code == 201

    [export] = Export.objects.all()
    assert export.status == ExportStatus.PENDING
    assert OrderEffect.objects.filter(status="pending").count() == 3
    monkeypatch.undo()
    # Not before the rows have been due for CONFIGURATOR_STUCK_AFTER_SECONDS.
    assert exports_stuck() == []
    assert exports_stuck(now=later(settings.CONFIGURATOR_STUCK_AFTER_SECONDS + 1)) == [export.pk]
    monkeypatch.setattr("configurator.outbox.stuck_after", lambda: timedelta(0))
    resend_stuck_exports()
    resend_stuck_effects()
    export.refresh_from_db()
    assert export.status == ExportStatus.DELIVERED
    assert set(OrderEffect.objects.values_list("status", flat=True)) == {"done"}


def test_an_order_is_not_placed_when_its_exports_cannot_be_written(tote, client, monkeypatch):
    def broken(order_id):
        raise RuntimeError("routing table unreadable")

    monkeypatch.setattr("configurator.orders.services.order_placed_listeners", lambda: (broken,))
    add_to_cart(client)

    with pytest.raises(RuntimeError):
        checkout(client)

    assert (Order.objects.count(), Export.objects.count(), OrderEffect.objects.count()) == (0, 0, 0)
    assert CartLine.objects.count() == 1  # the cart is intact for the next try


class CountingProvider:
    code = "redirect"
    name = {"vi": "Cổng thanh toán", "en": "Payment gateway"}

    def __init__(self) -> None:
        self.started = 0

    def start(self, order):
        self.started += 1
        return PaymentStart(
            status="pending", redirect_url=f"https://pay.example/{order.number}/{self.started}"
        )


def test_payment_is_started_once_and_kept_on_the_order(tote, client):
    provider = CountingProvider()
    _providers[provider.code] = provider
    try:
        add_to_cart(client)
        response = checkout(client, payment="redirect")
        assert response.status_code == 201
        number = response.json()["number"]
        for _ in range(3):
            page = client.get(f"/orders/{number}/")
            assert page.status_code == 200
            assert f"https://pay.example/{number}/1".encode() in page.content
    finally:
        del _providers[provider.code]
    assert provider.started == 1
    order = Order.objects.get()
    assert order.payment_redirect_url == f"https://pay.example/{number}/1"
    assert order.payment_started_at is not None


def test_a_failed_payment_start_leaves_the_order_and_is_started_on_the_next_view(tote, client):
    provider = CountingProvider()
    calls = []

    def flaky(order):
        calls.append(order.number)
        if len(calls) == 1:
            raise ConnectionError("gateway down")
        return CountingProvider.start(provider, order)

    provider.start = flaky  # type: ignore[method-assign]
    _providers[provider.code] = provider
    try:
        add_to_cart(client)
        response = checkout(client, payment="redirect")
        assert response.status_code == 201
        number = response.json()["number"]
        assert Order.objects.get().payment_started_at is None
        client.get(f"/orders/{number}/")
        client.get(f"/orders/{number}/")
    finally:
        del _providers[provider.code]
    assert len(calls) == 2
    assert Order.objects.get().payment_redirect_url == f"https://pay.example/{number}/1"


def test_a_cart_holds_one_currency(tote, client):
    usd = copy.deepcopy(TOTE)
    usd["product"].update({"sku": "TOTE-USD", "currency": "USD"})
    option_set_import(document=usd, publish=True)
    add_to_cart(client)

    response = client.post(
        "/api/v1/cart/lines/", {"product": "TOTE-USD", "selection": SELECTION}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "cart.E001"
    assert response.json()["field"] == "product"
    assert list(CartLine.objects.values_list("product__sku", flat=True)) == ["TOTE-01"]


def test_checkout_refuses_a_cart_that_mixes_currencies(tote, client):
    usd = copy.deepcopy(TOTE)
    usd["product"].update({"sku": "TOTE-USD", "currency": "USD"})
    usd_version = option_set_import(document=usd, publish=True)
    add_to_cart(client)
    line = CartLine.objects.get()  # a line added before carts kept to one currency
    CartLine.objects.create(
        cart=line.cart,
        product=usd_version.product,
        version=usd_version,
        selection=line.selection,
        unit_price=line.unit_price,
    )

    response = checkout(client)

    assert response.status_code == 409
    assert response.json()["code"] == "checkout.E007"
    assert Order.objects.count() == 0
    assert CartLine.objects.count() == 2


def test_the_same_key_with_other_details_is_refused(tote, client):
    add_to_cart(client)
    first = checkout(client)
    assert first.status_code == 201

    response = checkout(client, address="99 Hàng Bài")

    assert response.status_code == 409
    assert response.json()["code"] == "checkout.E006"
    assert response.json()["field"] == "idempotency_key"
    assert first.json()["number"] in response.json()["detail"]
    assert Order.objects.count() == 1
    assert Order.objects.get().address == SHIPPING["address"]


def test_parallel_checkouts_with_one_key_all_name_the_one_order(tote, client):
    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL (SQLite in tests is in memory)")
    add_to_cart(client)
    session = client.cookies["sessionid"].value
    answers: list[tuple[int, dict]] = []
    barrier = threading.Barrier(20)

    def one() -> None:
        own = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
        own.cookies["sessionid"] = session
        barrier.wait()
        response = checkout(own, key="same-key")
        answers.append((response.status_code, response.json()))
        connection.close()

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    order = Order.objects.get()
    assert sorted(status for status, _ in answers) == [200] * 19 + [201]
    assert {body["number"] for _, body in answers} == {order.number}
    assert Export.objects.count() == 1


def test_web_requests_never_wait_for_a_compile(tote, client, monkeypatch):
    add_to_cart(client)
    CompiledOptionSet.objects.all().delete()  # as if the compile task had not run yet
    engine_cache.clear()
    from configurator.configuring import selectors

    selectors._engines.clear()
    selectors._latest.clear()

    def no_sleep(seconds):
        raise AssertionError("a web request waited for a compile")

    monkeypatch.setattr("configurator.compilation.selectors.time.sleep", no_sleep)

    evaluate = client.post("/api/v1/products/TOTE-01/evaluate/", {"selection": {}}, format="json")
    assert evaluate.status_code == 503
    assert evaluate.json()["code"] == "product.compiling"
    assert evaluate["Retry-After"] == "10"
    page = client.get("/studio/TOTE-01/")
    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    response = checkout(client)
    assert response.status_code == 503
    assert response.json()["code"] == "checkout.E008"
    assert response["Retry-After"] == "10"
    assert Order.objects.count() == 0
    assert CartLine.objects.count() == 1


def test_the_studio_keeps_a_bounded_number_of_engines(tote, settings):
    from configurator.configuring import selectors

    settings.CONFIGURATOR_ENGINE_CACHE_SIZE = 2
    selectors._engines.clear()
    for key in range(5):
        selectors._engines.put(key, object(), 60)
    assert len(selectors._engines) == 2
    assert selectors._engines.get(0) is None
    assert selectors._engines.get(4) is not None


def test_delivery_holds_no_transaction_and_no_lock_during_the_partner_call(
    tote, client, monkeypatch
):
    seen = []

    def deliver(export, manifest, base_url):
        from configurator.production.delivery import Outcome

        row = Export.objects.get(pk=export.pk)
        seen.append((connection.in_atomic_block, row.leased_until is not None, row.attempts))
        return Outcome("delivered")

    monkeypatch.setattr("configurator.production.services.deliver", deliver)
    add_to_cart(client)
    assert checkout(client).status_code == 201

    assert seen == [(False, True, 1)]
    export = Export.objects.get()
    assert (export.status, export.leased_until) == (ExportStatus.DELIVERED, None)


def test_a_leased_export_is_left_alone_until_its_lease_runs_out(
    tote, client, monkeypatch, settings
):
    from configurator import outbox
    from configurator.production.services import export_deliver

    monkeypatch.setattr("configurator.outbox.enqueue", lambda task, ids: 0)
    add_to_cart(client)
    assert checkout(client).status_code == 201
    export = Export.objects.get()
    now = timezone.now()
    state, claimed = outbox.claim(Export.objects.all(), export.pk, now=now)  # a worker, then dies
    assert state == "claimed"

    lease = settings.CONFIGURATOR_LEASE_SECONDS
    assert lease > settings.CONFIGURATOR_STUCK_AFTER_SECONDS
    assert export_deliver(export_id=str(export.pk), now=now) == ("busy", None)
    assert exports_stuck(now=now + timedelta(seconds=lease - 1)) == []
    assert exports_stuck(now=now + timedelta(seconds=lease + 1)) == [export.pk]
    status, _ = export_deliver(export_id=str(export.pk), now=now + timedelta(seconds=lease + 1))
    assert status == ExportStatus.DELIVERED
    # The first worker wakes up: its lease is gone, it writes nothing.
    assert outbox.finish(Export.objects.all(), claimed, status="failed") is False
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ExportStatus.DELIVERED, 2)


def test_effects_rows_exist_before_the_commit_hooks_run(tote, client):
    add_to_cart(client)
    with transaction.atomic():
        pass  # the cart is committed
    kinds_at_commit = []

    def spy(task, ids):
        kinds_at_commit.append(sorted(OrderEffect.objects.values_list("kind", flat=True)))
        return 0

    from unittest import mock

    with mock.patch("configurator.outbox.enqueue", spy):
        assert checkout(client).status_code == 201
    assert kinds_at_commit[0] == EFFECT_KINDS


def test_a_merchant_tries_a_failed_follow_up_again_from_the_admin(tote, client, settings):
    from django.contrib.auth import get_user_model

    settings.CONFIGURATOR_EFFECT_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    add_to_cart(client)
    assert checkout(client).status_code == 201
    email = OrderEffect.objects.get(kind="confirmation_email")
    assert email.status == EffectStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = get_user_model().objects.create_superuser("boss", "boss@example.vn", "pw-123456")
    merchant = APIClient()
    merchant.force_login(admin)
    listing = merchant.get("/admin/orders/ordereffect/")
    assert listing.status_code == 200
    assert "Thư xác nhận đơn hàng".encode() in listing.content  # the kind, in the merchant's words

    response = merchant.post(
        "/admin/orders/ordereffect/",
        {"action": "try_again", "_selected_action": [email.pk]},
    )

    assert response.status_code == 302
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EffectStatus.DONE, 1)
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
