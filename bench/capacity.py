"""``python -m bench.capacity``: how many shoppers the deployment sustains (locust).

The stack of ``bench.multinode`` (nginx, two gunicorn nodes, workers, beat, PostgreSQL,
Redis, S3) on this machine; locust's shoppers (``bench/locustfile.py``) at rising numbers,
each step for ``--seconds``; reported per step: requests per second, evaluate p50/p95,
failures, and the CPU of each tier (read from /proc). The same run measures the baseline: a
bare Django JSON view on the same nodes at the same number of users with the same pauses.
Sustained means evaluate p95 under 300 ms and no failure.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import gevent  # noqa: F401 - locust's runtime, imported first
from locust.env import Environment

from bench.locustfile import BareUser, Shopper
from bench.multinode import Stack

CLOCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(names: tuple[str, ...]) -> dict[str, float]:
    """CPU seconds used so far by processes whose command line holds one of ``names``."""
    totals = dict.fromkeys(names, 0.0)
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        for name in names:
            if name in command:
                totals[name] += (int(fields[11]) + int(fields[12])) / CLOCK
                break
    return totals


# The load generator is one of them: on one machine it competes for the same two cores.
TIERS = ("gunicorn", "celery", "postgres", "redis-server", "nginx", "moto.server", "capacity")


def step(base: str, user_class, users: int, seconds: float) -> dict:
    env = Environment(user_classes=[user_class], host=base)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=50)
    time.sleep(users / 50)  # spawned
    env.stats.reset_all()
    before, started = cpu_seconds(TIERS), time.monotonic()
    time.sleep(seconds)
    after, elapsed = cpu_seconds(TIERS), time.monotonic() - started
    stats = env.stats
    runner.quit()
    name = "evaluate" if user_class is Shopper else "bare"
    entry = stats.get(name, "POST")
    return {
        "users": users,
        "rps": stats.total.num_requests / elapsed,
        "p50": entry.get_response_time_percentile(0.5),
        "p95": entry.get_response_time_percentile(0.95),
        "count": entry.num_requests,
        "failures": stats.total.num_failures,
        "cpu": {tier: (after[tier] - before[tier]) / elapsed for tier in TIERS},
        "errors": sorted(
            (f"{e.method} {e.name}: {e.error}"[:160], e.occurrences) for e in stats.errors.values()
        )[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[100, 200, 300, 400, 500])
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    stack = Stack()
    rows = []
    try:
        for users in args.users:
            shop = step(stack.base, Shopper, users, args.seconds)
            bare = step(stack.base, BareUser, users, args.seconds / 2)
            rows.append((shop, bare))
            print_row(shop, bare)
    finally:
        stack.stop()
    sustained = [shop["users"] for shop, _ in rows if shop["p95"] < 300 and not shop["failures"]]
    print(f"sustained (evaluate p95 < 300 ms, no failure): {max(sustained, default=0)} shoppers")


def print_row(shop: dict, bare: dict) -> None:
    busiest = sorted(shop["cpu"].items(), key=lambda kv: -kv[1])[:4]
    print(
        f"{shop['users']:>5} shoppers: {shop['rps']:.0f} req/s, evaluate p50 {shop['p50']:.0f} ms"
        f" p95 {shop['p95']:.0f} ms ({shop['count']} calls, {shop['failures']} failures);"
        f" bare view p50 {bare['p50']:.0f} ms p95 {bare['p95']:.0f} ms;"
        f" cores busy: " + ", ".join(f"{tier} {share:.2f}" for tier, share in busiest),
        flush=True,
    )
    for error, count in shop["errors"]:
        print(f"        {count} × {error}", flush=True)


if __name__ == "__main__":
    main()
