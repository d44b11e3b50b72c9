"""A class of 30 on one server while one visitor keeps uploading the worst files (issue 20 A).

The class is ``load_client.py``'s students (Streamlit's own protocol, four steps each).  The
hostile visitor is a real headless Chromium on the grades page that, for as long as the class
works, uploads in turn:

- the file that froze a worker before: one line with an unclosed quote, to the upload cap;
- a file of rows as wide as the line cap allows, to the size cap;
- a valid class of 50,000 students to the cap, read, built and trained (the heaviest real upload),

removing each and uploading the next.  Printed: the students' p50 / p95 per step with and
without the hostile visitor, errors, and how many hostile uploads the server answered.

    python benchmarks/hostile_class.py --students 30 --waves 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).resolve().parents[1])]
import load_client as lc  # noqa: E402

CHROMIUM = os.environ.get("NNVIZ_CHROMIUM", "/usr/bin/chromium")


UPLOAD_CAP = 1_990_000  # the browser's uploader counts server.maxUploadSize's 2 MB as 2,000,000 bytes


def hostile_files(folder: Path) -> list[Path]:
    sniffer_killer = b"a,b\n" + b',"x' * ((UPLOAD_CAP - 4) // 3)
    wide = b"a,b\n" + (b',"x' * 5_000 + b"\n") * (UPLOAD_CAP // 15_001)
    rows = [b"name,assignments,written,oral,passed"]
    for i in range(50_000):
        rows.append(b"s%d,%d,%d,%d,%d" % (i, i % 101, (i * 7) % 101, (i * 13) % 101, (i * 7) % 101 > 50))
    big = b"\n".join(rows)[:UPLOAD_CAP].rsplit(b"\n", 1)[0] + b"\n"
    paths = []
    for name, data in (("unclosed_quote.csv", sniffer_killer), ("wide_rows.csv", wide), ("big_class.csv", big)):
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def hostile_visitor(url: str, files: list[Path], stop: threading.Event, answered: list[str]) -> None:
    """Upload, wait for the server's answer, remove, upload the next, until ``stop``."""
    from playwright.sync_api import sync_playwright

    os.nice(5)  # a visitor's browser runs on their own machine in a real class
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/grades?predict=0")
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=120_000)
        i = 0
        while not stop.is_set():
            path = files[i % len(files)]
            page.locator("[data-testid='stFileUploaderDropzoneInput']").nth(0).set_input_files(str(path))
            remove = page.get_by_role("button", name="Remove this file")
            try:
                remove.wait_for(timeout=120_000)
                # The server's answer: a one-line refusal, or the trained page's first chart.
                page.wait_for_function(
                    "document.querySelector('[data-testid=stAlertContentError]') !== null"
                    " || document.body.innerText.includes('Early stop.')"
                    " || document.body.innerText.includes('still falling')",
                    timeout=120_000,
                )
                answered.append(path.name)
                remove.click()
                page.get_by_text("Showing the bundled sample").wait_for(timeout=120_000)
            except Exception as problem:  # noqa: BLE001 - a benchmark reports, it does not stop
                answered.append(f"{path.name}: {type(problem).__name__}")
                page.goto(f"{url}/grades?predict=0")
            i += 1
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--waves", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, lc.server(None, [], "hostile-class-server.log") as (url, pids):
        files = hostile_files(Path(tmp))
        asyncio.run(lc.wave(url, 1, 10_000, False))  # warm
        print(f"server: {url}; steps p50 / p95 from rerun request to script finished")
        print("| class | wave | " + " | ".join(lc.STEPS) + " | server CPU per student | errors | memory peak / now |")
        print("| --- | --- | " + " | ".join("---" for _ in lc.STEPS) + " | --- | --- | --- |")
        index = 0
        for hostile in (False, True):
            stop, answered = threading.Event(), []
            visitor = None
            if hostile:
                visitor = threading.Thread(target=hostile_visitor, args=(url, files, stop, answered), daemon=True)
                visitor.start()
                time.sleep(15)  # the visitor's page is up and its first upload on its way
            for w in range(1, args.waves + 1):
                before = lc.cpu_seconds(pids)
                results = asyncio.run(lc.wave(url, args.students, index, False))
                index += args.students
                cpu = lc.cpu_seconds(pids) - before
                line = lc.report(args.students, w, results, cpu, lc.memory_mib(pids), lc.memory_mib(pids, "VmRSS"))
                label = "30 + hostile uploader" if hostile else f"{args.students}"
                print(line.replace(f"| {args.students} |", f"| {label} |", 1), flush=True)
            stop.set()
            if visitor is not None:
                visitor.join(180)
                print(f"hostile uploads answered during the waves: {len(answered)}: {', '.join(answered)[:400]}")


if __name__ == "__main__":
    main()
