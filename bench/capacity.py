"""``python -m bench.capacity``: how many shoppers the deployment sustains (locust).

The stack of ``bench.multinode`` (nginx, two gunicorn nodes, workers, beat, PostgreSQL,
Redis, S3) on this machine; locust's shoppers (``bench/locustfile.py``) at rising numbers,
each step for ``--seconds``; reported per step: requests per second, evaluate p50/p95,
failures, and the CPU of each tier (read from /proc). The same run measures the baseline: a
bare Django JSON view on the same nodes at the same number of users with the same pauses.
Sustained means evaluate p95 under 300 ms and no failure.

nginx writes a timing log for the run (``bench.multinode.TIMING_LOG``); each step also
reports the p95 of the time nginx held the measured requests and of the nodes' answers,
so a slow tail splits into the part behind nginx (the nodes) and the part in front of it
(connections, TLS, the load generator itself), and the load average when the step began.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import gevent  # noqa: F401 - locust's runtime, imported first
from locust.env import Environment

from bench.locustfile import BareUser, Shopper
from bench.multinode import Stack

CLOCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(names: tuple[str, ...]) -> dict[str, float]:
    """CPU seconds used so far by processes whose command line holds one of ``names``,
    with those of their children already ended (a gunicorn worker recycled after
    ``max_requests`` takes its CPU time to its master)."""
    totals = dict.fromkeys(names, 0.0)
    for proc, command in processes():
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        for name in names:
            if name in command:
                totals[name] += sum(int(value) for value in fields[11:15]) / CLOCK
                break
    return totals


def waits(name: str) -> dict[str, float]:
    """Per process whose command line holds ``name``: the seconds it has spent runnable but
    waiting for a core (schedstat), the sign of a machine with more work than cores."""
    found = {}
    for proc, command in processes():
        if name in command:
            try:
                found[proc.name] = int((proc / "schedstat").read_text().split()[1]) / 1e9
            except (OSError, IndexError, ValueError):
                continue
    return found


def processes():
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                yield proc, (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue


# The load generator is one of them: on one machine it competes for the same two cores.
TIERS = ("gunicorn", "celery", "postgres", "redis-server", "nginx", "moto.server", "capacity")


def nginx_times(log: Path, path_end: str, since: float, until: float) -> dict[str, float]:
    """p95 (ms) of nginx's time for POSTs to a path ending ``path_end`` that ended between
    ``since`` and ``until`` (epoch seconds): held by nginx, and the node's answer alone."""
    held, node = [], []
    for line in log.read_text().splitlines():
        fields = line.split("\t")  # a field lists one value per node nginx tried
        if fields[1] != "POST" or not fields[2].endswith(path_end) or fields[6] == "-":
            continue
        if since <= float(fields[0]) <= until:
            held.append(float(fields[4]) * 1000)
            node.append(sum(float(value) for value in fields[6].split(", ")) * 1000)
    return {"nginx_p95": percentile(held, 0.95), "node_p95": percentile(node, 0.95)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def step(base: str, user_class, users: int, seconds: float, log: Path) -> dict:
    load = os.getloadavg()[0]
    env = Environment(user_classes=[user_class], host=base)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=50)
    time.sleep(users / 50)  # spawned
    env.stats.reset_all()
    before, started, since = cpu_seconds(TIERS), time.monotonic(), time.time()
    waited = waits("gunicorn")
    time.sleep(seconds)
    after, elapsed = cpu_seconds(TIERS), time.monotonic() - started
    waited = {pid: now - waited[pid] for pid, now in waits("gunicorn").items() if pid in waited}
    stats = env.stats
    runner.quit()
    name = "evaluate" if user_class is Shopper else "bare"
    entry = stats.get(name, "POST")
    return {
        "users": users,
        "load": load,
        **nginx_times(log, f"/{name}/", since, since + elapsed),
        "rps": stats.total.num_requests / elapsed,
        "p50": entry.get_response_time_percentile(0.5),
        "p95": entry.get_response_time_percentile(0.95),
        "count": entry.num_requests,
        "failures": stats.total.num_failures,
        "cpu": {tier: (after[tier] - before[tier]) / elapsed for tier in TIERS},
        "web_waiting": sum(waited.values()) / elapsed,  # workers recycled meanwhile left out
        "errors": sorted(
            (f"{e.method} {e.name}: {e.error}"[:160], e.occurrences) for e in stats.errors.values()
        )[:5],
    }


