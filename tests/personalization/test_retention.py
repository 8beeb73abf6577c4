"""Retention: purchases older than N months go, with what was learnt from them; orders,
consents, product statistics and acceptance records stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from configurator.orders.models import Order, OrderLine
from configurator.personalization.consent import consent_record
from configurator.personalization.events import EventLine
from configurator.personalization.imports import _profile_add, purchase_events_import
from configurator.personalization.models import (
    ConsentRecord,
    ConsentRegime,
    Customer,
    DefaultOutcome,
    ProductValueStat,
    PurchaseEvent,
    RetentionRun,
)
from configurator.personalization.retention import retention_apply, retention_cutoff
from configurator.personalization.scoring import Purchase
from configurator.personalization.tasks import apply_retention
from tests.fixtures.consent import regime_set

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=800)  # older than 24 months
RECENT = NOW - timedelta(days=30)


def buy(customer: str, when: datetime, order: str, color: str) -> Purchase:
    purchase = Purchase(customer, when, order, "TOTE-01", {"color": color})
    purchase_events_import(
        lines=[
            EventLine(
                line=1,
                purchase=purchase,
                channel="store",
                sku="T1",
                quantity=1,
                price="350000",
                currency="VND",
            )
        ]
    )
    return purchase


@pytest.fixture
def shoppers():
    """mai: one old, two recent; binh: only old; chi: only old, with a consent; dung: recent."""
    buy("mai", OLD, "M0", "brown")
    kept = [buy("mai", RECENT, "M1", "navy"), buy("mai", RECENT + timedelta(days=1), "M2", "navy")]
    buy("binh", OLD, "B0", "black")
    buy("chi", OLD, "C0", "black")
    consent_record(
        customer=Customer.objects.get(external_id="chi"),
        purpose="personalization",
        granted=True,
        channel="store",
    )
    buy("dung", RECENT, "D0", "brown")
    return kept


def test_the_cutoff_is_calendar_months_ago():
    assert retention_cutoff(months=24, now=NOW) == datetime(2024, 12, 1, 3, 0, tzinfo=UTC)
    assert retention_cutoff(months=1, now=datetime(2026, 3, 31, tzinfo=UTC)) == datetime(
        2026, 2, 28, tzinfo=UTC
    )


def test_old_purchases_and_what_was_learnt_from_them_are_deleted(shoppers):
    dung_profile = Customer.objects.get(external_id="dung").profile
    stats_before = list(ProductValueStat.objects.order_by("pk").values_list("value", "count"))
    run = retention_apply(now=NOW)
    assert sorted(PurchaseEvent.objects.values_list("customer__external_id", "order")) == [
        ("dung", "D0"),
        ("mai", "M1"),
        ("mai", "M2"),
    ]
    # Mai's profile is what her two recent purchases alone make it: brown is forgotten.
    expected: dict = {}
    for purchase in shoppers:
        _profile_add(expected, purchase)
    assert Customer.objects.get(external_id="mai").profile == expected
    assert "brown" not in str(expected)
    # Binh has nothing left: no row. Chi keeps her row (her consent), with no profile.
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["chi", "dung", "mai"]
    assert Customer.objects.get(external_id="chi").profile == {}
    assert ConsentRecord.objects.filter(customer__external_id="chi").count() == 1
    # Dung and the product's statistics (everyone's counts, no one's history) are untouched.
    assert Customer.objects.get(external_id="dung").profile == dung_profile
    assert (
        list(ProductValueStat.objects.order_by("pk").values_list("value", "count")) == stats_before
    )
    assert (
        run.months,
        run.cutoff,
        run.events_deleted,
        run.profiles_rebuilt,
        run.profiles_cleared,
        run.customers_deleted,
    ) == (24, datetime(2024, 12, 1, 3, 0, tzinfo=UTC), 3, 1, 1, 1)
    assert list(RetentionRun.objects.values_list("pk", flat=True)) == [run.pk]


def test_a_second_run_deletes_nothing_more(shoppers):
    retention_apply(now=NOW)
    run = retention_apply(now=NOW)
    assert (run.events_deleted, run.profiles_rebuilt, run.customers_deleted) == (0, 0, 0)
    assert PurchaseEvent.objects.count() == 3


def test_no_period_keeps_everything_and_records_no_run(shoppers):
    regime_set(ConsentRegime.OPT_IN, retention_months=None)
    assert retention_apply(now=NOW) is None
    assert PurchaseEvent.objects.count() == 6
    assert RetentionRun.objects.count() == 0


def test_a_customer_who_switched_off_keeps_the_switch(shoppers):
    Customer.objects.filter(external_id="binh").update(personalization_enabled=False)
    retention_apply(now=NOW)
    assert list(
        Customer.objects.filter(external_id="binh").values_list(
            "personalization_enabled", "profile"
        )
    ) == [(False, {})]


def test_orders_stay_when_their_purchase_events_go(an):
    """An's two web orders became purchase events; placed long ago, both events go, the
    orders, their lines and their acceptance records stay."""
    Order.objects.filter(owner=an).update(placed_at=OLD)
    PurchaseEvent.objects.filter(customer__user=an).update(timestamp=OLD)
    orders = sorted(Order.objects.values_list("number", "total"))
    lines = OrderLine.objects.count()
    outcomes = DefaultOutcome.objects.count()
    run = retention_apply(now=NOW)
    assert run.events_deleted == 2
    assert not PurchaseEvent.objects.exists()
    assert not Customer.objects.filter(user=an).exists()
    assert sorted(Order.objects.values_list("number", "total")) == orders
    assert len(orders) == 2
    assert OrderLine.objects.count() == lines == 2
    assert DefaultOutcome.objects.count() == outcomes


def test_the_beat_task_runs_nightly_and_returns_the_count(shoppers):
    entry = settings.CELERY_BEAT_SCHEDULE["personalization-retention"]
    assert entry == {
        "task": "configurator.personalization.tasks.apply_retention",
        "schedule": 86400.0,
    }
    assert apply_retention.name == entry["task"]
    assert apply_retention.delay().get() == 3  # eager in tests: "now" is the real time
    assert RetentionRun.objects.get().events_deleted == 3
