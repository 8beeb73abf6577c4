"""Which pre-selected defaults shoppers kept: one row per ordered line and proposed group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .models import DefaultOutcome, DefaultSource

SOURCES = frozenset(DefaultSource.values)


def value_text(value: Any) -> str:
    """A selection value as one string: the code, codes of a multi joined sorted, or ""."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ",".join(sorted(str(v) for v in value))
    return str(value)


def outcomes_of(
    *, proposed: Mapping[str, Any], selection: Mapping[str, Any]
) -> list[tuple[str, str, str, bool, str]]:
    """(group, proposed, chosen, kept, source) per proposed group, in the proposal's order.

    A group absent from the ordered selection was left empty: the proposal was not kept.
    """
    rows = []
    for group, proposal in proposed.items():
        if not isinstance(proposal, Mapping) or "value" not in proposal:
            continue
        source = proposal.get("source")
        wanted = value_text(proposal["value"])
        chosen = value_text(selection.get(group))
        rows.append(
            (group, wanted, chosen, wanted == chosen, source if source in SOURCES else "merchant")
        )
    return rows


def default_outcomes_record(order_id: int) -> int:
    """Order hook: write the outcome of each proposed default of the order's lines.

    Idempotent: a second call for the same order writes nothing. Returns the rows written.
    """
    from configurator.orders.models import Order

    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    lines = [line for line in order.lines.all() if line.proposed_defaults]
    if not lines or DefaultOutcome.objects.filter(order_line__in=lines).exists():
        return 0
    outcomes = [
        DefaultOutcome(
            order_line=line,
            product=line.product_sku,
            group=group,
            proposed=proposed,
            chosen=chosen,
            kept=kept,
            source=source,
            placed_at=order.placed_at,
        )
        for line in lines
        for group, proposed, chosen, kept, source in outcomes_of(
            proposed=line.proposed_defaults, selection=line.selection
        )
    ]
    DefaultOutcome.objects.bulk_create(outcomes, ignore_conflicts=True)
    return len(outcomes)
