"""A live class against a server, without browsers: a teacher and N students, each speaking
Streamlit's own protocol as its browser would (``load_client.Student``), polls included.

The lesson, as in a classroom:

1. the teacher opens a class (Teach a class, Open a class);
2. every student opens the join link (``?class=CODE``) and joins with a nickname;
3. the teacher presses Bring everyone here; each student's poll (the page's fragment, rerun
   every 3 s as the browser's timer does) moves them to the walkthrough;
4. every student locks in a guess on the elbow question (sent to the class);
5. the teacher's console (its own fragment, every 3 s) counts them; the class discusses for
   ``--idle`` seconds, every page polling (the server's CPU per poll is measured then), and
   the teacher reveals;
6. each student's next poll sees the reveal and reruns their page, which shows the class's
   answers and the verdict.

Printed per class: p50 / p95 of each step (from the request to the server's script_finished),
the reveal's delay as a student lives it (the teacher's click to their verdict: up to one poll
interval plus the run), polls and their p95, answers sent against the teacher's count (lost
answers), errors, and the server's CPU per poll while the class idles.

    python benchmarks/class_load.py --students 30                       # starts streamlit run app.py
    python benchmarks/class_load.py --url http://127.0.0.1:8501 --pids 11 12 --students 60 --classes 1
    python benchmarks/class_load.py --hosts 2 --students 30 60 100    # nginx, 2 workers, Redis

``--hosts N`` starts a ``redis-server`` (append-only file, ``appendfsync always``, as
docs/teaching-live.md advises) and ``scripts/serve-class.sh`` with ``SEPARATE_HOSTS=1`` and N
workers sharing nothing but Redis, and adds Redis's commands per second, its memory and each
worker's peak memory to every line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).resolve().parents[1])]
import load_client as lc  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

POLL_SECONDS = 3.0
STUDENT_STEPS = ("join", "follow", "answer", "reveal run", "poll")
TEACHER_STEPS = ("open", "bring", "reveal", "console poll")


def trigger(widget_id: str) -> WidgetState:
    state = WidgetState()
    state.id = widget_id
    state.trigger_value = True
    return state


def text(widget_id: str, value: str) -> WidgetState:
    state = WidgetState()
    state.id = widget_id
    state.string_value = value
    return state


def choice(widget_id: str, value: str) -> WidgetState:
    state = WidgetState()
    state.id = widget_id
    state.string_array_value.data.append(value)
    return state


def widget(page: lc.Page, starts: str) -> str:
    found = next((wid for label, (wid, _) in page.widgets.items() if label.startswith(starts)), None)
    if found is None:
        raise RuntimeError(f"no widget '{starts}' on the page")
    return found


class Clock:
    """Times of one step, and the problems met."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.problems: list[str] = []

    async def timed(self, step: str, call):
        started = time.perf_counter()
        page = await call
        self.times.setdefault(step, []).append(time.perf_counter() - started)
        if page.problems:
            self.problems.append(f"{step}: {'; '.join(page.problems)}")
        return page


class Lesson:
    """What the teacher's side tells the students' side."""

    def __init__(self) -> None:
        self.code = ""
        self.opened = asyncio.Event()
        self.brought = asyncio.Event()
        self.revealed_at = 0.0
        self.revealed = asyncio.Event()
        self.poll_times: list[float] = []  # the students' polls (shared with their clock)
        self.joined = 0
        self.answered = 0  # students whose page said their guess went to the class
        self.idle_cpu = 0.0  # the server's CPU seconds while the class only polled
        self.idle_polls = 0


