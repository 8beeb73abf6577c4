"""Validation of a complete configuration: every violation, each with a stable code.

Each group's choice is checked by its kind (:mod:`.group_checks`); when every choice is
well formed, each rule is checked against the selection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .group_checks import group_violations
from .results import RuleRef, Violation
from .rules import message, ref, table
from .selection import Selection, choice_code, present
from .spec import PRESENT, RuleSpec
from .switched_off import off_violations

if TYPE_CHECKING:
    from .engine import Engine


def violations_of(
    engine: Engine, selection: Selection, *, rules_kept: bool = False, consistent: bool = False
) -> tuple[Violation, ...]:
    """Every violation of ``selection`` as a complete configuration.

    ``rules_kept``: the caller knows the selection keeps every rule (the diagram holds it
    with every layer fixed), so only each group's own checks run. ``consistent``: the
    caller knows the diagram holds it, so it holds no switched-off value.
    """
    violations: list[Violation] = []
    for code in selection:
        if code not in engine.groups:
            violations.append(Violation("engine.V001", f"Unknown group “{code}”.", (code,)))
    violations.extend(group_violations(engine.spec.groups, selection))
    if engine.off and not violations and not consistent:
        violations.extend(off_violations(engine, selection))
    if violations or rules_kept:
        return tuple(violations)  # rules speak of known values only
    for rule in engine.spec.rules:
        violation = rule_violation(engine, rule, selection)
        if violation is not None:
            violations.append(violation)
    return tuple(violations)


def rule_violation(engine: Engine, rule: RuleSpec, selection: Selection) -> Violation | None:
    """How ``selection`` breaks ``rule``, or None when it keeps it."""
    if rule.kind in ("allowed", "forbidden"):
        return _table_violation(engine, rule, selection, ref(rule), message(rule))
    return _condition_violation(engine, rule, selection, ref(rule), message(rule))


def _table_violation(
    engine: Engine, rule: RuleSpec, selection: Selection, rule_ref: RuleRef, text: str
) -> Violation | None:
    values = tuple(choice_code(engine.groups[code], selection.get(code)) for code in rule.groups)
    cells, layers = table(engine, rule)
    match = np.ones(len(cells), dtype=bool)
    for c, (layer, value) in enumerate(zip(layers, values, strict=True)):
        index = engine.diagram.layers[layer].index(value)
        column = cells[:, c]
        match &= (column == -1) | (column == (-3 if index is None else index))
    matched = bool(match.any())
    if rule.kind == "allowed" and not matched:
        return Violation(
            "engine.V030", text or "This combination is not offered.", rule.groups, values, rule_ref
        )
    if rule.kind == "forbidden" and matched:
        return Violation(
            "engine.V031", text or "This combination is not offered.", rule.groups, values, rule_ref
        )
    return None


def _condition_violation(
    engine: Engine, rule: RuleSpec, selection: Selection, rule_ref: RuleRef, text: str
) -> Violation | None:
    holds_if = holds(engine, rule.if_, selection)
    holds_then = holds(engine, rule.then, selection)
    groups = tuple(dict.fromkeys([*rule.if_, *rule.then]))
    values = tuple(shown(choice_code(engine.groups[code], selection.get(code))) for code in groups)
    if rule.kind == "requires" and holds_if and not holds_then:
        return Violation(
            "engine.V032", text or "A required option is missing.", groups, values, rule_ref
        )
    if rule.kind == "excludes" and holds_if and holds_then:
        return Violation(
            "engine.V033", text or "These options cannot go together.", groups, values, rule_ref
        )
    return None


def holds(engine: Engine, condition: Mapping[str, tuple[str, ...]], selection: Selection) -> bool:
    """Whether ``selection`` meets every group's part of a rule's condition."""
    for code, listed in condition.items():
        group = engine.groups[code]
        chosen = choice_code(group, selection.get(code))
        if group.kind == "choice":
            ok = chosen in listed
        elif group.kind == "multi":
            ok = bool(set(chosen or ()) & set(listed))
        else:
            ok = present(group, chosen)
        if not ok:
            return False
    return True


def shown(chosen: Any) -> str | None:
    """A choice as a violation names it: a multi choice as its sorted codes, joined."""
    if chosen is None or isinstance(chosen, str):
        return chosen
    if isinstance(chosen, list | tuple | set | frozenset):
        return ",".join(sorted(str(v) for v in chosen))
    return PRESENT
