"""``python -m bench.order_search [MODEL] [DIRECTION ...]``: orders found before the full build.

The measurements of "Cold compile, third pass" in ``docs/benchmarks.md`` (issue 17, item 1):
can a variable order good enough for the whole conjunction be found more cheaply than by
CUDD's dynamic sifting during the build? Each direction prints the CPU seconds it took to
find its order, then what the full build does from that order: without reordering (the
republish path; stopped past 400,000 nodes, where that path turns sifting back on), with
one sifting at the end, or with dynamic reordering on. The first line is the engine's cold
path (document order, dynamic group sifting) and the build from the order it finds, in the
same process. Single runs; CPU seconds of the process (the machine is shared).
"""

from __future__ import annotations

import argparse
import gc
import time
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from configurator.engine import compiler as c
from configurator.engine.spec import OptionSetSpec, RuleSpec, option_set_spec

from .compile_bench import document

Order = list[int]
LIMIT = c._HINT_LIMIT


def _builder(spec: OptionSetSpec, order: Order | None = None) -> c._Builder:
    builder = c._Builder(spec)
    if order is None:
        builder.start_order()
        return builder
    builder.place(order)
    return builder


def _reorderings(builder: c._Builder) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dd's note on the unit of "mem"
        return int(builder.bdd.statistics()["n_reorderings"])


def dynamic(spec: OptionSetSpec, order: Order | None = None, rules: Sequence[int] = ()) -> dict:
    """The conjunction with CUDD's dynamic group sifting, every rule built first (as the
    engine's cold path), rules conjoined in ``rules`` order (default: the document's)."""
    start = time.process_time()
    builder = _builder(spec, order)
    builder.bdd.configure(reordering=True)
    f = c._structure(builder)
    parts = [builder.rule(rule) for rule in spec.rules]
    for i in rules or range(len(parts)):
        f &= parts[i]
    seconds = time.process_time() - start
    diagram = c._to_diagram(builder, f, c._block_order(builder))
    return {
        "conjunction_s": round(seconds, 2),
        "nodes": len(f),
        "reorderings": _reorderings(builder),
        "diagram": diagram.node_count,
        "order": c._block_order(builder),
    }


def fixed(spec: OptionSetSpec, order: Order, sift_at_end: bool = True) -> dict:
    """The conjunction from ``order`` with no reordering, then (optionally) one sifting."""
    start = time.process_time()
    builder = _builder(spec, order)
    builder.bdd.configure(reordering=False)
    f = c._structure(builder)
    for rule in spec.rules:
        f &= builder.rule(rule)
        if len(f) > LIMIT:
            return {"build_s": round(time.process_time() - start, 2), "nodes": f"over {LIMIT}"}
    result: dict[str, Any] = {"build_s": round(time.process_time() - start, 2), "nodes": len(f)}
    if sift_at_end:
        start = time.process_time()
        builder.bdd.reorder()
        result.update(sift_s=round(time.process_time() - start, 2), sifted=len(f))
    result["diagram"] = c._to_diagram(builder, f, c._block_order(builder)).node_count
    return result


def forest(spec: OptionSetSpec, chunk: int = 1) -> Order:
    """Every rule built in document order, no reordering; with ``chunk`` > 1, each run of
    ``chunk`` consecutive rules conjoined; that forest sifted once (group sifting)."""
    builder = _builder(spec)
    builder.bdd.configure(reordering=False)
    parts = [builder.rule(rule) for rule in spec.rules]
    builder.bdd.reorder()
    chunks = []
    for i in range(0, len(parts), chunk):
        g = builder.bdd.true
        for part in parts[i : i + chunk]:
            g &= part
        chunks.append(g)
    del parts
    if chunk > 1:
        builder.bdd.reorder()
    return c._block_order(builder)


def sampled(spec: OptionSetSpec, every: int) -> Order:
    """The order dynamic sifting finds for the conjunction of every ``every``-th rule."""
    rules: tuple[RuleSpec, ...] = spec.rules[::every]
    builder = _builder(spec)
    builder.bdd.configure(reordering=True)
    f = c._structure(builder)
    parts = [builder.rule(rule) for rule in rules]
    for part in parts:
        f &= part
    return c._block_order(builder)


def _timed(fn: Callable[[], Order]) -> tuple[Order, float]:
    gc.collect()
    start = time.process_time()
    order = fn()
    return order, round(time.process_time() - start, 2)


def _strided(count: int, k: int) -> list[int]:
    return [i for s in range(k) for i in range(s, count, k)]


DIRECTIONS: dict[str, Callable[[OptionSetSpec], Order]] = {
    "forest": forest,
    **{f"chunks{k}": partial(forest, chunk=k) for k in (4, 8, 16, 32)},
    **{f"every{k}": partial(sampled, every=k) for k in (2, 3, 4)},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default="big")
    parser.add_argument("directions", nargs="*", default=["forest", "every4", "chunks16"])
    parser.add_argument("--starts", action="store_true", help="dynamic sifting from each order")
    parser.add_argument("--rule-orders", action="store_true", help="stride and first-k orders")
    args = parser.parse_args()
    spec = option_set_spec(document(args.model))
    now = dynamic(spec)
    print("cold path (document order, dynamic):", {k: v for k, v in now.items() if k != "order"})
    print("  the build from the order it found:", fixed(spec, now["order"], sift_at_end=False))
    for name in args.directions:
        order, seconds = _timed(partial(DIRECTIONS[name], spec))
        print(f"{name}: order in {seconds} s; from it:", fixed(spec, order), flush=True)
        if args.starts:
            found = dynamic(spec, order)
            print("  dynamic from it:", {k: v for k, v in found.items() if k != "order"})
    if args.rule_orders:
        count = len(spec.rules)
        every4_first = list(range(0, count, 4)) + [i for i in range(count) if i % 4]
        for name, rules in (
            ("stride4", _strided(count, 4)),
            ("stride2", _strided(count, 2)),
            ("every-4th first", every4_first),
        ):
            found = dynamic(spec, rules=rules)
            print(f"rules in {name} order:", {k: v for k, v in found.items() if k != "order"})


if __name__ == "__main__":
    main()
