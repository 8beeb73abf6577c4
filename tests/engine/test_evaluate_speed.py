"""The shortcuts of a studio answer give the same answers as the questions asked one by one.

A studio answer reads the selection once (``Engine.units``), asks the diagram once
(``Engine.answers``) and, when the selection fixes every layer and the diagram holds it,
skips checking the rules one by one: here, on generated option sets, every configuration
and every partial selection, against the plain questions and against brute force.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.engine import EngineError, compile_option_set

from . import brute
from .documents import SHOE


@st.composite
def option_sets(draw: st.DrawFn) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    for g in range(draw(st.integers(2, 4))):
        kind = draw(st.sampled_from(["choice", "choice", "multi", "text"]))
        group: dict[str, Any] = {"code": f"g{g}", "name": f"G{g}", "kind": kind}
        group["required"] = draw(st.booleans())
        if kind in ("choice", "multi"):
            count = draw(st.integers(1, 3))
            group["values"] = [{"code": f"v{i}", "name": f"V{i}"} for i in range(count)]
        groups.append(group)
    rules: list[dict[str, Any]] = []
    for r in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["allowed", "forbidden", "requires", "excludes"]))
        choices = [g for g in groups if g["kind"] == "choice"]
        if kind in ("allowed", "forbidden") and choices:
            scope = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=2, unique_by=id))
            cells = [
                [v["code"] for v in g["values"]] + ["*"] + ([] if g["required"] else [None])
                for g in scope
            ]
            rows = draw(
                st.lists(st.tuples(*(st.sampled_from(c) for c in cells)), min_size=1, max_size=4)
            )
            rules.append(
                {"kind": kind, "id": f"r{r}", "groups": [g["code"] for g in scope], "rows": rows}
            )
        elif kind in ("requires", "excludes"):
            parts = []
            for _ in range(2):
                group = draw(st.sampled_from(groups))
                codes = [v["code"] for v in group.get("values", [])] or ["present"]
                parts.append({group["code"]: draw(st.lists(st.sampled_from(codes), min_size=1))})
            rules.append({"kind": kind, "id": f"r{r}", "if": parts[0], "then": parts[1]})
    return {
        "format": "option-set/1",
        "product": {"sku": "GEN", "name": "Generated", "base_price": "0", "currency": "VND"},
        "groups": groups,
        "rules": [{**rule, "rows": [list(row) for row in rule.get("rows", [])]} for rule in rules]
        if rules
        else [],
    }


def selections(document: dict[str, Any]):
    """Every selection: each group chosen (in any of its states) or left out."""
    groups = document["groups"]
    options = [[("absent", None)] + [("given", s) for s in brute.group_states(g)] for g in groups]
    for combo in itertools.product(*options):
        yield {
            group["code"]: state
            for group, (how, state) in zip(groups, combo, strict=True)
            if how == "given"
        }


def check(document: dict[str, Any]) -> int:
    engine = compile_option_set(document)
    configurations = list(brute.configurations(document))
    full = 0
    for selection in selections(document):
        units = engine.units(selection)
        assert engine.validate(selection, units=units) == engine.validate(selection), selection
        assert engine.valid_values(selection, units=units) == engine.valid_values(selection)
        answers = engine.answers(selection, units=units)
        assert answers.valid == engine.valid_values(selection)
        assert answers.violations == engine.validate(selection), selection
        assert answers.price == engine.price(selection)
        if len(selection) == len(document["groups"]):
            full += 1
            valid = selection in configurations
            assert (engine.validate(selection, units=units) == ()) == valid, selection
    return full


def test_validate_with_units_agrees_on_the_shoe():
    assert check(SHOE) > 0


def test_units_are_made_once_per_choice_and_reused():
    engine = compile_option_set(SHOE)
    selection = {g.code: g.values[0].code for g in engine.spec.groups if g.kind == "choice"}
    first = engine.units(selection)
    again = engine.units(dict(selection))
    assert [a is b for a, b in zip(first, again, strict=True)] == [True] * len(first)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(option_sets())
def test_validate_with_units_agrees_with_brute_force(document):
    try:
        compile_option_set(document)
    except EngineError:
        assume(False)
    check(document)
