"""``python -m bench.agreement small|medium [--seed S] [--steps 50]``

A random interactive session: at every step, the engine's valid values for EVERY group must
equal a SAT solver's, and the counts must equal the data's README. Exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import random
import sys

from configurator.engine import compile_option_set

from .reference import SatReference
from .xcsp import EXPECTED_COUNTS, renault


def session(size: str, seed: int, steps: int) -> int:
    document = renault(size)
    engine = compile_option_set(document)
    reference = SatReference(document)
    mismatches = 0
    if engine.configurations != EXPECTED_COUNTS[size]:
        print(f"count: engine {engine.configurations} != README {EXPECTED_COUNTS[size]}")
        mismatches += 1
    rng = random.Random(seed)
    selection: dict[str, str | None] = {}
    for step in range(steps):
        expected = reference.valid_values(selection)
        got = engine.valid_values(selection)
        if got != expected:
            for group in expected:
                if got[group] != expected[group]:
                    print(
                        f"step {step} {group}: engine {sorted(got[group], key=str)} "
                        f"!= SAT {sorted(expected[group], key=str)}"
                    )
            mismatches += 1
        if selection and rng.random() < 0.15:
            selection.pop(rng.choice(list(selection)))  # the shopper takes a choice back
            continue
        free = [g for g in expected if g not in selection and expected[g]]
        if not free:
            break
        group = rng.choice(free)
        selection[group] = rng.choice(sorted(expected[group], key=lambda v: (v is None, v)))
    print(
        f"{size}: {steps} steps, {len(selection)} choices at the end, "
        f"{engine.configurations} configurations, {mismatches} mismatches"
    )
    return mismatches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", default=["small", "medium"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    bad = sum(session(size, args.seed, args.steps) for size in args.sizes)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings.local")
    main()
