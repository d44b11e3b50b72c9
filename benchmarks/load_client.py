"""A class of students against one server, without browsers: every second measured is the server's.

Each simulated student speaks Streamlit's own protocol (its protobuf ``BackMsg`` and
``ForwardMsg`` over the ``/_stcore/stream`` websocket), as the browser does, and:

1. opens the walkthrough;
2. changes its learning rate to one of its own (so no two students share a run);
3. opens the grades page;
4. opens the descent page.

All students start together.  A step's time is from the rerun request to the server's
``script_finished``; a step fails when it times out, the script ends with an error, or the
page shows an exception or our "something went wrong" box.  Printed per wave: p50/p95 per
step, errors, the server's CPU seconds per student (all its processes, from /proc) and its
memory (peak, and
resident after the wave).

    python benchmarks/load_client.py --students 1 10 30 --waves 2
    python benchmarks/load_client.py --url http://127.0.0.1:8080 --pids 1234 1235 --students 100

Without ``--url`` it starts ``streamlit run app.py`` on a free port and stops it at the end.
With ``--url`` (a proxy, say) it sends each student a routing cookie of its own
(``nnviz_route``), as a browser that got one from ``scripts/serve-class.sh``'s proxy would.
The client runs at the lowest CPU priority, so on a shared machine the server keeps its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("walkthrough", "own learning rate", "grades", "descent")
STEP_TIMEOUT = 120.0
# The charts a browser draws on each step (tests/test_browser_pages.py counts the same).
CHARTS = {"walkthrough": 3, "own learning rate": 3, "grades": 5, "descent": 3}
FINISHED = ForwardMsg.FINISHED_SUCCESSFULLY
FRAGMENT_FINISHED = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class Page:
    """What one script run sent: its elements by type, and any problem shown."""

    elements: dict[str, int] = field(default_factory=dict)
    widgets: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (id, type)
    problems: list[str] = field(default_factory=list)
    query: str = ""  # the address bar's query after the run
    texts: list[str] = field(default_factory=list)  # markdown, captions and alerts, as shown
    fragments: list[str] = field(default_factory=list)  # fragments the browser reruns on a timer (polls)
    page_hash: str = ""  # the page this run drew

    def says(self, words: str) -> bool:
        return any(words in text for text in self.texts)


class Student:
    """One browser tab's worth of protocol: a websocket session that reruns pages."""

    def __init__(self, url: str, cookie: str | None):
        self.url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self.headers = {"Cookie": f"nnviz_route={cookie}"} if cookie else {}
        self.ws = None
        self.page_hash = ""  # the page the last full run drew, which a fragment's rerun names

    async def __aenter__(self) -> Student:
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=None,
            additional_headers=self.headers,
            open_timeout=STEP_TIMEOUT,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def rerun(self, page: str, widget_states=(), query: str = "predict=0", fragment: str | None = None) -> Page:
        """Ask for a script run of ``page`` (by default without the prompts, as the pages were
        measured before they came) and read until it finishes, reruns it asks for included.
        ``fragment``: rerun that fragment only, as the browser's timer does (a poll)."""
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = query
        if fragment is not None:
            msg.rerun_script.fragment_id = fragment
            msg.rerun_script.is_auto_rerun = True
            msg.rerun_script.page_script_hash = self.page_hash
        for state in widget_states:
            msg.rerun_script.widget_states.widgets.append(state)
        await self.ws.send(msg.SerializeToString())
        seen = Page()
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), STEP_TIMEOUT))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                name = element.WhichOneof("type")
                seen.elements[name] = seen.elements.get(name, 0) + 1
                if name in ("markdown", "alert"):
                    seen.texts.append(getattr(element, name).body)
                if name == "exception":
                    seen.problems.append(f"exception: {element.exception.message[:80]}")
                elif name == "alert" and "something went wrong" in element.alert.body:
                    seen.problems.append("error box")
                widget = getattr(element, name)
                if hasattr(widget, "label") and hasattr(widget, "id") and widget.id:
                    seen.widgets[widget.label] = (widget.id, name)
            elif kind == "page_info_changed":
                seen.query = forward.page_info_changed.query_string
            elif kind == "navigation":  # the page this run draws (st.navigation's choice)
                self.page_hash = seen.page_hash = forward.navigation.page_script_hash
            elif kind == "auto_rerun":
                seen.fragments.append(forward.auto_rerun.fragment_id)
            elif kind == "script_finished":
                status = forward.script_finished
                if status in (FINISHED, FRAGMENT_FINISHED):
                    return seen
                if status != EARLY_FOR_RERUN:
                    seen.problems.append(f"script finished with status {status}")
                    return seen


def number_state(widget_id: str, value: float):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState()
    state.id = widget_id
    state.double_value = value
    return state


