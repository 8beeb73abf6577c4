"""The defaults backtest of docs/purchase-events-format.md, on the studio's own model."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from .scoring import PARAMS, History, Params, Purchase


@dataclass
class Result:
    rows: int = 0
    hits: int = 0
    popularity_hits: int = 0
    last_hits: int = 0
    per_group: Counter = field(default_factory=Counter)
    per_group_hits: Counter = field(default_factory=Counter)
    per_group_popularity: Counter = field(default_factory=Counter)
    per_group_last: Counter = field(default_factory=Counter)

    def rate(self, hits: int, rows: int | None = None) -> float:
        rows = self.rows if rows is None else rows
        return hits / rows if rows else 0.0


def backtest(
    purchases: Iterable[Purchase],
    cutoff: datetime,
    predictions: IO[str] | None = None,
    params: Params = PARAMS,
) -> Result:
    """Score the model on each customer's first order at or after ``cutoff``.

    Only purchases strictly before the cutoff feed the model: the history is built from
    them alone before any prediction is made.
    """
    history = History(params)
    future: list[Purchase] = []
    placed: dict[tuple[str, str], datetime] = {}  # (customer, order) -> its first line's time
    for purchase in purchases:
        order = (purchase.customer, purchase.order)
        if order not in placed or purchase.timestamp < placed[order]:
            placed[order] = purchase.timestamp
        if purchase.timestamp < cutoff:
            history.add(purchase)
        else:
            future.append(purchase)
    tests = _first_orders(future, placed, cutoff)
    writer = csv.writer(predictions) if predictions is not None else None
    if writer:
        writer.writerow(["customer", "order", "product", "option", "predicted"])
    made: dict[tuple[str, str, str, str], str] = {}
    result = Result()
    for purchase in tests:
        for group, truth in purchase.options.items():
            candidates = history.candidates(purchase.product, group)
            if len(candidates) < 2:
                continue
            key = (purchase.customer, purchase.order, purchase.product, group)
            if key not in made:
                prediction = history.predict(
                    purchase.customer, purchase.product, group, cutoff, candidates
                )
                assert prediction is not None
                made[key] = prediction.value
                if writer:
                    writer.writerow([*key, prediction.value])
            popular = _popular(history, purchase.product, group)
            last = _last(history, purchase.customer, purchase.product, group) or popular
            result.rows += 1
            result.per_group[group] += 1
            if made[key] == truth:
                result.hits += 1
                result.per_group_hits[group] += 1
            if popular == truth:
                result.popularity_hits += 1
                result.per_group_popularity[group] += 1
            if last == truth:
                result.last_hits += 1
                result.per_group_last[group] += 1
    return result


def _first_orders(
    future: list[Purchase], placed: dict[tuple[str, str], datetime], cutoff: datetime
) -> list[Purchase]:
    """Every line of each customer's first order placed at or after ``cutoff``.

    An order is one unit: its time is its first line's, and all its lines are scored even
    when they carry different times (lines keyed in over several minutes). Ties on time
    go to the smaller order id. An order begun before the cutoff is no test order: its
    earlier lines are history, and scoring the rest would test the model on half an order.
    """
    first: dict[str, tuple[datetime, str]] = {}
    for (customer, order), when in placed.items():
        if when >= cutoff and (customer not in first or (when, order) < first[customer]):
            first[customer] = (when, order)
    return [p for p in future if p.customer in first and p.order == first[p.customer][1]]


def _popular(history: History, product: str, group: str) -> str:
    counts = history.popularity[(product, group)]
    return min(counts, key=lambda v: (-counts[v], v))


def _last(history: History, customer: str, product: str, group: str) -> str | None:
    past = history.orders.get((customer, product, group))
    if not past:
        return None
    return max(past.items(), key=lambda item: (item[1][0], item[0]))[1][1]
