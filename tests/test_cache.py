from nnviz.cache import BoundedCache


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
