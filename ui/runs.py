"""Getting a run onto a page: from the shared cache at once, or trained while it streams.

A run being trained is a ``Job`` shared by every session that asked for the same settings,
so thirty students pressing the same button train it once.  Whoever holds the job's lock
advances its stream by one chunk; the others draw its progress meanwhile, and carry on
where a session left off when its tab closes or its script is rerun mid-loop.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import nullcontext

import numpy as np
import streamlit as st

from nnviz.engine.training import Run, TrainingConfig, train_many, train_stream
from nnviz.settings import MAX_RATES, MAX_RUN_SECONDS, SESSION_CPU_SECONDS, SHARED_RUNS_BYTES
from nnviz.views.figures import error_figure
from ui import budget, work
from ui.cache import BoundedCache
from ui.keep import reassert
from ui.language import _, language
from ui.shared import PRIVATE_RUNS, is_private
from ui.turns import SCRIPTS

REDRAW_SECONDS = 0.4
SHOW_PROGRESS_AFTER = 0.3  # quick runs finish before a progress bar would flash


@st.cache_resource
def shared_runs() -> BoundedCache:
    """Finished runs, shared by every session of this server (keyed by settings and data)."""
    return BoundedCache(max_entries=48, ttl_seconds=2 * 3600, max_bytes=SHARED_RUNS_BYTES)


class Job:
    """A run being trained, watched by one or more sessions.

    ``stream`` is a ``train_stream`` generator; only the holder of ``lock`` advances it, one
    chunk at a time, and keeps the newest run in ``latest``.  It ends early at the time cap;
    when its last watcher leaves (everyone pressed Stop), ``Jobs`` drops it unfinished.
    """

    def __init__(self, key: Hashable, make_stream: Callable[[], Iterator[Run]]):
        self.key = key
        self.watchers: set[str] = set()
        self.latest: Run | None = None
        self.lock = threading.Lock()
        self.broken = False
        self.stream = make_stream()

    @property
    def done(self) -> bool:
        return self.latest is not None and self.latest.finished

    def advance(self, wait: float) -> float | None:
        """Train one more chunk unless another session is doing so (then None); the
        working seconds this call spent training."""
        if not self.lock.acquire(timeout=wait):
            return None
        try:
            if self.done:
                return 0.0
            before = self.latest.seconds if self.latest is not None else 0.0
            self.latest = next(self.stream)
            return self.latest.seconds - before
        except BaseException:
            self.broken = True  # a stream that raised can never be advanced again
            raise
        finally:
            self.lock.release()


class Jobs:
    """The runs being trained now, by key.  A job whose sessions all left is dropped after
    ``ttl_seconds`` (its stream, never advanced again, is then garbage)."""

    def __init__(self, max_jobs: int = 16, ttl_seconds: float = 600.0):
        self._jobs = BoundedCache(max_entries=max_jobs, ttl_seconds=ttl_seconds)
        self._lock = threading.Lock()

    def running(self, key: Hashable) -> bool:
        with self._lock:
            job = self._jobs.get(key)
            return job is not None and not job.broken

    def join(self, key: Hashable, make_stream, watcher: str) -> Job:
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.broken:  # a job whose stream raised: the next visitor starts afresh
                job = Job(key, make_stream)
                self._jobs.put(key, job)
            job.watchers.add(watcher)
            return job

    def leave(self, job: Job, watcher: str) -> None:
        with self._lock:
            job.watchers.discard(watcher)
            if job.done or job.broken or not job.watchers:
                self._jobs.discard(job.key, job)


def run_id(key: Hashable, run: Run) -> tuple:
    """What names a run's numbers for the shared caches: its settings' key, and where it
    ended (a student who stopped early has a run of their own, shorter than the full one)."""
    return (key, run.stopped_early, run.last_iteration)


def stop_reason(run: Run) -> str:
    """Why a run ended before its last iteration, in a student's words."""
    if run.out_of_time:
        return _(
            "the time limit: at most {run} seconds of training for one run, and {visitor} a minute for one "
            "visitor, on this server",
            run=f"{MAX_RUN_SECONDS:g}",
            visitor=f"{SESSION_CPU_SECONDS:g}",
        )
    return _("you pressed Stop")


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
        _keep_for_session(st.session_state.setdefault("stopped_runs", {}), job.key, stopped_copy(latest))
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
    mine = st.session_state.setdefault(PRIVATE_RUNS, {})
    cached = mine.get(key) if is_private() else shared_runs().get(key)
    if cached is not None:
        return cached
    stopped = st.session_state.setdefault("stopped_runs", {})
    if key in stopped:
        return stopped[key]
    if not jobs().running(key):  # joining a run someone else is training costs nothing new
        budget.require()
    # A new run trains for at most the time cap, or what is left of its starter's minute.
    cap = min(MAX_RUN_SECONDS, budget.remaining())
    me = _me()
    job = jobs().join(key, lambda: train_stream(X, y, config, max_seconds=cap), me)
    live, box = st.empty(), work.area()  # the curve where the run is shown; the bar and Stop at the top

    def draw(partial: Run) -> None:
        curve = getattr(partial, live_curve)
        lang = language()
        live.plotly_chart(
            error_figure(curve, label=live_label, lang=lang),
            key=f"live{len(curve)}",
            alt=_(
                "Training in progress: {what} {start} at iteration 0, {now} at iteration {k}.",
                what=_(live_label),
                start=lang.decimal(curve[0], 4),
                now=lang.decimal(curve[-1], 4),
                k=lang.integer(len(curve) - 1),
            ),
        )

    try:
        run = _follow(job, me, box, config, draw)
    finally:
        jobs().leave(job, me)
    box.empty()
    live.empty()
    if run.stopped_early:
        # Ended by Stop, or cut at the time cap: shorter than these settings' real run, so
        # kept for this session only and never served to others as that run.
        _keep_for_session(stopped, key, run)
    elif is_private():  # trained on a teacher's upload: it stays in the teacher's session
        _keep_for_session(mine, key, run)
    else:
        shared_runs().put(key, run)
    return run


