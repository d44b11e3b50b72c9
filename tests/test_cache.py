import threading
import time

import numpy as np
import pandas as pd

from nnviz import datasets
from nnviz.engine.training import TrainingConfig, train
from ui.cache import BoundedCache, size_of


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_least_recently_used_entries_go_first():
    cache = BoundedCache(max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2


def test_entries_expire():
    clock = Clock()
    cache = BoundedCache(ttl_seconds=10, clock=clock)
    cache.put("a", 1)
    clock.now = 9.9
    assert cache.get("a") == 1
    clock.now = 10.1
    assert cache.get("a") is None and len(cache) == 0


def test_discard_drops_only_the_value_it_was_given():
    cache = BoundedCache()
    first, second = object(), object()
    cache.put("job", first)
    cache.put("job", second)  # a newer job under the same key
    cache.discard("job", first)
    assert cache.get("job") is second
    cache.discard("job", second)
    assert cache.get("job") is None and len(cache) == 0


def test_entries_are_weighed_and_the_least_recently_used_go_past_max_bytes():
    cache = BoundedCache(max_entries=100, max_bytes=3_000_000)
    for name in "abc":
        cache.put(name, np.zeros(100_000))  # 800 kB each
    assert 2_400_000 <= cache.bytes <= 2_500_000
    cache.get("a")  # a is now the most recent
    cache.put("d", np.zeros(100_000))
    assert cache.get("b") is None and cache.get("a") is not None and len(cache) == 3
    assert cache.bytes <= 3_000_000
    cache.put("huge", np.zeros(1_000_000))  # heavier than the whole cache: not kept, nothing else lost
    assert cache.get("huge") is None and len(cache) == 3


def test_size_of_counts_a_runs_arrays_and_a_view_by_its_base():
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig(iterations=10_000))
    arrays = run.objective.nbytes + run.abs_error.nbytes + run.accuracy.nbytes
    assert arrays <= size_of(run) <= arrays + sum(w.nbytes for w in run.snapshot_weights) + 200_000
    base = np.zeros(1_000_000)
    assert size_of(base[:10]) >= base.nbytes  # a slice keeps its whole base alive
    assert size_of([base, base[:5]]) < 2 * base.nbytes  # counted once
    frame = pd.DataFrame({"name": ["Ada Lovelace"] * 1000})
    assert size_of(frame) > 1000 * len("Ada Lovelace")


def test_visitors_asking_at_once_wait_for_one_making():
    cache, made = BoundedCache(), []

    def make():
        made.append(1)
        time.sleep(0.2)
        return None  # a value of None is kept like any other

    threads = [threading.Thread(target=cache.get_or_make, args=("k", make)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1
    assert cache.get_or_make("k", make) is None and len(made) == 1
