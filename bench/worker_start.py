"""``python -m bench.worker_start``: what a new web worker's first requests cost, with and
without the master's warm-up (``configurator/warmup.py``).

gunicorn replaces each worker after ``max_requests``, forking it from the master. A worker
whose master did not warm up imports the URL configuration (every view module) and loads
each product's engine on its first requests, while its node's queue waits. The bench sets
up the demo shop on SQLite once, then starts fresh processes that load the application as
gunicorn's master does (``preload_app``), warm up or not, fork a worker, and time its first
storefront, studio and evaluate requests; the baseline, in the same run, is the same
requests sent again by the same worker.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = (
    ("storefront", "GET", "/", None),
    ("studio", "GET", "/studio/SNEAKER-01/", None),
    ("evaluate", "POST", "/api/v1/products/SNEAKER-01/evaluate/", {"selection": {}}),
)


def worker(warm: bool) -> None:
    """In a fresh process: the master's part, a fork, and the worker's first requests."""
    from configurator.wsgi import application  # noqa: F401 - as preload_app loads it

    if warm:
        from configurator.warmup import warm as warm_up

        warm_up()
    read, write = os.pipe()
    if os.fork():
        os.close(write)
        with os.fdopen(read) as answer:
            print(answer.read(), flush=True)
        os.wait()
        return
    os.close(read)
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    times: dict[str, list[float]] = {}
    for _ in range(2):  # the first time, then the same again: the baseline
        for name, method, path, body in REQUESTS:
            started = time.perf_counter()
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, json.dumps(body), content_type="application/json")
            times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    with os.fdopen(write, "w") as answer:
        answer.write(json.dumps(times))
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--worker", choices=["cold", "warm"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker == "warm")
        return
    work = tempfile.mkdtemp(prefix="bench-worker-start-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3",
        "DJANGO_MEDIA_ROOT": f"{work}/media",
        "DJANGO_SETTINGS_MODULE": "configurator.settings.local",
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "THROTTLE_EVALUATE": "1000000/minute",
    }
    env.pop("CELERY_BROKER_URL", None)
    for command in (["migrate", "--noinput"], ["demo", "--noserve"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    figures: dict[str, dict[str, list[tuple[float, float]]]] = {"cold": {}, "warm": {}}
    for _ in range(args.runs):
        for mode in ("cold", "warm"):  # alternated: the machine's noise falls on both
            out = subprocess.run(
                [sys.executable, "-m", "bench.worker_start", "--worker", mode],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for name, (first, again) in json.loads(out.strip().splitlines()[-1]).items():
                figures[mode].setdefault(name, []).append((first, again))
    print(f"medians of {args.runs} fresh workers each; the baseline is the same request sent again")
    for mode, by_name in figures.items():
        for name, pairs in by_name.items():
            first = statistics.median(p[0] for p in pairs)
            again = statistics.median(p[1] for p in pairs)
            print(
                f"{mode:>4} master, {name:<10} first {first:7.1f} ms, again {again:6.1f} ms,"
                f" first / again {first / again:6.1f}"
            )


if __name__ == "__main__":
    main()
