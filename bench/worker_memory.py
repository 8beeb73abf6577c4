"""``python -m bench.worker_memory``: what one web worker holds, and what it costs beyond a
bare Django worker of the same settings.

A temporary demo shop (SQLite, the demo's products, ``bench.http_settings``) served by gunicorn with
``deploy/gunicorn.conf.py`` (preloaded application, sync workers). Memory is read from
``/proc`` with psutil, for each worker:

- RSS, what ``top`` shows;
- USS, the pages only this worker holds (what one more worker costs);
- PSS, the shared pages divided among the processes that share them.

Measured at three moments: after boot (one ``/healthz``), after a shopper's pages (storefront
and every demo studio, with its preview), and after ``--evaluations`` new answers spread over
the products (a monogram typed key by key, so each answer is new). The baseline, in the same
run, is a worker of the same settings (no warm-up) that served one bare Django JSON view
(``/bench/bare/`` of ``bench.http_urls``): the figures are printed against it. The shop is
measured twice: with the master's warm-up (``configurator/warmup.py``, the default) and
without it (``GUNICORN_WARM_UP=0``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
MiB = 2**20


def wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def workers_of(master: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(master.pid).children()


def memory(process: psutil.Process) -> dict[str, float]:
    full = process.memory_full_info()
    return {"rss": full.rss / MiB, "uss": full.uss / MiB, "pss": full.pss / MiB}


def start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "configurator.wsgi",
        ],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_MAX_REQUESTS": "0",
        },
        start_new_session=True,
    )
    wait_up(f"http://127.0.0.1:{port}/healthz")
    return server


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def shopper_pages(base: str, skus: list[str]) -> int:
    session = requests.Session()
    count = 0
    for path in ["/"] + [f"/studio/{sku}/" for sku in skus]:
        response = session.get(base + path, timeout=30)
        response.raise_for_status()
        count += 1
    return count


def evaluations(base: str, skus: list[str], count: int) -> int:
    session = requests.Session()
    done = 0
    word = "Nguyễn Thị Ánh Minh"
    while done < count:
        for sku in skus:
            url = f"{base}/api/v1/products/{sku}/evaluate/"
            text = word[: 1 + done % len(word)] + str(done)
            answer = session.post(url, json={"selection": {"monogram": text}}, timeout=30)
            if answer.status_code >= 500:
                raise SystemExit(f"{url}: {answer.status_code}")
            done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="worker-memory-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))},
        "DJANGO_SETTINGS_MODULE": "bench.http_settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_STATIC": str(folder / "static"),  # bench.http_settings serves it; empty
    }
    (folder / "static").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "demo", "--noserve"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    skus = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, json; django.setup(); from catalog.models import Product; "
                "print(json.dumps(sorted(Product.objects.values_list('sku', flat=True))))",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )

    rows = []
    # The baseline: a worker of the same settings that served only a bare JSON view.
    bare = start({**env, "GUNICORN_WARM_UP": "0"}, 8791, args.workers)
    try:
        base = "http://127.0.0.1:8791"
        for _ in range(200):
            requests.post(base + "/bench/bare/", json={}, timeout=10).raise_for_status()
        baseline = [memory(w) for w in workers_of(bare)]
    finally:
        stop(bare)

    masters = {}
    for warm_up in ("0", "1"):
        label = "warm-up" if warm_up == "1" else "no warm-up"
        shop = start({**env, "GUNICORN_WARM_UP": warm_up}, 8792, args.workers)
        try:
            base = "http://127.0.0.1:8792"
            rows.append((f"{label}: after boot", [memory(w) for w in workers_of(shop)]))
            shopper_pages(base, skus)
            rows.append((f"{label}: every studio", [memory(w) for w in workers_of(shop)]))
            evaluations(base, skus, args.evaluations)
            rows.append(
                (f"{label}: {args.evaluations} answers", [memory(w) for w in workers_of(shop)])
            )
            masters[label] = memory(psutil.Process(shop.pid))
        finally:
            stop(shop)

    def worst(samples: list[dict[str, float]], key: str) -> float:
        return max(sample[key] for sample in samples)

    print(f"demo products: {', '.join(skus)}; workers: {args.workers}")
    print(
        f"baseline (bare JSON view, same settings): RSS {worst(baseline, 'rss'):.0f} MiB, "
        f"USS {worst(baseline, 'uss'):.0f} MiB, PSS {worst(baseline, 'pss'):.0f} MiB"
    )
    for label, master in masters.items():
        print(f"master, {label} (preloaded application): RSS {master['rss']:.0f} MiB")
    print(
        f"{'moment':<32} {'RSS MiB':>8} {'× base':>7} {'USS MiB':>8} {'× base':>7} {'PSS MiB':>8}"
    )
    for moment, samples in rows:
        rss, uss, pss = (worst(samples, k) for k in ("rss", "uss", "pss"))
        print(
            f"{moment:<32} {rss:>8.0f} {rss / worst(baseline, 'rss'):>7.2f} "
            f"{uss:>8.0f} {uss / worst(baseline, 'uss'):>7.2f} {pss:>8.0f}"
        )


if __name__ == "__main__":
    main()
