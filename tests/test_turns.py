"""Script runs take turns (ui/turns.py): never more at once than allowed, nobody starves."""

import threading
import time

import pytest

from ui.turns import Turns, cores


def run_together(turns: Turns, n: int, body) -> list:
    """``n`` threads each take a turn and run ``body``; what each turn returned."""
    results: list = [None] * n
    start = threading.Barrier(n)

    def one(i: int) -> None:
        start.wait()
        with turns.turn() as got:
            results[i] = (got, body())

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_no_more_scripts_run_at_once_than_there_are_turns():
    turns = Turns(2, patience=30)
    running, most = [0], [0]
    lock = threading.Lock()

    def body():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1

    results = run_together(turns, 12, body)
    assert most[0] == 2
    assert all(got for got, _ in results)


def test_a_script_that_waited_its_patience_runs_anyway():
    turns = Turns(1, patience=0.05)
    held = threading.Event()
    release = threading.Event()

    def hog():
        with turns.turn():
            held.set()
            release.wait(5)

    hogger = threading.Thread(target=hog)
    hogger.start()
    held.wait(5)
    started = time.perf_counter()
    with turns.turn() as got:
        waited = time.perf_counter() - started
    release.set()
    hogger.join(5)
    assert got is False and 0.04 < waited < 2
    with turns.turn() as got:  # the hog's turn came back; the late one gave back nothing it had not got
        assert got is True


def test_stepping_aside_lends_the_turn_and_takes_it_back():
    turns = Turns(1, patience=5)
    order = []
    other_ran = threading.Event()

    def other():
        with turns.turn() as got:
            order.append(("other", got))
            other_ran.set()

    with turns.turn():
        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.05)
        assert not other_ran.is_set()  # it waits: the only turn is ours
        with turns.step_aside():
            assert other_ran.wait(5)  # while we wait on something else, it runs
        order.append(("back", turns._holds()))
    thread.join(5)
    assert order == [("other", True), ("back", True)]


def test_nested_turns_share_one_and_stepping_aside_without_one_is_harmless():
    turns = Turns(1, patience=0.05)
    with turns.turn() as outer, turns.turn() as inner:
        assert outer and inner  # a page that takes a turn inside a turn does not wait for itself
    with turns.step_aside():
        pass
    with turns.turn() as got:
        assert got


def test_turns_must_let_someone_run():
    with pytest.raises(ValueError):
        Turns(0)
    assert cores() >= 1
