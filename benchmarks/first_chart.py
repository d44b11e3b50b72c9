"""How long a visitor waits for each page's first chart, against Streamlit's own floor.

Starts the app (``scripts/serve.py app.py``, as ``scripts/app.sh`` does) and a hello-world
Streamlit page with one Plotly chart, served by the same Streamlit with the same settings, each
on a free localhost port.  Every page is visited once to warm the server (the kernel, the shared
caches: what every visitor after the first finds), then ``--samples`` times in headless Chromium,
each in a fresh browser context (no cache, no cookies: a new student), timing from ``goto`` until
the first Plotly chart has drawn its SVG.  It prints each page's median and its ratio to the
hello-world page's median, the floor no Streamlit page can beat.

    python benchmarks/first_chart.py                      # the pages as a student opens them
    python benchmarks/first_chart.py --query predict=0    # as a teacher's demo link opens them
    python benchmarks/first_chart.py --fresh-visit 20     # a fresh install, a visitor 20 s after start

``--fresh-visit SECONDS`` measures something else: on a fresh install (an empty numba cache), a
visitor who opens the walkthrough SECONDS after the server starts, until its "0.00995" shows;
once with a plain ``streamlit run app.py`` and once with ``scripts/serve.py`` (the kernel
compiling as the server starts), each beside a second visitor on the then warm server.

Timings on a machine shared with other work are noisy: compare the ratios, not the seconds.
Traffic goes to 127.0.0.1 only; every wait is bounded, and the servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("NNVIZ_CHROMIUM", "/usr/bin/chromium")
PAGES = ("", "walkthrough", "backprop", "descent", "grades")  # "" is the home page
HELLO = """import plotly.graph_objects as go
import streamlit as st

st.title("Hello")
st.plotly_chart(go.Figure(go.Scatter(x=[0, 1, 2, 3], y=[1.82, 0.4, 0.1, 0.03])))
"""
FIRST_CHART = ".js-plotly-plot .main-svg"
TIMEOUT_MS = 120_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """A Streamlit server from the repository (its ``.streamlit/`` settings), once it answers."""
    port = free_port()
    cmd = [
        sys.executable,
        *script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def visit(browser, url: str, wait_for: str = FIRST_CHART) -> float:
    """Seconds from opening ``url`` in a fresh context until ``wait_for`` is on the page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.locator(wait_for).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def first_charts(browser, samples: int, query: str) -> None:
    suffix = f"?{query}" if query else ""
    with tempfile.TemporaryDirectory() as folder:
        hello_path = Path(folder) / "hello.py"
        hello_path.write_text(HELLO)
        hello, hello_url = start(["-m", "streamlit", "run", str(hello_path)])
        app, app_url = start(["scripts/serve.py", "app.py"])
        try:
            visit(browser, hello_url)  # warm: the first load of Streamlit's files
            for path in PAGES:
                visit(browser, f"{app_url}/{path}{suffix}")  # warm: the kernel, the shared caches
            times = {"hello": [visit(browser, hello_url) for _ in range(samples)]}
            for path in PAGES:
                times[path] = [visit(browser, f"{app_url}/{path}{suffix}") for _ in range(samples)]
        finally:
            stop(app)
            stop(hello)
    floor = statistics.median(times["hello"])
    print(f"first Plotly chart, median of {samples} fresh contexts{' with ?' + query if query else ''}")
    print(f"{'page':<14}{'median s':>10}{'ratio':>8}   samples")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        shown = "hello world" if name == "hello" else (name or "home")
        print(f"{shown:<14}{median:>10.2f}{median / floor:>8.2f}   " + " ".join(f"{s:.2f}" for s in seconds))


def fresh_visit(browser, after: float) -> None:
    answer = "text=0.00995"
    for name, script in (
        ("streamlit run app.py", ["-m", "streamlit", "run", "app.py"]),
        ("scripts/serve.py app.py", ["scripts/serve.py", "app.py"]),
    ):
        with tempfile.TemporaryDirectory() as cache:
            started = time.monotonic()
            proc, url = start(script, {"NUMBA_CACHE_DIR": cache})  # a fresh install: nothing compiled
            try:
                time.sleep(max(0.0, after - (time.monotonic() - started)))
                first = visit(browser, f"{url}/walkthrough?predict=0", answer)
                second = visit(browser, f"{url}/walkthrough?predict=0", answer)
            finally:
                stop(proc)
        print(
            f"{name:<26} visitor {after:.0f} s after start: {first:.2f} s to 0.00995; the next visitor: {second:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=5, help="fresh contexts per page (default 5)")
    parser.add_argument("--query", default="", help="added to every page's link, e.g. predict=0")
    parser.add_argument(
        "--fresh-visit",
        type=float,
        metavar="SECONDS",
        help="instead: a fresh install's first visitor, SECONDS after the server starts",
    )
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            if args.fresh_visit is not None:
                fresh_visit(browser, args.fresh_visit)
            else:
                first_charts(browser, args.samples, args.query)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
