"""Script runs take turns: as many run at once as the machine has cores, the rest queue.

Streamlit runs each session's script in a thread of its own, and Python's threads share
one interpreter lock.  Thirty students' scripts started at once spend their time handing
that lock (and Streamlit's own locks) back and forth: in the classroom load test the same
work cost more server CPU run all at once than run in turn, and every student waited for
everyone (docs/classroom-load.md has the figures).  So a script waits for a turn first.

Nothing can starve: a script waits at most ``patience`` seconds and then runs anyway.  A
script that waits on something outside the interpreter lock (a training run in the
compiled loop) steps aside meanwhile, so its turn goes to someone else.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PATIENCE_SECONDS = 10.0
BACK_IN_SECONDS = 1.0  # after stepping aside: it has waited once already


def cores() -> int:
    """The cores this process may use (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


class Turns:
    """At most ``at_once`` holders at a time; each waits at most ``patience`` seconds."""

    def __init__(self, at_once: int, patience: float = PATIENCE_SECONDS, back_in: float = BACK_IN_SECONDS):
        if at_once < 1:
            raise ValueError(f"at least one script must run at a time, not {at_once}")
        self.at_once = at_once
        self.patience = patience
        self.back_in = back_in
        self._slots = threading.BoundedSemaphore(at_once)
        self._mine = threading.local()  # does this thread hold a slot?

    def _holds(self) -> bool:
        return getattr(self._mine, "held", False)

    @contextmanager
    def turn(self) -> Iterator[bool]:
        """Run the body in a turn of its own (True), or after ``patience`` without one (False)."""
        if self._holds():  # already in a turn: nested calls share it
            yield True
            return
        self._mine.held = self._slots.acquire(timeout=self.patience)
        try:
            yield self._mine.held
        finally:
            if self._holds():
                self._slots.release()
            self._mine.held = False

    @contextmanager
    def step_aside(self) -> Iterator[None]:
        """Give this thread's turn to another while the body waits; take one back after it."""
        if not self._holds():
            yield
            return
        self._slots.release()
        self._mine.held = False
        try:
            yield
        finally:
            self._mine.held = self._slots.acquire(timeout=self.back_in)


def _at_once() -> int:
    """``NNVIZ_SCRIPTS_AT_ONCE`` if set (a whole number), else one per core."""
    value = os.environ.get("NNVIZ_SCRIPTS_AT_ONCE", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else cores()


# One per server process: every session's script takes its turn here.
SCRIPTS = Turns(_at_once())
