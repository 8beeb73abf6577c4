"""Property-based: on generated small option sets the engine agrees with brute force."""

from __future__ import annotations

from contextlib import AbstractContextManager, ExitStack
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.engine import EngineError, SelectionError, compile_option_set, compiler

from . import brute

pytestmark = pytest.mark.slow

PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def option_sets(draw: st.DrawFn) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    for g in range(draw(st.integers(2, 4))):
        kind = draw(st.sampled_from(["choice", "choice", "multi", "text", "number"]))
        group: dict[str, Any] = {"code": f"g{g}", "name": f"G{g}", "kind": kind}
        group["required"] = draw(st.booleans())
        if kind == "number":
            step = draw(st.sampled_from(["1", "0.5", "10"]))
            low = draw(st.sampled_from(["0", "1", "20"]))
            group |= {"minimum": low, "increment": step}
            group["maximum"] = str(Decimal(low) + Decimal(step) * draw(st.integers(0, 3)))
        if kind in ("choice", "multi"):
            count = draw(st.integers(1, 3))
            group["values"] = [{"code": f"v{i}", "name": f"V{i}"} for i in range(count)]
        if kind == "multi":
            group["min"] = draw(st.integers(0, 1))
            group["max"] = draw(st.integers(max(group["min"], 1), len(group["values"])))
        groups.append(group)
    choices = [g for g in groups if g["kind"] == "choice"]
    rules: list[dict[str, Any]] = []
    for r in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["allowed", "forbidden", "requires", "excludes"]))
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
                {
                    "kind": kind,
                    "id": f"r{r}",
                    "groups": [g["code"] for g in scope],
                    "rows": [list(row) for row in rows],
                }
            )
        elif kind in ("requires", "excludes"):
            rules.append(
                {
                    "kind": kind,
                    "id": f"r{r}",
                    "if": draw(condition(groups)),
                    "then": draw(condition(groups)),
                }
            )
    return {
        "format": "option-set/1",
        "product": {"sku": "GEN", "name": "Generated", "base_price": "0", "currency": "VND"},
        "groups": groups,
        "rules": rules,
    }


@st.composite
def condition(draw: st.DrawFn, groups: list[dict[str, Any]]) -> dict[str, list[str]]:
    group = draw(st.sampled_from(groups))
    if group["kind"] == "text":
        return {group["code"]: ["present"]}
    if group["kind"] == "number":
        values = brute.number_values(group)
        items = [*values, f"<={values[0]}", f">={values[-1]}", f"{values[0]}..{values[-1]}"]
        if len(values) > 1:
            items += [f">{values[0]}", f"<{values[-1]}"]
        return {group["code"]: draw(st.lists(st.sampled_from(items), min_size=1, unique=True))}
    codes = [v["code"] for v in group["values"]]
    return {group["code"]: draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))}


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = draw(option_sets())
    selection: dict[str, Any] = {}
    for group in doc["groups"]:
        if not draw(st.booleans()):
            continue
        states = brute.group_states(group)
        if group["kind"] == "multi":
            codes = [v["code"] for v in group["values"]]
            selection[group["code"]] = draw(st.lists(st.sampled_from(codes), unique=True))
        else:
            selection[group["code"]] = draw(st.sampled_from(states))
    return doc, selection


def compiled_or_none(doc: dict[str, Any]):
    configs = list(brute.configurations(doc))
    if not configs:
        with pytest.raises(EngineError) as caught:
            compile_option_set(doc)
        assert {issue.code for issue in caught.value.issues} <= {"engine.E040", "engine.E041"}
        return None, configs
    return compile_option_set(doc), configs


# The compiler's three ways to the diagram (compiler.compile_spec): generated models are
# small, so without patching they only take the first one.
COMPILE_PATHS = {
    "document order, not sifted": {},
    "document order, sifted once": {"_SIFT_PER_VARIABLE": 0, "_PROBE_GAIN": -1.0},
    "dynamic reordering": {"_QUICK_LIMIT": -1},
}


def compile_path(name: str) -> AbstractContextManager[Any]:
    stack = ExitStack()
    for attribute, value in COMPILE_PATHS[name].items():
        stack.enter_context(mock.patch.object(compiler, attribute, value))
    return stack


@pytest.mark.parametrize("path", COMPILE_PATHS)
@PROPERTY_SETTINGS
@given(doc=option_sets())
def test_count_matches_enumeration(path, doc):
    with compile_path(path):
        engine, configs = compiled_or_none(doc)
    assume(engine is not None)
    assert engine.configurations == len({brute.projection(c, doc) for c in configs})


@pytest.mark.parametrize("path", COMPILE_PATHS)
@PROPERTY_SETTINGS
@given(case=cases())
def test_valid_values_match_enumeration(path, case):
    doc, selection = case
    with compile_path(path):
        engine, _ = compiled_or_none(doc)
    assume(engine is not None)
    assert engine.valid_values(selection) == brute.valid_values(doc, selection)


@PROPERTY_SETTINGS
@given(option_sets(), st.data())
def test_validate_agrees_with_enumeration(doc, data):
    engine, configs = compiled_or_none(doc)
    assume(engine is not None)
    every = [
        dict(zip([g["code"] for g in doc["groups"]], combo, strict=True))
        for combo in __import__("itertools").product(
            *(brute.group_states(g) for g in doc["groups"])
        )
    ]
    valid = [c for c in every if c in configs]
    for config in every:
        violations = engine.validate(config)
        assert (violations == ()) == (config in valid), (config, violations)


@PROPERTY_SETTINGS
@given(cases(), st.data())
def test_completion_is_valid_keeps_choices_and_is_optimal(case, data):
    doc, selection = case
    engine, configs = compiled_or_none(doc)
    assume(engine is not None)
    weights = {}
    for group in doc["groups"]:
        for value in group.get("values", []):
            weights[(group["code"], value["code"])] = float(data.draw(st.integers(0, 3)))
    matching = [c for c in configs if brute.agrees(c, selection, "", doc)]
    if not matching:
        with pytest.raises(SelectionError):
            engine.complete(selection, weights)
        return
    completed = engine.complete(selection, weights)
    for group in doc["groups"]:  # text groups keep what the shopper typed, or stay empty
        if group["kind"] == "text" and group["code"] not in completed:
            completed[group["code"]] = brute.TEXT if group["required"] else ""
        elif group["kind"] == "text" and completed[group["code"]] in (None, ""):
            completed[group["code"]] = completed[group["code"]] or ""

    def score(config):
        total = 0.0
        for group in doc["groups"]:
            chosen = config[group["code"]]
            if group["kind"] == "choice":
                total += weights.get((group["code"], chosen), 0.0)
            elif group["kind"] == "multi":
                total += sum(weights[(group["code"], v)] for v in chosen)
        return total

    assert brute.agrees(completed, selection, "", doc)
    best = max(score(c) for c in matching)
    assert score(completed) == best
    projected = brute.projection(completed, doc)
    assert projected in {brute.projection(c, doc) for c in matching}
