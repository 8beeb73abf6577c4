"""The preference model: which value a shopper most likely wants, and why. Pure Python.

Designed on 600,000 real purchase lines (docs/personalization.md): the score of a candidate
value ``v`` of group ``g`` for shopper ``c`` on product ``p`` blends

- ``same``: how often ``c`` chose ``v`` for ``g`` on ``p``, each purchase decayed with its
  age (half-life about four months);
- ``cross``: ``c``'s share of ``v`` among their ``g`` choices on any product (a shopper who
  keeps buying navy gets navy on a product they never bought);
- ``trend``: ``v``'s share of ``p``'s recent sales (a one-month time constant), the
  product's popularity as it is now.

Weights were tuned on a validation cut before the backtest's cutoff, never on its test
period. Scores are recency weights summed as ``exp((t - epoch) / tau)`` so they can be
updated one purchase at a time and compared at any later time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Params:
    tau_trend_days: float = 30.0
    tau_personal_days: float = 180.0
    same: float = 0.5
    cross: float = 0.2
    popularity: float = 0.0
    trend: float = 1.0


PARAMS = Params()


@dataclass(frozen=True)
class Purchase:
    customer: str
    timestamp: datetime
    order: str
    product: str
    options: Mapping[str, str]


@dataclass(frozen=True)
class Reason:
    code: str  # "same-product", "same-taste", "popular", "default"
    value: str
    chosen: int = 0  # orders in which the shopper chose the value
    orders: int = 0  # of how many recent orders with this group
    share: float = 0.0  # for "same-taste" and "popular"


@dataclass(frozen=True)
class Prediction:
    value: str
    score: float
    reason: Reason
    scores: Mapping[str, float] = field(default_factory=dict)


def _age_days(now: datetime, then: datetime) -> float:
    return (now - then).total_seconds() / 86400.0


def log_weight(when: datetime, tau: float) -> float:
    """The log of a purchase's recency weight ``exp((when - EPOCH) / tau)``, ``tau`` in days."""
    return _age_days(when, EPOCH) / tau


def log_add(a: float, b: float) -> float:
    """``log(exp(a) + exp(b))`` without overflow; ``-inf`` is the log of an empty sum."""
    hi, lo = max(a, b), min(a, b)
    return hi + math.log1p(math.exp(lo - hi)) if lo > -math.inf else hi


class Decayed:
    """A sum of exp(-(now - t) / tau) kept as a log-scale accumulator, updatable in place."""

    __slots__ = ("log_total",)

    def __init__(self) -> None:
        self.log_total = -math.inf

    def add(self, when: datetime, tau: float, amount: float = 1.0) -> None:
        self.log_total = log_add(self.log_total, log_weight(when, tau) + math.log(amount))

    def at(self, now: datetime, tau: float) -> float:
        if self.log_total == -math.inf:
            return 0.0
        return math.exp(min(700.0, self.log_total - _age_days(now, EPOCH) / tau))


class History:
    """Aggregates of purchases, updated one at a time; answers predictions at any time."""

    def __init__(self, params: Params = PARAMS) -> None:
        self.params = params
        self.popularity: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.trend: dict[tuple[str, str], dict[str, Decayed]] = defaultdict(dict)
        self.same: dict[tuple[str, str, str], dict[str, Decayed]] = defaultdict(dict)
        self.cross: dict[tuple[str, str], dict[str, Decayed]] = defaultdict(dict)
        # For reasons: each shopper's orders per (product, group): order -> (time, value).
        self.orders: dict[tuple[str, str, str], dict[str, tuple[datetime, str]]] = defaultdict(dict)

    def candidates(self, product: str, group: str) -> list[str]:
        return sorted(self.popularity.get((product, group), ()))

    def add(self, purchase: Purchase) -> None:
        p = self.params
        c, t, prod = purchase.customer, purchase.timestamp, purchase.product
        for group, value in purchase.options.items():
            if not value:
                continue
            self.popularity[(prod, group)][value] += 1
            self.trend[(prod, group)].setdefault(value, Decayed()).add(t, p.tau_trend_days)
            if c:
                same = self.same[(c, prod, group)]
                same.setdefault(value, Decayed()).add(t, p.tau_personal_days)
                cross = self.cross[(c, group)]
                cross.setdefault(value, Decayed()).add(t, p.tau_personal_days)
                self.orders[(c, prod, group)][purchase.order] = (t, value)

    def extend(self, purchases: Iterable[Purchase]) -> History:
        for purchase in purchases:
            self.add(purchase)
        return self

    def scores(
        self,
        customer: str | None,
        product: str,
        group: str,
        candidates: Iterable[str],
        now: datetime,
    ) -> dict[str, float]:
        p = self.params
        values = sorted(set(candidates))
        pop = self.popularity.get((product, group), Counter())
        pop_total = sum(pop.values()) or 1
        trend_all = {
            v: d.at(now, p.tau_trend_days) for v, d in self.trend.get((product, group), {}).items()
        }
        trend_total = sum(trend_all.values()) or 1.0
        same: dict[str, float] = {}
        cross: dict[str, float] = {}
        cross_total = 1.0
        if customer:
            same = {
                v: d.at(now, p.tau_personal_days)
                for v, d in self.same.get((customer, product, group), {}).items()
            }
            cross = {
                v: d.at(now, p.tau_personal_days)
                for v, d in self.cross.get((customer, group), {}).items()
            }
            cross_total = sum(cross.values()) or 1.0
        return {
            v: p.same * same.get(v, 0.0)
            + p.cross * cross.get(v, 0.0) / cross_total
            + p.popularity * pop[v] / pop_total
            + p.trend * trend_all.get(v, 0.0) / trend_total
            for v in values
        }

    def predict(
        self,
        customer: str | None,
        product: str,
        group: str,
        now: datetime,
        candidates: Iterable[str] | None = None,
    ) -> Prediction | None:
        values = sorted(
            set(candidates if candidates is not None else self.candidates(product, group))
        )
        if not values:
            return None
        scores = self.scores(customer, product, group, values, now)
        pop = self.popularity.get((product, group), Counter())
        # Highest score; ties to the more popular value, then the value code as text.
        best = min(values, key=lambda v: (-scores[v], -pop[v], v))
        reason = self.reason(customer, product, group, best, now)
        return Prediction(best, scores[best], reason, scores)

    def reason(
        self, customer: str | None, product: str, group: str, value: str, now: datetime
    ) -> Reason:
        if customer:
            past = self.orders.get((customer, product, group), {})
            recent = sorted((t, v) for t, v in past.values() if t < now)[-3:]
            chosen = sum(1 for _, v in recent if v == value)
            if chosen:
                return Reason("same-product", value, chosen=chosen, orders=len(recent))
            shares = {
                v: d.at(now, self.params.tau_personal_days)
                for v, d in self.cross.get((customer, group), {}).items()
            }
            total = sum(shares.values())
            if total and shares.get(value, 0.0) / total >= 0.25:
                return Reason("same-taste", value, share=shares[value] / total)
        pop = self.popularity.get((product, group), Counter())
        total = sum(pop.values())
        if total and pop[value]:
            return Reason("popular", value, share=pop[value] / total)
        return Reason("default", value)
