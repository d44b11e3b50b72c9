"""Shared training jobs (ui/runs.py): one run trained once for everyone who asks at once."""

import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from nnviz import datasets
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig, train, train_stream
from ui.runs import Jobs, stopped_copy

DATA = datasets.students()
CONFIG = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=7, iterations=20_000)


def counting_stream(counter):
    """train_stream, counting how many streams were started."""

    def make():
        counter.append(1)
        return train_stream(DATA.X, DATA.y, CONFIG, chunk_seconds=0.005)

    return make


def follow(job):
    while not job.done:
        job.advance(wait=0.05)
    return job.latest


def test_sessions_asking_at_once_share_one_training_and_get_the_exact_run():
    jobs, started, results = Jobs(), [], {}

    def session(name):
        job = jobs.join("key", counting_stream(started), name)
        results[name] = follow(job)
        jobs.leave(job, name)

    threads = [threading.Thread(target=session, args=(f"s{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a session never finished"
    assert len(started) == 1  # trained once, advanced by whichever session held the lock
    reference = train(DATA.X, DATA.y, CONFIG)
    for run in results.values():
        assert run.finished and not run.stopped_early
        np.testing.assert_array_equal(run.objective, reference.objective)
    # everyone left a finished job: the next visitor starts afresh (or finds it in the run cache)
    jobs.join("key", counting_stream(started), "late")
    assert len(started) == 2


def test_a_job_goes_when_its_last_watcher_leaves_and_carries_on_while_one_stays():
    jobs, started = Jobs(), []
    a = jobs.join("key", counting_stream(started), "a")
    jobs.join("key", counting_stream(started), "b")
    a.advance(wait=1)
    jobs.leave(a, "a")  # a pressed Stop; b still watches
    assert jobs.running("key") and jobs.join("key", counting_stream(started), "b") is a
    a.advance(wait=1)
    assert not a.latest.finished and len(started) == 1
    jobs.leave(a, "b")  # nobody watches: the job is dropped, never advanced again
    assert not jobs.running("key")
    assert jobs.join("key", counting_stream(started), "c") is not a and len(started) == 2


def test_a_stopped_copy_of_a_partial_run_is_exact_up_to_its_last_iteration():
    stream = train_stream(DATA.X, DATA.y, CONFIG, chunk_seconds=0.001)
    partial = next(stream)
    run = stopped_copy(partial)
    assert run.finished and run.stopped_early and not partial.finished
    last = run.last_iteration
    assert 0 < last < CONFIG.iterations
    reference = train(
        DATA.X, DATA.y, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=7, iterations=last)
    )
    np.testing.assert_array_equal(run.objective, reference.objective[: last + 1])
    expected = trace_iteration(reference, last).predictions
    np.testing.assert_allclose(trace_iteration(run, last).predictions, expected, rtol=0, atol=1e-12)


def test_the_time_cap_counts_working_time_not_waiting():
    """A shared job may wait between chunks (nobody advancing it): that wait is not training."""
    stream = train_stream(DATA.X, DATA.y, CONFIG, chunk_seconds=0.002, max_seconds=0.3)
    waited, run = 0.0, next(stream)
    while not run.finished:
        time.sleep(0.05)
        waited += 0.05
        run = next(stream)
    assert waited > 0.3  # the wall clock passed the cap …
    assert (
        not run.out_of_time and not run.stopped_early and run.last_iteration == CONFIG.iterations
    )  # … the run did not
    assert 0 < run.seconds < waited


def test_a_run_cut_at_the_cap_says_so():
    run = train(DATA.X, DATA.y, replace(CONFIG, iterations=1_000_000), chunk_seconds=0.01, max_seconds=0.05)
    assert run.out_of_time and run.stopped_early and run.finished and run.last_iteration < 1_000_000
    assert run.seconds > 0.05


def test_a_job_whose_stream_raised_is_dropped_and_the_next_visitor_starts_afresh():
    jobs, started = Jobs(), []

    def broken():
        started.append(1)
        yield from ()
        raise RuntimeError("the kernel failed")

    job = jobs.join("key", broken, "a")
    with pytest.raises(RuntimeError):
        job.advance(wait=1)
    assert job.broken and not jobs.running("key")
    again = jobs.join("key", counting_stream(started), "b")
    assert again is not job and follow(again).finished
    assert len(started) == 2
