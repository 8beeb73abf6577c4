"""``python -m bench.engine_bench [small medium big]``: the engine against its references.

Per Renault model, in one run on one core (engine only, no HTTP): compile time against the
straightforward BDD reference, and warm compile (from the previous version's variable
order); valid values after a choice, explanation and completion latencies against a SAT
solver answering the same question (valid values: the same answer; explanation and
completion: one SAT consistency check of the same choices, the cheapest question a SAT
approach must ask); memory of a compiled model. Every figure is printed with its ratio to
the reference measured in the same run: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
from typing import Any

from configurator.engine import Engine, compile_option_set

from .convert_renault import renault_document as renault
from .reference import BddReference, SatReference

# Solution counts from ../shared/data/configuration/README.md (jokers counted as values).
EXPECTED_COUNTS = {"small": 172056, "medium": 278744, "big": 24566537954855761920000}

TARGETS = {
    "compile_s": 10.0,
    "valid_p50_ms": 2.0,
    "valid_p99_ms": 20.0,
    "explain_p99_ms": 50.0,
    "complete_p99_ms": 50.0,
    "memory_mb": 50.0,
}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _timed(fn, *args) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - start) * 1000


def bench(size: str, steps: int, seed: int) -> dict[str, Any]:
    document = renault(size)
    gc.collect()
    start = time.perf_counter()
    engine = compile_option_set(document)
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    compile_option_set(document, order_hint=engine.layer_order)
    warm_s = time.perf_counter() - start
    start = time.perf_counter()
    bdd = BddReference(document)
    bdd_s = time.perf_counter() - start
    assert engine.configurations == EXPECTED_COUNTS[size], size  # exact
    assert bdd.count() == EXPECTED_COUNTS[size], size
    sat = SatReference(document)

    rng = random.Random(seed)
    selection: dict[str, Any] = {}
    valid_ms, sat_valid_ms, explain_ms, complete_ms, sat_check_ms = [], [], [], [], []
    for _ in range(steps):
        valid, ms = _timed(engine.valid_values, selection)
        valid_ms.append(ms)
        reference, ms = _timed(sat.valid_values, selection)
        sat_valid_ms.append(ms)
        assert valid == reference, "engine and SAT disagree"
        free = [g for g in valid if g not in selection and valid[g]]
        if not free:
            break
        group = rng.choice(free)
        unavailable = [v for v in engine.groups[group].values if v.code not in valid[group]]
        if unavailable:
            target = rng.choice(unavailable).code
            _, ms = _timed(engine.explain, selection, group, target)
            explain_ms.append(ms)
            _, ms = _timed(sat.consistent, {**selection, group: target})
            sat_check_ms.append(ms)
        weights = {(g, rng.choice(sorted(v, key=str))): 1.0 for g, v in valid.items() if v}
        _, ms = _timed(engine.complete, selection, weights)
        complete_ms.append(ms)
        selection[group] = rng.choice(sorted(valid[group], key=lambda v: (v is None, v)))

    blob = engine.to_bytes()
    gc.collect()
    tracemalloc.start()
    loaded = Engine.from_bytes(blob)
    loaded.valid_values({})
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "size": size,
        "groups": len(document["groups"]),
        "rules": len(document["rules"]),
        "configurations": engine.configurations,
        "nodes": engine.diagram.node_count,
        "edges": engine.diagram.edge_count,
        "compile_s": compile_s,
        "warm_compile_s": warm_s,
        "bdd_compile_s": bdd_s,
        "valid_p50_ms": statistics.median(valid_ms),
        "valid_p99_ms": _pct(valid_ms, 99),
        "sat_valid_p50_ms": statistics.median(sat_valid_ms),
        "sat_valid_p99_ms": _pct(sat_valid_ms, 99),
        "explain_p99_ms": _pct(explain_ms, 99) if explain_ms else 0.0,
        "explain_p50_ms": statistics.median(explain_ms) if explain_ms else 0.0,
        "sat_check_p99_ms": _pct(sat_check_ms, 99) if sat_check_ms else 0.0,
        "complete_p99_ms": _pct(complete_ms, 99),
        "complete_p50_ms": statistics.median(complete_ms),
        "blob_mb": len(blob) / 1e6,
        "memory_mb": retained / 1e6,
        "load_peak_mb": peak / 1e6,
        "engine_mb": loaded.nbytes / 1e6,
        "steps": len(valid_ms),
    }


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| model | figure | engine | reference | ratio (engine / reference) | target |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = f"{r['size']} ({r['groups']} groups, {r['rules']} tables)"
        pairs = [
            ("compile (s)", r["compile_s"], r["bdd_compile_s"], "BDD", TARGETS["compile_s"]),
            ("compile, previous order (s)", r["warm_compile_s"], r["bdd_compile_s"], "BDD", None),
            ("valid values p50 (ms)", r["valid_p50_ms"], r["sat_valid_p50_ms"], "SAT", 2.0),
            ("valid values p99 (ms)", r["valid_p99_ms"], r["sat_valid_p99_ms"], "SAT", 20.0),
            ("explanation p99 (ms)", r["explain_p99_ms"], r["sat_check_p99_ms"], "SAT check", 50.0),
            ("completion p99 (ms)", r["complete_p99_ms"], r["sat_check_p99_ms"], "SAT check", 50.0),
        ]
        for label, mine, ref, ref_name, target in pairs:
            ratio = mine / ref if ref else float("nan")
            lines.append(
                f"| {name} | {label} | {mine:.2f} | {ref:.2f} ({ref_name}) | {ratio:.2f} | "
                f"{'≤ ' + str(target) if target else ''} |"
            )
        lines.append(
            f"| {name} | memory of a loaded model (MB) | {r['memory_mb']:.1f} retained "
            f"(peak while loading {r['load_peak_mb']:.1f}; stored {r['blob_mb']:.1f}) | | | ≤ 50 |"
        )
        lines.append(
            f"| {name} | diagram | {r['nodes']} nodes, {r['edges']} edges; "
            f"{r['configurations']} configurations (README: equal) | | | |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", default=["small", "medium", "big"])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = [bench(size, args.steps, args.seed) for size in args.sizes]
    print(report(rows))


if __name__ == "__main__":
    main()
