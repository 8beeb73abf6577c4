"""Values switched off at run time (out of stock) keep the engine exact.

The oracle compiles nothing: it enumerates the document with the same values switched off in
it (``extensions.active: false``), and every answer of ``Engine.switched_off`` must agree.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.engine import SelectionError

from . import brute
from .documents import SHOE
from .test_properties import cases, compiled_or_none

PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def switched_off_in(doc: dict[str, Any], off: set[tuple[str, str]]) -> dict[str, Any]:
    """The document with ``off`` switched off in it: what the brute force enumerates."""
    doc = copy.deepcopy(doc)
    for group in doc["groups"]:
        for value in group.get("values", []):
            if (group["code"], value["code"]) in off:
                value["extensions"] = {"active": False}
    return doc


@st.composite
def stocked_cases(draw: st.DrawFn):
    doc, selection = draw(cases())
    pairs = [(g["code"], v["code"]) for g in doc["groups"] for v in g.get("values", [])]
    off = set(draw(st.lists(st.sampled_from(pairs), unique=True))) if pairs else set()
    return doc, selection, off


def _engines(doc, off):
    engine, _ = compiled_or_none(doc)
    assume(engine is not None)
    return engine.switched_off(off), switched_off_in(doc, off)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(stocked_cases())
def test_valid_values_match_enumeration_with_values_switched_off(case):
    doc, selection, off = case
    engine, reference = _engines(doc, off)
    assert engine.valid_values(selection) == brute.valid_values(reference, selection)
    answers = engine.answers(selection)
    assert answers.valid == brute.valid_values(reference, selection)
    agreeing = [c for c in brute.configurations(reference) if brute.agrees(c, selection, "", doc)]
    assert engine.is_consistent(selection) == bool(agreeing)
    assert answers.consistent == bool(agreeing)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(stocked_cases())
def test_validate_agrees_with_enumeration_with_values_switched_off(case):
    doc, _selection, off = case
    engine, reference = _engines(doc, off)
    valid = list(brute.configurations(reference))
    for combo in itertools.product(*(brute.group_states(g) for g in doc["groups"])):
        config = dict(zip([g["code"] for g in doc["groups"]], combo, strict=True))
        violations = engine.validate(config)
        assert (violations == ()) == (config in valid), (config, violations)
        held = {
            (g["code"], v)
            for g in doc["groups"]
            for v in (config[g["code"]] if g["kind"] == "multi" else [config[g["code"]]])
            if (g["code"], v) in off
        }
        if held and not any(
            v.code in ("engine.V003", "engine.V004", "engine.V005") for v in violations
        ):
            assert {
                (v.groups[0], v.values[0]) for v in violations if v.code == "engine.V050"
            } == held


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(stocked_cases(), st.data())
def test_completion_never_takes_a_switched_off_value_and_is_optimal(case, data):
    doc, selection, off = case
    engine, reference = _engines(doc, off)
    weights = {
        (g["code"], v["code"]): float(data.draw(st.integers(0, 3)))
        for g in doc["groups"]
        for v in g.get("values", [])
    }
    matching = [c for c in brute.configurations(reference) if brute.agrees(c, selection, "", doc)]
    if not matching:
        with pytest.raises(SelectionError):
            engine.complete(selection, weights)
        return
    completed = engine.complete(selection, weights)
    projected = brute.projection({**completed, **_texts(doc, completed)}, doc)
    assert projected in {brute.projection(c, doc) for c in matching}

    def score(config):
        total = 0.0
        for group in doc["groups"]:
            chosen = config.get(group["code"])
            if group["kind"] == "choice":
                total += weights.get((group["code"], chosen), 0.0)
            elif group["kind"] == "multi":
                total += sum(weights[(group["code"], v)] for v in chosen)
        return total

    assert score(completed) == max(score(c) for c in matching)


def _texts(doc, completed):
    return {
        g["code"]: completed.get(g["code"]) or ""
        for g in doc["groups"]
        if g["kind"] == "text" and g["code"] not in completed
    }


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(stocked_cases())
def test_repairs_avoid_switched_off_values_and_change_fewest_choices(case):
    doc, selection, off = case
    engine, reference = _engines(doc, off)
    configs = list(brute.configurations(reference))
    valid = engine.valid_values(selection)
    for group in doc["groups"]:
        if group["kind"] != "choice":
            continue
        code = group["code"]
        for value in (v["code"] for v in group["values"]):
            if value in valid[code]:
                continue
            explanation = engine.explain(selection, code, value)
            assert explanation is not None
            if (code, value) in off:
                assert explanation.switched_off
                assert (explanation.conflict, explanation.repair) == ((), None)
                continue
            others = {k: v for k, v in selection.items() if k != code}
            with_value = [c for c in configs if c[code] == value]
            if not with_value:
                assert explanation.repair is None
                continue
            assert explanation.repair is not None
            fewest = min(
                sum(1 for k in others if not brute.agrees(c, {k: others[k]}, "", doc))
                for c in with_value
            )
            assert explanation.repair.cost == fewest
            repaired = {**others, **explanation.repair.changes}
            for g, v in explanation.repair.changes.items():
                for item in v if isinstance(v, tuple) else (v,):
                    assert (g, item) not in off
            assert value in engine.valid_values({**repaired, code: value})[code]


def test_a_switched_off_value_is_refused_and_explained_as_such(shoe):
    material = next(g for g in SHOE["groups"] if g["code"] == "material")
    gone = material["values"][0]["code"]
    engine = shoe.switched_off([("material", gone), ("no-such-group", "x")])
    assert engine.off == frozenset({("material", gone)})
    assert gone not in engine.valid_values({})["material"]
    assert gone in shoe.valid_values({})["material"]  # the compiled engine is untouched
    explanation = engine.explain({}, "material", gone)
    assert explanation is not None and explanation.switched_off
    assert (explanation.conflict, explanation.rules, explanation.repair) == ((), (), None)
    assert engine.complete({})["material"] != gone
    assert engine.switched_off([("material", gone)]) is engine  # kept: explanations stay warm
    assert shoe.switched_off([]) is shoe
    assert engine.switched_off([]) is shoe
