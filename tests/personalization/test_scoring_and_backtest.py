"""The preference model and the backtest protocol, on purchases built in the test."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from configurator.personalization.backtest import backtest
from configurator.personalization.events import BadLine, EventLine, read_events
from configurator.personalization.scoring import History, Purchase, Reason

T = datetime(2026, 1, 1, tzinfo=UTC)


def buy(customer, days, order, product, **options):
    return Purchase(customer, T + timedelta(days=days), order, product, options)


def test_the_shoppers_own_choices_win_over_popularity_with_a_reason():
    history = History().extend(
        [
            buy("lan", 0, "o1", "TOTE", color="navy"),
            buy("lan", 10, "o2", "TOTE", color="navy"),
            buy("lan", 20, "o3", "TOTE", color="red"),
            *[buy(f"c{i}", 25, f"x{i}", "TOTE", color="black") for i in range(5)],
        ]
    )
    now = T + timedelta(days=30)
    prediction = history.predict("lan", "TOTE", "color", now)
    assert prediction.value == "navy"
    assert prediction.reason == Reason("same-product", "navy", chosen=2, orders=3)
    anonymous = history.predict(None, "TOTE", "color", now)
    assert anonymous.value == "black"
    assert anonymous.reason == Reason("popular", "black", share=5 / 8)


def test_taste_carries_to_a_product_never_bought():
    history = History().extend(
        [
            buy("lan", 0, "o1", "MUG", color="navy"),
            buy("lan", 5, "o2", "SHOE", color="navy"),
            buy("c1", 6, "x1", "TOTE", color="red"),
            buy("c2", 6, "x2", "TOTE", color="navy"),
        ]
    )
    prediction = history.predict("lan", "TOTE", "color", T + timedelta(days=7))
    assert prediction.value == "navy"
    assert prediction.reason.code == "same-taste"


CSV = """customer,timestamp,order,channel,product,option:color,option:size
a,2026-01-01T10:00:00Z,1,web,TOTE,navy,
b,2026-01-02T10:00:00Z,2,web,TOTE,red,
c,2026-01-03T10:00:00Z,3,web,TOTE,red,
a,2026-02-01T10:00:00Z,10,web,TOTE,navy,L
b,2026-02-01T09:00:00Z,11,web,TOTE,navy,
b,2026-02-05T09:00:00Z,12,web,TOTE,red,
"""


def purchases(text):
    return [e.purchase for e in read_events(io.StringIO(text)) if isinstance(e, EventLine)]


def test_backtest_follows_the_protocol():
    out = io.StringIO()
    result = backtest(purchases(CSV), datetime(2026, 2, 1, tzinfo=UTC), predictions=out)
    # Test orders: a's order 10 and b's order 11 (b's earliest at or after the cutoff).
    # Size has no candidate in the history: not scored. Colour is scored twice: a keeps
    # navy (a hit); b chose red before and switches to navy (a miss for every method but
    # none); product popularity says red for both.
    assert (result.rows, result.hits, result.popularity_hits, result.last_hits) == (2, 1, 0, 1)
    assert out.getvalue().splitlines() == [
        "customer,order,product,option,predicted",
        "a,10,TOTE,color,navy",
        "b,11,TOTE,color,red",
    ]


def test_no_event_at_or_after_the_cutoff_leaks():
    cutoff = datetime(2026, 2, 1, tzinfo=UTC)
    base = purchases(CSV)
    # A planted future flood of "navy" for c would change c's prediction if it leaked.
    planted = base + [buy("z", 40 + i, f"f{i}", "TOTE", color="navy") for i in range(50)]
    plain = io.StringIO()
    leaked = io.StringIO()
    backtest(base, cutoff, predictions=plain)
    backtest(planted, cutoff, predictions=leaked)
    assert leaked.getvalue().splitlines()[:3] == plain.getvalue().splitlines()[:3]


def test_bad_lines_are_reported_with_their_numbers():
    text = (
        "customer,timestamp,order,product,option:color\n"
        "a,2026-01-01T10:00:00Z,1,TOTE,navy\n"
        ",2026-01-01T10:00:00Z,2,TOTE,red\n"
        "b,yesterday,3,TOTE,red\n"
    )
    items = list(read_events(io.StringIO(text)))
    assert isinstance(items[0], EventLine)
    assert items[1:] == [
        BadLine(3, "events.E001", "missing customer"),
        BadLine(4, "events.E002", "unreadable time “yesterday”"),
    ]
