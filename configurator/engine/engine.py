"""The compiled option set and every question the studio, personalization and orders ask it.

A selection maps group codes to what the shopper chose:

- ``choice``: a value code, or ``None`` for an optional group explicitly left empty (for a
  required group ``None`` means "not chosen yet", the same as leaving the group out);
- ``multi``: a list of value codes, the group's whole selection;
- ``text``: a string (``""`` means left empty);
- ``image``: an :class:`~configurator.engine.results.ImageInfo` (or a mapping with the same
  keys), ``None`` for left empty.

A group not in the selection is not chosen yet. Every answer is exact: it comes from the
decision diagram of all valid configurations, never from a heuristic.
"""

from __future__ import annotations

import io
import json
import struct
import threading
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import combinations, compress
from typing import Any

import numpy as np

from catalog.patterns import pattern_fullmatch

from .compiler import compile_spec
from .diagram import Diagram, Mask, Sweep
from .layers import Layer
from .results import (
    Display,
    Explanation,
    ImageInfo,
    Price,
    PriceLine,
    Repair,
    RuleRef,
    Violation,
)
from .spec import PRESENT, GroupSpec, OptionSetSpec, RuleSpec, option_set_spec

Selection = Mapping[str, Any]
Weights = Mapping[tuple[str, str | None], float]

_MAGIC = b"CFGENG2\0"
# Tie-breaks of completion, far below any preference weight a caller passes (>= 0.001).
_DEFAULT_BONUS = 1e-6
_EMPTY_BONUS = 1e-7
# ISO 4217 minor units, as catalog.money has them (the engine stays free of Django).
MINOR_UNITS = {"VND": 0, "JPY": 0, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2, "THB": 2}


class SelectionError(ValueError):
    """The selection names a group or value the option set does not have."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__("; ".join(f"{v.message} [{v.code}]" for v in self.violations))


EXPLANATIONS_KEPT = 4096  # per engine


@dataclass(frozen=True)
class _Unit:
    """One of the shopper's choices, as the layers it restricts."""

    group: str
    masks: tuple[tuple[int, Mask], ...]  # (layer, allowed indexes)
    picks: tuple[tuple[int, int], ...]  # (layer, chosen index)


def compile_option_set(
    document: Mapping[str, Any], *, order_hint: Sequence[Sequence[Any]] = ()
) -> Engine:
    """Compile an option-set/1 document; raises :class:`~.spec.EngineError` if it cannot be.

    ``order_hint``: :attr:`Engine.layer_order` of an earlier compile of the same product,
    which makes compiling a big model several times faster (see ``docs/engine.md``).
    """
    spec = option_set_spec(document)
    hint = [(str(group), None if value is None else str(value)) for group, value in order_hint]
    diagram, tables = compile_spec(spec, hint)
    return Engine(document=document, spec=spec, diagram=diagram, tables=tables)


