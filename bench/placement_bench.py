"""``python -m bench.placement_bench``: what placing a picture costs a preview render.

One process, the sample scene (``configurator.preview.samples``) at 1024 px with a 1200 × 900
photo in its artwork box: the compose time of a selection whose picture is moved, resized
and turned, against the same selection without a placement measured in the same run (the
baseline: what every render cost before placements). Each render is of a new picture
(a new key), so nothing comes from the per-process caches; the merchant's pictures are
warm, as in a running shop. Figures are medians of ``--runs`` renders, with their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

from configurator.preview import compose_preview, samples
from configurator.preview.placement import PLACEMENT_KEY


def _median_ms(placement: dict | None, runs: int) -> float:
    layers = samples.scene()
    times = []
    for run in range(runs):
        # A new picture each time: a slightly different colour makes a new cache key.
        picture = samples.encoded(samples.photo(1200, 900).point(lambda v, r=run: (v + r) % 256))
        selection: dict = {"color": "blue", "photo": "p"}
        if placement is not None:
            selection[PLACEMENT_KEY] = {"photo": placement}
        start = time.perf_counter()
        compose_preview(layers=layers, selection=selection, size=1024, uploads={"photo": picture})
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    _median_ms(None, 3)  # warm the merchant's pictures
    base = _median_ms(None, runs)
    placed = _median_ms({"x": 0.4, "y": 0.5, "scale": 0.6, "rotation": 30}, runs)
    moved = _median_ms({"x": 0.3, "y": 0.5, "scale": 0.5, "rotation": 0}, runs)
    print("| render, 1024 px, new picture | ms (median) | baseline (no placement) | ratio |")
    print("|---|---|---|---|")
    print(f"| moved and resized | {moved:.1f} | {base:.1f} | {moved / base:.2f} |")
    print(f"| moved, resized and turned 30° | {placed:.1f} | {base:.1f} | {placed / base:.2f} |")


if __name__ == "__main__":
    main()
