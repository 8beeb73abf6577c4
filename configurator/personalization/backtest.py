"""The defaults backtest of docs/purchase-events-format.md, on the studio's own model.

The cart protocol (docs/personalization.md): the studio pre-selects when the shopper opens
a product, so the context of a test line may hold only what could be in the cart then. The
lines of an order carry no order of entry (the data keeps one line per product code, sorted
by code), so each order's lines are put in a fixed pseudo-random order (seeded by the order
id) and each line sees the lines before it: ``prefix``, never a line added after it, never
itself. ``leave-one-out`` (every other line of the order, a common but optimistic protocol)
and ``none`` (no context: the model as it was) are there to compare.
"""

from __future__ import annotations

import copy
import csv
import itertools
import math
import random
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import IO, Any

import numpy as np

from .scoring import (
    CONTEXT_SIGNALS,
    NO_CONTEXT,
    PARAMS,
    SIGNALS,
    Context,
    ContextLine,
    History,
    Params,
    Purchase,
)

CART_PROTOCOLS = ("prefix", "leave-one-out", "none")
# The grid searched at the tuning cutoff: the context's weights and recency. The history's
# weights and time constants keep the values chosen when the model was first tuned.
GRID: dict[str, Sequence[float]] = {
    "cart": (0.0, 0.25, 0.5, 1.0),
    "cart_same": (0.0, -0.25, -0.5, -1.0),
    "together": (0.0, 0.25, 0.5, 1.0, 2.0),
    "last": (0.0, 0.1, 0.25),
}


@dataclass
class Result:
    rows: int = 0
    hits: int = 0
    popularity_hits: int = 0
    last_hits: int = 0
    history_hits: int = 0  # the model without the context: the defaults before the cart
    per_group: Counter = field(default_factory=Counter)
    per_group_hits: Counter = field(default_factory=Counter)
    per_group_popularity: Counter = field(default_factory=Counter)
    per_group_last: Counter = field(default_factory=Counter)
    per_group_history: Counter = field(default_factory=Counter)

    def rate(self, hits: int, rows: int | None = None) -> float:
        rows = self.rows if rows is None else rows
        return hits / rows if rows else 0.0


@dataclass(frozen=True)
class _Split:
    history: History
    tests: list[Purchase]  # the test orders' lines, in the file's order


def _split(purchases: Iterable[Purchase], cutoff: datetime, params: Params) -> _Split:
    """The history strictly before ``cutoff`` (built before any prediction is made) and
    each customer's first order at or after it."""
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
    return _Split(history, _first_orders(future, placed, cutoff))


def _entered(lines: list[Purchase]) -> list[Purchase]:
    """An order's lines in a fixed pseudo-random order of entry, seeded by the order."""
    shuffled = list(lines)
    seed = zlib.crc32(f"{lines[0].customer}|{lines[0].order}".encode())
    random.Random(seed).shuffle(shuffled)
    return shuffled


def _contexts(tests: list[Purchase], cart: str) -> Iterator[tuple[Purchase, Context]]:
    """Each test line with what the studio could know when it was configured."""
    if cart == "none":
        yield from ((purchase, NO_CONTEXT) for purchase in tests)
        return
    orders: dict[tuple[str, str], list[Purchase]] = defaultdict(list)
    for purchase in tests:
        orders[(purchase.customer, purchase.order)].append(purchase)
    for lines in orders.values():
        lines = _entered(lines)
        known = [ContextLine(p.product, p.options) for p in lines]
        for i, purchase in enumerate(lines):
            before = known[:i] if cart == "prefix" else known[:i] + known[i + 1 :]
            yield purchase, Context(tuple(before))


def backtest(
    purchases: Iterable[Purchase],
    cutoff: datetime,
    predictions: IO[str] | None = None,
    params: Params = PARAMS,
    cart: str = "none",
) -> Result:
    """Score the model on each customer's first order at or after ``cutoff``.

    Only purchases strictly before the cutoff feed the model: the history is built from
    them alone before any prediction is made. ``cart`` is the context protocol (above);
    with ``none`` one prediction serves an order's (product, group), as before the cart.
    """
    split = _split(purchases, cutoff, params)
    history = split.history
    # The baseline "without the cart" is the defaults as they were before the cart: the
    # history's signals with their first weights, the same for every group (a group's own
    # ``last`` weight is part of the new model, not of the baseline). Same aggregates.
    before = copy.copy(history)
    before.params = _without_context(params)
    writer = csv.writer(predictions) if predictions is not None else None
    if writer:
        writer.writerow(["customer", "order", "product", "option", "predicted"])
    plain: dict[tuple[str, str, str, str], str] = {}  # without context, per (order, product)
    result = Result()
    for purchase, context in _contexts(split.tests, cart):
        for group, truth in purchase.options.items():
            candidates = history.candidates(purchase.product, group)
            if len(candidates) < 2:
                continue
            key = (purchase.customer, purchase.order, purchase.product, group)
            fresh = key not in plain
            if fresh:
                plain[key] = _predict(before, purchase, group, cutoff, candidates, NO_CONTEXT)
            predicted = _predict(history, purchase, group, cutoff, candidates, context)
            if writer and (fresh or cart != "none"):
                writer.writerow([*key, predicted])
            popular = _popular(history, purchase.product, group)
            last = _last(history, purchase.customer, purchase.product, group) or popular
            _count(result, group, truth, predicted, plain[key], popular, last)
    return result