def _keep_for_session(stopped: dict, key: Hashable, run: Run, limit: int = 4) -> None:
    stopped[key] = run
    while len(stopped) > limit:  # a session keeps its newest few (a run is up to a few MB)
        stopped.pop(next(iter(stopped)))


def _follow(job: Job, me: str, box, config: TrainingConfig, on_partial) -> Run:
    """Advance the job (or wait for whoever does) to its end, drawing its progress meanwhile."""
    total = config.iterations + 1
    started = last_draw = time.monotonic()
    progress = None
    while not job.done:
        long_run = time.monotonic() - started > SHOW_PROGRESS_AFTER
        with SCRIPTS.step_aside() if long_run else nullcontext():  # the compiled loop needs no turn
            budget.charge(job.advance(wait=REDRAW_SECONDS) or 0.0)
        partial = job.latest
        if partial is None or partial.finished:
            continue
        done = len(partial.objective)
        words = _(
            "Training… {done} of {total} iterations",
            done=language().integer(done - 1),
            total=language().integer(config.iterations),
        )
        share = min(done / total, 1.0)
        if progress is None and time.monotonic() - started > SHOW_PROGRESS_AFTER:
            with box.container():  # the bar arrives with its words, before its Stop button
                progress = st.progress(share, text=words)
                st.button(_("Stop training"), on_click=_request_stop, args=(job, me), key="stop_training")
        elif progress is not None:
            progress.progress(share, text=words)
        if on_partial is not None and time.monotonic() - last_draw > REDRAW_SECONDS:
            on_partial(partial)
            last_draw = time.monotonic()
    assert job.latest is not None  # done means a finished run is there
    return job.latest


def get_runs(data_key: Hashable, X: np.ndarray, y: np.ndarray, configs: list[TrainingConfig]) -> list[Run]:
    """Several runs side by side (one per core), from the shared cache or trained now.

    The runs to train share what is left of this session's minute (``ui.budget``), so one
    click cannot start sixteen runs of twenty seconds.  A run cut short by that is kept for
    this session only, like a stopped run; the runs come back from this call's own hands,
    never from a second cache lookup that an eviction could empty.
    """
    cache = shared_runs()
    mine = st.session_state.setdefault("cut_runs", {})
    found: dict[TrainingConfig, Run] = {}
    for config in configs:
        if (run := cache.get((data_key, config)) or mine.get((data_key, config))) is not None:
            found[config] = run
    missing = [config for config in configs if config not in found]
    if missing:
        budget.require()
        each = min(MAX_RUN_SECONDS, budget.remaining() / len(missing))
        with st.spinner(_("Training {n} runs side by side…", n=len(missing))), SCRIPTS.step_aside():
            runs = train_many(X, y, missing, max_seconds=each)
        budget.charge(sum(run.seconds for run in runs))
        for config, run in zip(missing, runs):
            if run.out_of_time:
                _keep_for_session(mine, (data_key, config), run, limit=2 * MAX_RATES)  # a whole comparison
            else:
                cache.put((data_key, config), run)
            found[config] = run
    return [found[config] for config in configs]
