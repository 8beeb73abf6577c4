"""Why a value is unavailable: the smallest conflicting set of choices, and a repair.

The conflict is found by implicit hitting sets over minimal correction sets, each one a
max-weight path in the diagram; the repair changes as few choices as possible and, among
repairs of equal size, the older ones (the selection's order is the order of choosing).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from catalog.numbers import NumberError, parse_number

from .results import Explanation, Repair
from .rules import dead_rules, rules_between
from .selection import (
    OFF,
    ON,
    Selection,
    SelectionError,
    Unit,
    allowed,
    unit_of,
    unknown_value,
    value_on_path,
)
from .spec import PRESENT, GroupSpec

if TYPE_CHECKING:
    from .engine import Engine


def explanation_of(
    engine: Engine, spec: GroupSpec, target: Unit, chosen: list[Unit], value: str | None
) -> Explanation | None:
    """Why ``target`` (``value`` of ``spec``) conflicts with the ``chosen`` units, or None."""
    group = spec.code
    units = [u for u in chosen if u.group != group or spec.kind == "multi"]
    if spec.kind == "multi":
        units = [without(u, target) if u.group == group else u for u in units]
        units = [u for u in units if u.masks]
    d = engine.diagram
    if d.consistent(allowed(engine, [*units, target])):
        return None
    if not d.consistent(allowed(engine, [target])):
        return Explanation(group, value, (), dead_rules(engine, target), None)
    conflict = smallest_conflict(engine, target, units)
    rules = rules_between(engine, target, conflict)
    fix = repair(engine, target, units)
    return Explanation(group, value, tuple(u.group for u in conflict), rules, fix)


def target_of(engine: Engine, group: GroupSpec, selection: Selection, value: str | None) -> Unit:
    """The unit of ``value`` of ``group``: the choice an explanation is asked about."""
    layers = engine.layers_of[group.code]
    if group.kind == "multi":
        flag = next((i for i in layers if engine.diagram.layers[i].value == value), None)
        if flag is None:
            raise SelectionError([unknown_value(group.code, value)])
        return Unit(group.code, ((flag, ON),), ((flag, 1),))
    if group.kind == "choice":
        unit = unit_of(engine, group, value) if value is not None or not group.required else None
        if unit is None:
            raise SelectionError([unknown_value(group.code, value)])
        return unit
    is_present = value == PRESENT
    return Unit(
        group.code, ((layers[0], ON if is_present else OFF),), ((layers[0], int(is_present)),)
    )


def without(unit: Unit, target: Unit) -> Unit:
    """``unit`` minus the layers ``target`` restricts."""
    skip = {layer for layer, _ in target.masks}
    return Unit(
        unit.group,
        tuple(m for m in unit.masks if m[0] not in skip),
        tuple(p for p in unit.picks if p[0] not in skip),
    )


def smallest_conflict(engine: Engine, target: Unit, units: list[Unit]) -> list[Unit]:
    """A smallest set of ``units`` that, with ``target``, leaves no valid configuration."""
    d = engine.diagram
    # Conflicts of one choice, all found by one sweep under the target alone.
    alone = d.sweep(allowed(engine, [target])).feasible
    singles = [u for u in units if any(not alone[layer][i] for layer, i in u.picks)]
    if singles:
        return [singles[-1]]  # the most recent such choice
    # Implicit hitting sets: every conflict meets every correction set.
    corrections: list[frozenset[int]] = []
    hitting: tuple[int, ...] = ()
    for _ in range(64):
        hitting = min_hitting_set(corrections, len(units))
        chosen = [units[i] for i in hitting]
        if not d.consistent(allowed(engine, [target, *chosen])):
            return chosen
        kept = set(hitting)
        path = keep_most(engine, target, units, forced=kept)
        assert path is not None  # target with the hitting set is consistent
        changed = frozenset(
            i
            for i, u in enumerate(units)
            if i not in kept and any(path[layer] != index for layer, index in u.picks)
        )
        corrections.append(changed)
    return deletion_conflict(engine, target, units)  # pragma: no cover - safety net


def deletion_conflict(engine: Engine, target: Unit, units: list[Unit]) -> list[Unit]:
    """A minimal (not always smallest) conflict, by deleting choices newest first."""
    needed = list(units)
    for unit in list(reversed(units)):
        trial = [u for u in needed if u is not unit]
        if not engine.diagram.consistent(allowed(engine, [target, *trial])):
            needed = trial
    return needed


def keep_most(
    engine: Engine, target: Unit, units: list[Unit], forced: set[int] | None = None
) -> list[int] | None:
    """A configuration with the target keeping as many choices as it can, newest first."""
    forced = forced or set()
    d = engine.diagram
    masks = allowed(engine, [target, *(units[i] for i in forced)])
    gains: list[np.ndarray | None] = [None] * len(d.layers)
    count = len(units)
    for rank, unit in enumerate(units):
        if rank in forced:
            continue
        # Fewest changes first; among those, keep the newer choices. The recency bonuses
        # of all choices together stay below one, so they only ever break ties.
        weight = 1.0 + (rank + 1) / (count * (count + 1))
        share = weight / len(unit.picks)
        for layer, index in unit.picks:
            gain = gains[layer]
            if gain is None:
                gain = gains[layer] = np.zeros(d.layers[layer].size)
            gain[index] += share
            if engine.groups[unit.group].number is not None:
                # A number that must change goes to the nearest one allowed (200 cm for a
                # shopper who typed 250, not the smallest): a bonus far below the recency
                # bonuses' steps, so it only ever breaks the ties they leave.
                gain += nearness(d.layers[layer].domain, index) / (1000 * count * (count + 1))
    return d.best_path(masks, gains)


@lru_cache(maxsize=512)
def nearness(domain: tuple[object, ...], index: int) -> np.ndarray:
    """Each number of a number group's domain scored from 1 (the chosen one, ``index``)
    down to 0 (the farthest); what is not a number (no choice) scores 0. Read-only: it is
    shared between calls."""
    numbers = [_number(code) for code in domain]
    chosen = numbers[index]
    known = [n for n in numbers if n is not None]
    scores = np.zeros(len(domain))
    if chosen is not None and len(known) > 1:
        span = max(known) - min(known)
        scores = np.array([0.0 if n is None else 1.0 - abs(n - chosen) / span for n in numbers])
    scores.flags.writeable = False
    return scores


def _number(code: object) -> float | None:
    try:
        return float(parse_number(code))
    except NumberError:
        return None


def repair(engine: Engine, target: Unit, units: list[Unit]) -> Repair | None:
    """The fewest changes to ``units`` that make ``target`` available, or None if none do."""
    path = keep_most(engine, target, units)
    if path is None:
        return None
    changes: dict[str, str | tuple[str, ...] | None] = {}
    for unit in units:
        if all(path[layer] == index for layer, index in unit.picks):
            continue
        changes[unit.group] = value_on_path(engine, engine.groups[unit.group], path)
    return Repair(changes=changes, cost=len(changes))


def min_hitting_set(sets: Sequence[frozenset[int]], universe: int) -> tuple[int, ...]:
    """A smallest set of indexes meeting every set; ties go to later (more recent) indexes."""
    if not sets:
        return ()
    elements = sorted(set().union(*sets), reverse=True)
    for size in range(1, len(elements) + 1):
        for candidate in combinations(elements, size):
            chosen = set(candidate)
            if all(chosen & s for s in sets):
                return tuple(sorted(candidate))
        if size >= 4 and len(elements) > 24:
            break  # larger searches are not worth a shopper's wait: use a greedy cover
    chosen_greedy: set[int] = set()
    remaining = list(sets)
    while remaining:
        best = max(elements, key=lambda e: (sum(e in s for s in remaining), e))
        chosen_greedy.add(best)
        remaining = [s for s in remaining if best not in s]
    return tuple(sorted(chosen_greedy))
