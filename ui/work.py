"""Long work shows that it is working, near the top of the page, with a Stop button.

A page's header keeps a place just under its title (``area``).  Work that can take more
than a moment (a training run, the grades page's repeated runs) draws its progress bar and
its Stop button there, so the top of a page never looks finished while the page below is
still being computed.  Streamlit's own running indicator is hidden in this app's toolbar
mode, so this is the only sign a student gets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import Any

import streamlit as st

from ui import budget
from ui.keep import reassert
from ui.language import _
from ui.shared import digest, shared

AREA = "work area"


def make_area() -> None:
    """Keep a place for progress under the page's title (``ui.shell.page_header`` calls this)."""
    st.session_state[AREA] = st.empty()


def forget_area() -> None:
    st.session_state.pop(AREA, None)


def area():
    """The page's place for progress, or a new one where the page has none (the home page)."""
    return st.session_state.get(AREA) or st.empty()


_finished: set[str] = set()  # names of the tasks this server has finished (a hint: no bar for those)
_finished_lock = threading.Lock()


def _stop(stop_key: str) -> None:
    reassert()  # the settings the work was started with, whatever a busy browser sent
    st.session_state[stop_key] = True


def steps(name: Hashable, words: str, tasks: Sequence[tuple[Hashable, Callable[[], Any]]], cores: int = 1) -> list[Any]:
    """Run ``tasks`` in turn (each built once per server under its key, like ``shared``),
    showing "``words`` (step i of n)" and a Stop button while any of them is still to be done.

    Stop keeps what is done: the next runs of the page, for this session, give the results of
    the tasks finished so far and None for the rest (the first task is always done, so there
    is something to show).  ``cores``: how many cores a task keeps busy at once, so that its
    time is charged to this session's share as the work it is."""
    stop_key = f"stop work {digest(name)}"
    names = [digest(key) for key, _ in tasks]
    place, bar = area(), None
    if any(n not in _finished for n in names):
        with place.container():  # the bar arrives with its words, before its Stop button
            bar = st.progress(0.0, text=_("{words} (step {i} of {n})", words=words, i=1, n=len(tasks)))
            st.button(
                _("Stop"),
                key=f"{stop_key}.button",
                help=_("Keep what is done so far and skip the rest"),
                on_click=partial(_stop, stop_key),
            )
    results: list[Any] = []
    for i, ((key, make), task) in enumerate(zip(tasks, names)):
        if results and st.session_state.get(stop_key) and task not in _finished:
            results.append(None)
            continue
        if bar is not None:
            bar.progress(i / len(tasks), text=_("{words} (step {i} of {n})", words=words, i=i + 1, n=len(tasks)))
        if task not in _finished:
            budget.require()  # new training is charged to this session's share of the cores
        started = time.perf_counter()
        results.append(shared(key, make))
        if task not in _finished:
            budget.charge(cores * (time.perf_counter() - started))
        with _finished_lock:
            _finished.add(task)
    if bar is not None:
        place.empty()
    return results