def _predict(
    history: History,
    purchase: Purchase,
    group: str,
    now: datetime,
    candidates: list[str],
    context: Context,
) -> str:
    prediction = history.predict(
        purchase.customer, purchase.product, group, now, candidates, context
    )
    assert prediction is not None
    return prediction.value


def _count(
    result: Result, group: str, truth: str, model: str, plain: str, popular: str, last: str
) -> None:
    result.rows += 1
    result.per_group[group] += 1
    for guess, total, per_group in (
        (model, "hits", result.per_group_hits),
        (plain, "history_hits", result.per_group_history),
        (popular, "popularity_hits", result.per_group_popularity),
        (last, "last_hits", result.per_group_last),
    ):
        if guess == truth:
            setattr(result, total, getattr(result, total) + 1)
            per_group[group] += 1


@dataclass(frozen=True)
class Trial:
    params: Params
    rate: float
    per_group: dict[str, float]
    # Every group at least as good as without the context (the defaults before the cart).
    no_worse: bool = True


def tune(
    purchases: Iterable[Purchase],
    cutoff: datetime,
    params: Params = PARAMS,
    cart: str = "prefix",
    grid: dict[str, Sequence[float]] | None = None,
) -> list[Trial]:
    """Every setting of ``grid`` (over ``params``) scored at ``cutoff``, best first: first
    the settings with no group worse than the model without the context, by overall rate.

    Each test row's signals are computed once (``History.components``, what ``predict``
    weighs); a setting is then one matrix product. Pass only purchases before the figure
    you report: the caller keeps the reported period out of the tuning.
    """
    rows = _Rows.build(purchases, cutoff, params, cart)
    if rows is None:
        return []
    grid = grid or GRID
    params = replace(params, groups={})  # one setting for every group
    before = rows.trial(_without_context(params))
    trials = []
    for setting in itertools.product(*grid.values()):
        found = rows.trial(params.with_weights(dict(zip(grid, setting, strict=True))))
        no_worse = all(found.per_group[g] >= before.per_group[g] for g in rows.names)
        trials.append(replace(found, no_worse=no_worse))
    return sorted(trials, key=lambda t: (not t.no_worse, -t.rate))


@dataclass(frozen=True)
class GroupChoice:
    """The weights chosen for one option group at the tuning cutoff, and the evidence."""

    group: str
    rows: int
    weights: dict[str, float]  # the grid's signals; all 0 when the context is switched off
    rate: float  # the group's rate with ``weights``
    best: dict[str, float]  # the group's best setting on the grid, kept or not
    best_rate: float
    without: float  # the group's rate without the context (the defaults before the cart)
    gained: int  # rows the best setting gets right and the model without the context not
    lost: int  # the reverse
    p_value: float  # one-sided exact sign test (McNemar) of gained against lost


# A group's own setting is kept only when it beats the model without the context at the
# tuning cutoff by more than chance (a one-sided sign test on the rows where they differ).
SIGNIFICANCE = 0.05