async def student(url: str, index: int, lesson: Lesson, clock: Clock, delays: list[float]) -> None:
    await lesson.opened.wait()
    async with lc.Student(url, uuid.uuid4().hex) as me:
        query = f"class={lesson.code}"
        page = await clock.timed("join", me.rerun("", query=query))  # the join link
        states = [text(widget(page, "Your nickname"), f"Student {index}"), trigger(widget(page, "Join the class"))]
        page = await clock.timed("join", me.rerun("", states, query=query))
        if not page.says(f"you are Student {index}"):
            clock.problems.append("join: no banner")
            return
        lesson.joined += 1
        fragment = page.fragments[-1] if page.fragments else None
        # Poll until the teacher brings the class to the walkthrough and its question shows.
        await lesson.brought.wait()
        while "Predict: over the first" not in " ".join(page.widgets):
            await asyncio.sleep(POLL_SECONDS)
            page = await clock.timed("poll", me.rerun("", query="", fragment=fragment))
            if "Predict: over the first" in " ".join(page.widgets):  # the poll switched pages: that run is the follow
                clock.times["follow"] = [*clock.times.get("follow", []), clock.times["poll"].pop()]
            fragment = page.fragments[-1] if page.fragments else fragment
        guess = ("10", "20", "50", "100", "200", "500")[index % 6]
        states = [choice(widget(page, "Predict: over the first"), guess), trigger(widget(page, "Lock in my guess"))]
        page = await clock.timed("answer", me.rerun("walkthrough", states, query=""))
        if not page.says("Your guess went to the class"):
            clock.problems.append("answer: not sent")
            return
        lesson.answered += 1
        fragment = page.fragments[-1] if page.fragments else fragment
        while True:  # poll until the reveal reruns the page
            await asyncio.sleep(POLL_SECONDS)
            started = time.perf_counter()
            page = await me.rerun("walkthrough", query="", fragment=fragment)
            took = time.perf_counter() - started
            if page.says("Right.") or page.says("Not quite."):
                clock.times.setdefault("reveal run", []).append(took)
                delays.append(time.monotonic() - lesson.revealed_at)
                return
            clock.times.setdefault("poll", []).append(took)
            fragment = page.fragments[-1] if page.fragments else fragment


async def teacher(url: str, students: int, lesson: Lesson, clock: Clock, idle: float, cpu) -> str:
    async with lc.Student(url, uuid.uuid4().hex) as me:
        page = await me.rerun("teach", query="")
        page = await clock.timed("open", me.rerun("teach", [trigger(widget(page, "Open a class"))], query=""))
        found = re.search(r"Class code: (\w{3}-\w{3})", " ".join(page.texts))
        if found is None:
            raise RuntimeError("the class did not open: " + " ".join(page.texts)[:300])
        lesson.code = found.group(1).replace("-", "")
        lesson.opened.set()
        controls, console = page, page.fragments[-1]  # the buttons outside the console keep their ids
        deadline = time.monotonic() + 300
        while lesson.joined < students and time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            page = await clock.timed("console poll", me.rerun("teach", query="", fragment=console))
        page = await clock.timed(
            "bring", me.rerun("teach", [trigger(widget(controls, "Bring everyone here"))], query="")
        )
        lesson.brought.set()
        console = page.fragments[-1] if page.fragments else console
        counted = ""
        while time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            page = await clock.timed("console poll", me.rerun("teach", query="", fragment=console))
            found = re.search(r"(\d+) of (\d+) students? answered", " ".join(page.texts))
            if found:
                counted = found.group(0)
                if int(found.group(1)) >= lesson.answered and lesson.answered + len(clock.problems) >= students:
                    break
        # The discussion: nothing happens but every page's poll.
        polls_before = len(clock.times.get("console poll", [])) + len(lesson.poll_times)
        cpu_before, idle_until = cpu(), time.monotonic() + idle
        while time.monotonic() < idle_until:
            await asyncio.sleep(POLL_SECONDS)
            await clock.timed("console poll", me.rerun("teach", query="", fragment=console))
        lesson.idle_cpu = cpu() - cpu_before
        lesson.idle_polls = len(clock.times.get("console poll", [])) + len(lesson.poll_times) - polls_before
        full = await me.rerun("teach", query="")  # the console as drawn, with its Reveal button
        lesson.revealed_at = time.monotonic()
        await clock.timed("reveal", me.rerun("teach", [trigger(widget(full, "Reveal"))], query=""))
        lesson.revealed.set()
        return counted


