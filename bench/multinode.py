"""``python -m bench.multinode``: the shop as deployed, across two web nodes, with faults.

The deployment of docs/deploy.md on one machine: nginx (``deploy/nginx.conf.template``,
TLS) in front of two gunicorn nodes (``deploy/gunicorn.conf.py``, production settings),
two Celery workers and beat, PostgreSQL (database ``bench_multinode``, made anew), Redis
(broker DB 10, cache DB 11: sessions are in PostgreSQL, throttles and caches in Redis),
moto's S3 server for media (a public and a private bucket) and the sample webhook receiver
as the production partner.

Shoppers walk the journey through nginx, each with its own cookies: storefront, studio,
evaluate with a monogram typed key by key, the preview, add to cart, checkout (with an
idempotency key, retried on a 502 or a dropped connection, as a browser's retry would). When
a third of them have checked out, one web node (gunicorn master and workers) and one
Celery worker are killed with SIGKILL. The run passes when every shopper's order exists
once, every order's export reached the partner once, and no request failed for good.
Figures: evaluate latency through nginx, and a bare Django view through the same path as
the baseline, measured in the same run.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

import requests
import urllib3

from bench.export_bench import (
    PartnerReceiver,
    flush_redis,
    free_port,
    pct,
    port_open,
    recreate_database,
    spawn,
    stop,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "bench_multinode"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
BROKER, CACHE = "redis://127.0.0.1:6379/10", "redis://127.0.0.1:6379/11"
MONOGRAM = "Thu Hằng"
SHIPPING = {
    "name": "Nguyễn Thị Lan",
    "email": "lan@example.vn",
    "phone": "0901 234 567",
    "address": "12 Lý Thái Tổ, Hoàn Kiếm",
    "province": "Hà Nội",
    "ward": "70",  # Phường Hoàn Kiếm
    "payment": "manual",
}

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True)


class S3Server:
    """moto's standalone S3 server with the two buckets."""

    def __init__(self) -> None:
        import boto3

        self.port = free_port()
        self.process = spawn(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            dict(os.environ),
        )
        self.endpoint = f"http://127.0.0.1:{self.port}"
        wait_until(lambda: port_open(self.port), 30, "moto's S3 server")
        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
            region_name="us-east-1",
        )
        for bucket in ("shop-media", "shop-private"):
            client.create_bucket(Bucket=bucket)


