"""The preference model: which value a shopper most likely wants, and why. Pure Python.

Designed on 600,000 real purchase lines (docs/personalization.md): the score of a candidate
value ``v`` of group ``g`` for shopper ``c`` on product ``p`` blends

- ``same``: how often ``c`` chose ``v`` for ``g`` on ``p``, each purchase decayed with its
  age (half-life about four months);
- ``cross``: ``c``'s share of ``v`` among their ``g`` choices on any product (a shopper who
  keeps buying navy gets navy on a product they never bought);
- ``trend``: ``v``'s share of ``p``'s recent sales (a one-month time constant), the
  product's popularity as it is now;

and, from what the studio knows at the moment it pre-selects (the shopper's cart and saved
designs, a :class:`Context`):

- ``cart``: ``v``'s share of ``g``'s values among the context's lines of other products
  (three Retrospot items in the cart make Retrospot likely);
- ``cart_same``: ``v``'s share among the context's lines of ``p`` itself, with a negative
  weight: a shopper who opens a product already in the cart is making another variant
  (the same one again would be a quantity);
- ``together``: how often ``p``'s buyers chose ``v`` with the values of the other groups
  in the context (colour given design: Retrospot in the cart, and Retrospot on this
  product usually comes in red);
- ``last``: ``v`` was the shopper's value in their last order of ``p`` (recency beyond the
  decay; tried, weight 0 on validation).

Weights were tuned on a validation cut before the backtest's cutoff, never on its test
period. Scores are recency weights summed as ``exp((t - epoch) / tau)`` so they can be
updated one purchase at a time and compared at any later time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Params:
    tau_trend_days: float = 30.0
    tau_personal_days: float = 180.0
    same: float = 0.5
    cross: float = 0.2
    popularity: float = 0.0
    trend: float = 1.0
    # Chosen on the grid at the tuning cutoff 2011-03-01 (docs/personalization.md).
    cart: float = 0.5
    cart_same: float = -0.5
    together: float = 0.25
    last: float = 0.0
    # Per option group (by code), weights that replace the ones above for that group:
    # chosen per group at the tuning cutoff (docs/personalization.md, "per group").
    groups: Mapping[str, Mapping[str, float]] = field(default_factory=dict, hash=False)

    def with_weights(self, weights: Mapping[str, float]) -> Params:
        """These parameters with the shared weights in ``weights`` replaced."""
        return replace(self, **cast(dict[str, Any], weights))

    def weight(self, signal: str, group: str) -> float:
        """The weight of ``signal`` for option group ``group``."""
        override = self.groups.get(group)
        if override is not None and signal in override:
            return override[signal]
        return float(getattr(self, signal))


SIGNALS = ("same", "cross", "popularity", "trend", "cart", "cart_same", "together", "last")
# Signals from the context rather than the purchase history.
CONTEXT_SIGNALS = frozenset({"cart", "cart_same", "together"})


# Each option group's own weights (by group code), chosen per group at the tuning cutoff
# 2011-03-01 (``backtest_defaults --tune --per-group``, docs/personalization.md); a group
# without an entry (another shop's) takes the shared weights above. Material keeps its
# cart's share but not the in-cart penalty (lines of one order usually share a material).
GROUP_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "color": {"cart": 0.25, "cart_same": -1.0, "together": 0.25, "last": 0.0},
    "design": {"cart": 1.0, "cart_same": -1.0, "together": 0.0, "last": 0.0},
    "material": {"cart": 1.0, "cart_same": 0.0, "together": 0.25, "last": 0.25},
    "size": {"cart": 0.0, "cart_same": -1.0, "together": 0.5, "last": 0.0},
}

PARAMS = Params(groups=GROUP_WEIGHTS)


@dataclass(frozen=True)
class Purchase:
    customer: str
    timestamp: datetime
    order: str
    product: str
    options: Mapping[str, str]


@dataclass(frozen=True)
class ContextLine:
    """A line the studio knows of when it pre-selects: in the cart, or a saved design."""

    product: str
    options: Mapping[str, str]
    saved: bool = False  # a saved design, not a cart line


@dataclass(frozen=True)
class Context:
    lines: tuple[ContextLine, ...] = ()


NO_CONTEXT = Context()


@dataclass(frozen=True)
class Reason:
    # "same-product", "same-taste", "popular", "default"; from the context: "cart" (the
    # value matches the cart's), "cart-variant" (the cart already holds this product in
    # ``other``), "together" (chosen with ``other`` of ``other_group``, which the cart holds)
    code: str
    value: str
    chosen: int = 0  # orders in which the shopper chose the value
    orders: int = 0  # of how many recent orders with this group
    share: float = 0.0  # for "same-taste", "popular" and "cart"
    other: str = ""
    other_group: str = ""
    where: str = ""  # the context lines behind it: "cart", "saved" or "both"


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
        # Values chosen together on one line: (product, group, other group, other value)
        # -> how often each value of ``group`` came with it.
        self.together: dict[tuple[str, str, str, str], Counter[str]] = defaultdict(Counter)

    def candidates(self, product: str, group: str) -> list[str]:
        return sorted(self.popularity.get((product, group), ()))

    def add(self, purchase: Purchase) -> None:
        p = self.params
        c, t, prod = purchase.customer, purchase.timestamp, purchase.product
        chosen = {g: v for g, v in purchase.options.items() if v}
        for group, value in chosen.items():
            self.popularity[(prod, group)][value] += 1
            self.trend[(prod, group)].setdefault(value, Decayed()).add(t, p.tau_trend_days)
            for other, other_value in chosen.items():
                if other != group:
                    self.together[(prod, group, other, other_value)][value] += 1
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

    def components(
        self,
        customer: str | None,
        product: str,
        group: str,
        candidates: Iterable[str],
        now: datetime,
        context: Context = NO_CONTEXT,
    ) -> dict[str, dict[str, float]]:
        """Each signal of :data:`SIGNALS` for each candidate, before weighting."""
        p = self.params
        pop = self.popularity.get((product, group), Counter())
        trend = {
            v: d.at(now, p.tau_trend_days) for v, d in self.trend.get((product, group), {}).items()
        }
        parts: dict[str, Mapping[str, float]] = {
            "popularity": _normalized(pop),
            "trend": _normalized(trend),
            "same": {},
            "cross": {},
            "last": {},
        }
        if customer:
            parts["same"] = {
                v: d.at(now, p.tau_personal_days)
                for v, d in self.same.get((customer, product, group), {}).items()
            }
            cross = self.cross.get((customer, group), {})
            parts["cross"] = _normalized(
                {v: d.at(now, p.tau_personal_days) for v, d in cross.items()}
            )
            last = self.last_value(customer, product, group, now)
            parts["last"] = {last: 1.0} if last is not None else {}
        lines = context.lines
        parts["cart"] = _shares(x.options.get(group) for x in lines if x.product != product)
        parts["cart_same"] = _shares(
            x.options.get(group) for x in lines if x.product == product and not x.saved
        )
        parts["together"] = self._together(product, group, context)[0] if lines else {}
        return {name: {v: parts[name].get(v, 0.0) for v in candidates} for name in SIGNALS}

    def scores(
        self,
        customer: str | None,
        product: str,
        group: str,
        candidates: Iterable[str],
        now: datetime,
        context: Context = NO_CONTEXT,
    ) -> dict[str, float]:
        values = sorted(set(candidates))
        parts = self.components(customer, product, group, values, now, context)
        return _weighted(self.params, group, parts, values, SIGNALS)

    def predict(
        self,
        customer: str | None,
        product: str,
        group: str,
        now: datetime,
        candidates: Iterable[str] | None = None,
        context: Context = NO_CONTEXT,
    ) -> Prediction | None:
        values = sorted(
            set(candidates if candidates is not None else self.candidates(product, group))
        )
        if not values:
            return None
        parts = self.components(customer, product, group, values, now, context)
        scores = _weighted(self.params, group, parts, values, SIGNALS)
        best = self._best(product, group, scores)
        reason = self.reason(customer, product, group, best, now)
        if context.lines:
            reason = self._context_reason(product, group, best, context, parts, reason)
        return Prediction(best, scores[best], reason, scores)

    def _best(self, product: str, group: str, scores: Mapping[str, float]) -> str:
        """Highest score; ties to the more popular value, then the value code as text."""
        pop = self.popularity.get((product, group), Counter())
        return min(scores, key=lambda v: (-scores[v], -pop[v], v))

    def last_value(self, customer: str, product: str, group: str, now: datetime) -> str | None:
        """The shopper's value in their last order of ``product`` before ``now``."""
        past = [(t, o, v) for o, (t, v) in self.orders.get((customer, product, group), {}).items()]
        before = [row for row in past if row[0] < now]
        return max(before)[2] if before else None

    def _together(
        self, product: str, group: str, context: Context
    ) -> tuple[dict[str, float], dict[str, tuple[str, str]]]:
        """The share of each value of ``group`` among ``product``'s buyers who chose the
        context's values of the other groups (a mixture over those values, each weighted by
        its share of the context), and for each value the context value it owes most to."""
        mix: dict[str, float] = defaultdict(float)
        mass = 0.0
        owed: dict[str, tuple[float, str, str]] = {}
        per_group: dict[str, Counter[str]] = defaultdict(Counter)
        for line in context.lines:
            for other, value in line.options.items():
                if other != group and value:
                    per_group[other][value] += 1
        for other, counts in per_group.items():
            total_other = sum(counts.values())
            for other_value, n in counts.items():
                chosen = self.together.get((product, group, other, other_value))
                if not chosen:
                    continue
                share, total = n / total_other, sum(chosen.values())
                mass += share
                for value, k in chosen.items():
                    part = share * k / total
                    mix[value] += part
                    if value not in owed or part > owed[value][0]:
                        owed[value] = (part, other, other_value)
        if not mass:
            return {}, {}
        return {v: x / mass for v, x in mix.items()}, {v: (o, w) for v, (_, o, w) in owed.items()}

    def _context_reason(
        self,
        product: str,
        group: str,
        best: str,
        context: Context,
        parts: Mapping[str, Mapping[str, float]],
        history_reason: Reason,
    ) -> Reason:
        """The context's reason when it changed the pick (the signal that pulled the chosen
        value up most, or pushed the value chosen without it down most); else the
        history's: a value the history picks anyway is no match for the cart."""
        p = self.params
        values = list(parts["trend"])
        without = self._best(product, group, _weighted(p, group, parts, values, _HISTORY_SIGNALS))
        if without == best:
            return history_reason
        pulls = {
            "cart": p.weight("cart", group) * parts["cart"][best],
            "together": p.weight("together", group) * parts["together"][best],
            "cart-variant": -p.weight("cart_same", group) * parts["cart_same"].get(without, 0.0),
        }
        code = max(pulls, key=lambda k: pulls[k])
        if pulls[code] <= 0:
            return history_reason
        if code == "cart":
            matching = [x for x in context.lines if x.product != product]
            where = _where(x for x in matching if x.options.get(group) == best)
            return Reason("cart", best, share=parts["cart"][best], where=where)
        if code == "cart-variant":
            return Reason("cart-variant", best, other=without, where="cart")
        other_group, other = self._together(product, group, context)[1][best]
        where = _where(x for x in context.lines if x.options.get(other_group) == other)
        return Reason("together", best, other=other, other_group=other_group, where=where)

    def reason(
        self, customer: str | None, product: str, group: str, value: str, now: datetime
    ) -> Reason:
        """Why ``value`` from the purchase history alone (the context's reasons come from
        :meth:`predict`)."""
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


_HISTORY_SIGNALS = tuple(s for s in SIGNALS if s not in CONTEXT_SIGNALS)


def _where(lines: Iterable[ContextLine]) -> str:
    kinds = {line.saved for line in lines}
    return "both" if len(kinds) == 2 else "saved" if True in kinds else "cart"


def _normalized(weights: Mapping[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {v: w / total for v, w in weights.items()} if total else {}


def _shares(values: Iterable[str | None]) -> dict[str, float]:
    counts: Counter[str] = Counter(v for v in values if v)
    return _normalized(dict(counts))


def _weighted(
    params: Params,
    group: str,
    parts: Mapping[str, Mapping[str, float]],
    values: Iterable[str],
    signals: Sequence[str],
) -> dict[str, float]:
    weights = [(params.weight(s, group), parts[s]) for s in signals]
    return {v: sum(w * part[v] for w, part in weights if w) for v in values}