def tune_per_group(
    purchases: Iterable[Purchase],
    cutoff: datetime,
    params: Params = PARAMS,
    cart: str = "prefix",
    grid: dict[str, Sequence[float]] | None = None,
    significance: float = SIGNIFICANCE,
) -> tuple[Params, list[GroupChoice]]:
    """``params`` with, for each option group in the data, its own setting of ``grid``
    chosen at ``cutoff``: the group's best (ties to fewer signals switched on, then the
    grid's order), kept only when its gain over the model without the context passes the
    sign test at ``significance``; otherwise every signal of the grid is off for that
    group (the group gets the defaults as they were before the cart).

    Groups are scored one row at a time and independently, so choosing per group is the
    same as choosing the best combination; the test is what keeps a small group (material)
    from taking a setting that won a handful of rows by chance.
    """
    rows = _Rows.build(purchases, cutoff, params, cart)
    if rows is None:
        return params, []
    grid = grid or GRID
    params = replace(params, groups={})  # each group's own setting, from scratch
    base = rows.hits(_without_context(params))
    settings = [dict(zip(grid, s, strict=True)) for s in itertools.product(*grid.values())]
    scored = [(s, rows.hits(params.with_weights(s))) for s in settings]
    choices = []
    for group in rows.names:
        mask = rows.groups == group
        ranked = sorted(
            enumerate(scored),
            key=lambda item: (-int(item[1][1][mask].sum()), _switched_on(item[1][0]), item[0]),
        )
        best, hits = ranked[0][1]
        gained = int((hits & ~base & mask).sum())
        lost = int((~hits & base & mask).sum())
        p_value = _sign_test(gained, lost)
        kept = p_value < significance
        weights = best if kept else dict.fromkeys(grid, 0.0)
        n = int(mask.sum())
        choices.append(
            GroupChoice(
                group=group,
                rows=n,
                weights=weights,
                rate=float((hits if kept else base)[mask].mean()),
                best=best,
                best_rate=float(hits[mask].mean()),
                without=float(base[mask].mean()),
                gained=gained,
                lost=lost,
                p_value=p_value,
            )
        )
    tuned = replace(params, groups={c.group: dict(c.weights) for c in choices})
    return tuned, choices


def _without_context(params: Params) -> Params:
    return replace(params, **dict.fromkeys(CONTEXT_SIGNALS, 0.0), last=0.0, groups={})


def _switched_on(setting: dict[str, float]) -> int:
    return sum(1 for w in setting.values() if w)


def _sign_test(gained: int, lost: int) -> float:
    """P(at least ``gained`` of ``gained + lost`` fair coin tosses): one-sided, exact."""
    n = gained + lost
    if n == 0:
        return 1.0
    return sum(math.comb(n, k) for k in range(gained, n + 1)) / 2**n


@dataclass
class _Rows:
    """Each test row's signals for each candidate, stacked: a setting is one product."""

    matrix: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    truths: np.ndarray
    groups: np.ndarray
    names: list[str]

    @classmethod
    def build(
        cls, purchases: Iterable[Purchase], cutoff: datetime, params: Params, cart: str
    ) -> _Rows | None:
        split = _split(purchases, cutoff, params)
        history = split.history
        blocks: list[np.ndarray] = []
        truths: list[int] = []
        groups: list[str] = []
        for purchase, context in _contexts(split.tests, cart):
            for group, truth in purchase.options.items():
                candidates = history.candidates(purchase.product, group)
                if len(candidates) < 2:
                    continue
                pop = history.popularity[(purchase.product, group)]
                ranked = sorted(candidates, key=lambda v: (-pop[v], v))  # predict's tie order
                parts = history.components(
                    purchase.customer, purchase.product, group, ranked, cutoff, context
                )
                blocks.append(np.array([[parts[s][v] for s in SIGNALS] for v in ranked]))
                truths.append(ranked.index(truth) if truth in ranked else -1)
                groups.append(group)
        if not blocks:
            return None
        sizes = np.array([len(b) for b in blocks])
        return cls(
            matrix=np.vstack(blocks),
            starts=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
            sizes=sizes,
            truths=np.array(truths),
            groups=np.array(groups),
            names=sorted(set(groups)),
        )

    def hits(self, params: Params) -> np.ndarray:
        """Whether each row's prediction under ``params`` is its truth."""
        weights = np.array([[params.weight(s, g) for s in SIGNALS] for g in self.groups.tolist()])
        scores = (self.matrix * np.repeat(weights, self.sizes, axis=0)).sum(axis=1)
        return _hits(scores, self.starts, self.sizes, self.truths)

    def trial(self, params: Params) -> Trial:
        hits = self.hits(params)
        per_group = {g: float(hits[self.groups == g].mean()) for g in self.names}
        return Trial(params, float(hits.mean()), per_group)


def _hits(scores: np.ndarray, starts: np.ndarray, sizes: np.ndarray, truths: Any) -> np.ndarray:
    """Whether each row's first highest-scoring candidate is its truth."""
    best = np.maximum.reduceat(scores, starts)
    at_best = np.flatnonzero(scores >= np.repeat(best, sizes) - 1e-12)
    first = at_best[np.searchsorted(at_best, starts)]
    return first - starts == truths


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
