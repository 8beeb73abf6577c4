"""``python -m bench.capacity_trace``: where a slow request of the capacity bench spent its time.

The stack of ``bench.capacity`` with nginx's timing log; locust's users (``bench/locustfile.py``)
send each request with an ``X-Bench-Id`` header, so every request locust timed is joined to
its nginx line. Steps are ``kind:users:seconds`` (kind ``shop`` or ``bare``), run in order.
For each step and each request name: locust's and nginx's p50/p95, then, of the requests
over ``--slow`` ms, how many spent that time before nginx read them (connection, TLS, the load
generator), how many waiting for a node's answer, and how many were their user's first.
``--load-ca-file`` puts back what locust's users did before ``bench/tls.py``.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import gevent  # noqa: F401 - locust's runtime, imported first
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment

from bench.capacity import percentile
from bench.locustfile import BareUser, Shopper
from bench.multinode import Stack

ids = itertools.count(1)
timed: list[dict] = []  # one per request locust timed
send = FastHttpSession.request


def request_with_id(self, method, url, *args, headers=None, context=None, **kwargs):
    number = next(ids)
    rank = getattr(self.user, "bench_rank", 0) + 1  # the user's how-manieth request
    self.user.bench_rank = rank
    return send(
        self,
        method,
        url,
        *args,
        headers={**(headers or {}), "X-Bench-Id": str(number)},
        context={**(context or {}), "id": number, "rank": rank},
        **kwargs,
    )


def nginx_lines(log: Path) -> dict[int, list[str]]:
    lines = (line.split("\t") for line in log.read_text().splitlines())
    return {int(fields[11]): fields for fields in lines if fields[11] != "-"}


def report(step: str, requests: list[dict], nginx: dict[int, list[str]], slow: float) -> None:
    names = defaultdict(list)
    for entry in requests:
        names[entry["name"]].append(entry)
    for name, entries in sorted(names.items()):
        joined = [(entry, nginx[entry["id"]]) for entry in entries if entry["id"] in nginx]
        held = [float(fields[4]) * 1000 for _, fields in joined]
        times = [entry["ms"] for entry in entries]
        late = [(entry, fields) for entry, fields in joined if entry["ms"] > slow]
        before = sum(1 for entry, f in late if entry["ms"] - float(f[4]) * 1000 > slow / 2)
        node = sum(
            1 for _, f in late if f[6] != "-" and float(f[6].split(", ")[-1]) * 1000 > slow / 2
        )
        first = sum(1 for entry, _ in late if entry["rank"] == 1)
        print(
            f"{step:>16} {name:>12}: {len(entries)} calls, {len(entries) - len(joined)} not in"
            f" nginx's log; locust p50/p95 {percentile(times, 0.5):.0f}/"
            f"{percentile(times, 0.95):.0f} ms, nginx {percentile(held, 0.5):.0f}/"
            f"{percentile(held, 0.95):.0f} ms;"
            f" {len(late)} over {slow:.0f} ms: {before} before nginx, {node} waiting for a node,"
            f" {first} their user's first",
            flush=True,
        )


def run_step(base: str, kind: str, users: int, seconds: float) -> list[dict]:
    """The requests locust timed in the step's measured window (after spawning)."""
    env = Environment(user_classes=[Shopper if kind == "shop" else BareUser], host=base)
    measured: list[dict] = []
    window = {"open": False}

    def record(name, response_time, context=None, **_):
        if window["open"]:
            measured.append({"name": name, "ms": response_time, **(context or {})})

    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=50)
    time.sleep(users / 50)  # spawned, as bench.capacity measures
    window["open"] = True
    time.sleep(seconds)
    window["open"] = False
    runner.quit()
    time.sleep(1)  # nginx writes its last lines
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("steps", nargs="+", help="kind:users:seconds, e.g. bare:500:20")
    parser.add_argument("--slow", type=float, default=500, help="ms")
    parser.add_argument(
        "--load-ca-file",
        action="store_true",
        help="each user loads certifi's CA bundle, as locust's default did before bench/tls.py",
    )
    args = parser.parse_args()
    if args.load_ca_file:
        Shopper.ssl_context_factory = BareUser.ssl_context_factory = None
    FastHttpSession.request = request_with_id  # type: ignore[method-assign]
    log = Path(tempfile.mkdtemp(prefix="bench-trace-")) / "nginx-timing.log"
    stack = Stack(access_log=log)
    print(f"nginx timing log: {log}", flush=True)
    try:
        for number, step in enumerate(args.steps):
            kind, users, seconds = step.split(":")
            measured = run_step(stack.base, kind, int(users), float(seconds))
            report(f"{number}:{step}", measured, nginx_lines(log), args.slow)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
