"""``python -m bench.stock_bench``: evaluating with values out of stock against without.

Per demo product (``catalog/demo/products``), one run on one core: the studio's evaluation
(``selection_evaluate``: valid values, every unavailable value's reason and repair, price)
of the same 300 selections (a seeded random walk of a shopper's choices), once on the
engine as compiled and once with about a quarter of each group's values out of stock
(never all of them), the stocked engine asked for by its stock at every request as the web
process does (``Engine.switched_off``: a lookup once made). Explanations are forgotten
before every pass (every request new: the memo of answers would hide the work). Passes
alternate, eleven of each, timed in the process's CPU time (the machine is shared: other
processes' turns are left out, ours are not); the figure is the median pass and its ratio
to the median pass without stock, measured in the same run. Target: ratio ≤ 1.10.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from configurator.configuring.evaluation import selection_evaluate
from configurator.engine import Engine, compile_option_set

PRODUCTS = Path(__file__).resolve().parents[1] / "catalog" / "demo" / "products"
TARGET_RATIO = 1.10


def _out_of_stock(engine: Engine, rng: random.Random) -> list[tuple[str, str]]:
    """About a quarter of each choice or multi group's values (at least one, never all)."""
    off = []
    for group in engine.spec.groups:
        if not group.has_values or len(group.values) < 2 or group.number is not None:
            continue  # a measurement (width, length) is made to size, not stocked
        count = max(1, len(group.values) // 4)
        off.extend((group.code, value.code) for value in rng.sample(group.values, count))
    return off


def _walk(engine: Engine, steps: int, rng: random.Random) -> list[dict[str, Any]]:
    """A shopper's selections, one choice at a time among what is valid (restarting when
    everything is chosen)."""
    selections: list[dict[str, Any]] = []
    selection: dict[str, Any] = {}
    choosable = [g for g in engine.spec.groups if g.kind == "choice"]
    while len(selections) < steps:
        valid = engine.valid_values(selection)
        group = rng.choice(choosable)
        options = sorted(v for v in valid[group.code] if v is not None)
        if not options:
            selection = {}
            continue
        selection = {**selection, group.code: rng.choice(options)}
        if not engine.is_consistent(selection):  # pragma: no cover - valid values say so
            selection = {}
            continue
        selections.append(dict(selection))
        if len(selection) == len(choosable):
            selection = {}
    return selections


def _pass(engine: Engine, selections: list[dict[str, Any]], off: list | None) -> float:
    for view in (engine, *engine._views.values()):
        view._explained = OrderedDict()  # every request new
    asked = frozenset(off) if off is not None else None  # as the stock read gives it
    start = time.process_time()
    for selection in selections:
        used = engine.switched_off(asked) if asked is not None else engine
        selection_evaluate(engine=used, selection=selection, language="vi")
    return (time.process_time() - start) * 1000


def bench(path: Path, steps: int, rounds: int, seed: int) -> dict[str, Any]:
    engine = compile_option_set(json.loads(path.read_text()))
    rng = random.Random(seed)
    off = _out_of_stock(engine, rng)
    stocked = engine.switched_off(off)
    selections = _walk(stocked, steps, rng)  # valid with stock, so valid without it too
    _pass(engine, selections, None)  # warm both: kernels, value texts
    _pass(engine, selections, off)
    without, with_stock = [], []
    for _ in range(rounds):
        without.append(_pass(engine, selections, None))
        with_stock.append(_pass(engine, selections, off))
    base, stock = statistics.median(without), statistics.median(with_stock)
    return {
        "product": path.stem,
        "off": len(off),
        "selections": len(selections),
        "without_ms": base / len(selections),
        "with_ms": stock / len(selections),
        "ratio": stock / base,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    print("| product | values out | evaluate without stock (ms) | with stock (ms) | ratio |")
    print("|---|---|---|---|---|")
    worst = 0.0
    for path in sorted(PRODUCTS.glob("*.json")):
        row = bench(path, args.steps, args.rounds, args.seed)
        worst = max(worst, row["ratio"])
        print(
            f"| {row['product']} | {row['off']} | {row['without_ms']:.3f} | "
            f"{row['with_ms']:.3f} | {row['ratio']:.3f} |"
        )
    verdict = "met" if worst <= TARGET_RATIO else "**missed**"
    print(f"\nWorst ratio {worst:.3f} (target ≤ {TARGET_RATIO:.2f}): {verdict}")


if __name__ == "__main__":
    main()
