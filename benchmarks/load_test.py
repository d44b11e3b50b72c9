"""A class of students opening the app at once: N sessions in headless Chromium.

Starts ``streamlit run app.py`` on a free localhost port, then runs N browser sessions
concurrently, each doing what a student does:

1. open the walkthrough with the defaults and wait for its charts,
2. change the learning rate to 0.5 and wait for the retrained numbers,
3. click through to the grades page in the menu and wait for its charts,
4. upload the sample CSV and wait for the page to show it.

For every step it reports p50/p95 seconds until the charts are drawn, on the harness's
clock.  That includes the browser's own work (about 9 MB of Streamlit's and Plotly's
JavaScript on a first visit, then laying out and drawing the page: several core-seconds a
page in headless Chromium), which in a class runs on each student's own laptop but here
shares this machine's two cores with the server and every other simulated student.  To
tell the server's share apart it also reports, from the server itself (``NNVIZ_LOG_TIMINGS``,
see ``ui/shell.py``), how long each script run took, and the CPU time the server and the
browsers used.

The browsers run at a lower CPU priority (``--browser-nice``) so that, as in a real class,
they do not take the server's cores away; ``--ramp`` spreads the students' arrivals over
some seconds instead of all in the same instant.  The report also gives errors (exception
boxes, page errors, time-outs) and the server's peak memory after each wave (memory that
stops growing from wave to wave means the caches are bounded).

    python benchmarks/load_test.py --sessions 30 --waves 2
    python benchmarks/load_test.py --sessions 30 --ramp 30

Traffic goes to 127.0.0.1 only; every wait is bounded, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "nnviz" / "data" / "students.csv"
STEPS = ("walkthrough", "learning rate", "grades page", "upload")
TIMEOUT_MS = 300_000


def start_server(port: int) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    env = {**os.environ, "NNVIZ_LOG_TIMINGS": "1"}  # one stderr line per script run (ui/shell.py)
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the server did not start within 60 s")


class ScriptRuns:
    """The server's own account of every script run: (page, outcome, seconds), from its stderr."""

    def __init__(self, stream):
        self.runs: list[tuple[str, str, float]] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            if line.startswith("nnviz timing "):
                page, outcome, seconds = line.split()[2:5]
                self.runs.append((page, outcome, float(seconds)))

    def mark(self) -> int:
        return len(self.runs)

    def report(self, mark: int) -> None:
        runs = self.runs[mark:]
        outcomes = sorted({outcome for _, outcome, _ in runs})
        print(
            f"  script runs on the server: {len(runs)} ({', '.join(f'{o} {sum(r[1] == o for r in runs)}' for o in outcomes)})"
        )
        for page in sorted({page for page, _, _ in runs}):
            seconds = [s for p, outcome, s in runs if p == page and outcome == "finished"]
            if seconds:
                print(
                    f"    {page:12} {len(seconds):4d} runs: p50 {percentile(seconds, 0.5):.2f} s, "
                    f"p95 {percentile(seconds, 0.95):.2f} s, max {max(seconds):.2f} s"
                )


def machine_cpu_seconds() -> float:
    """CPU time all processes on this machine have used (from /proc/stat), idle excluded."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


class ServerWatch:
    """The server's resident memory (VmRSS), sampled every 0.2 s, keeping the peak; and its CPU time."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.rss())
            except OSError:
                return
            time.sleep(0.2)

    def stop(self):
        self._stop.set()
        self._thread.join()


async def charts(page, n: int) -> None:
    """Wait until ``n`` Plotly charts are drawn (each chart has several ``main-svg`` layers)."""
    await page.wait_for_function(
        "n => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg')).length >= n",
        arg=n,
        timeout=TIMEOUT_MS,
    )


