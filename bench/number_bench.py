"""``python -m bench.number_bench [--values N ...] [--rounds R]``: number groups against
the same product written with choice groups.

A banner: a material, a width of N numbers, a height of 111 numbers priced by a formula
(width × height × price per m²), and a rule "cotton is at most the middle width". The
baseline, measured in the same run, is the same product as a merchant had to write it
before number groups: width and height as choice groups of N and 111 values with a price
per value, and the rule listing every allowed width. Prints, per N, compile CPU seconds
and the p50/p99 of one ``answers`` (valid values, violations, price) after a random
choice, for both, and the ratios. The counts of both are checked equal.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from configurator.engine import compile_option_set

HEIGHTS = range(40, 150 + 1)  # 111 numbers, by 1 cm
AREA_PRICE = Decimal(150000)  # per m²


def number_document(values: int) -> dict[str, Any]:
    high = 50 + values - 1
    return {
        "format": "option-set/1",
        "product": {"sku": "B", "name": "B", "base_price": "50000", "currency": "VND"},
        "groups": [
            {
                "code": "material",
                "name": "M",
                "kind": "choice",
                "values": [{"code": "pvc", "name": "P"}, {"code": "cotton", "name": "C"}],
            },
            {
                "code": "width",
                "name": "W",
                "kind": "number",
                "minimum": "50",
                "maximum": str(high),
                "increment": "1",
                "unit": "cm",
            },
            {
                "code": "height",
                "name": "H",
                "kind": "number",
                "minimum": str(HEIGHTS[0]),
                "maximum": str(HEIGHTS[-1]),
                "increment": "1",
                "unit": "cm",
                "price_formula": f"width * height / 10000 * {AREA_PRICE}",
            },
        ],
        "rules": [
            {
                "kind": "requires",
                "if": {"material": ["cotton"]},
                "then": {"width": [f"<={50 + values // 2}"]},
            }
        ],
    }


def choice_document(values: int) -> dict[str, Any]:
    """The same product with choice groups; the area price cannot be written, so the width's
    values carry a price of their own (the engine's price work is then a lookup)."""
    widths = [str(50 + i) for i in range(values)]
    return {
        "format": "option-set/1",
        "product": {"sku": "B", "name": "B", "base_price": "50000", "currency": "VND"},
        "groups": [
            {
                "code": "material",
                "name": "M",
                "kind": "choice",
                "values": [{"code": "pvc", "name": "P"}, {"code": "cotton", "name": "C"}],
            },
            {
                "code": "width",
                "name": "W",
                "kind": "choice",
                "values": [{"code": w, "name": w, "price_delta": w} for w in widths],
            },
            {
                "code": "height",
                "name": "H",
                "kind": "choice",
                "values": [{"code": str(h), "name": str(h)} for h in HEIGHTS],
            },
        ],
        "rules": [
            {
                "kind": "requires",
                "if": {"material": ["cotton"]},
                "then": {"width": [w for w in widths if int(w) <= 50 + values // 2]},
            }
        ],
    }


def _cpu(callable_: Any) -> tuple[float, Any]:
    start = time.process_time()
    result = callable_()
    return time.process_time() - start, result


def _answers_ms(engine: Any, values: int, rounds: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    times = []
    for _ in range(rounds):
        selection = {
            "material": rng.choice(["pvc", "cotton"]),
            "width": str(50 + rng.randrange(values // 2)),
            "height": str(rng.choice(HEIGHTS)),
        }
        start = time.perf_counter()
        engine.answers(selection)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--values", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    compile_option_set(number_document(10)).answers({"width": "50"})  # Numba's kernels
    print("| width values | figure | number group | choice groups | ratio |")
    print("|---|---|---|---|---|")
    for values in args.values:
        number_s, number = _cpu(lambda v=values: compile_option_set(number_document(v)))
        choice_s, choice = _cpu(lambda v=values: compile_option_set(choice_document(v)))
        assert number.configurations == choice.configurations, values
        ratio = number_s / choice_s
        print(f"| {values} | compile, CPU s | {number_s:.3f} | {choice_s:.3f} | {ratio:.2f} |")
        a = _answers_ms(number, values, args.rounds, seed=values)
        b = _answers_ms(choice, values, args.rounds, seed=values)
        for q in (50, 99):
            x, y = _p(a, q), _p(b, q)
            print(f"| {values} | answers p{q} (ms) | {x:.3f} | {y:.3f} | {x / y:.2f} |")


if __name__ == "__main__":
    main()
