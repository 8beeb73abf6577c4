"""The benchmark's SAT and BDD references against brute-force enumeration, on tiny sets."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.agreement import Session
from bench.reference import BddReference, SatReference
from configurator.engine import compile_option_set


def _group(code: str, values: list[str], required: bool = True) -> dict[str, Any]:
    group: dict[str, Any] = {
        "code": code,
        "name": code,
        "kind": "choice",
        "values": [{"code": v, "name": v} for v in values],
    }
    if not required:
        group["required"] = False
    return group


def _document(groups: list[dict[str, Any]], rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "option-set/1",
        "product": {"sku": "T", "name": "T", "base_price": "0", "currency": "EUR"},
        "groups": groups,
        "rules": rules,
    }


# Every rule kind: a table with a wildcard and a null, a forbidden row, requires, excludes.
EVERY_KIND = _document(
    [
        _group("a", ["x", "y", "z"]),
        _group("b", ["p", "q"], required=False),
        _group("c", ["m", "n"]),
    ],
    [
        {"kind": "allowed", "groups": ["a", "b"], "rows": [["x", "p"], ["y", None], ["z", "*"]]},
        {"kind": "forbidden", "groups": ["a", "c"], "rows": [["z", "n"]]},
        {"kind": "requires", "if": {"b": ["q"]}, "then": {"c": ["n"]}},
        {"kind": "excludes", "if": {"a": ["y"]}, "then": {"c": ["m"]}},
    ],
)


def _domains(document: dict[str, Any]) -> dict[str, list[str | None]]:
    return {
        g["code"]: [v["code"] for v in g["values"]] + ([] if g.get("required", True) else [None])
        for g in document["groups"]
    }


def _holds(rule: dict[str, Any], config: dict[str, str | None]) -> bool:
    if rule["kind"] in ("requires", "excludes"):
        first = all(config[g] in vs for g, vs in rule["if"].items())
        then = all(config[g] in vs for g, vs in rule["then"].items())
        return (not first or then) if rule["kind"] == "requires" else not (first and then)
    matches = any(
        all(cell == "*" or config[g] == cell for g, cell in zip(rule["groups"], row, strict=True))
        for row in rule["rows"]
    )
    return matches if rule["kind"] == "allowed" else not matches


def _solutions(document: dict[str, Any]) -> list[dict[str, str | None]]:
    domains = _domains(document)
    configs = (
        dict(zip(domains, combo, strict=True)) for combo in itertools.product(*domains.values())
    )
    return [c for c in configs if all(_holds(r, c) for r in document["rules"])]


def _brute_valid(document: dict[str, Any], selection: dict[str, Any]) -> dict[str, frozenset]:
    solutions = _solutions(document)
    chosen = {g: v for g, v in selection.items() if v is not None or None in _domains(document)[g]}
    return {
        g: frozenset(s[g] for s in solutions if all(s[o] == v for o, v in chosen.items() if o != g))
        for g in _domains(document)
    }


def _partial_selections(document: dict[str, Any]):
    domains = _domains(document)
    options = [[("absent",), *[(v,) for v in values]] for values in domains.values()]
    for combo in itertools.product(*options):
        yield {g: pick[0] for g, pick in zip(domains, combo, strict=True) if pick != ("absent",)}


def test_references_and_engine_agree_with_brute_force_on_every_partial_selection():
    sat, bdd = SatReference(EVERY_KIND), BddReference(EVERY_KIND)
    engine = compile_option_set(EVERY_KIND)
    selections = list(_partial_selections(EVERY_KIND))

    assert len(selections) == 4 * 4 * 3
    for selection in selections:
        expected = _brute_valid(EVERY_KIND, selection)
        assert sat.valid_values(selection) == expected, selection
        assert bdd.valid_values(selection) == expected, selection
        assert engine.valid_values(selection) == expected, selection
    # x-p-m, x-p-n, y-empty-n, z-p-m, z-q-? (q requires n, z excludes n): none, z-empty-m
    assert bdd.count() == len(_solutions(EVERY_KIND)) == engine.configurations == 5


def test_sat_reference_reads_none_as_empty_only_for_optional_groups():
    sat = SatReference(EVERY_KIND)

    assert sat.valid_values({"b": None})["a"] == frozenset({"y", "z"})
    assert sat.valid_values({"a": None}) == sat.valid_values({})  # required: not chosen yet
    with pytest.raises(KeyError):
        sat.valid_values({"nope": "x"})
    with pytest.raises(KeyError):
        sat.valid_values({"a": "w"})


def test_sat_reference_conflict_completion_and_best_weight():
    sat = SatReference(EVERY_KIND)
    selection = {"a": "y", "c": "n", "b": None}

    assert sat.conflict(selection, "c", "m") == ["a"]  # y excludes m
    assert sat.conflict(selection, "a", "x") == ["b"]  # x needs p
    assert sat.conflict(selection, "c", "n") is None  # available
    assert sat.complete({"a": "x", "c": "n"}) == {"a": "x", "b": "p", "c": "n"}
    assert sat.complete({"a": "y", "c": "m"}) is None
    assert sat.best_weight({}, {("a", "z"): 3, ("c", "n"): 2, ("b", "q"): 1}) == 3
    assert sat.best_weight({"c": "n"}, {("a", "z"): 3, ("b", None): 4, ("c", "n"): 2}) == 6
    assert sat.holds({"a": "z", "b": None, "c": "m"}) is True
    assert sat.holds({"a": "z", "b": None}) is False  # not complete
    with pytest.raises(ValueError, match="no valid configuration"):
        sat.best_weight({"a": "y", "c": "m"}, {})


def test_bdd_reference_counts_exactly_past_double_precision():
    groups = [_group(f"g{i}", ["u", "v", "w"]) for i in range(60)]
    rules = [{"kind": "forbidden", "groups": ["g0", "g1"], "rows": [["u", "u"]]}]

    count = BddReference(_document(groups, rules)).count()

    assert count == 3**60 - 3**58
    assert float(count) == float(count + 1)  # a double cannot tell these apart


def test_agreement_session_reports_an_engine_that_offers_a_dead_end():
    class Wrong:
        """The real engine, except that it also offers a=y after b=p (a dead end)."""

        def __init__(self) -> None:
            self.engine = compile_option_set(EVERY_KIND)

        def valid_values(self, selection):
            valid = dict(self.engine.valid_values(selection))
            if selection.get("b") == "p":
                valid["a"] = valid["a"] | {"y"}
            return valid

        def __getattr__(self, name):
            return getattr(self.engine, name)

    session = Session("tiny", Wrong(), SatReference(EVERY_KIND), seed=1)
    session.selection = {"b": "p"}
    session.step(0)

    assert (
        session.mismatches[0]
        == "tiny step 0: valid values of a: engine ['x', 'y', 'z'] != SAT ['x', 'z']"
    )


def test_agreement_session_passes_the_real_engine():
    session = Session("tiny", compile_option_set(EVERY_KIND), SatReference(EVERY_KIND), seed=3)

    for step in range(20):
        session.step(step)

    assert session.mismatches == []
    assert session.completed == 20


@st.composite
def option_sets(draw):
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    groups = [
        _group(f"g{i}", [f"v{j}" for j in range(n)], required=draw(st.booleans()))
        for i, n in enumerate(sizes)
    ]
    domains = _domains(_document(groups, []))
    rules = []
    for _ in range(draw(st.integers(0, 3))):
        scope = draw(st.lists(st.sampled_from(list(domains)), min_size=1, max_size=3, unique=True))
        cells = [st.sampled_from([*domains[g], "*"]) for g in scope]
        rows = draw(st.lists(st.tuples(*cells).map(list), min_size=1, max_size=5))
        kind = draw(st.sampled_from(["allowed", "forbidden"]))
        rules.append({"kind": kind, "groups": scope, "rows": rows})
    return _document(groups, rules)


@pytest.mark.slow  # 60 generated option sets
@settings(max_examples=60, deadline=None)
@given(document=option_sets(), data=st.data())
def test_references_agree_with_brute_force_on_generated_option_sets(document, data):
    selection = data.draw(st.sampled_from(list(_partial_selections(document))))
    expected = _brute_valid(document, selection)

    assert SatReference(document).valid_values(selection) == expected
    bdd = BddReference(document)
    assert bdd.valid_values(selection) == expected
    assert bdd.count() == len(_solutions(document))