def tls_pair(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


# What the capacity bench reads to split a slow request into its parts: the time nginx held
# it, connecting to a node, waiting for the node's headers, and the request's rank on its
# client connection (1: the first, after the TLS handshake).
TIMING_LOG = (
    "log_format timing '"
    + "\\t".join(
        [
            "$msec",
            "$request_method",
            "$uri",
            "$status",
            "$request_time",
            "$upstream_connect_time",
            "$upstream_header_time",
            "$upstream_response_time",
            "$connection",
            "$connection_requests",
            "$upstream_addr",
            "$http_x_bench_id",
        ]
    )
    + "';"
)


# Every shopper of the load generator connects from 127.0.0.1; real shoppers each have an
# address, and the throttles and the sign-in lockout key on it (``configurator.clients``).
# One address for all of them kept one throttle history for the whole crowd: a list of every
# evaluate call of the last minute, read and written back on each call (50-100 kB at
# 200-500 shoppers). A locust user sends its own address in this header and nginx takes it
# as the peer's (realip), from the loopback only; without the header nothing changes.
CLIENT_HEADER = "X-Bench-Client"
CLIENT_ADDRESS = f"        set_real_ip_from 127.0.0.1;\n        real_ip_header {CLIENT_HEADER};\n"
_addresses = itertools.count(1)


def own_address() -> dict[str, str]:
    """The header naming a new client address (10.0.0.1, 10.0.0.2, ...) for one shopper."""
    n = next(_addresses)
    return {CLIENT_HEADER: f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}


def nginx_config(
    folder: Path,
    port: int,
    nodes: list[int],
    static_root: Path,
    tls: tuple[Path, Path],
    access_log: Path | None = None,
) -> str:
    """``deploy/nginx.conf.template`` filled for the run, with the benchmark's changes: the
    timing log, and the shopper's own address (``CLIENT_HEADER``) where a real deployment
    has the peer's."""
    servers = "\n        ".join(
        f"server 127.0.0.1:{node} max_fails=1 fail_timeout=10s;" for node in nodes
    )
    config = Template((ROOT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
        RUN_DIR=str(folder),
        UPSTREAM_SERVERS=servers,
        LISTEN=f"127.0.0.1:{port}",
        SERVER_NAME="localhost",
        TLS_CERT=str(tls[0]),
        TLS_KEY=str(tls[1]),
        STATIC_ROOT=str(static_root),
    )
    if access_log is not None:
        config = config.replace(
            "access_log off;", f"{TIMING_LOG}\n    access_log {access_log} timing;"
        )
    return config.replace("    server {\n", f"    server {{\n{CLIENT_ADDRESS}", 1)


class Nginx:
    def __init__(
        self,
        folder: Path,
        port: int,
        nodes: list[int],
        static_root: Path,
        access_log: Path | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        config = nginx_config(folder, port, nodes, static_root, tls_pair(folder), access_log)
        self.config = folder / "nginx.conf"
        self.config.write_text(config)
        subprocess.run(["nginx", "-t", "-c", str(self.config)], check=True, capture_output=True)
        self.process = spawn(
            ["nginx", "-c", str(self.config), "-g", "daemon off;"], dict(os.environ)
        )
        wait_until(lambda: port_open(port), 30, "nginx")


@dataclass
class Tally:
    evaluate: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    retried: int = 0
    orders: dict[str, str] = field(default_factory=dict)  # shopper -> order number
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, what: str) -> None:
        with self.lock:
            self.statuses[what] = self.statuses.get(what, 0) + 1


def call(session: requests.Session, tally: Tally, method: str, url: str, **kwargs):
    """One request; a dropped connection or a 502/503 is retried (the same body and key)."""
    for attempt in range(6):
        try:
            response = session.request(method, url, timeout=30, verify=False, **kwargs)
        except requests.ConnectionError as error:
            tally.count(f"{method} connection error")
            last = str(error)
        else:
            tally.count(f"{method} {response.status_code}")
            if response.status_code not in (502, 503, 504):
                return response
            last = f"HTTP {response.status_code}"
        with tally.lock:
            tally.retried += 1
        time.sleep(0.2 * (attempt + 1))
    raise RuntimeError(f"{method} {url}: {last}")


def journey(base: str, number: int, tally: Tally, keystrokes: int) -> None:
    session = requests.Session()
    name = f"shopper-{number}"
    try:
        for path in ("/", "/studio/SNEAKER-01/"):
            response = call(session, tally, "GET", base + path)
            assert response.status_code == 200, (path, response.status_code)
        # What the studio's script sends with each write: the CSRF token and, over HTTPS,
        # the page it came from.
        session.headers["Referer"] = f"{base}/studio/SNEAKER-01/"
        session.headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")
        selection = {"material": "leather", "color": "navy", "design": "star"}
        preview = None
        for length in range(1, keystrokes + 1):
            selection["monogram"] = MONOGRAM[: 1 + (length - 1) % 8]  # the sneaker's limit: 8
            start = time.perf_counter()
            response = call(
                session,
                tally,
                "POST",
                f"{base}/api/v1/products/SNEAKER-01/evaluate/",
                json={"selection": selection},
            )
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.text[:300]
            preview = response.json()["preview_url"]
            start = time.perf_counter()
            bare = call(session, tally, "POST", f"{base}/bench/bare/", json={"selection": 1})
            assert bare.status_code == 200
            with tally.lock:
                tally.evaluate.append(elapsed)
                tally.bare.append(time.perf_counter() - start)
        picture = call(session, tally, "GET", base + preview, allow_redirects=True)
        assert picture.status_code == 200 and picture.content[:4] == b"RIFF", picture.status_code
        added = call(
            session,
            tally,
            "POST",
            f"{base}/api/v1/cart/lines/",
            json={"product": "SNEAKER-01", "selection": selection},
        )
        assert added.status_code == 201, added.text[:300]
        order = call(
            session,
            tally,
            "POST",
            f"{base}/api/v1/orders/",
            json={**SHIPPING, "idempotency_key": f"{name}-{secrets.token_hex(4)}"},
        )
        assert order.status_code in (200, 201), order.text[:300]
        with tally.lock:
            tally.orders[name] = order.json()["number"]
    except Exception as error:
        with tally.lock:
            tally.failures.append(f"{name}: {error}")


def kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


class Stack:
    """The deployment on this machine: S3, PostgreSQL and Redis prepared, the partner, two
    gunicorn nodes, two workers, beat and nginx; ``stop`` ends every process."""

    def __init__(
        self,
        web_workers: int = 2,
        access_log: Path | None = None,
        web_cpus: set[int] | None = None,
    ) -> None:
        """``web_cpus``: the cores the web nodes run on, and the only ones they run on; every
        other process of the stack, and this one, runs on the cores left (``bench.capacity
        --web-cpus``). None: every process may run on any core."""
        self.work = Path(tempfile.mkdtemp(prefix="bench-multinode-"))
        work = self.work
        nodes = [free_port(), free_port()]
        front = free_port()
        s3 = S3Server()
        self.processes: list[subprocess.Popen] = [s3.process]
        self.env = env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.multinode_settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": DATABASE_URL,
            "CACHE_URL": CACHE,
            "CELERY_BROKER_URL": BROKER,
            "CONFIGURATOR_TRUSTED_PROXIES": "1",
            "CONFIGURATOR_BASE_URL": f"https://localhost:{front}",
            "DJANGO_STATIC_ROOT": str(work / "static"),
            "DJANGO_MEDIA_ROOT": str(work / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(work / "private"),
            "DJANGO_S3_BUCKET": "shop-media",
            "DJANGO_S3_DEFAULT_ACL": "public-read",
            "DJANGO_PRIVATE_S3_BUCKET": "shop-private",
            "DJANGO_S3_ENDPOINT_URL": s3.endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_S3_REGION_NAME": "us-east-1",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "THROTTLE_EVALUATE": "1000000/minute",
            "THROTTLE_RENDER": "1000000/minute",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        try:
            recreate_database(DATABASE)
            flush_redis((BROKER, CACHE))
            no_broker = {k: v for k, v in env.items() if not k.startswith("CELERY_")}
            run([sys.executable, "manage.py", "migrate", "--noinput"], no_broker)
            run([sys.executable, "manage.py", "demo", "--noserve"], no_broker)  # compiles here
            run([sys.executable, "manage.py", "collectstatic", "--noinput"], no_broker)
            os.environ.update(env)
            import django

            django.setup()
            self.partner = PartnerReceiver(env, work / "received")
            self.processes.append(self.partner.process)
            self.web = []
            for number, port in enumerate(nodes):
                metrics = work / f"metrics-{number}"
                metrics.mkdir()
                node_env = {
                    **env,
                    "GUNICORN_BIND": f"127.0.0.1:{port}",
                    "GUNICORN_WORKERS": str(web_workers),
                    "PROMETHEUS_MULTIPROC_DIR": str(metrics),
                }
                command = ["gunicorn", "-c", "deploy/gunicorn.conf.py", "configurator.wsgi"]
                pinned = ["taskset", "-c", ",".join(map(str, sorted(web_cpus)))] if web_cpus else []
                self.web.append(spawn([*pinned, sys.executable, "-m", *command], node_env))
            self.processes.extend(self.web)
            celery = [sys.executable, "-m", "celery", "-A", "configurator"]
            quiet = ["-l", "warning"]
            lean = ["--without-mingle", "--without-gossip"]
            self.workers = [
                spawn(
                    [*celery, "worker", "-c", "1", "-n", f"node{i}@%h", *quiet, *lean],
                    env,
                )
                for i in (1, 2)
            ]
            self.processes.extend(self.workers)
            schedule = str(work / "beat-schedule")
            self.processes.append(spawn([*celery, "beat", *quiet, "-s", schedule], env))
            for port in nodes:
                wait_until(lambda port=port: port_open(port), 60, f"web node {port}")
            nginx = Nginx(work / "nginx", front, nodes, work / "static", access_log)
            self.processes.append(nginx.process)
            self.base = f"https://localhost:{front}"
            ready = requests.get(f"{self.base}/readyz", verify=False, timeout=10)
            assert ready.status_code == 200, ready.text
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)
        shutil.rmtree(self.work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shoppers", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--keystrokes", type=int, default=10)
    parser.add_argument("--no-faults", action="store_true", help="kill nothing")
    args = parser.parse_args()
    stack = Stack()
    try:
        tally = Tally()
        killed_at = None
        start = time.monotonic()
        with ThreadPoolExecutor(args.concurrency) as pool:
            futures = [
                pool.submit(journey, stack.base, number, tally, args.keystrokes)
                for number in range(args.shoppers)
            ]
            while not all(future.done() for future in futures):
                if (
                    not args.no_faults
                    and killed_at is None
                    and len(tally.orders) >= args.shoppers // 3
                ):
                    kill_group(stack.web[0])
                    kill_group(stack.workers[0])
                    killed_at = time.monotonic() - start
                time.sleep(0.05)
        placed = time.monotonic() - start
        numbers = list(tally.orders.values())
        wait_until(delivered(numbers, stack.partner), 300, "every order's export at the partner")
        settled = time.monotonic() - start
        report(args, tally, numbers, stack.partner, placed, settled, killed_at)
    finally:
        stack.stop()


def delivered(numbers: list[str], partner: PartnerReceiver):
    from configurator.production.models import Export

    def check() -> bool:
        ids = {
            str(pk)
            for pk in Export.objects.filter(
                order__number__in=numbers, status="delivered"
            ).values_list("pk", flat=True)
        }
        return len(ids) == len(numbers) and ids <= set(partner.arrivals())

    return check


def report(args, tally: Tally, numbers, partner, placed, settled, killed_at) -> None:
    from configurator.orders.models import Order
    from configurator.production.models import Export

    orders = Order.objects.filter(number__in=numbers)
    exports = Export.objects.filter(order__in=orders)
    arrivals = partner.arrivals()
    lost = args.shoppers - len(numbers)
    print(f"shoppers {args.shoppers}, concurrency {args.concurrency}, {args.keystrokes} keys each")
    if killed_at is not None:
        print(f"killed one web node and one worker at {killed_at:.1f} s")
    print(f"journeys completed: {len(numbers)}/{args.shoppers}; failed: {len(tally.failures)}")
    for failure in tally.failures[:10]:
        print("  ", failure)
    print(f"orders in the database: {orders.count()} (distinct numbers {len(set(numbers))})")
    print(
        f"exports: {exports.count()}, delivered {exports.filter(status='delivered').count()}, "
        f"at the partner {len(set(arrivals) & set(map(str, exports.values_list('pk', flat=True))))}"
    )
    print(f"requests retried after a 502/503 or a dropped connection: {tally.retried}")
    print("answers:", ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items())))
    print(f"all placed in {placed:.1f} s; all at the partner {settled:.1f} s after the start")
    ev, bare = tally.evaluate or [0.0], tally.bare or [1.0]
    print(
        f"evaluate through nginx p50 {pct(ev, 50) * 1000:.1f} ms, p95 {pct(ev, 95) * 1000:.1f} ms;"
        f" bare view p50 {pct(bare, 50) * 1000:.1f} ms, p95 {pct(bare, 95) * 1000:.1f} ms;"
        f" ratio p50 {pct(ev, 50) / pct(bare, 50):.2f}"
    )
    ok = (
        lost == 0
        and not tally.failures
        and orders.count() == args.shoppers
        and exports.filter(status="delivered").count() == args.shoppers
    )
    print("PASS" if ok else "FAIL")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
