"""Getting a run onto a page: from the shared cache at once, or trained while it streams.

A run being trained lives in the session as a generator, so a click that reruns the page
(the stop button, say) resumes the same training instead of starting it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from nnviz.cache import BoundedCache
from nnviz.training import Run, TrainingConfig, train_stream

MAX_RUN_SECONDS = 20.0  # a public demo: no run holds a core for longer
REDRAW_SECONDS = 0.4
SHOW_PROGRESS_AFTER = 0.3  # quick runs finish before a progress bar would flash


@st.cache_resource
def shared_runs() -> BoundedCache:
    """Finished runs, shared by every session of this server (keyed by settings and data)."""
    return BoundedCache(max_entries=48, ttl_seconds=2 * 3600)


@dataclass
class Job:
    """A run being trained for one session.  ``lock``: a click reruns the page while the
    previous script run may still be inside the generator (the compiled loop does not stop
    mid-chunk); the new run waits for it to leave, at most one chunk, then resumes."""

    key: Hashable
    stream: object
    stop: list = field(default_factory=lambda: [False])
    latest: Run | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _request_stop(job: Job) -> None:
    job.stop[0] = True


def get_run(
    key: Hashable,
    X: np.ndarray,
    y: np.ndarray,
    config: TrainingConfig,
    on_partial: Callable[[Run], None] | None = None,
) -> Run:
    """The finished run for ``key``, training it with a progress bar if nobody has yet."""
    cached = shared_runs().get(key)
    if cached is not None:
        return cached
    stopped = st.session_state.setdefault("stopped_runs", {})
    if key in stopped:
        return stopped[key]
    job = st.session_state.get("job")
    if job is None or job.key != key:
        flag = [False]
        stream = train_stream(X, y, config, max_seconds=MAX_RUN_SECONDS, should_stop=lambda: flag[0])
        job = Job(key, stream, flag)
        st.session_state["job"] = job
    box = st.empty()
    with job.lock:
        run = _follow(job, box, config, on_partial)
    box.empty()
    del st.session_state["job"]
    if job.stop[0]:
        stopped[key] = run
        if len(stopped) > 4:
            stopped.pop(next(iter(stopped)))
    else:
        shared_runs().put(key, run)
    return run


def _follow(job: Job, box, config: TrainingConfig, on_partial) -> Run:
    """Drive the job's stream to its end, drawing progress (and the partial run) as it goes."""
    total = config.iterations + 1
    started = last_draw = time.monotonic()
    progress = None
    for partial in job.stream:
        job.latest = partial
        if partial.finished:
            break
        done = len(partial.objective)
        if progress is None and time.monotonic() - started > SHOW_PROGRESS_AFTER:
            with box.container():
                progress = st.progress(0.0)
                st.button("Stop training", on_click=_request_stop, args=(job,), key="stop_training")
        if progress is not None:
            progress.progress(
                min(done / total, 1.0), text=f"Training… {done - 1:,} of {config.iterations:,} iterations"
            )
        if on_partial is not None and time.monotonic() - last_draw > REDRAW_SECONDS:
            on_partial(partial)
            last_draw = time.monotonic()
    return job.latest


@st.cache_resource
def shared_figures() -> BoundedCache:
    """Built figures of finished runs, shared like the runs (building the animation's frames
    is the costliest part of a page view)."""
    return BoundedCache(max_entries=128, ttl_seconds=2 * 3600)


def shared_figure(key: Hashable, build: Callable[[], object]):
    """The figure for ``key`` (a run's key plus the figure's own settings), built once."""
    cache = shared_figures()
    figure = cache.get(key)
    if figure is None:
        figure = build()
        cache.put(key, figure)
    return figure
