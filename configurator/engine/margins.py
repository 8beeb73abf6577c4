"""The lowest margin: the valid configuration that leaves the merchant the least.

A configuration's margin is its price minus what making it costs, and both are sums of one
amount per chosen value (plus the base, and each text and picture). So the configuration with
the lowest margin is the max-weight path of the diagram when each domain index weighs minus
its margin: the same pass that completion takes (:meth:`.diagram.Diagram.best_path`), exact,
never a sample. The configuration furthest below a minimum margin of ``keep`` percent is the
same pass with each index weighing ``100 · cost − (100 − keep) · price``: still one amount
per index, so still exact.

Weights are whole numbers (amounts scaled by a power of ten), so the pass in floating point
is exact while no path can sum past 2^53; past that, an exact pass over Python integers
answers instead.

A text's price and cost grow by the letter, so its worst length is either no chargeable
letter (a text of spaces) or its ``max_length``; a text group without a length limit whose
letters cost more to make than they sell for has no worst length: it is listed in
``Margin.unbounded`` and counted at no letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from .layers import Layer
from .pricing import cost_of, price_of
from .results import ImageInfo, Margin
from .selection import value_on_path
from .spec import GroupSpec

if TYPE_CHECKING:
    from .diagram import Diagram
    from .engine import Engine

_EXACT_FLOAT = 2**53
_PICTURE = ImageInfo(bytes=1, width=1, height=1, format="png")


def lowest_margin(engine: Engine, *, keep: Decimal = Decimal(0)) -> Margin | None:
    """The valid configuration minimising ``(100 − keep)% of its price − its cost``.

    ``keep`` 0 gives the configuration with the lowest margin; a configuration is below a
    minimum margin of ``keep`` percent exactly when that amount is negative for it. None when
    the option set has no valid configuration.
    """
    objective = _Objective(keep)
    letters: dict[str, int] = {}
    unbounded: list[str] = []
    weights: list[list[Decimal]] = []
    for layer in engine.diagram.layers:
        group = engine.groups[layer.group]
        weights.append(_layer_weights(objective, layer, group, letters, unbounded))
    path = _best_path(engine.diagram, _whole_numbers(weights))
    if path is None:
        return None
    selection: dict[str, Any] = {}
    for group in engine.spec.groups:
        chosen = value_on_path(engine, group, path)
        if group.kind == "multi":
            chosen = list(chosen)
        elif group.kind == "text":
            chosen = ("x" * letters[group.code] or " ") if chosen else ""
        elif group.kind == "image":
            chosen = _PICTURE if chosen else None
        selection[group.code] = chosen
    characters = {code: n for code, n in letters.items() if selection.get(code) not in ("", None)}
    return Margin(
        selection=selection,
        characters=characters,
        price=price_of(engine.spec, selection).total,
        cost=cost_of(engine.spec, selection).total,
        unbounded=tuple(unbounded),
    )


class _Objective:
    """``100 · cost − (100 − keep) · price`` of one amount: what the pass maximises."""

    def __init__(self, keep: Decimal) -> None:
        self.share = Decimal(100) - keep

    def __call__(self, price: Decimal, cost: Decimal) -> Decimal:
        return 100 * cost - self.share * price


def _layer_weights(
    objective: _Objective,
    layer: Layer,
    group: GroupSpec,
    letters: dict[str, int],
    unbounded: list[str],
) -> list[Decimal]:
    zero = Decimal(0)
    if layer.kind == "choice":
        weights = []
        for code in layer.domain:
            value = group.value(code) if isinstance(code, str) else None
            weights.append(zero if value is None else objective(value.price_delta, value.cost))
        return weights
    if layer.kind == "flag":
        value = group.value(str(layer.value))
        return [zero, zero if value is None else objective(value.price_delta, value.cost)]
    fixed = objective(group.price_delta, group.cost)
    if group.kind != "text":
        return [zero, fixed]
    per_letter = objective(group.price_per_char, group.cost_per_char)
    letters[group.code] = 0
    if per_letter > 0:  # each letter loses money: the longest text is the worst
        if group.max_length is None:
            unbounded.append(group.code)
        else:
            letters[group.code] = group.max_length
    return [zero, fixed + per_letter * letters[group.code]]


def _whole_numbers(weights: list[list[Decimal]]) -> list[list[int]]:
    """The weights scaled by one power of ten so that every one is a whole number."""
    places = max((-int(w.as_tuple().exponent) for layer in weights for w in layer if w), default=0)
    scale = Decimal(10) ** max(places, 0)
    return [[int(w * scale) for w in layer] for layer in weights]


def _best_path(diagram: Diagram, weights: list[list[int]]) -> list[int] | None:
    bound = sum(max(abs(w) for w in layer) if layer else 0 for layer in weights)
    if bound < _EXACT_FLOAT:
        gains = [np.array(layer, dtype=np.float64) for layer in weights]
        return diagram.best_path([None] * len(weights), gains)
    return _best_path_exact(diagram, weights)


def _best_path_exact(diagram: Diagram, weights: Sequence[Sequence[int]]) -> list[int] | None:
    """:meth:`~.diagram.Diagram.best_path` over Python integers, for sums past 2^53."""
    count = len(diagram.layers)
    best: list[int | None] = [0] * diagram.sizes[count]
    picks: list[list[int]] = [[] for _ in range(count)]
    for layer in range(count - 1, -1, -1):
        totals: list[int | None] = [None] * diagram.sizes[layer]
        pick = [-1] * diagram.sizes[layer]
        edges = zip(
            diagram.src[layer].tolist(),
            diagram.val[layer].tolist(),
            diagram.dst[layer].tolist(),
            strict=True,
        )
        for e, (s, v, d) in enumerate(edges):
            below = best[d]
            if below is None:
                continue
            total = below + weights[layer][v]
            current = totals[s]
            if current is None or total > current:
                totals[s] = total
                pick[s] = e
        best, picks[layer] = totals, pick
    if not best or best[0] is None:
        return None
    path, node = [], 0
    for layer in range(count):
        e = picks[layer][node]
        path.append(int(diagram.val[layer][e]))
        node = int(diagram.dst[layer][e])
    return path
