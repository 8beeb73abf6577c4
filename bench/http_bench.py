"""``python -m bench.http_bench``: the evaluate endpoint and previews under a real server.

Gunicorn (one sync worker) serves the shop on 127.0.0.1 with the demo products; wrk loads
it, in interleaved rounds whose medians are reported. Measured in the same run: the
evaluate endpoint against a bare Django JSON view (throughput and p50), a cached preview
against a static file of the same size, and a cold preview render (in-process) against
Pillow merely encoding the same picture; plus the studio page's weight before images.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5
SELECTIONS = [
    {"material": "leather", "color": "navy", "design": "star", "monogram": "Ánh"},
    {"material": "canvas", "color": "red", "design": "wave"},
    {"material": "suede", "color": "sand", "design": "stripe"},
]


def wrk(
    url: str, seconds: int, body: dict | None = None, unique: str = "", connections: int = 4
) -> tuple[float, float]:
    """(requests per second, p50 latency in ms); :data:`LAST` holds the request count.

    With ``unique`` (a text group's code), every request sets that group to a new text, so
    no two requests are the same and no answer is ever reused.
    """
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    script = ""
    if body is not None:
        if unique:
            head = json.dumps({**body, "selection": {**body["selection"], unique: "@@"}})
            before, after = head.split('"@@"')
            lua = (
                "counter = 0\n"
                "request = function()\n"
                "  counter = counter + 1\n"
                f"  local body = {lua_string(before)} .. '\"M' .. counter .. '\"' .. "
                f"{lua_string(after)}\n"
                '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)\n'
                "end\n"
            )
        else:
            lua = (
                'wrk.method = "POST"\n'
                f"wrk.body = {lua_string(json.dumps(body))}\n"
                'wrk.headers["Content-Type"] = "application/json"\n'
            )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(lua)
        script = handle.name
        args[1:1] = ["-s", script]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw errors for {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    LAST["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
    p50 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if script:
        os.unlink(script)
    return rps, p50


LAST: dict[str, float] = {}


def worker_cpu(master: subprocess.Popen) -> float:
    """CPU seconds (user and system) used so far by the server's worker processes."""
    total = 0
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def cpu_wrk(
    server: subprocess.Popen, url: str, seconds: int, body: dict | None = None, unique: str = ""
) -> tuple[float, float, float]:
    """:func:`wrk`, plus the worker's CPU milliseconds per request (what the machine's other
    work does not change much: with a busy machine, wrk's figures measure the queue)."""
    before = worker_cpu(server)
    rps, p50 = wrk(url, seconds, body, unique)
    return rps, p50, (worker_cpu(server) - before) * 1000 / LAST["requests"]


def lua_string(text: str) -> str:
    """``text`` as a Lua string literal (UTF-8 bytes escaped as decimal)."""
    return '"' + "".join(f"\\{byte}" for byte in text.encode("utf-8")) + '"'


def main() -> None:
    """``--evaluate``: only the evaluate figures (about a minute), for trying changes."""
    evaluate_only = "--evaluate" in sys.argv[1:]
    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{work}/db.sqlite3"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "bench.http_settings",
        "BENCH_STATIC": str(work / "static"),
    }
    env.pop("CELERY_BROKER_URL", None)
    (work / "static").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "demo", "--noserve"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    server, base = start_server(env)
    try:
        body = {"selection": SELECTIONS[0]}
        evaluate = f"{base}/api/v1/products/SNEAKER-01/evaluate/"
        request = urllib.request.Request(
            evaluate, json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        state = json.loads(urllib.request.urlopen(request).read())
        wrk(evaluate, 2, body)  # warm up
        # Interleaved rounds, medians: the machine's load drifts during a run, and a
        # baseline measured minutes apart from its subject would carry that drift.
        rounds = [
            (
                cpu_wrk(server, f"{base}/bench/bare/", 4, body),
                cpu_wrk(server, evaluate, 4, body),
                cpu_wrk(server, evaluate, 4, body, unique="monogram"),
            )
            for _ in range(ROUNDS)
        ]
        (
            (bare_rps, bare_p50, bare_cpu),
            (eval_rps, eval_p50, eval_cpu),
            (new_rps, new_p50, new_cpu),
        ) = (tuple(statistics.median(r[i][k] for r in rounds) for k in range(3)) for i in range(3))
        cpu = (bare_cpu, eval_cpu, new_cpu)
        # One connection: the time of one answer, without the three others queued before it.
        alone = [
            (
                wrk(f"{base}/bench/bare/", 2, body, connections=1)[1],
                wrk(evaluate, 2, body, unique="monogram", connections=1)[1],
            )
            for _ in range(ROUNDS)
        ]
        LAST["bare_alone"] = statistics.median(a[0] for a in alone)
        LAST["new_alone"] = statistics.median(a[1] for a in alone)
        data = urllib.request.urlopen(base + state["preview_url"]).read()  # rendered, stored
        weight, assets = page_weight(base, "/studio/SNEAKER-01/")
    finally:
        stop(server)
    if evaluate_only:
        shutil.rmtree(work, ignore_errors=True)
        print_evaluate(bare_rps, bare_p50, eval_rps, eval_p50, new_rps, new_p50, cpu)
        return
    # WhiteNoise indexes static files when it starts: write the file, then start again.
    (work / "static" / "same-size.webp").write_bytes(data)
    server, base = start_server(env)
    try:
        wrk(f"{base}/static/same-size.webp", 2)  # warm up
        files = [
            (wrk(f"{base}/static/same-size.webp", 4)[1], wrk(base + state["preview_url"], 4)[1])
            for _ in range(ROUNDS)
        ]
        static_p50 = statistics.median(f[0] for f in files)
        cached_p50 = statistics.median(f[1] for f in files)
    finally:
        stop(server)
    cold, encode = cold_render(env)
    shutil.rmtree(work, ignore_errors=True)
    print_evaluate(bare_rps, bare_p50, eval_rps, eval_p50, new_rps, new_p50, cpu)
    print(
        f"| cached preview p50 (ms) | {cached_p50:.2f} | {static_p50:.2f} (static file, "
        f"{len(data)} B) | {cached_p50 / static_p50:.2f} | ≤ 2× |"
    )
    print(
        f"| studio page before images (KB) | {weight / 1000:.1f} | page, {assets} style "
        "sheets and scripts | | < 300 KB |"
    )
    print(
        f"| cold preview render, 1024 px (ms) | {cold:.1f} | {encode:.1f} (encode only) | "
        f"{cold / encode:.2f} | ≤ 60 ms |"
    )


def print_evaluate(
    bare_rps: float,
    bare_p50: float,
    eval_rps: float,
    eval_p50: float,
    new_rps: float,
    new_p50: float,
    cpu: tuple[float, float, float],
) -> None:
    print("| figure | measured | baseline (same run) | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| evaluate throughput, the same request (req/s) | {eval_rps:.0f} | {bare_rps:.0f} "
        f"(bare JSON view) | {eval_rps / bare_rps:.2f} | ≥ 0.50 |"
    )
    print(
        f"| evaluate p50, the same request (ms) | {eval_p50:.2f} | {bare_p50:.2f} (bare JSON "
        f"view) | {eval_p50 / bare_p50:.2f} | ≤ 10 ms |"
    )
    print(
        f"| evaluate throughput, every request new (req/s) | {new_rps:.0f} | {bare_rps:.0f} "
        f"(bare JSON view) | {new_rps / bare_rps:.2f} | ≥ 0.50 |"
    )
    print(
        f"| evaluate p50, every request new (ms) | {new_p50:.2f} | {bare_p50:.2f} (bare JSON "
        f"view) | {new_p50 / bare_p50:.2f} | ≤ 5 ms |"
    )
    bare_cpu, eval_cpu, new_cpu = cpu
    if "new_alone" in LAST:
        bare_alone, new_alone = LAST["bare_alone"], LAST["new_alone"]
        print(
            f"| evaluate p50, every request new, one connection (ms) | {new_alone:.2f} | "
            f"{bare_alone:.2f} (bare JSON view) | {new_alone / bare_alone:.2f} | ≤ 5 ms |"
        )
    print(
        f"| worker CPU per request, the same request (ms) | {eval_cpu:.3f} | {bare_cpu:.3f} "
        f"(bare JSON view) | {bare_cpu / eval_cpu:.2f} | ≥ 0.50 |"
    )
    print(
        f"| worker CPU per request, every request new (ms) | {new_cpu:.3f} | {bare_cpu:.3f} "
        f"(bare JSON view) | {bare_cpu / new_cpu:.2f} | ≥ 0.50 |"
    )


def page_weight(base: str, path: str) -> tuple[int, int]:
    """Bytes of a page with its style sheets and scripts (images left out), and their count."""
    page = urllib.request.urlopen(base + path).read()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
    total = len(page) + sum(len(urllib.request.urlopen(base + a.decode()).read()) for a in assets)
    return total, len(assets)


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    """Gunicorn with one sync worker on a free port, answering."""
    port = random.randint(20000, 40000)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "configurator.wsgi",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(60):
        try:
            urllib.request.urlopen(base + "/api/v1/products/", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn did not answer")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait()


def cold_render(env: dict) -> tuple[float, float]:
    """Median of cold renders at 1024 px (new selections), and of encoding alone."""
    code = r"""
import io, statistics, time, django, json
django.setup()
from catalog.models import OptionSetVersion
from configurator.compilation.selectors import engine_for_version
from configurator.preview import encode
from configurator.configuring.previews import compose, version_layers
versions = OptionSetVersion.objects.filter(product__sku="SNEAKER-01", status="published")
version = versions.latest("number")
engine = engine_for_version(version_id=version.pk)
layers = version_layers(version.pk, engine.presentation)
compose(layers=layers, selection={}, size=1024)
colors = ["white", "black", "navy", "red", "sand", "brown", "olive", "pink"]
renders, encodes = [], []
for i, color in enumerate(colors * 2):
    selection = {"material": "canvas", "color": color, "design": ["plain", "star"][i % 2],
                 "monogram": f"N{i}"}
    start = time.perf_counter()
    image = compose(layers=layers, selection=selection, size=1024)
    encode(image, format="webp")
    renders.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    encode(image, format="webp")
    encodes.append((time.perf_counter() - start) * 1000)
print(json.dumps([statistics.median(renders), statistics.median(encodes)]))
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cold, encode = json.loads(out.strip().splitlines()[-1])
    return cold, encode


if __name__ == "__main__":
    main()
