"""``python -m bench.export_bench``: production export under two real Celery workers.

PostgreSQL (database ``bench_prod_export``, made anew each run), Redis (DB 12 the broker, DB
13 the results), two worker processes (``celery worker -c 1`` twice) and the sample webhook
receiver (a subprocess) as the partner. Orders of the demo products, each with artwork (a
sneaker monogram, a tote's printed text, a mug engraving, a tote with a shopper's photo, in
turn), are placed through the order services, so the outbox and the on-commit enqueue are
the real ones. "Delivered" is the moment the receiver has verified and stored the package
(its file's modification time); "placed" is the order's ``placed_at``.

Measured: (a) burst throughput, N orders placed as fast as one process can and the time
until the last one is at the partner; (b) under a steady load below capacity (by default
half the burst throughput) for S seconds, placed-to-delivered p50 and p99. Baselines from
the same run and the same workers: a no-op Celery task (``celery.accumulate``) sent in
bulk (throughput) and one at a time (round-trip latency), and the package build alone
in-process (artwork, PDFs, sheet: the work a delivery cannot avoid).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "bench_prod_export"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
BROKER, RESULTS = "redis://127.0.0.1:6379/12", "redis://127.0.0.1:6379/13"
SECRET = "bench-partner-secret"
ORDER_KINDS = [
    ("SNEAKER-01", {"material": "leather", "color": "navy", "design": "star", "monogram": "Ánh"}),
    (
        "TOTE-01",
        {
            "material": "canvas",
            "color": "natural",
            "design": "leaves",
            "text": "Chúc mừng sinh nhật",
        },
    ),
    (
        "MUG-01",
        {"material": "ceramic", "color": "celadon", "design": "floral", "engraving": "Bát Tràng"},
    ),
    ("TOTE-01", {"material": "canvas", "color": "natural", "design": "photo", "photo": None}),
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database(name: str = DATABASE) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")


def flush_redis(urls: tuple[str, ...] = (BROKER, RESULTS)) -> None:
    import redis

    for url in urls:
        redis.Redis.from_url(url).flushdb()


def prepare(env: dict[str, str]) -> None:
    """A fresh database with the demo products (compiled in-process: no broker yet)."""
    recreate_database()
    flush_redis()
    demo_env = {k: v for k, v in env.items() if not k.startswith("CELERY_")}
    subprocess.run(
        [sys.executable, "manage.py", "demo", "--noserve"],
        cwd=ROOT,
        env=demo_env,
        check=True,
        capture_output=True,
    )


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped whole, children included
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def start_workers(env: dict[str, str]) -> list[subprocess.Popen]:
    return [
        spawn(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "configurator",
                "worker",
                "-c",
                "1",
                "-n",
                f"bench{i}@%h",
                "-l",
                "warning",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            env,
        )
        for i in (1, 2)
    ]


class Shop:
    """Places orders of the demo products, one line each, through the order services."""

    def __init__(self) -> None:
        from catalog.models import OptionSetVersion
        from configurator.compilation.selectors import engine_for_version
        from configurator.designs.services import upload_create
        from configurator.designs.shoppers import Shopper
        from configurator.orders.services import Shipping

        self.shopper = Shopper(None, "bench-export")
        self.shipping = Shipping("Khách", "k@example.vn", "0900000000", "1 Phố Huế", "Hà Nội")
        self.versions = {}
        for sku, _ in ORDER_KINDS:
            version = OptionSetVersion.objects.filter(product__sku=sku, status="published").latest(
                "number"
            )
            self.versions[sku] = (version, engine_for_version(version_id=version.pk))
        self.photo = str(upload_create(shopper=self.shopper, data=photo_bytes()).pk)
        self.count = 0

    def place(self) -> int:
        """Place the next order of the rotation; returns its id (after the commit)."""
        from configurator.orders.services import cart_line_add, order_place

        sku, selection = ORDER_KINDS[self.count % len(ORDER_KINDS)]
        if "photo" in selection:
            selection = {**selection, "photo": self.photo}
        version, engine = self.versions[sku]
        cart_line_add(shopper=self.shopper, version=version, engine=engine, selection=selection)
        order, _ = order_place(
            shopper=self.shopper,
            shipping=self.shipping,
            provider="manual",
            idempotency_key=f"bench-{self.count}",
        )
        self.count += 1
        return order.pk


def photo_bytes() -> bytes:
    """A 1500 × 1500 photo-like PNG (gradients and noise: it does not compress to nothing)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:1500, 0:1500]
    pixels = np.stack([x * 255 // 1500, y * 255 // 1500, (x + y) * 255 // 3000], axis=-1)
    pixels = np.clip(pixels + rng.integers(-12, 12, pixels.shape), 0, 255).astype("uint8")
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


def noop_baseline(count: int) -> tuple[float, list[float]]:
    """No-op tasks through the same broker and workers: bulk tasks/s, one-at-a-time seconds."""
    from configurator.celery import app

    start = time.perf_counter()
    results = [app.send_task("celery.accumulate", args=(i,)) for i in range(count)]
    for result in results:
        result.get(timeout=120)
    throughput = count / (time.perf_counter() - start)
    round_trips = []
    for i in range(max(50, count // 4)):
        start = time.perf_counter()
        app.send_task("celery.accumulate", args=(i,)).get(timeout=60)
        round_trips.append(time.perf_counter() - start)
    return throughput, round_trips


class PartnerReceiver:
    """The sample receiver in a subprocess; a package's arrival is its file's mtime."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        from configurator.production.models import Partner as PartnerModel
        from configurator.production.models import RoutingRule

        self.folder = folder
        port = free_port()
        self.process = spawn(
            [
                sys.executable,
                "-m",
                "configurator.production.receiver",
                "--port",
                str(port),
                "--secret",
                SECRET,
                "--out",
                str(folder),
            ],
            env,
        )
        partner = PartnerModel.objects.create(
            code="bench-partner",
            name="Bench partner",
            destination="webhook",
            webhook_url=f"http://127.0.0.1:{port}/",
            secret=SECRET,
        )
        RoutingRule.objects.create(partner=partner, product=None)
        wait_until(lambda: port_open(port), 30, "the receiver")

    def arrivals(self) -> dict[str, float]:
        """Export id -> wall-clock second its package was stored."""
        if not self.folder.exists():
            return {}
        return {p.stem: p.stat().st_mtime_ns / 1e9 for p in self.folder.glob("*.json")}


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def export_ids(order_ids: list[int]) -> dict[str, int]:
    from configurator.production.models import Export

    rows = Export.objects.filter(order_id__in=order_ids).values_list("pk", "order_id")
    return {str(pk): order_id for pk, order_id in rows}


def delivered_all(partner: PartnerReceiver, order_ids: list[int]) -> Callable[[], bool]:
    def check() -> bool:
        ids = export_ids(order_ids)
        return len(ids) == len(order_ids) and set(ids) <= set(partner.arrivals())

    return check


def burst(shop: Shop, partner: PartnerReceiver, count: int) -> tuple[float, float]:
    """(orders per second from the first placed to the last delivered, placing seconds)."""
    start = time.time()
    order_ids = [shop.place() for _ in range(count)]
    placing = time.time() - start
    wait_until(delivered_all(partner, order_ids), 600, "the burst's deliveries")
    ids = export_ids(order_ids)
    last = max(partner.arrivals()[key] for key in ids)
    return count / (last - start), placing


def steady(shop: Shop, partner: PartnerReceiver, rate: float, seconds: float) -> list[float]:
    """Placed-to-delivered seconds of every order placed at ``rate`` per second."""
    from configurator.orders.models import Order

    order_ids = []
    start = time.monotonic()
    for i in range(round(rate * seconds)):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        order_ids.append(shop.place())
    wait_until(delivered_all(partner, order_ids), 600, "the steady load's deliveries")
    placed = dict(Order.objects.filter(pk__in=order_ids).values_list("pk", "placed_at"))
    arrivals = partner.arrivals()
    return [
        arrivals[key] - placed[order].timestamp() for key, order in export_ids(order_ids).items()
    ]


def build_alone(order_ids: list[int]) -> list[float]:
    """Seconds to build each order's package again, in this process (no queue, no HTTP)."""
    from django.core.files.storage import default_storage

    from configurator.production.models import Export
    from configurator.production.package import package_build

    times = []
    for export in Export.objects.filter(order_id__in=order_ids).select_related(
        "order", "line", "partner"
    ):
        shutil.rmtree(default_storage.path(f"production/{export.pk}"), ignore_errors=True)
        start = time.perf_counter()
        package_build(export, base_url="http://127.0.0.1:8000")
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100, help="orders in the burst")
    parser.add_argument("--rate", type=float, help="steady orders/s (default: half the burst's)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the steady load")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.export_settings",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": RESULTS,
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    prepare(env)
    os.environ.update(env)
    import django

    django.setup()
    processes: list[subprocess.Popen] = []
    try:
        partner = PartnerReceiver(env, work / "received")
        processes.append(partner.process)
        processes.extend(start_workers(env))
        shop = Shop()
        noop_rate, round_trips = noop_baseline(400)
        shop.place()  # warm up: first order, first package in each worker
        wait_until(lambda: len(partner.arrivals()) == 1, 120, "the first delivery")
        throughput, placing = burst(shop, partner, args.orders)
        rate = args.rate or round(throughput / 2, 1)
        latencies = steady(shop, partner, rate, args.seconds)
    finally:
        for process in processes:
            stop(process)
    from configurator.orders.models import Order

    sample = list(Order.objects.order_by("pk").values_list("pk", flat=True)[1:9])
    builds = build_alone(sample)
    shutil.rmtree(work, ignore_errors=True)
    report(args, throughput, placing, rate, latencies, noop_rate, round_trips, builds)


def report(
    args: Any,
    throughput: float,
    placing: float,
    rate: float,
    latencies: list[float],
    noop_rate: float,
    round_trips: list[float],
    builds: list[float],
) -> None:
    build = statistics.mean(builds)
    rt50, rt99 = pct(round_trips, 50) * 1000, pct(round_trips, 99) * 1000
    p50, p99 = pct(latencies, 50) * 1000, pct(latencies, 99) * 1000
    ideal = 2 / build
    print(
        f"burst: {args.orders} orders placed in {placing:.1f} s; steady: {len(latencies)} "
        f"orders at {rate} /s; package build alone, mean of {len(builds)}: {build * 1000:.0f} ms"
    )
    print("| figure | measured | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    print(
        f"| export throughput, 2 workers (orders/s) | {throughput:.2f} | "
        f"{ideal:.2f} (2 ÷ package build alone) | {throughput / ideal:.2f} |"
    )
    print(
        f"| export throughput, 2 workers (orders/s) | {throughput:.2f} | "
        f"{noop_rate:.0f} (no-op task) | {throughput / noop_rate:.4f} |"
    )
    print(
        f"| placed → delivered p50 (ms) | {p50:.0f} | {build * 1000:.0f} (package build) / "
        f"{rt50:.1f} (no-op round trip) | {p50 / (build * 1000):.2f} / {p50 / rt50:.0f} |"
    )
    print(
        f"| placed → delivered p99 (ms) | {p99:.0f} | {build * 1000:.0f} (package build) / "
        f"{rt99:.1f} (no-op round trip p99) | {p99 / (build * 1000):.2f} / {p99 / rt99:.0f} |"
    )


if __name__ == "__main__":
    main()
