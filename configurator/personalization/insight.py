"""Merchant insight per product: how often shoppers keep the pre-selected defaults
(acceptance rate) and how often each value is ordered (take rate), overall and per week, with
the margin beside it (price minus the production cost the order line kept)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from configurator.orders.models import OrderLine, OrderStatus

from .models import DefaultOutcome


@dataclass(frozen=True)
class Rate:
    """``hits`` of ``total``; ``percent`` rounded to one decimal, None when nothing counted."""

    hits: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.hits / self.total, 1) if self.total else None


@dataclass(frozen=True)
class GroupAcceptance:
    group: str
    overall: Rate
    weekly: dict[date, Rate]
    by_source: dict[str, Rate]
    name: str = ""


@dataclass(frozen=True)
class Margin:
    """Margin of ordered units whose production cost is known: ``sales`` and ``costs`` summed
    over them; ``lines`` how many lines that is."""

    sales: Decimal = Decimal(0)
    costs: Decimal = Decimal(0)
    lines: int = 0

    @property
    def amount(self) -> Decimal:
        return self.sales - self.costs

    @property
    def percent(self) -> Decimal | None:
        """The margin as a percent of sales, one decimal; None when nothing is known."""
        return (self.amount * 100 / self.sales).quantize(Decimal("0.1")) if self.sales else None

    def add(self, price: Decimal, cost: Decimal, quantity: int) -> Margin:
        return Margin(self.sales + price * quantity, self.costs + cost * quantity, self.lines + 1)


@dataclass(frozen=True)
class ValueTake:
    group: str
    value: str
    name: str
    overall: Rate
    weekly: dict[date, Rate]
    margin: Margin = Margin()  # of the lines choosing this value


@dataclass(frozen=True)
class ProductInsight:
    sku: str
    weeks: tuple[date, ...]  # Mondays, oldest first, every week from first to last sale
    lines: int
    acceptance: tuple[GroupAcceptance, ...]
    takes: tuple[ValueTake, ...]  # grouped by option group, most taken first
    group_names: dict[str, str] = field(default_factory=dict)
    margin: Margin = Margin()  # of every line whose production cost is known
    currency: str = ""


def week_of(moment: datetime) -> date:
    """The Monday of ``moment``'s week in the current time zone (as ``TruncWeek``)."""
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def product_insight(*, sku: str, language: str = "vi") -> ProductInsight:
    """Acceptance and take rates of ``sku``'s ordered lines; two queries.

    Cancelled orders are left out. A line counts once for a value, even with a quantity
    above one: the rates speak of shoppers' choices, not of units.
    """
    lines, takes, group_names, line_weeks, margins = _takes(sku, language)
    order = {group: i for i, group in enumerate(group_names)}  # the option set's order
    acceptance = sorted(
        (replace(a, name=group_names.get(a.group, a.group)) for a in _acceptance(sku)),
        key=lambda a: (order.get(a.group, len(order)), a.group),
    )
    weeks = _weeks(line_weeks | {w for a in acceptance for w in a.weekly})
    return ProductInsight(
        sku=sku,
        weeks=weeks,
        lines=lines,
        acceptance=tuple(acceptance),
        takes=tuple(takes),
        group_names=group_names,
        margin=margins.get(("", ""), Margin()),
        currency=margins.currency,
    )


def _acceptance(sku: str) -> list[GroupAcceptance]:
    rows = (
        DefaultOutcome.objects.filter(product=sku)
        .exclude(order_line__order__status=OrderStatus.CANCELLED)
        .annotate(week=TruncWeek("placed_at"))
        .values("group", "week", "source")
        .annotate(total=Count("pk"), kept=Count("pk", filter=Q(kept=True)))
        .order_by("group", "week", "source")
    )
    # group -> (week, source) -> [kept, total]
    counts: dict[str, dict[tuple[date, str], list[int]]] = defaultdict(dict)
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        counts[row["group"]][(week, row["source"])] = [row["kept"], row["total"]]
    return [_group_acceptance(group, cells) for group, cells in counts.items()]


def _group_acceptance(group: str, cells: dict[tuple[date, str], list[int]]) -> GroupAcceptance:
    per_week: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (week, source), (kept, total) in cells.items():
        for bucket in (per_week[week], per_source[source]):
            bucket[0] += kept
            bucket[1] += total
    return GroupAcceptance(
        group=group,
        overall=Rate(sum(k for k, _ in per_week.values()), sum(t for _, t in per_week.values())),
        weekly={w: Rate(*per_week[w]) for w in sorted(per_week)},
        by_source={s: Rate(*per_source[s]) for s in sorted(per_source)},
    )


class _Margins(dict[tuple[str, str], Margin]):
    """Margins per (group, value); ``("", "")`` holds every line's."""

    currency = ""

    def add(self, key: tuple[str, str], price: Decimal, cost: Decimal, quantity: int) -> None:
        self[key] = self.get(key, Margin()).add(price, cost, quantity)


def _takes(
    sku: str, language: str
) -> tuple[int, list[ValueTake], dict[str, str], set[date], _Margins]:
    lines = (
        OrderLine.objects.filter(product_sku=sku)
        .exclude(order__status=OrderStatus.CANCELLED)
        .values_list(
            "order__placed_at", "choices", "unit_price", "unit_cost", "quantity", "order__currency"
        )
    )
    lines_per_week: Counter[date] = Counter()
    chosen: Counter[tuple[str, str, date]] = Counter()
    names: dict[tuple[str, str], str] = {}
    group_names: dict[str, str] = {}
    margins = _Margins()
    for placed_at, choices, price, cost, quantity, currency in lines:
        week = week_of(placed_at)
        lines_per_week[week] += 1
        picked = {(c["group"], c["value"]): c for c in choices if "value" in c}
        if cost is not None:  # lines ordered before costs were kept have no margin
            margins.currency = currency
            for key in [("", ""), *picked]:
                margins.add(key, price, cost, quantity)
        for choice in picked.values():
            key = (choice["group"], choice["value"])
            chosen[(*key, week)] += 1
            names[key] = _name(choice.get("value_name"), language) or choice["value"]
            group_names[key[0]] = _name(choice.get("group_name"), language) or key[0]
    overall: Counter[tuple[str, str]] = Counter()
    for (group, value, _week), n in chosen.items():
        overall[(group, value)] += n
    total = sum(lines_per_week.values())
    order = {group: i for i, group in enumerate(group_names)}  # the option set's order
    takes = [
        ValueTake(
            group=group,
            value=value,
            name=names[(group, value)],
            overall=Rate(n, total),
            weekly={
                w: Rate(chosen[(group, value, w)], lines_per_week[w])
                for w in sorted(lines_per_week)
            },
            margin=margins.get((group, value), Margin()),
        )
        for (group, value), n in sorted(
            overall.items(), key=lambda item: (order[item[0][0]], -item[1], item[0][1])
        )
    ]
    return total, takes, group_names, set(lines_per_week), margins


def _name(names: object, language: str) -> str:
    if isinstance(names, dict):
        return str(names.get(language) or names.get("vi") or "")
    return ""


def _weeks(seen: set[date]) -> tuple[date, ...]:
    if not seen:
        return ()
    first, last = min(seen), max(seen)
    return tuple(first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1))