def pin(names: tuple[str, ...], cpus: set[int]) -> dict[int, set[int]]:
    """Run every thread of the processes whose command line holds one of ``names`` on
    ``cpus`` only; returns what each ran on before, for :func:`unpin`."""
    before = {}
    for proc, command in processes():
        if any(name in command for name in names):
            for task in (proc / "task").iterdir():
                try:
                    before[int(task.name)] = os.sched_getaffinity(int(task.name))
                    os.sched_setaffinity(int(task.name), cpus)
                except OSError:  # ended meanwhile
                    continue
    return before


def unpin(before: dict[int, set[int]]) -> None:
    for tid, cpus in before.items():
        try:
            os.sched_setaffinity(tid, cpus)
        except OSError:
            continue


# The services the stack shares with the machine (not started by the bench).
SERVICES = ("postgres", "redis-server")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[100, 200, 300, 400, 500])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--web-cpus",
        type=lambda text: {int(cpu) for cpu in text.split(",")},
        help="cores for the web nodes alone (say 1): everything else, the load generator, "
        "PostgreSQL and Redis included, runs on the other cores",
    )
    args = parser.parse_args()
    log = Path(tempfile.mkdtemp(prefix="bench-capacity-")) / "nginx-timing.log"
    pinned: dict[int, set[int]] = {}
    if args.web_cpus:
        rest = os.sched_getaffinity(0) - args.web_cpus
        os.sched_setaffinity(0, rest)  # this process, and every process it starts
        pinned = pin(SERVICES, rest)
        print(f"web nodes on cores {sorted(args.web_cpus)}, the rest on {sorted(rest)}")
    try:
        stack = Stack(access_log=log, web_cpus=args.web_cpus)
    except BaseException:
        unpin(pinned)
        raise
    print(f"nginx timing log: {log}", flush=True)
    rows = []
    try:
        for users in args.users:
            shop = step(stack.base, Shopper, users, args.seconds, log)
            bare = step(stack.base, BareUser, users, args.seconds / 2, log)
            rows.append((shop, bare))
            print_row(shop, bare)
    finally:
        stack.stop()
        unpin(pinned)
    sustained = [shop["users"] for shop, _ in rows if shop["p95"] < 300 and not shop["failures"]]
    print(f"sustained (evaluate p95 < 300 ms, no failure): {max(sustained, default=0)} shoppers")


def print_row(shop: dict, bare: dict) -> None:
    busiest = sorted(shop["cpu"].items(), key=lambda kv: -kv[1])[:4]
    print(
        f"{shop['users']:>5} shoppers (load {shop['load']:.1f}): {shop['rps']:.0f} req/s,"
        f" evaluate p50 {shop['p50']:.0f} ms p95 {shop['p95']:.0f} ms"
        f" (nginx {shop['nginx_p95']:.0f}, node {shop['node_p95']:.0f};"
        f" {shop['count']} calls, {shop['failures']} failures);"
        f" bare view p50 {bare['p50']:.0f} ms p95 {bare['p95']:.0f} ms"
        f" (nginx {bare['nginx_p95']:.0f}, node {bare['node_p95']:.0f}; load {bare['load']:.1f});"
        f" cores busy: "
        + ", ".join(f"{tier} {share:.2f}" for tier, share in busiest)
        + f"; gunicorn waiting for a core {shop['web_waiting']:.2f}",
        flush=True,
    )
    for error, count in shop["errors"]:
        print(f"        {count} × {error}", flush=True)


if __name__ == "__main__":
    main()
