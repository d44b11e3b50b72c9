"""A class of students opening the app at once: N sessions in headless Chromium.

Starts ``streamlit run app.py`` on a free localhost port, then runs N browser sessions
concurrently, each doing what a student does:

1. open the walkthrough with the defaults and wait for its charts,
2. change the learning rate to 0.5 and wait for the retrained numbers,
3. open the grades page and wait for its charts,
4. upload the sample CSV and wait for the page to show it.

It reports p50/p95 seconds per step, every error seen (exception boxes, page errors,
time-outs) and the server's peak memory, after each of ``--waves`` waves (memory that
stops growing from one wave to the next means the caches are bounded).

    python benchmarks/load_test.py --sessions 30 --waves 2

Traffic goes to 127.0.0.1 only; every wait is bounded, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
TIMEOUT_MS = 120_000


def start_server(port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the server did not start within 60 s")


class MemoryWatch:
    """The server's resident memory (VmRSS), sampled every 0.2 s; keeps the peak."""

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
        """CPU time the server has used so far (user + system), to tell server cost from browser cost."""
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
    await page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}", timeout=TIMEOUT_MS
    )


async def student(browser, url: str, times: dict, errors: list, index: int) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(f"session {index}: page error {e}"))
    step = STEPS[0]
    try:
        t = time.perf_counter()
        await page.goto(f"{url}/walkthrough", timeout=TIMEOUT_MS)
        await charts(page, 3)
        times[STEPS[0]].append(time.perf_counter() - t)

        step = STEPS[1]
        t = time.perf_counter()
        field = page.get_by_label("Learning rate")
        await field.fill("0.5")
        await field.press("Enter")
        await page.get_by_text("0.01410").first.wait_for(timeout=TIMEOUT_MS)
        await charts(page, 3)
        times[STEPS[1]].append(time.perf_counter() - t)

        step = STEPS[2]
        t = time.perf_counter()
        await page.goto(f"{url}/grades", timeout=TIMEOUT_MS)
        await charts(page, 4)
        times[STEPS[2]].append(time.perf_counter() - t)

        step = STEPS[3]
        t = time.perf_counter()
        await page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(SAMPLE))
        await page.get_by_text("students.csv", exact=True).first.wait_for(state="attached", timeout=TIMEOUT_MS)
        await charts(page, 4)
        times[STEPS[3]].append(time.perf_counter() - t)

        if await page.locator("[data-testid='stException']").count():
            errors.append(f"session {index}: an exception box on the page")
    except Exception as exc:  # a time-out or a broken page: counted, and the others go on
        errors.append(f"session {index}, step '{step}': {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def wave(url: str, sessions: int) -> tuple[dict, list, float]:
    times = {s: [] for s in STEPS}
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        started = time.perf_counter()
        await asyncio.gather(*(student(browser, url, times, errors, i) for i in range(sessions)))
        elapsed = time.perf_counter() - started
        await browser.close()
    return times, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--waves", type=int, default=2)
    parser.add_argument("--port", type=int, default=8599)
    args = parser.parse_args()

    server = start_server(args.port)
    watch = MemoryWatch(server.pid)
    url = f"http://127.0.0.1:{args.port}"
    try:
        print(f"{args.sessions} concurrent sessions, {args.waves} waves, server at {url}")
        print(f"server memory at start: {watch.rss() / 2**20:.0f} MiB")
        for number in range(1, args.waves + 1):
            cpu_before = watch.cpu_seconds()
            times, errors, elapsed = asyncio.run(wave(url, args.sessions))
            cpu = watch.cpu_seconds() - cpu_before
            print(
                f"\nwave {number}: {elapsed:.1f} s for all sessions; errors: {len(errors)}; "
                f"server CPU {cpu:.1f} s (the rest of the 2 cores went to the browsers)"
            )
            for error in errors[:10]:
                print(f"  {error}")
            print(f"  {'step':16} {'done':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
            for step in STEPS:
                done = times[step]
                if done:
                    row = f"{percentile(done, 0.5):7.2f} {percentile(done, 0.95):7.2f} {max(done):7.2f}"
                    print(f"  {step:16} {len(done):5d} {row}")
                else:
                    print(f"  {step:16} {0:5d}       -       -       -")
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