class Engine:
    """A compiled option set. Immutable and thread-safe: share one per process."""

    def __init__(
        self,
        *,
        document: Mapping[str, Any],
        spec: OptionSetSpec,
        diagram: Diagram,
        tables: Mapping[int, np.ndarray],
    ):
        # The full document is kept compressed (tables of 200,000 rows as Python lists would
        # cost tens of MB per process); what the studio shows lives in ``presentation``.
        self._document_zip = zlib.compress(
            json.dumps(document, ensure_ascii=False, sort_keys=True).encode(), 6
        )
        self.presentation: dict[str, Any] = {
            key: value for key, value in document.items() if key != "rules"
        }
        # Table rows are kept once, as the domain-index arrays in ``tables``.
        spec = replace(
            spec,
            rules=tuple(replace(rule, rows=()) if rule.groups else rule for rule in spec.rules),
        )
        self.spec = spec
        self.diagram = diagram
        self.groups: dict[str, GroupSpec] = {group.code: group for group in spec.groups}
        self._layers_of = diagram.index_of_group
        self.tables = dict(tables)
        # Explanations depend only on the choices as the diagram sees them (text and pictures
        # as present or absent, in the order chosen): recent ones are kept, so typing a
        # monogram does not explain the same disabled values again at every keystroke.
        self._explained: OrderedDict[Any, Explanation | None] = OrderedDict()
        self._explained_lock = threading.Lock()
        # How to read each group's answer out of a sweep's flat result.
        starts = diagram.dom_start.tolist()
        self._read_plan: list[tuple[str, str, Any, tuple]] = []
        for group in spec.groups:
            indexes = self._layers_of[group.code]
            if group.kind == "choice":
                layer = diagram.layers[indexes[0]]
                self._read_plan.append((group.code, "choice", starts[indexes[0]], layer.domain))
            elif group.kind == "multi":
                self._read_plan.append(
                    (
                        group.code,
                        "multi",
                        tuple(starts[i] + 1 for i in indexes),
                        tuple(diagram.layers[i].value for i in indexes),
                    )
                )
            else:
                self._read_plan.append((group.code, group.kind, starts[indexes[0]], ()))
        self.configurations: int = diagram.count()
        self.dead_values: tuple[tuple[str, str], ...] = self._dead_values()
        # Load every compiled kernel now, not on a shopper's first explanation.
        nothing: list[Mask | None] = [None] * len(diagram.layers)
        diagram.consistent(nothing)
        diagram.best_path(nothing, [None] * len(diagram.layers))

    # Storage: the document plus the diagram, so a web process never compiles.

    @property
    def document(self) -> dict[str, Any]:
        """The option-set/1 document compiled (decompressed on each use: storage only)."""
        return json.loads(zlib.decompress(self._document_zip).decode())

    def to_bytes(self) -> bytes:
        document = zlib.decompress(self._document_zip)
        buffer = io.BytesIO()
        tables_arrays = {f"t{i}": t for i, t in self.tables.items()}
        np.savez_compressed(buffer, **tables_arrays)  # type: ignore[arg-type]
        tables = buffer.getvalue()
        diagram = self.diagram.to_bytes()
        return b"".join(
            [_MAGIC, struct.pack("<QQ", len(document), len(tables)), document, tables, diagram]
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Engine:
        if not data.startswith(_MAGIC):
            raise ValueError("Not a compiled option set.")
        doc_length, tables_length = struct.unpack_from("<QQ", data, len(_MAGIC))
        start = len(_MAGIC) + 16
        document = json.loads(data[start : start + doc_length].decode())
        start += doc_length
        with np.load(io.BytesIO(data[start : start + tables_length])) as arrays:
            tables = {int(name[1:]): arrays[name] for name in arrays.files}
        spec = option_set_spec(document)
        diagram = Diagram.from_bytes(data[start + tables_length :])
        return cls(document=document, spec=spec, diagram=diagram, tables=tables)

    @property
    def layer_order(self) -> list[tuple[str, str | None]]:
        """The diagram's layer order, as ``(group, multi value or None)``: a compile hint."""
        return [(layer.group, layer.value) for layer in self.diagram.layers]

    @property
    def nbytes(self) -> int:
        """Memory held by the diagram's arrays."""
        d = self.diagram
        arrays = [*d.src, *d.val, *d.dst, *d.starts, *self.tables.values()]
        arrays += [d.flat_src, d.flat_val, d.flat_dst]
        return sum(a.nbytes for a in arrays)

    # Selections as layer restrictions.

    def _unit(self, group: GroupSpec, chosen: Any) -> _Unit | None:
        """The restriction ``chosen`` puts on ``group``'s layers, None if it puts none."""
        layers = self._layers_of[group.code]
        d = self.diagram
        if group.kind == "choice":
            if chosen is None and group.required:
                return None
            index = d.layers[layers[0]].index(chosen)
            if index is None:
                raise SelectionError([_unknown_value(group.code, chosen)])
            mask = np.zeros(d.layers[layers[0]].size, dtype=bool)
            mask[index] = True
            return _Unit(group.code, ((layers[0], mask),), ((layers[0], index),))
        if group.kind == "multi":
            if chosen is None:
                chosen = ()
            if isinstance(chosen, str) or not isinstance(chosen, Iterable):
                raise SelectionError(
                    [
                        Violation(
                            "engine.V006",
                            f"“{group.code}” takes a list of values.",
                            (group.code,),
                        )
                    ]
                )
            chosen = set(chosen)
            flags = {d.layers[i].value: i for i in layers}
            unknown = chosen - set(flags)
            if unknown:
                raise SelectionError([_unknown_value(group.code, v) for v in sorted(unknown)])
            masks, picks = [], []
            for code, layer in flags.items():
                index = 1 if code in chosen else 0
                masks.append((layer, _ON if index else _OFF))
                picks.append((layer, index))
            return _Unit(group.code, tuple(masks), tuple(picks))
        present = _present(group, chosen)
        index = 1 if present else 0
        return _Unit(group.code, ((layers[0], _ON if index else _OFF),), ((layers[0], index),))

    def _units(self, selection: Selection) -> list[_Unit]:
        units = []
        unknown = [code for code in selection if code not in self.groups]
        if unknown:
            raise SelectionError(
                [
                    Violation("engine.V001", f"Unknown group “{code}”.", (code,))
                    for code in sorted(unknown)
                ]
            )
        for code, chosen in selection.items():
            unit = self._unit(self.groups[code], chosen)
            if unit is not None:
                units.append(unit)
        return units

    def _allowed(self, units: Iterable[_Unit]) -> list[Mask | None]:
        allowed: list[Mask | None] = [None] * len(self.diagram.layers)
        for unit in units:
            for layer, mask in unit.masks:
                allowed[layer] = mask
        return allowed

    # 1. Valid values.

    def valid_values(self, selection: Selection) -> dict[str, frozenset[str | None]]:
        """For every group, the values that extend to a valid configuration.

        A value of group ``g`` is valid when the selection, with ``g``'s choice replaced by
        that value and every other group's choice kept, extends to at least one valid
        complete configuration. So a group not chosen yet lists what can still be chosen, and
        a chosen group lists what it can switch to. ``None`` stands for leaving an optional
        group empty; text and image groups answer with ``"present"`` and/or ``None``. For a
        ``multi`` group, a value is valid when it can be in the selection together with the
        group's other chosen values.
        """
        return self._by_group(self.diagram.sweep(self._allowed(self._units(selection))))

    def _by_group(self, sweep: Sweep) -> dict[str, frozenset[str | None]]:
        flat = sweep.flat
        result: dict[str, frozenset[str | None]] = {}
        for code, kind, start, domain in self._read_plan:
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

    def _dead_values(self) -> tuple[tuple[str, str], ...]:
        valid = self._by_group(self.diagram.sweep([None] * len(self.diagram.layers)))
        dead: list[tuple[str, str]] = []
        for group in self.spec.groups:
            if group.has_values:
                dead.extend(
                    (group.code, value.code)
                    for value in group.values
                    if value.code not in valid[group.code]
                )
            elif PRESENT not in valid[group.code]:
                dead.append((group.code, PRESENT))
        return tuple(dead)

    def is_consistent(self, selection: Selection) -> bool:
        """Whether the selection extends to at least one valid configuration."""
        return self.diagram.consistent(self._allowed(self._units(selection)))

    # 2. Explanation.

    def explain(self, selection: Selection, group: str, value: str | None) -> Explanation | None:
        """Why ``value`` of ``group`` is unavailable, or None when it can be chosen.

        The conflict is a smallest set of the shopper's choices that, with the value, leaves
        no valid configuration (found by implicit hitting sets over minimal correction sets,
        each one a max-weight path in the diagram). The repair changes as few choices as
        possible and, among repairs of equal size, the older ones (the selection's order is
        the order of choosing).
        """
        if group not in self.groups:
            raise SelectionError([Violation("engine.V001", f"Unknown group “{group}”.", (group,))])
        spec = self.groups[group]
        target = self._target(spec, selection, value)
        chosen = self._units(selection)
        key = (group, value, tuple((u.group, u.picks) for u in chosen))
        with self._explained_lock:
            if key in self._explained:
                self._explained.move_to_end(key)
                return self._explained[key]
        explanation = self._explain(spec, target, chosen, value)
        with self._explained_lock:
            self._explained[key] = explanation
            while len(self._explained) > EXPLANATIONS_KEPT:
                self._explained.popitem(last=False)
        return explanation

    def _explain(
        self, spec: GroupSpec, target: _Unit, chosen: list[_Unit], value: str | None
    ) -> Explanation | None:
        group = spec.code
        units = [u for u in chosen if u.group != group or spec.kind == "multi"]
        if spec.kind == "multi":
            units = [self._without(u, target) if u.group == group else u for u in units]
            units = [u for u in units if u.masks]
        d = self.diagram
        if d.consistent(self._allowed([*units, target])):
            return None
        if not d.consistent(self._allowed([target])):
            return Explanation(group, value, (), self._dead_rules(target), None)
        conflict = self._smallest_conflict(target, units)
        rules = self._rules_between(target, conflict)
        repair = self._repair(target, units)
        return Explanation(group, value, tuple(u.group for u in conflict), rules, repair)

    def _target(self, group: GroupSpec, selection: Selection, value: str | None) -> _Unit:
        layers = self._layers_of[group.code]
        if group.kind == "multi":
            flag = next((i for i in layers if self.diagram.layers[i].value == value), None)
            if flag is None:
                raise SelectionError([_unknown_value(group.code, value)])
            return _Unit(group.code, ((flag, _ON),), ((flag, 1),))
        if group.kind == "choice":
            unit = self._unit(group, value) if value is not None or not group.required else None
            if unit is None:
                raise SelectionError([_unknown_value(group.code, value)])
            return unit
        present = value == PRESENT
        return _Unit(
            group.code, ((layers[0], _ON if present else _OFF),), ((layers[0], int(present)),)
        )

    @staticmethod
    def _without(unit: _Unit, target: _Unit) -> _Unit:
        skip = {layer for layer, _ in target.masks}
        return _Unit(
            unit.group,
            tuple(m for m in unit.masks if m[0] not in skip),
            tuple(p for p in unit.picks if p[0] not in skip),
        )

    def _smallest_conflict(self, target: _Unit, units: list[_Unit]) -> list[_Unit]:
        d = self.diagram
        # Conflicts of one choice, all found by one sweep under the target alone.
        alone = d.sweep(self._allowed([target])).feasible
        singles = [u for u in units if any(not alone[layer][i] for layer, i in u.picks)]
        if singles:
            return [singles[-1]]  # the most recent such choice
        # Implicit hitting sets: every conflict meets every correction set.
        corrections: list[frozenset[int]] = []
        hitting: tuple[int, ...] = ()
        for _ in range(64):
            hitting = _min_hitting_set(corrections, len(units))
            chosen = [units[i] for i in hitting]
            if not d.consistent(self._allowed([target, *chosen])):
                return chosen
            kept = set(hitting)
            path = self._keep_most(target, units, forced=kept)
            assert path is not None  # target with the hitting set is consistent
            changed = frozenset(
                i
                for i, u in enumerate(units)
                if i not in kept and any(path[layer] != index for layer, index in u.picks)
            )
            corrections.append(changed)
        return self._deletion_conflict(target, units)  # pragma: no cover - safety net

    def _deletion_conflict(self, target: _Unit, units: list[_Unit]) -> list[_Unit]:
        needed = list(units)
        for unit in list(reversed(units)):
            trial = [u for u in needed if u is not unit]
            if not self.diagram.consistent(self._allowed([target, *trial])):
                needed = trial
        return needed

    def _keep_most(
        self, target: _Unit, units: list[_Unit], forced: set[int] | None = None
    ) -> list[int] | None:
        """A configuration with the target keeping as many choices as it can, newest first."""
        forced = forced or set()
        d = self.diagram
        allowed = self._allowed([target, *(units[i] for i in forced)])
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
        return d.best_path(allowed, gains)

    def _repair(self, target: _Unit, units: list[_Unit]) -> Repair | None:
        path = self._keep_most(target, units)
        if path is None:
            return None
        changes: dict[str, str | tuple[str, ...] | None] = {}
        for unit in units:
            if all(path[layer] == index for layer, index in unit.picks):
                continue
            changes[unit.group] = self._value_on_path(self.groups[unit.group], path)
        return Repair(changes=changes, cost=len(changes))

    def _value_on_path(self, group: GroupSpec, path: Sequence[int]) -> Any:
        layers = self.diagram.layers
        indexes = self._layers_of[group.code]
        if group.kind == "choice":
            return layers[indexes[0]].domain[path[indexes[0]]]
        if group.kind == "multi":
            return tuple(layers[i].value for i in indexes if path[i])
        return PRESENT if path[indexes[0]] else None

    # Rules behind an explanation.

    def _partial(self, units: Iterable[_Unit]) -> dict[int, int]:
        return {layer: index for unit in units for layer, index in unit.picks}

    def _table(self, rule: RuleSpec) -> tuple[np.ndarray, list[int]]:
        """The rule's rows as domain indexes (-1 for ``*``) and the layer of each column."""
        return self.tables[rule.index], [self._layers_of[code][0] for code in rule.groups]

    def _broken(self, rule: RuleSpec, partial: Mapping[int, int]) -> bool:
        """Whether ``rule`` fails under ``partial`` whatever the unassigned layers take."""
        if rule.kind in ("allowed", "forbidden"):
            cells, layers = self._table(rule)
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
        holds_if = self._condition(rule.if_, partial)
        holds_then = self._condition(rule.then, partial)
        if rule.kind == "requires":
            return holds_if is True and holds_then is False
        return holds_if is True and holds_then is True

    def _condition(self, condition: Mapping[str, tuple[str, ...]], partial: Mapping[int, int]):
        """True, False, or None when the partial assignment does not decide it."""
        result: bool | None = True
        layers = self.diagram.layers
        for code, listed in condition.items():
            group = self.groups[code]
            indexes = self._layers_of[code]
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

    def _rules_between(self, target: _Unit, conflict: list[_Unit]) -> tuple[RuleRef, ...]:
        partial = self._partial([target, *conflict])
        involved = {target.group, *(u.group for u in conflict)}
        candidates = [r for r in self.spec.rules if involved & _scope(r)]
        broken = [r for r in candidates if self._broken(r, partial)]
        if not broken:
            # The choices rule the value out through a chain of rules: name the rules that
            # tie the target's group to the conflicting groups.
            broken = [r for r in candidates if target.group in _scope(r) and len(involved) > 1]
            broken = [r for r in broken if (involved - {target.group}) & _scope(r)] or broken
        return tuple(_ref(r) for r in broken)

    def _dead_rules(self, target: _Unit) -> tuple[RuleRef, ...]:
        partial = self._partial([target])
        rules = [r for r in self.spec.rules if target.group in _scope(r)]
        broken = [r for r in rules if self._broken(r, partial)]
        return tuple(_ref(r) for r in (broken or rules))

    # 3. Validation.

    def validate(self, selection: Selection) -> tuple[Violation, ...]:
        """Every violation of a complete configuration, each with a stable code."""
        violations: list[Violation] = []
        for code in selection:
            if code not in self.groups:
                violations.append(Violation("engine.V001", f"Unknown group “{code}”.", (code,)))
        for group in self.spec.groups:
            violations.extend(_group_violations(group, selection.get(group.code)))
        if violations:
            return tuple(violations)  # rules speak of known values only
        for rule in self.spec.rules:
            violation = self._rule_violation(rule, selection)
            if violation is not None:
                violations.append(violation)
        return tuple(violations)

    def _rule_violation(self, rule: RuleSpec, selection: Selection) -> Violation | None:
        ref = _ref(rule)
        text = _message(rule)
        if rule.kind in ("allowed", "forbidden"):
            values = tuple(selection.get(code) for code in rule.groups)
            cells, layers = self._table(rule)
            match = np.ones(len(cells), dtype=bool)
            for c, (layer, value) in enumerate(zip(layers, values, strict=True)):
                index = self.diagram.layers[layer].index(value)
                column = cells[:, c]
                match &= (column == -1) | (column == (-3 if index is None else index))
            matched = bool(match.any())
            if rule.kind == "allowed" and not matched:
                return Violation(
                    "engine.V030",
                    text or "This combination is not offered.",
                    rule.groups,
                    values,
                    ref,
                )
            if rule.kind == "forbidden" and matched:
                return Violation(
                    "engine.V031",
                    text or "This combination is not offered.",
                    rule.groups,
                    values,
                    ref,
                )
            return None
        holds_if = self._holds(rule.if_, selection)
        holds_then = self._holds(rule.then, selection)
        groups = tuple(dict.fromkeys([*rule.if_, *rule.then]))
        values = tuple(_shown(selection.get(code)) for code in groups)
        if rule.kind == "requires" and holds_if and not holds_then:
            return Violation(
                "engine.V032", text or "A required option is missing.", groups, values, ref
            )
        if rule.kind == "excludes" and holds_if and holds_then:
            return Violation(
                "engine.V033", text or "These options cannot go together.", groups, values, ref
            )
        return None

    def _holds(self, condition: Mapping[str, tuple[str, ...]], selection: Selection) -> bool:
        for code, listed in condition.items():
            group = self.groups[code]
            chosen = selection.get(code)
            if group.kind == "choice":
                ok = chosen in listed
            elif group.kind == "multi":
                ok = bool(set(chosen or ()) & set(listed))
            else:
                ok = _present(group, chosen)
            if not ok:
                return False
        return True

    # 4. Completion.

    def complete(self, selection: Selection, weights: Weights | None = None) -> dict[str, Any]:
        """A valid configuration keeping every choice and maximising the summed weights.

        ``weights`` maps ``(group, value)`` to a preference (use values of 0.001 or more;
        ``(group, None)`` weighs leaving an optional group empty). Ties go, in order, to the
        merchant's default values, to leaving optional groups empty and multi values off, and
        then to the earlier value in the merchant's order. Raises :class:`SelectionError`
        (code ``engine.V040``) when the choices admit no valid configuration.
        """
        d = self.diagram
        allowed = self._allowed(self._units(selection))
        gains: list[np.ndarray | None] = []
        for layer in d.layers:
            gains.append(self._gain(layer, weights or {}))
        path = d.best_path(allowed, gains)
        if path is None:
            raise SelectionError(
                [Violation("engine.V040", "These choices admit no valid configuration.")]
            )
        result: dict[str, Any] = {}
        for group in self.spec.groups:
            if group.has_values:
                result[group.code] = self._value_on_path(group, path)
                if group.kind == "multi":
                    result[group.code] = list(result[group.code])
            elif group.code in selection:
                result[group.code] = selection[group.code]
        return result

    def _gain(self, layer: Layer, weights: Weights) -> np.ndarray:
        group = self.groups[layer.group]
        gain = np.zeros(layer.size)
        if layer.kind == "choice":
            for i, code in enumerate(layer.domain):
                value = group.value(code) if code is not None else None  # type: ignore[arg-type]
                gain[i] = weights.get((group.code, code), 0.0)  # type: ignore[arg-type]
                if value is not None and value.default:
                    gain[i] += _DEFAULT_BONUS
                if code is None:
                    gain[i] += _EMPTY_BONUS
        elif layer.kind == "flag":
            value = group.value(layer.value or "")
            gain[1] = weights.get((group.code, layer.value), 0.0)
            if value is not None and value.default:
                gain[1] += _DEFAULT_BONUS
            gain[0] = _EMPTY_BONUS
        else:
            gain[0] = _EMPTY_BONUS
        return gain

    # 5. Price.

    def price(self, selection: Selection) -> Price:
        """Base price, each chosen value's delta and text per character, line by line."""
        spec = self.spec
        lines = [PriceLine("base", dict(spec.name), spec.base_price)]
        for group in spec.groups:
            chosen = selection.get(group.code)
            if group.kind == "choice" and chosen is not None:
                value = group.value(chosen)
                if value is not None and value.price_delta:
                    lines.append(
                        PriceLine(
                            "value", dict(value.name), value.price_delta, group.code, value.code
                        )
                    )
            elif group.kind == "multi":
                for value in group.values:
                    if value.code in (chosen or ()) and value.price_delta:
                        lines.append(
                            PriceLine(
                                "value",
                                dict(value.name),
                                value.price_delta,
                                group.code,
                                value.code,
                            )
                        )
            elif group.kind == "text" and _present(group, chosen):
                characters = chargeable_characters(str(chosen))
                amount = group.price_delta + group.price_per_char * characters
                if amount:
                    lines.append(
                        PriceLine("text", dict(group.name), amount, group.code, quantity=characters)
                    )
            elif group.kind == "image" and _present(group, chosen) and group.price_delta:
                lines.append(PriceLine("image", dict(group.name), group.price_delta, group.code))
        places = MINOR_UNITS.get(spec.currency, 2)
        quantum = Decimal(1).scaleb(-places)
        lines = [
            PriceLine(
                line.kind,
                line.label,
                line.amount.quantize(quantum),
                line.group,
                line.value,
                line.quantity,
            )
            for line in lines
        ]
        total = sum((line.amount for line in lines), Decimal(0)).quantize(quantum)
        return Price(spec.currency, tuple(lines), total)

    # 6. Display limits.

    def display(
        self,
        group: str,
        valid: Iterable[str | None],
        *,
        ranking: Sequence[str] = (),
        limit: int | None = None,
        keep: Iterable[str | None] = (),
    ) -> Display:
        """The values of ``group`` to show first, and how many more there are.

        Valid values are ordered by ``ranking`` (curated or personal order, best first), then
        by the merchant's order; values in ``keep`` (the current choice) are always shown.
        ``limit`` defaults to the group's display limit, then the product's.
        """
        spec = self.groups[group]
        if limit is None:
            limit = spec.max_visible_values or self.spec.max_visible_values
        return display_values(
            [v.code for v in spec.values if v.code in set(valid)], ranking, limit, keep
        )


def display_values(
    valid: Sequence[str],
    ranking: Sequence[str],
    limit: int | None,
    keep: Iterable[str | None] = (),
) -> Display:
    """``valid`` (in the merchant's order) ordered by ``ranking``, cut at ``limit``."""
    rank = {code: i for i, code in enumerate(ranking)}
    ordered = sorted(valid, key=lambda code: (rank.get(code, len(rank)), valid.index(code)))
    if limit is None or limit >= len(ordered):
        return Display(tuple(ordered), 0)
    kept = [code for code in ordered if code in set(keep)]
    shown = kept[:limit]
    for code in ordered:
        if len(shown) >= limit:
            break
        if code not in shown:
            shown.append(code)
    shown.sort(key=ordered.index)
    return Display(tuple(shown), len(ordered) - len(shown))


def chargeable_characters(text: str) -> int:
    """Characters charged for an engraving: letters and marks as the shopper sees them.

    Whitespace is free. Vietnamese letters count once whether the text arrives composed
    (NFC, "ệ") or decomposed (NFD, "e" + two combining marks).
    """
    normalized = unicodedata.normalize("NFC", text)
    return sum(
        1 for ch in normalized if not ch.isspace() and not unicodedata.category(ch).startswith("M")
    )


# Characters a text may not hold: controls (NUL, tab, line breaks; no group takes several
# lines), format characters that draw nothing or reorder what is drawn (bidi overrides
# U+202E, zero-width U+200B-U+200D, U+2060, U+FEFF, soft hyphen), lone surrogates (which
# no database stores) and line/paragraph separators.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def unprintable_characters(text: str) -> tuple[str, ...]:
    """The distinct characters of ``text`` that a text option refuses, in order of appearance.

    Combining marks are letters' parts, not hidden characters: Vietnamese typed decomposed
    passes (and is composed by NFC before it is kept).
    """
    return tuple(dict.fromkeys(ch for ch in text if unicodedata.category(ch) in _UNPRINTABLE))


_ON = np.array([False, True])
_OFF = np.array([True, False])


def _present(group: GroupSpec, chosen: Any) -> bool:
    if group.kind == "text":
        return isinstance(chosen, str) and chosen != ""
    return chosen is not None and chosen is not False


def _scope(rule: RuleSpec) -> set[str]:
    return set(rule.groups) if rule.groups else {*rule.if_, *rule.then}


def _message(rule: RuleSpec) -> str:
    message = rule.message
    return message.get("en") or message.get("") or next(iter(message.values()), "")


def _ref(rule: RuleSpec) -> RuleRef:
    return RuleRef(rule.label, rule.kind, dict(rule.message))


def _shown(chosen: Any) -> str | None:
    if chosen is None or isinstance(chosen, str):
        return chosen
    if isinstance(chosen, list | tuple | set | frozenset):
        return ",".join(sorted(str(v) for v in chosen))
    return PRESENT


def _unknown_value(group: str, value: Any) -> Violation:
    return Violation("engine.V002", f"“{value}” is not a value of “{group}”.", (group,), (value,))


def _group_violations(group: GroupSpec, chosen: Any) -> list[Violation]:
    code = group.code
    found: list[Violation] = []
    if group.kind == "choice":
        if chosen is None:
            if group.required:
                found.append(Violation("engine.V003", f"Choose a value for “{code}”.", (code,)))
        elif not isinstance(chosen, str):
            found.append(Violation("engine.V006", f"“{code}” takes one value.", (code,)))
        elif group.value(chosen) is None:
            found.append(_unknown_value(code, chosen))
    elif group.kind == "multi":
        chosen = chosen or []
        if isinstance(chosen, str) or not isinstance(chosen, list | tuple):
            return [Violation("engine.V006", f"“{code}” takes a list of values.", (code,))]
        for value in chosen:
            if group.value(value) is None:
                found.append(_unknown_value(code, value))
        if len(set(chosen)) != len(chosen):
            found.append(Violation("engine.V007", f"A value of “{code}” is repeated.", (code,)))
        low = max(group.min, 1 if group.required else 0)
        if len(set(chosen)) < low:
            found.append(Violation("engine.V004", f"Choose at least {low} of “{code}”.", (code,)))
        if group.max is not None and len(set(chosen)) > group.max:
            found.append(
                Violation("engine.V005", f"Choose at most {group.max} of “{code}”.", (code,))
            )
    elif group.kind == "text":
        if chosen is not None and not isinstance(chosen, str):
            return [Violation("engine.V006", f"“{code}” takes a text.", (code,))]
        text = unicodedata.normalize("NFC", chosen or "")
        if not text:
            if group.required:
                found.append(Violation("engine.V003", f"Enter a text for “{code}”.", (code,)))
            return found
        hidden = unprintable_characters(text)
        if hidden:
            found.append(
                Violation(
                    "engine.V012",
                    f"“{code}” takes no control or invisible characters "
                    f"({', '.join(f'U+{ord(ch):04X}' for ch in hidden)}).",
                    (code,),
                    (text,),
                )
            )
        if group.max_length is not None and len(text) > group.max_length:
            found.append(
                Violation(
                    "engine.V010",
                    f"“{code}” takes at most {group.max_length} characters.",
                    (code,),
                    (text,),
                )
            )
        # A text already refused for hidden characters is not matched (a lone surrogate
        # cannot even be encoded for RE2).
        if group.pattern and not hidden and not pattern_fullmatch(group.pattern, text):
            found.append(
                Violation("engine.V011", f"“{code}” does not take this text.", (code,), (text,))
            )
    else:
        if chosen is None:
            if group.required:
                found.append(Violation("engine.V003", f"Upload an image for “{code}”.", (code,)))
            return found
        info = chosen if isinstance(chosen, ImageInfo) else ImageInfo(**dict(chosen))
        if group.max_bytes is not None and info.bytes > group.max_bytes:
            found.append(
                Violation(
                    "engine.V020", f"The image is larger than {group.max_bytes} bytes.", (code,)
                )
            )
        if (group.min_width and info.width < group.min_width) or (
            group.min_height and info.height < group.min_height
        ):
            found.append(
                Violation(
                    "engine.V021",
                    f"The image must be at least {group.min_width or 0}×"
                    f"{group.min_height or 0} pixels.",
                    (code,),
                )
            )
        if group.formats and _format_name(info.format) not in {
            _format_name(f) for f in group.formats
        }:
            found.append(
                Violation(
                    "engine.V022",
                    f"The image must be one of: {', '.join(group.formats)}.",
                    (code,),
                    (info.format,),
                )
            )
    return found


def _format_name(name: str) -> str:
    name = name.lower()
    return "jpeg" if name == "jpg" else name


def _min_hitting_set(sets: list[frozenset[int]], universe: int) -> tuple[int, ...]:
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
