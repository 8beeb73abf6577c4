"""``python -m bench.studio_e2e [CLICKS]``: from a click on an option to the new price and
preview on screen, in a real browser on the demo server.

The demo shop (``manage.py demo``: DEBUG off, WhiteNoise, runserver) is prepared in a fresh
SQLite database and served on a free port; headless Chromium (Debian's, through Playwright)
opens the studio of SNEAKER-01 and clicks, one after another, an available value that is not
chosen (seeded, so every run clicks the same values). For each click, measured in the page
with ``performance.now()``:

- **total**: from the click event to the next frame after both the new price is in the page
  and the new preview has loaded;
- **evaluate fetch**: the evaluate request from its start to the last byte (Resource
  Timing), and **server view** its ``Server-Timing`` duration (the view alone);
- **preview fetch**: the preview image from its request to its last byte; a preview seen
  before comes from the browser's cache or the cached-preview middleware, a new one is drawn;
- **browser**: total minus both fetches: handlers, JSON parsing, rendering the steps,
  decoding the picture and painting.

Prints p50 and p95 of each as Markdown tables (every click; clicks that fetched a preview
the browser had not seen; clicks whose preview came from its memory), the median of the runs
asked (``--runs``).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SKU = "SNEAKER-01"

# Installed in the page: times of the click, of the price's change and of the preview's load,
# each taken at the next animation frame (when the change can be on screen).
PROBE = """
() => {
  performance.setResourceTimingBufferSize(100000);
  const frame = (key) => requestAnimationFrame(() => {
    if (window.__m && !window.__m[key]) window.__m[key] = performance.now();
  });
  document.addEventListener("click", () => {
    if (window.__m && !window.__m.t0) window.__m.t0 = performance.now();
  }, true);
  new MutationObserver(() => { if (window.__m && window.__m.t0) frame("price"); })
    .observe(document.getElementById("price"), {childList: true, subtree: true});
  document.getElementById("preview").addEventListener("load", () => {
    if (window.__m && window.__m.t0) frame("preview");
  });
}
"""

CANDIDATES = """
() => [...document.querySelectorAll("#groups input[type=radio]")]
  .filter((i) => !i.checked && i.getAttribute("aria-disabled") !== "true" && !i.disabled
    && !i.id.endsWith("--none"))
  .map((i) => i.id)
"""

ENTRIES = """
(t0) => performance.getEntriesByType("resource")
  .filter((e) => e.startTime >= t0)
  .map((e) => ({name: e.name, start: e.startTime, end: e.responseEnd,
                server: e.serverTiming.map((s) => s.duration)}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo(work: Path) -> tuple[subprocess.Popen, str]:
    """``manage.py demo`` on a free port with its own database and media, answering."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3",
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "configurator.settings.demo",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "demo", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{base}/api/v1/products/", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the demo server did not answer")


def measure(page, rng: random.Random) -> dict[str, float]:
    """One click on an available value not chosen; its timings in ms."""
    choice = rng.choice(page.evaluate(CANDIDATES))
    page.evaluate(
        "() => { performance.clearResourceTimings(); window.__m = {t0: 0, price: 0, preview: 0}; }"
    )
    page.click(f"label[for='{choice}']")
    page.wait_for_function("() => window.__m.price && window.__m.preview", timeout=15_000)
    marks = page.evaluate("() => window.__m")
    entries = page.evaluate(ENTRIES, marks["t0"])
    evaluate = next(e for e in entries if "/evaluate/" in e["name"])
    previews = [e for e in entries if "/preview/" in e["name"]]
    total = max(marks["price"], marks["preview"]) - marks["t0"]
    evaluate_ms = evaluate["end"] - evaluate["start"]
    preview_ms = previews[-1]["end"] - previews[-1]["start"] if previews else 0.0
    return {
        "fresh": 1.0 if previews else 0.0,  # a preview not in the browser's memory yet
        "total": total,
        "evaluate fetch": evaluate_ms,
        "server view": evaluate["server"][0] if evaluate["server"] else float("nan"),
        "preview fetch": preview_ms,
        "browser": total - evaluate_ms - preview_ms,
    }


def run(base: str, clicks: int, seed: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            context = browser.new_context(
                locale="vi-VN", base_url=base, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.goto(f"/studio/{SKU}/")
            page.wait_for_selector("#groups input[type=radio]")
            page.wait_for_function(
                "() => document.getElementById('preview').complete"
                " && !document.getElementById('preview').hidden"
            )
            page.evaluate(PROBE)
            rng = random.Random(seed)
            for _ in range(3):  # warm up: the engine, the first renders, the JIT
                measure(page, rng)
            return [measure(page, rng) for _ in range(clicks)]
        finally:
            browser.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    args = sys.argv[1:]
    runs = 1
    if "--runs" in args:
        at = args.index("--runs")
        runs = int(args[at + 1])
        del args[at : at + 2]
    clicks = int(args[0]) if args else 50
    work = Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    server, base = start_demo(work)
    try:
        results = [run(base, clicks, seed=17 + i) for i in range(runs)]
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{clicks} clicks × {runs} runs on {SKU}; median over runs of each run's figure")
    fresh = sum(m["fresh"] for r in results for m in r)
    print(f"{fresh:.0f} of {clicks * runs} clicks showed a preview the browser had not seen")
    for title, keep in (
        ("every click", lambda m: True),
        ("a new preview (fetched)", lambda m: m["fresh"]),
        ("a preview seen before (browser's memory)", lambda m: not m["fresh"]),
    ):
        kept = [[m for m in r if keep(m)] for r in results]
        kept = [r for r in kept if r]
        if not kept:
            continue
        print(f"\n{title}:\n")
        print("| part | p50 (ms) | p95 (ms) | p50 per run |")
        print("|---|---|---|---|")
        for part in ("total", "evaluate fetch", "server view", "preview fetch", "browser"):
            p50s = [percentile([m[part] for m in r], 0.5) for r in kept]
            p95s = [percentile([m[part] for m in r], 0.95) for r in kept]
            p50, p95 = statistics.median(p50s), statistics.median(p95s)
            spread = ", ".join(f"{v:.1f}" for v in p50s)
            print(f"| {part} | {p50:.1f} | {p95:.1f} | {spread} |")


if __name__ == "__main__":
    main()
