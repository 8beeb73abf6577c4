"""``python -m bench.margin_bench [small medium big]``: the lowest margin on the Renault models.

Each value gets a seeded random price and cost (VND, whole thousands) and the product a
minimum margin of 33.33 %; the Check asks ``lowest_margin`` twice (the lowest margin, and the
configuration furthest below the minimum). Figures are printed with their ratio to
``complete({})``, the max-weight pass of the same engine measured in the same run (the
machines are shared and noisy), and to the exact pass over Python integers that answers when
weights sum past 2^53.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from configurator.engine import compile_option_set
from configurator.engine import margins as margins_module

from .convert_renault import renault_document as renault


def _costed(document: dict[str, Any], seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    document["product"] |= {"currency": "VND", "base_price": "500000", "base_cost": "200000"}
    document["product"]["min_margin"] = "33.33"
    for group in document["groups"]:
        for value in group.get("values", []):
            value["price_delta"] = str(rng.randrange(0, 200) * 1000)
            value["cost"] = str(rng.randrange(0, 200) * 1000)
    return document


def _ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(size: str, repeat: int, seed: int) -> None:
    engine = compile_option_set(_costed(renault(size), seed))
    keep = Decimal("33.33")
    engine.lowest_margin()  # warm the compiled kernels
    engine.complete({})
    complete = _ms(lambda: engine.complete({}), repeat)
    lowest = _ms(lambda: engine.lowest_margin(keep=keep), repeat)
    objective = margins_module._Objective(keep)
    weights = margins_module._whole_numbers(
        [
            margins_module._layer_weights(objective, layer, engine.groups[layer.group], {}, [])
            for layer in engine.diagram.layers
        ]
    )
    exact = _ms(lambda: margins_module._best_path_exact(engine.diagram, weights), repeat)
    print(
        f"{size}: edges {engine.diagram.edge_count}; complete({{}}) {complete:.2f} ms; "
        f"lowest_margin {lowest:.2f} ms (× {lowest / complete:.2f} of complete); "
        f"integer pass {exact:.2f} ms (× {exact / complete:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", default=["small", "medium", "big"])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for size in args.sizes:
        bench(size, args.repeat, args.seed)


if __name__ == "__main__":
    main()