async def one_class(url: str, n: int, first: int, idle: float, cpu) -> tuple[Clock, Clock, list[float], Lesson, str]:
    lesson, teacher_clock, student_clock, delays = Lesson(), Clock(), Clock(), []
    student_clock.times["poll"] = lesson.poll_times
    tasks = [asyncio.create_task(student(url, first + i, lesson, student_clock, delays)) for i in range(n)]
    try:
        counted = await teacher(url, n, lesson, teacher_clock, idle, cpu)
    except (RuntimeError, TimeoutError, OSError) as problem:
        teacher_clock.problems.append(f"teacher: {problem}")
        counted = ""
        lesson.revealed_at = time.monotonic()
    results = await asyncio.gather(*(asyncio.wait_for(t, 120) for t in tasks), return_exceptions=True)
    student_clock.problems += [f"{type(r).__name__}" for r in results if isinstance(r, BaseException)]
    return teacher_clock, student_clock, delays, lesson, counted


async def classes(url: str, n: int, count: int, idle: float, cpu) -> list:
    return await asyncio.gather(*(one_class(url, n, 1000 * c, idle, cpu) for c in range(count)))


def redis_info(port: int) -> dict[str, str]:
    """``INFO`` of the Redis on ``port``, as a dict (no client library needed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"INFO\r\n")
        data = b""
        while not data.endswith(b"\r\n") or data.count(b"\r\n") < 2 or len(data) < int(data[1 : data.index(b"\r\n")]):
            data += conn.recv(65536)
    lines = data.decode().split("\r\n")[1:]
    return dict(line.split(":", 1) for line in lines if ":" in line and not line.startswith("#"))


def is_worker(args: list[bytes]) -> bool:
    """A Streamlit worker's command line: ``streamlit run`` or ``scripts/serve.py`` (which runs it)."""
    return b"streamlit" in args or any(arg.endswith(b"scripts/serve.py") for arg in args)


def worker_pids(ports: list[int]) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if is_worker(args) and any(str(p).encode() in args for p in ports):
                pids.append(int(entry.name))
    return pids