async def student(browser, url: str, delay: float, results: dict, errors: list, index: int) -> None:
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(f"session {index}: page error {e}"))

    async def step(name, action, *conditions):
        started = time.perf_counter()
        await action()
        for condition in conditions:
            await condition
        results[name].append(time.perf_counter() - started)

    name = STEPS[0]
    try:
        await step(
            name,
            lambda: page.goto(f"{url}/walkthrough?predict=0", wait_until="commit", timeout=TIMEOUT_MS),
            charts(page, 3),
        )

        name = STEPS[1]
        field = page.get_by_label("Learning rate")

        async def change_rate():
            await field.fill("0.5", timeout=TIMEOUT_MS)
            await field.press("Enter")

        await step(name, change_rate, page.get_by_text("0.01410").first.wait_for(timeout=TIMEOUT_MS), charts(page, 3))

        name = STEPS[2]
        link = page.get_by_role("link", name="Will they pass?")
        heading = page.get_by_text("1 · The class's grades")
        await step(name, lambda: link.click(timeout=TIMEOUT_MS), heading.wait_for(timeout=TIMEOUT_MS), charts(page, 4))

        name = STEPS[3]
        uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']").first
        sample_note = page.get_by_text("Showing the bundled sample")  # gone once the upload is used
        await step(
            name,
            lambda: uploader.set_input_files(str(SAMPLE), timeout=TIMEOUT_MS),
            sample_note.wait_for(state="detached", timeout=TIMEOUT_MS),
            charts(page, 4),
        )
        if await page.locator("[data-testid='stException']").count():
            errors.append(f"session {index}: an exception box on the page")
    except Exception as exc:  # a time-out or a broken page: counted, and the others go on
        errors.append(f"session {index}, step '{name}': {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def wave(url: str, sessions: int, ramp: float, seed: int) -> tuple[dict, list, float]:
    results: dict[str, list[float]] = {s: [] for s in STEPS}
    errors: list[str] = []
    delays = sorted(random.Random(seed).uniform(0, ramp) for _ in range(sessions)) if ramp else [0.0] * sessions
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        started = time.perf_counter()
        await asyncio.gather(*(student(browser, url, d, results, errors, i) for i, d in enumerate(delays)))
        elapsed = time.perf_counter() - started
        await browser.close()
    return results, errors, elapsed


def report(results: dict) -> None:
    print(f"  {'step':14} {'done':>4} {'p50 s':>7} {'p95 s':>7} {'max s':>7}   (until the charts are drawn)")
    for step in STEPS:
        done = results[step]
        row = f"{percentile(done, 0.5):7.2f} {percentile(done, 0.95):7.2f} {max(done):7.2f}" if done else "      -" * 3
        print(f"  {step:14} {len(done):4d} {row}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--waves", type=int, default=2)
    parser.add_argument(
        "--ramp", type=float, default=0.0, help="spread arrivals over this many seconds (0: all at once)"
    )
    parser.add_argument(
        "--browser-nice", type=int, default=19, help="CPU priority of the browsers (0: same as the server)"
    )
    parser.add_argument("--port", type=int, default=8599)
    args = parser.parse_args()

    server = start_server(args.port)
    watch, script_runs = ServerWatch(server.pid), ScriptRuns(server.stderr)
    os.nice(args.browser_nice)  # this process and the browsers it starts; the server keeps its priority
    url = f"http://127.0.0.1:{args.port}"
    try:
        arrival = f"arriving over {args.ramp:g} s" if args.ramp else "all arriving at once"
        print(f"{args.sessions} concurrent sessions, {arrival}, {args.waves} waves; server at {url}")
        print(f"server memory at start: {watch.rss() / 2**20:.0f} MiB; this machine has {os.cpu_count()} cores")
        for number in range(1, args.waves + 1):
            server_before, machine_before, runs_before = watch.cpu_seconds(), machine_cpu_seconds(), script_runs.mark()
            results, errors, elapsed = asyncio.run(wave(url, args.sessions, args.ramp, number))
            server_cpu = watch.cpu_seconds() - server_before
            other_cpu = machine_cpu_seconds() - machine_before - server_cpu
            print(
                f"\nwave {number}: {elapsed:.1f} s; errors: {len(errors)}; CPU: server {server_cpu:.1f} s "
                f"({server_cpu / args.sessions:.2f} s a student), browsers and harness {other_cpu:.1f} s"
            )
            for error in errors[:10]:
                print(f"  {error}")
            report(results)
            script_runs.report(runs_before)
            print(f"  server memory: peak so far {watch.peak / 2**20:.0f} MiB, now {watch.rss() / 2**20:.0f} MiB")
    finally:
        watch.stop()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
