"""``python -m bench.contrast_bench``: what the text's contrast check costs an evaluate answer.

The demo shop in a fresh SQLite database; the API's evaluate view called in the process
(Django's test client: every middleware, the lean path of an anonymous shopper), each call a
new text typed on the sneaker and on the tote (a new answer each time: the memo of answers
would hide the work), the product's colour changing every 10 keys (a new composition under
the text: the kept contrasts would hide it). Passes alternate between the real check and a
stand-in that says nothing, ``--passes`` of each, timed in the process's CPU time (the machine
is shared); the figure is the median pass per answer and its ratio to the stand-in's,
measured in the same run. Target: ratio ≤ 1.10.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import time

from bench.scratch import django_setup

TARGET_RATIO = 1.10
DESIGNS = {
    "SNEAKER-01": ({"material": "leather", "design": "star"}, "monogram", ["navy", "white"]),
    "TOTE-01": ({"material": "canvas", "design": "plain"}, "text", ["black", "natural", "navy"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=9)
    parser.add_argument("--calls", type=int, default=200, help="answers per pass and product")
    args = parser.parse_args()
    os.environ.setdefault("THROTTLE_EVALUATE", "1000000/minute")
    django_setup("bench-contrast-")
    from django.core.management import call_command
    from django.test import Client

    from configurator.configuring import payloads

    call_command("demo", "--noserve", stdout=io.StringIO())
    client = Client(HTTP_HOST="localhost")
    real = payloads.text_contrasts
    counter = iter(range(10**9))

    def answer(sku: str) -> None:
        base, text_group, colours = DESIGNS[sku]
        n = next(counter)
        selection = {**base, "color": colours[(n // 10) % len(colours)], text_group: f"A{n}"}
        response = client.post(
            f"/api/v1/products/{sku}/evaluate/",
            json.dumps({"selection": selection}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="vi",
        )
        assert response.status_code == 200, response.content[:200]

    for sku in DESIGNS:  # warm: engines, layers, pictures
        for _ in range(20):
            answer(sku)
    for sku in DESIGNS:
        times: dict[bool, list[float]] = {True: [], False: []}
        for i in range(args.passes * 2):
            checked = i % 2 == 0
            payloads.text_contrasts = real if checked else (lambda **kwargs: {})
            start = time.process_time()
            for _ in range(args.calls):
                answer(sku)
            times[checked].append((time.process_time() - start) / args.calls * 1000)
        payloads.text_contrasts = real
        on, off = statistics.median(times[True]), statistics.median(times[False])
        verdict = "met" if on / off <= TARGET_RATIO else "MISSED"
        print(
            f"{sku}: a new answer {on:.3f} ms with the contrast check, {off:.3f} ms without"
            f" (same run): ratio {on / off:.2f} (target ≤ {TARGET_RATIO:.2f}: {verdict})"
        )


if __name__ == "__main__":
    main()
