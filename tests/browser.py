"""A real Streamlit server and headless Chromium for the browser tests.

The tests skip, saying why, when Debian's Chromium is not installed; in CI (``CI=true``),
which installs it, they fail instead, so a missing browser can never pass for a green run.
Screenshots of failing tests land in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("NNVIZ_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def missing(why: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything the tests need is installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why} (CI installs it: .ci/run)")
    pytest.skip(why)


def chromium_or_skip() -> str:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium); browser tests skipped")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing("the playwright package is not installed; browser tests skipped")
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` on a free localhost port, stopped at the end; started as the launch
    scripts start it (``scripts/serve.py``: the kernel compiles as the server starts)."""

    def __init__(self, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable,
            "scripts/serve.py",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
        ]
        self.log = open(ARTIFACTS / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start within 60 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def join_class(tab, code: str, tries: int = 3) -> None:
    """Press "Join the class" and wait for the student's banner.  A click that lands while the
    page is still rerunning (its first load's components report in) can be dropped by the
    browser's Streamlit, and a person would simply press again: so does this, up to ``tries``
    times, while the button is still there."""
    import re

    banner = tab.get_by_text(re.compile(f"Class {code} · you are "))
    button = tab.get_by_role("button", name="Join the class")
    for attempt in range(tries):
        button.click()
        try:
            banner.wait_for(timeout=20_000 if attempt < tries - 1 else 60_000)
            return
        except Exception:
            if attempt == tries - 1 or not button.is_visible():
                raise


def open_class(console, url: str) -> str:
    """The teacher opens a class on the console's tab; its code as shown (``K7Q-2XM``)."""
    import re

    console.goto(f"{url}/teach")
    console.get_by_role("button", name="Open a class").click()
    console.get_by_text("Class code:").first.wait_for(timeout=60_000)
    return re.search(r"Class code: (\w{3}-\w{3})", console.inner_text("body")).group(1)


def laptop_and_phone_join(browser, url: str, code: str, contexts: list) -> list:
    """A laptop and a 390 px phone join the class by its link; their tabs (their contexts go in ``contexts``)."""
    students = []
    for width, height, mobile in ((1200, 900, False), (390, 844, True)):
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile)
        contexts.append(context)
        student = context.new_page()
        student.goto(f"{url}/?class={code.replace('-', '')}")
        student.get_by_text(f"You are invited to class {code}").wait_for(timeout=60_000)
        join_class(student, code)
        students.append(student)
    return students
