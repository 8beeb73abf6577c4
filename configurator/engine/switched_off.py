"""Values switched off at run time (a leather out of stock): the diagram restricted, not rebuilt.

An option set is compiled once, at publish; stock changes every day. A switched-off value is
a restriction put on its layer under every question (``Engine.switched_off``): every answer
is the answer the engine would give had the value been switched off in the document
(``extensions.active: false``) and compiled again, but for a selection that still holds it,
which no configuration extends (``engine.V050``; ``docs/engine.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .diagram import Mask
from .results import Violation
from .selection import OFF, Selection

if TYPE_CHECKING:
    from .engine import Engine

OffValues = frozenset[tuple[str, str]]


def known_off(engine: Engine, off: Iterable[tuple[str, str]]) -> OffValues:
    """The pairs of ``off`` that name a value of a choice or multi group (others are no value
    of this version: a stock row outlives the versions that had its value)."""
    found = set()
    for group, value in off:
        spec = engine.groups.get(group)
        if spec is not None and spec.has_values and spec.value(value) is not None:
            found.add((group, value))
    return frozenset(found)


def off_masks(engine: Engine, off: OffValues) -> list[Mask | None]:
    """Per layer, the indexes left once ``off`` is switched off (None: nothing is off)."""
    d = engine.diagram
    masks: list[Mask | None] = [None] * len(d.layers)
    for group, value in sorted(off):
        layers = engine.layers_of[group]
        if engine.groups[group].kind == "multi":
            flag = next(i for i in layers if d.layers[i].value == value)
            masks[flag] = OFF
            continue
        layer = layers[0]
        mask = masks[layer]
        if mask is None:
            mask = masks[layer] = np.ones(d.layers[layer].size, dtype=bool)
        index = d.layers[layer].index(value)
        assert index is not None  # known_off kept known values only
        mask[index] = False
    return masks


def off_by_group(off: OffValues) -> dict[str, frozenset[str]]:
    by_group: dict[str, set[str]] = {}
    for group, value in off:
        by_group.setdefault(group, set()).add(value)
    return {group: frozenset(values) for group, values in by_group.items()}


def without_off(
    valid: dict[str, frozenset[str | None]], off: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str | None]]:
    """``valid`` without the switched-off values (a layer's sweep leaves its own restriction
    out, so that a chosen group learns what it could switch to: off values included)."""
    for group, values in off.items():
        valid[group] = valid[group] - values
    return valid


def off_violations(engine: Engine, selection: Selection) -> list[Violation]:
    """``engine.V050`` for each switched-off value the selection holds."""
    found: list[Violation] = []
    for group, values in engine.off_by_group.items():
        chosen: Any = selection.get(group)
        held = (
            {chosen}
            if isinstance(chosen, str)
            else set(chosen)
            if isinstance(chosen, list | tuple)
            else set()
        )
        for value in sorted(held & values):
            found.append(
                Violation(
                    "engine.V050",
                    f"“{value}” of “{group}” is not available now.",
                    (group,),
                    (value,),
                )
            )
    return found
