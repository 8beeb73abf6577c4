"""Selections as restrictions of the diagram's layers, and its answers read back per group.

A selection maps group codes to what the shopper chose (see :mod:`.engine`). Each group's
choice becomes a :class:`Unit`: the masks it puts on the group's layers and the index it
picks on each. A sweep of the diagram under those masks is read back, group by group, as
the values that remain valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING, Any

import numpy as np

from catalog.numbers import NumberError, number_text, parse_number

from .diagram import Diagram, Mask, Sweep
from .results import Violation
from .spec import PRESENT, GroupSpec, OptionSetSpec

if TYPE_CHECKING:
    from .engine import Engine

Selection = Mapping[str, Any]
Weights = Mapping[tuple[str, str | None], float]
# Per group: (code, kind, where its answer starts in a sweep's flat result, its values).
ReadPlan = list[tuple[str, str, Any, tuple]]

ON = np.array([False, True])
OFF = np.array([True, False])


class SelectionError(ValueError):
    """The selection names a group or value the option set does not have."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__("; ".join(f"{v.message} [{v.code}]" for v in self.violations))


@dataclass(frozen=True)
class Unit:
    """One of the shopper's choices, as the layers it restricts."""

    group: str
    masks: tuple[tuple[int, Mask], ...]  # (layer, allowed indexes)
    picks: tuple[tuple[int, int], ...]  # (layer, chosen index)


def present(group: GroupSpec, chosen: Any) -> bool:
    """Whether a text or image choice counts as made."""
    if group.kind == "text":
        return isinstance(chosen, str) and chosen != ""
    return chosen is not None and chosen is not False


def unknown_value(group: str, value: Any) -> Violation:
    return Violation("engine.V002", f"“{value}” is not a value of “{group}”.", (group,), (value,))


def choice_code(group: GroupSpec, chosen: Any) -> Any:
    """A choice as its domain code: a number group's number (``120``, ``"120.0"``) becomes its
    value's code (``"120"``); anything else, and a number off the grid, is returned as is."""
    if group.number is None or chosen is None:
        return chosen
    code = group.number.code_of(chosen)
    return chosen if code is None else code


def number_violations(group: GroupSpec, chosen: Any) -> list[Violation]:
    """Why ``chosen`` is not one of a number group's values (V006, V013, V014), or []."""
    number = group.number
    if number is None or chosen is None or number.code_of(chosen) is not None:
        return []
    code, grid = group.code, number.grid
    try:
        value = parse_number(chosen)
    except NumberError:
        return [Violation("engine.V006", f"“{code}” takes a number.", (code,), (str(chosen),))]
    low, high = number.shown(number_text(grid.minimum)), number.shown(number_text(grid.maximum))
    if not grid.in_range(value):
        message = f"“{code}” takes a number from {low} to {high}."
        return [Violation("engine.V013", message, (code,), (number_text(value),))]
    step = number.shown(number_text(grid.increment))
    message = f"“{code}” takes a number from {low} to {high} in steps of {step}."
    return [Violation("engine.V014", message, (code,), (number_text(value),))]


def unit_of(engine: Engine, group: GroupSpec, chosen: Any) -> Unit | None:
    """The restriction ``chosen`` puts on ``group``'s layers, None if it puts none."""
    layers = engine.layers_of[group.code]
    d = engine.diagram
    if group.kind == "choice":
        if chosen is None and group.required:
            return None
        index = d.layers[layers[0]].index(choice_code(group, chosen))
        if index is None:
            raise SelectionError(
                number_violations(group, chosen) or [unknown_value(group.code, chosen)]
            )
        mask = np.zeros(d.layers[layers[0]].size, dtype=bool)
        mask[index] = True
        return Unit(group.code, ((layers[0], mask),), ((layers[0], index),))
    if group.kind == "multi":
        return _multi_unit(d, layers, group, chosen)
    index = 1 if present(group, chosen) else 0
    return Unit(group.code, ((layers[0], ON if index else OFF),), ((layers[0], index),))


def _multi_unit(d: Diagram, layers: Sequence[int], group: GroupSpec, chosen: Any) -> Unit:
    if chosen is None:
        chosen = ()
    if isinstance(chosen, str) or not isinstance(chosen, Iterable):
        raise SelectionError(
            [Violation("engine.V006", f"“{group.code}” takes a list of values.", (group.code,))]
        )
    chosen = set(chosen)
    flags = {d.layers[i].value: i for i in layers}
    unknown = chosen - set(flags)
    if unknown:
        raise SelectionError([unknown_value(group.code, v) for v in sorted(unknown)])
    masks, picks = [], []
    for code, layer in flags.items():
        index = 1 if code in chosen else 0
        masks.append((layer, ON if index else OFF))
        picks.append((layer, index))
    return Unit(group.code, tuple(masks), tuple(picks))


