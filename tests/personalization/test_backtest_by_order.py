"""The backtest scores whole orders: an order's lines may carry different minutes."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from configurator.personalization.backtest import backtest
from configurator.personalization.scoring import Purchase

CUTOFF = datetime(2026, 2, 1, tzinfo=UTC)


def line(customer, at, order, product, color):
    return Purchase(customer, at, order, product, {"color": color})


def day(n, minutes=0):
    return datetime(2026, 1, n, 10, tzinfo=UTC) + timedelta(minutes=minutes)


HISTORY = [
    line("a", day(2), "1", "TOTE", "navy"),
    line("a", day(3), "2", "MUG", "red"),
    line("b", day(4), "3", "TOTE", "red"),
    line("b", day(5), "4", "MUG", "white"),
]


def test_every_line_of_the_first_order_after_the_cutoff_is_scored():
    at = CUTOFF + timedelta(hours=10)
    future = [
        # a's first order: three lines keyed in over seven minutes...
        line("a", at, "20", "TOTE", "navy"),
        line("a", at + timedelta(minutes=3), "20", "MUG", "red"),
        # ...with a's next order placed between them: it is no test order.
        line("a", at + timedelta(minutes=5), "21", "TOTE", "red"),
        line("a", at + timedelta(minutes=7), "20", "TOTE", "red"),
    ]
    out = io.StringIO()
    result = backtest([*HISTORY, *future], CUTOFF, predictions=out)
    assert out.getvalue().splitlines() == [
        "customer,order,product,option,predicted",
        "a,20,TOTE,color,navy",
        "a,20,MUG,color,red",
    ]
    # Three rows: TOTE navy (a hit), MUG red (a hit) and TOTE red, a miss: one prediction
    # serves an order's (product, group). Popularity's ties go to the smaller code (navy,
    # red): the same two hits.
    assert (result.rows, result.hits, result.popularity_hits, result.last_hits) == (3, 2, 2, 2)
    assert dict(result.per_group) == {"color": 3}


def test_an_order_begun_before_the_cutoff_is_no_test_order():
    future = [
        # Order 30 began a minute before the cutoff: its first line is history.
        line("b", CUTOFF + timedelta(minutes=1), "30", "TOTE", "navy"),
        line("b", CUTOFF + timedelta(hours=2), "31", "MUG", "red"),
    ]
    out = io.StringIO()
    result = backtest(
        [*HISTORY, line("b", CUTOFF - timedelta(minutes=1), "30", "MUG", "white"), *future],
        CUTOFF,
        predictions=out,
    )
    assert out.getvalue().splitlines() == [
        "customer,order,product,option,predicted",
        "b,31,MUG,color,white",
    ]
    assert (result.rows, result.hits) == (1, 0)
