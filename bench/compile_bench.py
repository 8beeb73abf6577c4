"""``python -m bench.compile_bench [MODEL ...] [--repeat N]``: cold compile against the reference.

For every model of the benchmark set (the three Renault models and the DIMACS feature
models of ``../shared/data/configuration/feature_models/fmb/``), ``N`` rounds of: the
engine's cold compile (``compile_option_set``, no order hint), then the straightforward BDD
reference (:class:`~bench.reference.BddReference`) in the same round. Prints, per model, the
median and the spread (min-max) of both in CPU seconds of the process (on a machine
shared by many jobs, wall time measures the neighbours), the median of the per-round ratios, and the
diagram's size; the counts of both are checked equal. Numba's kernels are compiled on a toy
model first, so that no model pays for it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from configurator.engine import compile_option_set

from .convert_renault import DATA, EXPECTED_COUNTS, renault_document
from .dimacs import dimacs_to_option_set
from .reference import BddReference

# busybox (854 features) and automotive01 (2,513) are left out of the default set: the
# reference ran past 10 minutes on them (the data's README: past 15 minutes on automotive01).
FEATURE_MODELS = {
    "e_shop": "e_shop_Lau2006",
    "printer": "printer_Mendonca2009",
    "pc-richmond": "pc-richmond_Sprey2020",
    "busybox": "busybox-1.18.0_Knueppel2017",
}
DEFAULT = ("small", "medium", "big", "e_shop", "printer", "pc-richmond")


def document(model: str) -> dict[str, Any]:
    if model in EXPECTED_COUNTS:
        return renault_document(model)
    path = DATA / "feature_models" / "fmb" / f"{FEATURE_MODELS[model]}.dimacs"
    return dimacs_to_option_set(path, sku=model.upper())


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """The result and the CPU seconds of this process (wall time means little under load)."""
    gc.collect()
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


def bench(model: str, repeat: int) -> dict[str, Any]:
    doc = document(model)
    engine_s, reference_s, ratios = [], [], []
    engine: Any = None
    for _ in range(repeat):
        engine, mine = _timed(lambda: compile_option_set(doc))
        reference, theirs = _timed(lambda: BddReference(doc))
        assert engine.configurations == reference.count(), model
        engine_s.append(mine)
        reference_s.append(theirs)
        ratios.append(mine / theirs)
    return {
        "model": model,
        "groups": len(doc["groups"]),
        "rules": len(doc["rules"]),
        "engine_s": engine_s,
        "reference_s": reference_s,
        "ratio": statistics.median(ratios),
        "nodes": engine.diagram.node_count,
        "edges": engine.diagram.edge_count,
    }


def _spread(values: list[float]) -> str:
    # Three decimals: the feature models compile in hundredths of a second.
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| model | engine cold compile (CPU s), median (min-max) | reference BDD (CPU s) "
        "| ratio (median of rounds) | diagram |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} ({r['groups']} groups, {r['rules']} rules) "
            f"| {_spread(r['engine_s'])} | {_spread(r['reference_s'])} | {r['ratio']:.2f} "
            f"| {r['nodes']} nodes, {r['edges']} edges |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", default=list(DEFAULT))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_option_set(  # Numba's kernels, once
        {
            "format": "option-set/1",
            "product": {"sku": "WARM", "name": "warm", "base_price": "0", "currency": "EUR"},
            "groups": [
                {"code": "a", "name": "a", "kind": "choice", "values": [{"code": "x", "name": "x"}]}
            ],
            "rules": [],
        }
    )
    rows = []
    for model in args.models:
        rows.append(bench(model, args.repeat))
        print(report(rows[-1:]).splitlines()[-1], flush=True)
    print(report(rows))


if __name__ == "__main__":
    main()