@contextmanager
def hosts(workers: int, store: str) -> Iterator[tuple[str, list[int], int | None]]:
    """nginx and ``workers`` Streamlit workers sharing only a durable redis-server (``store``
    "redis"), or one SQLite file on this machine ("sqlite"): the proxy's url, the workers' pids,
    Redis's port."""
    folder = Path(tempfile.mkdtemp(prefix="nnviz-class-load-"))
    ports = []
    for _ in range(2 + workers):
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            ports.append(free.getsockname()[1])
    redis_port, proxy_port = ports[0], ports[1]
    first = 20000 + os.getpid() % 20000
    env = {
        **os.environ,
        "WORKERS": str(workers),
        "PORT": str(proxy_port),
        "FIRST_WORKER_PORT": str(first),
        "RUN_DIR": str(folder / "run"),
        "ADDRESS": "127.0.0.1",
        "NNVIZ_CLASS_DIR": str(folder / "classes"),
        # Every simulated student comes from this machine's one address: a school behind one address.
        "NNVIZ_JOINS_PER_ADDRESS_MINUTE": "1000",
        "NNVIZ_JOINS_PER_CLASS_MINUTE": "1000",
    }
    redis = None
    if store == "redis":
        redis = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(folder),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            stdout=subprocess.DEVNULL,
        )
        env.update(SEPARATE_HOSTS="1", NNVIZ_CLASS_STORE=f"redis://127.0.0.1:{redis_port}/0")
    serve = subprocess.Popen(
        ["bash", "scripts/serve-class.sh"],
        cwd=lc.ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{proxy_port}"
        for port in range(first, first + workers):
            lc.wait_healthy(f"http://127.0.0.1:{port}", 120)
        lc.wait_healthy(url)
        yield url, worker_pids(list(range(first, first + workers))), redis_port if redis else None
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(30)
        if redis is not None:
            redis.terminate()
            redis.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def target(args) -> Iterator[tuple[str, list[int], int | None]]:
    if args.hosts:
        with hosts(args.hosts, args.store) as found:
            yield found
    else:  # one `streamlit run app.py`, started here unless --url names one
        with lc.server(args.url, args.pids, "class_load.log") as (url, pids):
            yield url, pids, None


def cells(clock: Clock, steps: tuple[str, ...]) -> list[str]:
    out = []
    for step in steps:
        times = clock.times.get(step, [])
        out.append(f"{lc.percentile(times, 0.5):.2f} / {lc.percentile(times, 0.95):.2f} s" if times else "—")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[30])
    parser.add_argument("--classes", type=int, default=1, help="classes at once, each of --students")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds the class only polls before the reveal")
    parser.add_argument("--hosts", type=int, default=0, help="start nginx, this many workers and Redis (see above)")
    parser.add_argument(
        "--store",
        choices=("redis", "sqlite"),
        default="redis",
        help="with --hosts: the workers' class store (sqlite: one file on this machine)",
    )
    parser.add_argument("--url", help="an already running server or proxy (default: start one)")
    parser.add_argument("--pids", nargs="*", type=int, default=[], help="with --url: the server processes to measure")
    args = parser.parse_args()
    os.nice(19)  # the server's cores stay the server's
    with target(args) as (url, pids, redis_port):
        asyncio.run(lc.wave(url, 8 if args.hosts else 1, 10_000, True))  # warm: compile, caches (every worker)
        print(f"server: {url}; p50 / p95 from request to script finished")
        print(
            "| students × classes | "
            + " | ".join(f"student: {s}" for s in STUDENT_STEPS)
            + " | "
            + " | ".join(f"teacher: {s}" for s in TEACHER_STEPS)
            + " | reveal reached students (p50 / p95 / max) | answers sent / counted | errors | server CPU | "
            "CPU per poll, idle (every class's polls at once) |"
        )
        print("| --- " * (len(STUDENT_STEPS) + len(TEACHER_STEPS) + 6) + "|")
        for n in args.students:
            before = lc.cpu_seconds(pids) if pids else 0.0
            started = time.monotonic()

            cpu = (lambda: lc.cpu_seconds(pids)) if pids else (lambda: float("nan"))  # noqa: E731
            redis_before = redis_info(redis_port) if redis_port else {}
            done = asyncio.run(classes(url, n, args.classes, args.idle, cpu))
            if redis_port:
                after = redis_info(redis_port)
                commands = int(after["total_commands_processed"]) - int(redis_before["total_commands_processed"])
                print(
                    f"  Redis: {commands / (time.monotonic() - started):.0f} commands/s on average, "
                    f"{commands / (n * args.classes):.0f} per student, memory {int(after['used_memory_rss']) / 2**20:.1f} MiB; "
                    f"workers' peak memory: {', '.join(f'{lc.memory_mib([p]):.0f}' for p in pids)} MiB"
                )
            total_cpu = lc.cpu_seconds(pids) - before if pids else float("nan")
            for teacher_clock, student_clock, delays, lesson, counted in done:
                problems = teacher_clock.problems + student_clock.problems
                reveal = (
                    f"{lc.percentile(delays, 0.5):.1f} / {lc.percentile(delays, 0.95):.1f} / {max(delays):.1f} s"
                    if delays
                    else "—"
                )
                print(
                    f"| {n} × {args.classes} | "
                    + " | ".join(cells(student_clock, STUDENT_STEPS))
                    + " | "
                    + " | ".join(cells(teacher_clock, TEACHER_STEPS))
                    + f" | {reveal} | {lesson.answered} / {counted or '?'} | {len(problems)} | "
                    f"{total_cpu:.1f} s over {time.monotonic() - started:.0f} s | "
                    f"{1000 * lesson.idle_cpu / max(lesson.idle_polls * args.classes, 1):.1f} ms "
                    f"({lesson.idle_polls} polls) |",
                    flush=True,
                )
                if problems:
                    print(f"  problems: {'; '.join(sorted(set(problems)))[:400]}")


if __name__ == "__main__":
    main()
