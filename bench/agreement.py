"""``python -m bench.agreement [small medium big] [--seed S] [--steps 50]``

The engine against a SAT solver on the Renault models, in random interactive sessions.
Per model: the engine's count of valid configurations must equal the data's README (and,
on small and medium, the straightforward BDD's exact count). Then, at every step of a
session of ``--steps`` actions (mostly a random unchosen group set to a random value the
SAT solver says is valid; sometimes a choice taken back, or switched to another valid
value), it checks:

- valid values: the engine's set equals the solver's for EVERY group;
- explanation, for a random value the solver says is unavailable: the engine's conflict
  rules the value out (the solver agrees), is no larger than the solver's subset-minimal
  conflict, and the engine's repair makes the value available;
- completion with random integer weights: the engine's configuration keeps every choice,
  is valid (the solver agrees), and its summed weight equals the MaxSAT optimum (RC2).

Prints every mismatch and exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Mapping
from typing import Any

from configurator.engine import Engine, compile_option_set

from .convert_renault import EXPECTED_COUNTS, SIZES, renault_document
from .reference import BddReference, SatReference, Value


def _order(value: Value) -> tuple[bool, str]:
    return (value is None, value or "")


class Session:
    def __init__(self, size: str, engine: Engine, sat: SatReference, seed: int) -> None:
        self.size, self.engine, self.sat = size, engine, sat
        self.rng = random.Random(seed)
        self.selection: dict[str, Value] = {}
        self.mismatches: list[str] = []
        self.explained = self.completed = 0

    def fail(self, step: int, message: str) -> None:
        self.mismatches.append(f"{self.size} step {step}: {message}")
        print(self.mismatches[-1])

    def step(self, step: int) -> bool:
        """Check everything on the current selection, then act; False when nothing is left."""
        expected = self.sat.valid_values(self.selection)
        got = self.engine.valid_values(self.selection)
        for group in expected:
            if got[group] != expected[group]:
                self.fail(
                    step,
                    f"valid values of {group}: engine {sorted(got[group], key=_order)} "
                    f"!= SAT {sorted(expected[group], key=_order)}",
                )
        self.check_explanation(step, expected)
        self.check_completion(step, expected)
        return self.act(expected)

    def act(self, valid: Mapping[str, frozenset[Value]]) -> bool:
        rng, selection = self.rng, self.selection
        roll = rng.random()
        if selection and roll < 0.12:
            selection.pop(rng.choice(list(selection)))  # the shopper takes a choice back
            return True
        if selection and roll < 0.22:
            group = rng.choice(list(selection))  # ... or switches it
            selection[group] = rng.choice(sorted(valid[group], key=_order))
            return True
        free = [g for g in valid if g not in selection and valid[g]]
        if not free:
            return False
        group = rng.choice(free)
        selection[group] = rng.choice(sorted(valid[group], key=_order))
        return True

    def check_explanation(self, step: int, valid: Mapping[str, frozenset[Value]]) -> None:
        candidates = [
            (g, v) for g, domain in self.sat.domains.items() for v in domain if v not in valid[g]
        ]
        if not candidates:
            return
        group, value = self.rng.choice(candidates)
        explanation = self.engine.explain(self.selection, group, value)
        minimal = self.sat.conflict(self.selection, group, value)
        if explanation is None or minimal is None:
            self.fail(step, f"explain {group}={value}: engine {explanation}, SAT {minimal}")
            return
        self.explained += 1
        conflict = {g: self.selection[g] for g in explanation.conflict}
        if self.sat.consistent({**conflict, group: value}):
            self.fail(step, f"explain {group}={value}: {conflict} does not rule it out")
        if len(conflict) > len(minimal):
            self.fail(step, f"explain {group}={value}: {conflict} larger than SAT's {minimal}")
        if explanation.repair is not None:
            repaired = {**self.selection, **explanation.repair.changes}
            repaired.pop(group, None)
            if not self.sat.consistent({**repaired, group: value}):
                self.fail(step, f"explain {group}={value}: repair {explanation.repair} fails")
        elif self.sat.consistent({group: value}):
            self.fail(step, f"explain {group}={value}: no repair, yet the value is not dead")

    def check_completion(self, step: int, valid: Mapping[str, frozenset[Value]]) -> None:
        weights = {
            (g, v): self.rng.randint(1, 5)
            for g, values in valid.items()
            for v in values
            if self.rng.random() < 0.3
        }
        domains = self.sat.domains
        chosen = {g: v for g, v in self.selection.items() if v is not None or None in domains[g]}
        completion = self.engine.complete(self.selection, {k: float(w) for k, w in weights.items()})
        self.completed += 1
        kept = all(completion.get(g) == v for g, v in chosen.items())
        if not kept or not self.sat.holds(completion):
            self.fail(step, f"completion {completion} drops a choice or is invalid")
        got = sum(weights.get((g, v), 0) for g, v in completion.items())
        best = self.sat.best_weight(self.selection, weights)
        if got != best:
            self.fail(step, f"completion weighs {got}, MaxSAT optimum {best}")


def check_counts(size: str, document: Mapping[str, Any], engine: Engine) -> list[str]:
    problems = []
    if engine.configurations != EXPECTED_COUNTS[size]:
        problems.append(f"{size}: engine {engine.configurations} != README {EXPECTED_COUNTS[size]}")
    if size != "big":  # the straightforward BDD takes minutes on big
        counted = BddReference(document).count()
        if counted != engine.configurations:
            problems.append(f"{size}: engine {engine.configurations} != BDD {counted}")
    for problem in problems:
        print(problem)
    return problems


def agreement(size: str, *, seed: int, steps: int) -> int:
    """Mismatches found on model ``size`` (0 when the engine agrees everywhere)."""
    started = time.perf_counter()
    document = renault_document(size)
    engine = compile_option_set(document)
    problems = check_counts(size, document, engine)
    session = Session(size, engine, SatReference(document), seed)
    done = 0
    for step in range(steps):
        done += 1
        if not session.step(step):
            break
    print(
        f"{size}: {engine.configurations} configurations (README {EXPECTED_COUNTS[size]}); "
        f"{done} steps, {len(session.selection)} choices at the end, "
        f"{session.explained} explanations and {session.completed} completions checked; "
        f"{len(problems) + len(session.mismatches)} mismatches "
        f"({time.perf_counter() - started:.0f} s)"
    )
    return len(problems) + len(session.mismatches)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[2], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", choices=SIZES, default=["small", "medium"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args(argv)
    bad = sum(agreement(size, seed=args.seed, steps=args.steps) for size in args.sizes)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
