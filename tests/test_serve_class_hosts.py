"""A live class across workers that share nothing but Redis (issues 22 and 23).

``scripts/serve-class.sh`` with ``SEPARATE_HOSTS=1``: two workers, each with its own working
folder, numba cache, temporary and class folders, behind nginx, sharing only a real
``redis-server``.  The teacher's browser lands on one worker and the student's on the other
(their own routing cookies), and a second student's on the teacher's worker; the answers, the
teacher's "Bring everyone here", the Reveal and Vote again all cross between them through Redis; and a worker killed mid-class loses
no student and no answer."""

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest
from browser import ROOT, chromium_or_skip, free_port, join_class, missing, open_class

pytestmark = pytest.mark.browser
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Hosts(NamedTuple):
    url: str
    logs: list[Path]
    run_dir: Path
    redis: object  # tests/redis_server.RedisServer: halted and started again by a test


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    from redis_server import RedisServer

    chromium_or_skip()
    if not Path(NGINX).exists():
        missing("no nginx (apt-get install nginx); the proxy test is skipped")
    redis = RedisServer(durable=True)
    run_dir = tmp_path_factory.mktemp("serve-hosts")
    port, first = free_port(), free_port()
    env = {
        **os.environ,
        "WORKERS": "2",
        "PORT": str(port),
        "FIRST_WORKER_PORT": str(first),
        "RUN_DIR": str(run_dir),
        "ADDRESS": "127.0.0.1",
        "NNVIZ_LOG_TIMINGS": "1",
        "SEPARATE_HOSTS": "1",
        "NNVIZ_CLASS_STORE": redis.url,
    }
    env.pop("NNVIZ_CLASS_DIR", None)
    proc = subprocess.Popen(
        ["bash", "scripts/serve-class.sh"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=(run_dir / "script.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url, workers = f"http://127.0.0.1:{port}", [first, first + 1]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            for p in workers:
                urllib.request.urlopen(f"http://127.0.0.1:{p}/_stcore/health", timeout=2)
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        redis.stop()
        pytest.fail(f"serve-class.sh did not come up: {(run_dir / 'script.log').read_text()[-500:]}")
    yield Hosts(url, [run_dir / f"worker-{p}.log" for p in workers], run_dir, redis)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(20)
    redis.stop()


def worker_of(url: str, logs: list[Path], cookie: str) -> int:
    """Which worker the proxy sends this routing cookie to (from the workers' own timing lines)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from load_client import Student

    before = [log.read_text().count("nnviz timing descent") for log in logs]

    async def visit() -> None:
        async with Student(url, cookie) as student:
            await student.rerun("descent")

    with ThreadPoolExecutor(1) as pool:  # Playwright's loop owns this thread
        pool.submit(asyncio.run, visit()).result()
    time.sleep(0.3)
    grew = [log.read_text().count("nnviz timing descent") - b for log, b in zip(logs, before)]
    return grew.index(max(grew))


def one_tab_per_worker(browser, url: str, logs: list[Path], tries, extra: int | None = None) -> list:
    """Two browser contexts whose routing cookies the proxy sends to worker 0 and worker 1 (and,
    with ``extra``, a third sent to that worker)."""
    routes: dict[int, str] = {}
    for i in tries:
        routes.setdefault(worker_of(url, logs, f"route-{i}"), f"route-{i}")
        if len(routes) == 2:
            break
    assert len(routes) == 2, routes
    contexts = []
    for worker in (0, 1) if extra is None else (0, 1, extra):
        context = browser.new_context(viewport={"width": 1300, "height": 950})
        context.add_cookies([{"name": "nnviz_route", "value": routes[worker], "url": url}])
        contexts.append(context)
    return contexts


def test_the_workers_share_nothing_but_redis(hosts):
    run_dir = hosts.run_dir
    folders = sorted(run_dir.glob("host-*"))
    assert len(folders) == 2
    for folder in folders:
        assert (folder / ".streamlit").resolve() == ROOT / ".streamlit"
        assert not list((folder / "classes").iterdir())  # no SQLite file: the class store is Redis


def test_a_teacher_on_one_worker_runs_a_question_for_students_on_both(hosts, browser):
    url, logs = hosts.url, hosts.logs
    contexts = one_tab_per_worker(browser, url, logs, range(20), extra=0)
    try:
        tabs = [context.new_page() for context in contexts]
        console, student, neighbour = tabs  # the teacher and the neighbour on worker 0, the student on worker 1
        teach_runs = [log.read_text().count("nnviz timing teach") for log in logs]
        code = open_class(console, url)

        walk_runs = [log.read_text().count("nnviz timing walk") for log in logs]
        for tab in (student, neighbour):
            tab.goto(f"{url}/?class={code}")
            join_class(tab, code)
        console.get_by_text("2 students joined").wait_for(timeout=30_000)  # crossed through Redis
        console.get_by_role("button", name="Bring everyone here").click()
        for tab in (student, neighbour):
            tab.get_by_role("button", name="Lock in my guess").wait_for(timeout=60_000)
            tab.get_by_role("button", name="Lock in my guess").click()
            tab.get_by_text("Your guess went to the class").wait_for(timeout=60_000)
        console.get_by_text("2 of 2 students answered").wait_for(timeout=30_000)
        console.get_by_role("button", name="Reveal the answer").click()
        for tab in (student, neighbour):
            chart = tab.locator("[data-testid=stPlotlyChart]").filter(has_text="The class's answers")
            chart.wait_for(timeout=30_000)
            assert "2 students answered" in chart.get_attribute("aria-label")
            assert "You said 50." in chart.get_attribute("aria-label")
        # Peer Instruction across the workers: Vote again opens round 2 on the student's page by itself.
        console.get_by_role("button", name="Vote again").click()
        student.get_by_role("button", name="Lock in my guess").wait_for(timeout=30_000)
        slider = student.get_by_role("slider", name=re.compile("Predict: over the first"))
        slider.focus()
        student.keyboard.press("ArrowRight")  # 50 → 100
        student.get_by_role("button", name="Lock in my guess").click()
        student.get_by_text("Your guess went to the class").wait_for(timeout=30_000)
        console.get_by_text("1 changed their mind since round 1: 1 from 50 to 100").wait_for(timeout=30_000)
        for tab in tabs:
            assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        for context in contexts:
            context.close()
    time.sleep(0.3)
    teach = [log.read_text().count("nnviz timing teach") - b for log, b in zip(logs, teach_runs)]
    walks = [log.read_text().count("nnviz timing walk") - b for log, b in zip(logs, walk_runs)]
    assert teach[0] >= 2 and teach[1] == 0, teach  # the teacher's page ran on worker 0 only
    assert walks[0] >= 1 and walks[1] >= 1, walks  # a student's walkthrough on each worker


def is_worker(args: list[bytes]) -> bool:
    """A Streamlit worker's command line: ``streamlit run`` or ``scripts/serve.py`` (which runs it)."""
    return b"streamlit" in args or any(arg.endswith(b"scripts/serve.py") for arg in args)


def worker_process(port: int) -> int:
    """The pid of the Streamlit worker serving ``port`` (its command line names the port)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if is_worker(args) and str(port).encode() in args and not args[0].endswith(b"env"):
            return int(entry.name)
    raise AssertionError(f"no worker on port {port}")


def test_a_worker_that_dies_mid_class_loses_no_student_and_no_answer(hosts, browser):
    """Kill the student's worker: nginx sends the reconnecting page to the other worker, whose
    new session finds the student in their class (the class cookie) with their answer locked
    in; the teacher's counts do not change, and the reveal reaches them.  The worker comes back."""
    url, logs = hosts.url, hosts.logs
    ports = [int(log.stem.split("-")[1]) for log in logs]
    contexts = one_tab_per_worker(browser, url, logs, range(40, 60))
    try:
        tabs = [context.new_page() for context in contexts]
        console, student = tabs
        code = open_class(console, url)
        student.goto(f"{url}/?class={code}")
        join_class(student, code)
        nickname = re.search(f"Class {code} · you are (.+?) ·", student.inner_text("body")).group(1)
        console.get_by_role("button", name="Bring everyone here").click()
        student.get_by_role("button", name="Lock in my guess").wait_for(timeout=60_000)
        student.get_by_role("button", name="Lock in my guess").click()
        student.get_by_text("Your guess went to the class").wait_for(timeout=60_000)
        console.get_by_text("1 of 1 student answered").wait_for(timeout=30_000)

        walks_before = logs[0].read_text().count("nnviz timing walk")
        os.kill(worker_process(ports[1]), signal.SIGKILL)  # the student's worker dies mid-class
        deadline = time.monotonic() + 90
        while logs[0].read_text().count("nnviz timing walk") == walks_before:  # the page, now on worker 0
            assert time.monotonic() < deadline, "the student's page never ran on the other worker"
            time.sleep(0.5)
        student.get_by_text(re.compile(f"Class {code} · you are {re.escape(nickname)} ·")).wait_for(timeout=60_000)
        student.get_by_text("Your guess went to the class").wait_for(timeout=60_000)
        assert student.get_by_role("button", name="Lock in my guess").count() == 0  # locked in, not asked again
        time.sleep(4)  # two of the console's polls
        body = console.inner_text("body")
        assert "1 student joined" in body and "1 of 1 student answered" in body  # nobody twice, nothing lost

        console.get_by_role("button", name="Reveal the answer").click()
        chart = student.locator("[data-testid=stPlotlyChart]").filter(has_text="The class's answers")
        chart.wait_for(timeout=30_000)
        assert "1 student answered" in chart.get_attribute("aria-label")
        assert "You said 50." in chart.get_attribute("aria-label")
        for tab in tabs:
            assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        for context in contexts:
            context.close()
    deadline = time.monotonic() + 90  # the dead worker is started again by serve-class.sh
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{ports[1]}/_stcore/health", timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline, "the dead worker was not started again"
            time.sleep(0.5)
    assert "starting it again" in logs[1].read_text()


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def test_a_teacher_edits_the_lesson_twice_and_loses_redis_mid_question_and_no_page_loops_or_leaks(hosts, browser):
    """Issue 32 in Chromium through serve-class.sh: a teacher and three students (a laptop, a phone, a German
    laptop).  The teacher gives the class a lesson and edits it twice: each student's page shows the edit, then
    receives fewer than 100 websocket frames in 30 s while the workers' CPU stays under 20 %.  Redis stops for
    15 s mid-question and a student locks in a guess: it is kept, counted when Redis is back, and no page shows
    a verdict before the Reveal.  The teacher link's key never stays in the projector machine's history."""
    url, logs = hosts.url, hosts.logs
    ports = [int(log.stem.split("-")[1]) for log in logs]
    contexts, frames = [], []
    try:
        teacher = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(teacher)
        console = teacher.new_page()
        console.goto(f"{url}/teach")
        console.get_by_role("tab", name=re.compile("A lesson to hand out")).click()
        console.get_by_text("Title", exact=True).wait_for(timeout=60_000)
        console.get_by_role("tab", name=re.compile("A live class")).click()
        console.get_by_role("button", name="Open a class").click()
        console.get_by_text("Class code:").wait_for(timeout=60_000)
        code = re.search(r"Class code: (\w{3}-\w{3})", console.inner_text("body")).group(1)
        console.get_by_role("tab", name=re.compile("A lesson to hand out")).click()
        console.get_by_text("Give the class this lesson").click()
        console.get_by_role("tab", name=re.compile("A live class")).click()

        students = []
        for width, height, mobile, lang in ((1200, 900, False, "en"), (390, 844, True, "en"), (1200, 900, False, "de")):
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile)
            contexts.append(context)
            tab = context.new_page()
            count = [0]
            tab.on(
                "websocket",
                lambda ws, count=count: ws.on("framereceived", lambda _, c=count: c.__setitem__(0, c[0] + 1)),
            )
            frames.append(count)
            tab.goto(f"{url}/?class={code}" + ("&lang=de" if lang == "de" else ""))
            if lang == "de":
                tab.get_by_role("button", name="Der Klasse beitreten").click()
                tab.get_by_text(re.compile(f"Klasse {code} · du bist ")).wait_for(timeout=60_000)
            else:
                join_class(tab, code)
            students.append(tab)
        console.get_by_text("3 students joined").wait_for(timeout=30_000)

        console.get_by_role("tab", name=re.compile("A lesson to hand out")).click()
        title = console.get_by_label("Title", exact=True)
        for edit in ("Rates, edited once", "Rates, edited twice"):
            title.fill(edit)
            title.press("Enter")
            for tab in students:
                tab.get_by_text(edit).first.wait_for(timeout=30_000)  # within a poll or two
        time.sleep(3)  # the last rerun settles
        pids = [worker_process(p) for p in ports]
        students[0].wait_for_timeout(1000)  # Playwright hands over the frames received so far
        before, cpu_before, started = [c[0] for c in frames], cpu_seconds(pids), time.monotonic()
        students[0].wait_for_timeout(30_000)  # (a Playwright wait, so that every page's frames are counted)
        received = [c[0] - b for c, b in zip(frames, before)]
        cpu_share = (cpu_seconds(pids) - cpu_before) / (time.monotonic() - started)
        print(f"frames per student in 30 s after two lesson edits: {received}; workers' CPU {cpu_share:.1%}")
        assert all(n < 100 for n in received), received
        assert cpu_share < 0.20, cpu_share

        console.get_by_role("tab", name=re.compile("A live class")).click()
        console.get_by_role("button", name="Bring everyone here").click()
        lock = [
            tab.get_by_role("button", name=re.compile("Lock in my guess|Meine Schätzung festlegen")) for tab in students
        ]
        for button in lock:
            button.wait_for(timeout=60_000)
        lock[0].click()
        students[0].get_by_text("Your guess went to the class").wait_for(timeout=60_000)
        hosts.redis.halt()  # the store is gone for 15 s, mid-question
        down = time.monotonic()
        lock[1].click()
        students[1].get_by_text("Your answer is kept").wait_for(timeout=30_000)
        verdict = re.compile("^(Right|Not quite|Richtig|Nicht ganz)")
        assert all(tab.get_by_text(verdict).count() == 0 for tab in students)
        time.sleep(max(0.0, 15 - (time.monotonic() - down)))
        hosts.redis.start()
        console.get_by_text("2 of 3 students answered").wait_for(timeout=60_000)  # counted once Redis is back
        students[1].get_by_text("Your guess went to the class").wait_for(timeout=30_000)
        assert all(tab.get_by_text(verdict).count() == 0 for tab in students)  # still nothing before the Reveal
        console.get_by_role("button", name="Reveal the answer").first.click()
        for tab in students[:2]:
            tab.get_by_text(verdict).first.wait_for(timeout=30_000)
        students[2].get_by_text(re.compile("Diese Runde ist abgeschlossen")).first.wait_for(timeout=30_000)

        # The projector's machine opens the private teacher link: the key leaves the address bar and the history.
        link = console.get_by_text(re.compile(r"/teach#class=")).first.text_content().strip()
        projector_context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(projector_context)
        projector = projector_context.new_page()
        projector.goto(f"{url}/")
        projector.goto(link)
        projector.get_by_text(f"Class code: {code}").wait_for(timeout=60_000)
        assert "teacher" not in projector.url and "#" not in projector.url
        for step in (projector.go_back, projector.go_forward):  # every entry: the app's first page, the console
            step()
            projector.wait_for_timeout(1500)
            assert "teacher" not in projector.url, projector.url
        assert projector.evaluate("history.length") == 3  # about:blank, the first page, the console: nothing more
        for tab in (console, *students, projector):
            assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        for context in contexts:
            context.close()
