"""What a live class's polling costs the server: students sitting on a page, polled every few seconds.

N students (real headless Chromium pages) open the walkthrough; the server's CPU over a quiet
window is measured twice: once with them on their own (no polling), once with each joined to
one class (each page's fragment reads the class every ``CLASS_POLL_SECONDS``).  The difference,
divided by the number of polls in the window, is what one poll costs the server.

    python benchmarks/class_poll.py [--students 10] [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).resolve().parents[1])]
import load_client as lc  # noqa: E402

CHROMIUM = os.environ.get("NNVIZ_CHROMIUM", "/usr/bin/chromium")


def quiet_cpu(pids: list[int], seconds: float) -> float:
    before = lc.cpu_seconds(pids)
    time.sleep(seconds)
    return lc.cpu_seconds(pids) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from nnviz.classroom.sqlite import SQLiteStore
    from nnviz.settings import CLASS_POLL_SECONDS

    with tempfile.TemporaryDirectory() as folder:
        os.environ["NNVIZ_CLASS_DIR"] = folder
        with lc.server(None, [], "class-poll-server.log") as (url, pids), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            opened = SQLiteStore(Path(folder) / "classes.sqlite3").open_class()
            pages = []
            for _ in range(args.students):
                page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
                page.goto(f"{url}/walkthrough?predict=0")
                page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=120_000)
                pages.append(page)
            time.sleep(5)
            alone = quiet_cpu(pids, args.seconds)
            for page in pages:
                page.goto(f"{url}/walkthrough?predict=0&class={opened.code}")
                page.get_by_role("button", name="Join the class").click()
                page.get_by_text(" · you are ").first.wait_for(timeout=60_000)
            time.sleep(5)
            in_class = quiet_cpu(pids, args.seconds)
            polls = args.students * args.seconds / CLASS_POLL_SECONDS
            print(f"{args.students} students idle on the walkthrough for {args.seconds:g} s")
            print(
                f"server CPU alone: {alone:.2f} s; in a class, polling every {CLASS_POLL_SECONDS:g} s: {in_class:.2f} s"
            )
            print(f"one poll: {1000 * (in_class - alone) / polls:.1f} ms of server CPU ({polls:.0f} polls)")
            print(f"a class of 30 polling: {30 / CLASS_POLL_SECONDS * (in_class - alone) / polls:.1%} of one core")
            browser.close()


if __name__ == "__main__":
    main()