async def one_student(url: str, index: int, start: asyncio.Event, cookie: bool) -> dict[str, float | str]:
    """The four steps; each a time in seconds, or the reason it failed."""
    out: dict[str, float | str] = {}
    await start.wait()
    try:
        async with Student(url, uuid.uuid4().hex if cookie else None) as student:
            page = Page()  # the page the previous step left: its widgets are what a student can change
            for step in STEPS:
                started = time.perf_counter()
                if step == "own learning rate":
                    lr_id = next(
                        (wid for label, (wid, _) in page.widgets.items() if label.startswith("Learning rate")), None
                    )
                    if lr_id is None:
                        out[step] = "no learning-rate widget"
                        continue
                    lr = round(0.3 + 0.0007 * index, 4)
                    page = await student.rerun("walkthrough", [number_state(lr_id, lr)])
                    if f"lr={lr!r}" not in page.query:
                        page.problems.append("the learning rate was not applied")
                else:
                    page = await student.rerun(step)
                elapsed = time.perf_counter() - started
                if page.elements.get("plotly_chart", 0) < CHARTS[step]:
                    page.problems.append(f"{page.elements.get('plotly_chart', 0)} charts, not {CHARTS[step]}")
                out[step] = "; ".join(page.problems) if page.problems else elapsed
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        for step in STEPS:
            out.setdefault(step, f"{type(exc).__name__}")
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes (and their finished children), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(v) for v in fields[11:15]) / tick
    return total


def memory_mib(pids: list[int], field: str = "VmHWM") -> float:
    """The servers' peak (``VmHWM``) or current (``VmRSS``) resident memory, from /proc."""
    total = 0.0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                total += int(line.split()[1]) / 1024
    return total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def wave(url: str, n: int, first_index: int, cookie: bool) -> list[dict]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_student(url, first_index + i, start, cookie)) for i in range(n)]
    await asyncio.sleep(0.2)
    start.set()
    return await asyncio.gather(*tasks)


def start_server(log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url)
    return proc, url


@contextmanager
def server(url: str | None, pids: list[int], log_name: str) -> Iterator[tuple[str, list[int]]]:
    """The server to measure and its processes: ``url`` and ``pids`` as given, or, without a
    url, ``streamlit run app.py`` started here (logging to ``test-artifacts/log_name``) and
    stopped at the end."""
    if url is not None:
        yield url, pids
        return
    log = ROOT / "test-artifacts" / log_name
    log.parent.mkdir(exist_ok=True)
    proc, started = start_server(log)
    try:
        yield started, [proc.pid]
    finally:
        proc.terminate()
        proc.wait(10)


def wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no server answered at {url}")


def report(n: int, wave_no: int, results: list[dict], cpu: float, memory: float, now: float) -> str:
    cells = []
    errors = 0
    for step in STEPS:
        times = [r[step] for r in results if isinstance(r.get(step), float)]
        errors += sum(1 for r in results if not isinstance(r.get(step), float))
        cells.append(f"{percentile(times, 0.5):.2f} / {percentile(times, 0.95):.2f} s" if times else "—")
    problems = sorted({r[s] for r in results for s in STEPS if isinstance(r.get(s), str)})
    line = (
        f"| {n} | {wave_no} | " + " | ".join(cells) + f" | {cpu / n:.2f} s | {errors} | {memory:.0f} / {now:.0f} MiB |"
    )
    return line + (f"\n  problems: {', '.join(problems)[:300]}" if problems else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", nargs="+", type=int, default=[1, 10, 30])
    parser.add_argument("--waves", type=int, default=2, help="waves per class size (the first may be cold)")
    parser.add_argument("--url", help="an already running server or proxy (default: start one)")
    parser.add_argument("--pids", nargs="*", type=int, default=[], help="with --url: the server processes to measure")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds between waves (past server.disconnectedSessionTTL, 120 s, the last wave's "
        "sessions are gone: memory after the wave then shows what stays)",
    )
    args = parser.parse_args()
    os.nice(19)  # the server's cores stay the server's

    with server(args.url, args.pids, "load-client-server.log") as (url, pids):
        asyncio.run(wave(url, 1, 10_000, args.url is not None))  # warm: compile, caches, the first rerun
        print(f"server: {url}; steps p50 / p95 from rerun request to script finished")
        print(
            "| students | wave | "
            + " | ".join(STEPS)
            + " | server CPU per student | errors | server memory: peak / after the wave |"
        )
        print("| --- | --- | " + " | ".join("---" for _ in STEPS) + " | --- | --- | --- |")
        index = 0
        for n in args.students:
            for w in range(1, args.waves + 1):
                if index and args.pause:
                    time.sleep(args.pause)
                before = cpu_seconds(pids) if pids else 0.0
                results = asyncio.run(wave(url, n, index, args.url is not None))
                index += n
                cpu = cpu_seconds(pids) - before if pids else float("nan")
                peak, now = (memory_mib(pids), memory_mib(pids, "VmRSS")) if pids else (float("nan"), float("nan"))
                print(report(n, w, results, cpu, peak, now), flush=True)


if __name__ == "__main__":
    main()
