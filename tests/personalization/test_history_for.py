"""What a page view reads for a shopper's defaults: one product's part of the profile."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from configurator.personalization.events import EventLine
from configurator.personalization.imports import purchase_events_import
from configurator.personalization.models import Customer
from configurator.personalization.scoring import Purchase
from configurator.personalization.selectors import history_for

pytestmark = pytest.mark.django_db


def line(order: str, product: str, day: int, **options: str) -> EventLine:
    when = datetime(2026, 1, day, 10, tzinfo=UTC)
    return EventLine(1, Purchase("lan", when, order, product, options), "store", "", 1, "", "")


def test_history_for_reads_the_products_part_of_the_profile_in_one_query(
    django_assert_num_queries,
):
    purchase_events_import(
        lines=[
            line("S1", "TOTE-01", 1, color="navy"),
            line("S2", "MUG-01", 2, color="red", glaze="matte"),
            line("S3", "TOTE-01", 3, color="black"),
        ]
    )
    lan = Customer.objects.get(external_id="lan")
    with django_assert_num_queries(1):  # the product's statistics; the profile is loaded
        history = history_for(product="TOTE-01", customer=lan)
    assert sorted(history.same) == [("lan", "TOTE-01", "color")]
    assert sorted(history.orders[("lan", "TOTE-01", "color")].items()) == [
        ("S1", (datetime(2026, 1, 1, 10, tzinfo=UTC), "navy")),
        ("S3", (datetime(2026, 1, 3, 10, tzinfo=UTC), "black")),
    ]
    assert sorted(history.cross) == [("lan", "color"), ("lan", "glaze")]  # taste: all products
    assert sorted(history.cross[("lan", "color")]) == ["black", "navy", "red"]
    assert history.predict("lan", "TOTE-01", "color", datetime(2026, 2, 1, tzinfo=UTC)).value == (
        "black"
    )