def units_of(engine: Engine, selection: Selection) -> list[Unit]:
    """The selection's choices as units, in the selection's order (the order of choosing)."""
    units = []
    unknown = [code for code in selection if code not in engine.groups]
    if unknown:
        raise SelectionError(
            [
                Violation("engine.V001", f"Unknown group “{code}”.", (code,))
                for code in sorted(unknown)
            ]
        )
    known = engine.units_known
    for code, chosen in selection.items():
        group = engine.groups[code]
        chosen = choice_code(group, chosen)
        # A choice's or a presence's unit depends only on the value or on being present:
        # kept per engine (units are frozen and their masks never written to).
        key = (
            (code, chosen)
            if group.kind == "choice" and (chosen is None or isinstance(chosen, str))
            else (code, present(group, chosen))
            if group.kind in ("text", "image")
            else None
        )
        unit = known.get(key, MISSING) if key is not None else MISSING
        if unit is MISSING:
            unit = unit_of(engine, group, chosen)
            if key is not None:
                known[key] = unit
        if unit is not None:
            units.append(unit)
    return units


MISSING: Any = object()


def pinned(engine: Engine, units: Sequence[Unit]) -> bool:
    """Whether ``units`` fix every layer of the diagram to one index."""
    return sum(len(unit.picks) for unit in units) == len(engine.diagram.layers)


def allowed(engine: Engine, units: Iterable[Unit]) -> list[Mask | None]:
    """Per layer, the indexes the units allow (None: no restriction), values switched off at
    run time (:mod:`.switched_off`) left out."""
    base = engine.base_masks
    if base is None:
        masks: list[Mask | None] = [None] * len(engine.diagram.layers)
        for unit in units:
            for layer, mask in unit.masks:
                masks[layer] = mask
        return masks
    masks = list(base)
    combined = engine.combined_masks
    for unit in units:
        # A unit's masks with the switched-off values taken out, made once per unit (units
        # of choices are kept per engine; the entry holds its unit, so its id stays its own).
        hit = combined.get(id(unit))
        if hit is None or hit[0] is not unit:
            hit = (unit, [(layer, _without(mask, base[layer])) for layer, mask in unit.masks])
            if len(combined) >= 4096:
                combined.clear()
            combined[id(unit)] = hit
        for layer, mask in hit[1]:
            masks[layer] = mask
    return masks


def _without(mask: Mask, off: Mask | None) -> Mask:
    return mask if off is None else mask & off


def read_plan(spec: OptionSetSpec, diagram: Diagram) -> ReadPlan:
    """How to read each group's answer out of a sweep's flat result."""
    starts = diagram.dom_start.tolist()
    plan: ReadPlan = []
    for group in spec.groups:
        indexes = diagram.index_of_group[group.code]
        if group.kind == "choice":
            layer = diagram.layers[indexes[0]]
            plan.append((group.code, "choice", starts[indexes[0]], layer.domain))
        elif group.kind == "multi":
            plan.append(
                (
                    group.code,
                    "multi",
                    tuple(starts[i] + 1 for i in indexes),
                    tuple(diagram.layers[i].value for i in indexes),
                )
            )
        else:
            plan.append((group.code, group.kind, starts[indexes[0]], ()))
    return plan


def by_group(plan: ReadPlan, sweep: Sweep) -> dict[str, frozenset[str | None]]:
    """The valid values of every group, as a sweep found them."""
    flat = sweep.flat
    result: dict[str, frozenset[str | None]] = {}
    for code, kind, start, domain in plan:
        if kind == "choice":
            result[code] = frozenset(compress(domain, flat[start : start + len(domain)]))
        elif kind == "multi":
            # start: the ON index of each flag layer
            result[code] = frozenset(v for v, on in zip(domain, start, strict=True) if flat[on])
        else:
            states: set[str | None] = set()
            if flat[start + 1]:
                states.add(PRESENT)
            if flat[start]:
                states.add(None)
            result[code] = frozenset(states)
    return result


def dead_values(engine: Engine) -> tuple[tuple[str, str], ...]:
    """The ``(group, value)`` pairs no valid configuration takes."""
    valid = by_group(engine.read_plan, engine.diagram.sweep([None] * len(engine.diagram.layers)))
    dead: list[tuple[str, str]] = []
    for group in engine.spec.groups:
        if group.has_values:
            dead.extend(
                (group.code, value.code)
                for value in group.values
                if value.code not in valid[group.code]
            )
        elif PRESENT not in valid[group.code]:
            dead.append((group.code, PRESENT))
    return tuple(dead)


def value_on_path(engine: Engine, group: GroupSpec, path: Sequence[int]) -> Any:
    """What ``group`` takes in the configuration ``path`` (one index per layer)."""
    layers = engine.diagram.layers
    indexes = engine.layers_of[group.code]
    if group.kind == "choice":
        return layers[indexes[0]].domain[path[indexes[0]]]
    if group.kind == "multi":
        return tuple(layers[i].value for i in indexes if path[i])
    return PRESENT if path[indexes[0]] else None
