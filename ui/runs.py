"""Getting a run onto a page: from the shared cache at once, or trained while it streams.

A run being trained is a ``Job`` shared by every session that asked for the same settings,
so thirty students pressing the same button train it once.  Whoever holds the job's lock
advances its stream by one chunk; the others draw its progress meanwhile, and carry on
where a session left off when its tab closes or its script is rerun mid-loop.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import nullcontext

import numpy as np
import streamlit as st

from nnviz.cache import BoundedCache
from nnviz.figures import error_figure
from nnviz.training import Run, TrainingConfig, train_many, train_stream
from ui import work
from ui.keep import reassert
from ui.turns import SCRIPTS

# A public demo: no run holds a core for longer (NNVIZ_MAX_RUN_SECONDS for a server of one's own).
MAX_RUN_SECONDS = float(os.environ.get("NNVIZ_MAX_RUN_SECONDS", "20"))
REDRAW_SECONDS = 0.4
SHOW_PROGRESS_AFTER = 0.3  # quick runs finish before a progress bar would flash


@st.cache_resource
def shared_runs() -> BoundedCache:
    """Finished runs, shared by every session of this server (keyed by settings and data)."""
    return BoundedCache(max_entries=48, ttl_seconds=2 * 3600)


class Job:
    """A run being trained, watched by one or more sessions.

    ``stream`` is a ``train_stream`` generator; only the holder of ``lock`` advances it, one
    chunk at a time, and keeps the newest run in ``latest``.  It ends early when nobody
    watches any more (everyone pressed Stop) or at the time cap.
    """

    def __init__(self, key: Hashable, make_stream: Callable[[Callable[[], bool]], Iterator[Run]]):
        self.key = key
        self.watchers: set[str] = set()
        self.latest: Run | None = None
        self.lock = threading.Lock()
        self.stream = make_stream(self.unwatched)

    def unwatched(self) -> bool:
        return not self.watchers

    @property
    def done(self) -> bool:
        return self.latest is not None and self.latest.finished

    def advance(self, wait: float) -> bool:
        """Train one more chunk unless another session is doing so; False if it had to wait."""
        if not self.lock.acquire(timeout=wait):
            return False
        try:
            if not self.done:
                self.latest = next(self.stream)
        finally:
            self.lock.release()
        return True


class Jobs:
    """The runs being trained now, by key.  A job whose sessions all left is dropped after
    ``ttl_seconds`` (its stream, never advanced again, is then garbage)."""

    def __init__(self, max_jobs: int = 16, ttl_seconds: float = 600.0):
        self._jobs = BoundedCache(max_entries=max_jobs, ttl_seconds=ttl_seconds)
        self._lock = threading.Lock()

    def join(self, key: Hashable, make_stream, watcher: str) -> Job:
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                job = Job(key, make_stream)
                self._jobs.put(key, job)
            job.watchers.add(watcher)
            return job

    def leave(self, job: Job, watcher: str) -> None:
        with self._lock:
            job.watchers.discard(watcher)
            if job.done or not job.watchers:
                self._jobs.discard(job.key, job)


def run_id(key: Hashable, run: Run) -> tuple:
    """What names a run's numbers for the shared caches: its settings' key, and where it
    ended (a student who stopped early has a run of their own, shorter than the full one)."""
    return (key, run.stopped_early, run.last_iteration)


def stopped_copy(run: Run) -> Run:
    """The run so far, as a run that stopped there (its last iteration: the newest evaluated)."""
    return dataclasses.replace(run, finished=True, stopped_early=True)


@st.cache_resource
def jobs() -> Jobs:
    return Jobs()


def _me() -> str:
    return st.session_state.setdefault("session_token", uuid.uuid4().hex)


def _request_stop(job: Job, me: str) -> None:
    """Stop for this session only: it keeps the run so far; others watching carry on."""
    reassert()  # the settings the run was started with, whatever a busy browser sent
    latest = job.latest
    if latest is not None and not latest.finished:
        stopped = st.session_state.setdefault("stopped_runs", {})
        stopped[job.key] = stopped_copy(latest)
        if len(stopped) > 4:
            stopped.pop(next(iter(stopped)))
    jobs().leave(job, me)


def get_run(
    key: Hashable,
    X: np.ndarray,
    y: np.ndarray,
    config: TrainingConfig,
    live_curve: str = "abs_error",
    live_label: str = "Σ|y − ŷ|",
) -> Run:
    """The finished run for ``key``, training it (or joining its training) with a progress
    bar and its ``live_curve`` (``"abs_error"`` or ``"objective"``) drawn as it grows."""
    cached = shared_runs().get(key)
    if cached is not None:
        return cached
    stopped = st.session_state.setdefault("stopped_runs", {})
    if key in stopped:
        return stopped[key]
    me = _me()
    job = jobs().join(
        key, lambda unwatched: train_stream(X, y, config, max_seconds=MAX_RUN_SECONDS, should_stop=unwatched), me
    )
    live, box = st.empty(), work.area()  # the curve where the run is shown; the bar and Stop at the top

    def draw(partial: Run) -> None:
        curve = getattr(partial, live_curve)
        live.plotly_chart(error_figure(curve, label=live_label), key=f"live{len(curve)}",
                          alt=f"Training in progress: {live_label} {curve[0]:.4f} at iteration 0, "
                          f"{curve[-1]:.4f} at iteration {len(curve) - 1:,}.")  # fmt: skip

    run = _follow(job, me, box, config, draw)
    box.empty()
    live.empty()
    i_stopped = me not in job.watchers
    jobs().leave(job, me)
    if run.stopped_early and i_stopped:
        stopped[key] = run  # ended because everyone watching pressed Stop
    else:
        shared_runs().put(key, run)  # finished, or cut at the time cap (the same for anyone)
    return run


def _follow(job: Job, me: str, box, config: TrainingConfig, on_partial) -> Run:
    """Advance the job (or wait for whoever does) to its end, drawing its progress meanwhile."""
    total = config.iterations + 1
    started = last_draw = time.monotonic()
    progress = None
    while not job.done:
        long_run = time.monotonic() - started > SHOW_PROGRESS_AFTER
        with SCRIPTS.step_aside() if long_run else nullcontext():  # the compiled loop needs no turn
            job.advance(wait=REDRAW_SECONDS)
        partial = job.latest
        if partial is None or partial.finished:
            continue
        done = len(partial.objective)
        share, words = min(done / total, 1.0), f"Training… {done - 1:,} of {config.iterations:,} iterations"
        if progress is None and time.monotonic() - started > SHOW_PROGRESS_AFTER:
            with box.container():  # the bar arrives with its words, before its Stop button
                progress = st.progress(share, text=words)
                st.button("Stop training", on_click=_request_stop, args=(job, me), key="stop_training")
        elif progress is not None:
            progress.progress(share, text=words)
        if on_partial is not None and time.monotonic() - last_draw > REDRAW_SECONDS:
            on_partial(partial)
            last_draw = time.monotonic()
    assert job.latest is not None  # done means a finished run is there
    return job.latest


def get_runs(data_key: Hashable, X: np.ndarray, y: np.ndarray, configs: list[TrainingConfig]) -> list[Run]:
    """Several runs side by side (one per core), from the shared cache or trained now.

    A run cut at the time cap is shared like a finished one (the same for anyone who asks),
    so a plain rerun finds it instead of training it again; the runs come back from this
    call's own hands, never from a second cache lookup that an eviction could empty.
    """
    cache = shared_runs()
    found: dict[TrainingConfig, Run] = {}
    for config in configs:
        if (cached := cache.get((data_key, config))) is not None:
            found[config] = cached
    missing = [config for config in configs if config not in found]
    if missing:
        with st.spinner(f"Training {len(missing)} runs side by side…"), SCRIPTS.step_aside():
            for config, run in zip(missing, train_many(X, y, missing, max_seconds=MAX_RUN_SECONDS)):
                cache.put((data_key, config), run)
                found[config] = run
    return [found[config] for config in configs]
