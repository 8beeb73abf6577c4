"""The merchant's rules behind an answer: which ones a partial configuration breaks.

Tables are read as the domain-index arrays the engine keeps (``-1`` for ``*``); ``requires``
and ``excludes`` conditions are decided on the layers a partial assignment fixes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from .results import RuleRef
from .selection import Unit
from .spec import RuleSpec

if TYPE_CHECKING:
    from .engine import Engine


def scope(rule: RuleSpec) -> set[str]:
    """The groups a rule names."""
    return set(rule.groups) if rule.groups else {*rule.if_, *rule.then}


def message(rule: RuleSpec) -> str:
    """The rule's message in English, else in any language it has, else ``""``."""
    text = rule.message
    return text.get("en") or text.get("") or next(iter(text.values()), "")


def ref(rule: RuleSpec) -> RuleRef:
    return RuleRef(rule.label, rule.kind, dict(rule.message))


def table(engine: Engine, rule: RuleSpec) -> tuple[np.ndarray, list[int]]:
    """The rule's rows as domain indexes (-1 for ``*``) and the layer of each column."""
    return engine.tables[rule.index], [engine.layers_of[code][0] for code in rule.groups]


def partial_of(units: Iterable[Unit]) -> dict[int, int]:
    """The units' picks as one partial assignment, layer to index."""
    return {layer: index for unit in units for layer, index in unit.picks}


def broken(engine: Engine, rule: RuleSpec, partial: Mapping[int, int]) -> bool:
    """Whether ``rule`` fails under ``partial`` whatever the unassigned layers take."""
    if rule.kind in ("allowed", "forbidden"):
        cells, layers = table(engine, rule)
        columns = [c for c, layer in enumerate(layers) if layer in partial]
        if not columns:
            return False
        match = np.ones(len(cells), dtype=bool)
        for c in columns:
            column = cells[:, c]
            match &= (column == -1) | (column == partial[layers[c]])
        if rule.kind == "allowed":
            return not match.any()
        return len(columns) == len(layers) and bool(match.any())
    holds_if = condition(engine, rule.if_, partial)
    holds_then = condition(engine, rule.then, partial)
    if rule.kind == "requires":
        return holds_if is True and holds_then is False
    return holds_if is True and holds_then is True


def condition(
    engine: Engine, listed_by_group: Mapping[str, tuple[str, ...]], partial: Mapping[int, int]
) -> bool | None:
    """True, False, or None when the partial assignment does not decide it."""
    result: bool | None = True
    layers = engine.diagram.layers
    for code, listed in listed_by_group.items():
        group = engine.groups[code]
        indexes = engine.layers_of[code]
        holds: bool | None
        if group.kind == "choice":
            if indexes[0] not in partial:
                holds = None
            else:
                holds = layers[indexes[0]].domain[partial[indexes[0]]] in listed
        elif group.kind == "multi":
            flags = [i for i in indexes if layers[i].value in listed]
            if any(partial.get(i) == 1 for i in flags):
                holds = True
            elif all(partial.get(i) == 0 for i in flags):
                holds = False
            else:
                holds = None
        else:
            holds = None if indexes[0] not in partial else bool(partial[indexes[0]])
        if holds is False:
            return False
        if holds is None:
            result = None
    return result


def rules_between(engine: Engine, target: Unit, conflict: list[Unit]) -> tuple[RuleRef, ...]:
    """The rules that rule ``target`` out together with the ``conflict``."""
    partial = partial_of([target, *conflict])
    involved = {target.group, *(u.group for u in conflict)}
    candidates = [r for r in engine.spec.rules if involved & scope(r)]
    found = [r for r in candidates if broken(engine, r, partial)]
    if not found:
        # The choices rule the value out through a chain of rules: name the rules that
        # tie the target's group to the conflicting groups.
        found = [r for r in candidates if target.group in scope(r) and len(involved) > 1]
        found = [r for r in found if (involved - {target.group}) & scope(r)] or found
    return tuple(ref(r) for r in found)


def dead_rules(engine: Engine, target: Unit) -> tuple[RuleRef, ...]:
    """The rules that rule ``target`` out on their own (or all its group's rules)."""
    partial = partial_of([target])
    rules = [r for r in engine.spec.rules if target.group in scope(r)]
    found = [r for r in rules if broken(engine, r, partial)]
    return tuple(ref(r) for r in (found or rules))
