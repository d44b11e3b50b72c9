"""Faults that lose nothing, against a real redis-server: a restart keeps every acknowledged
answer (append-only file, ``appendfsync always``), a store that is down or slow fails within
its timeout with one line instead of hanging a page, and the class goes on when it is back."""

import threading
import time

import pytest
import redis

from nnviz.classroom.open import open_store
from nnviz.classroom.store import StoreUnavailable
from nnviz.settings import CLASS_STORE_TIMEOUT_SECONDS


@pytest.fixture
def durable_redis():
    from redis_server import RedisServer

    server = RedisServer(durable=True)
    yield server
    server.stop()


def test_a_redis_restart_keeps_every_acknowledged_answer_and_the_class_goes_on(durable_redis):
    store = open_store(durable_redis.url)
    opened = store.open_class()
    students = [store.join(opened.code) for _ in range(20)]
    for n, student in enumerate(students[:15]):
        store.answer(opened.code, student.token, "q", str(n % 3))  # acknowledged: on disk before the reply
    durable_redis.halt()
    with pytest.raises(StoreUnavailable, match="not reachable"):
        store.answer(opened.code, students[15].token, "q", "0")  # said, never silently dropped
    with pytest.raises(StoreUnavailable):
        store.lesson(opened.code)
    durable_redis.start()
    lesson = store.lesson(opened.code)  # the same client reconnects by itself
    assert lesson.students == 20
    assert store.tally(opened.code, "q", key=opened.teacher_key).counts == {"0": 5, "1": 5, "2": 5}
    for student in students[15:]:
        store.answer(opened.code, student.token, "q", "0")
    assert store.tally(opened.code, "q", key=opened.teacher_key).counts == {"0": 10, "1": 5, "2": 5}


def test_a_slow_redis_fails_within_the_timeout_instead_of_hanging_the_page(durable_redis):
    store = open_store(durable_redis.url)
    opened = store.open_class()
    blocker = threading.Thread(
        target=redis.Redis.from_url(durable_redis.url).execute_command, args=("DEBUG", "SLEEP", "4")
    )
    blocker.start()
    time.sleep(0.3)  # Redis is asleep now: every other client waits
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="not reachable"):
        store.lesson(opened.code)
    waited = time.monotonic() - started
    blocker.join()
    assert CLASS_STORE_TIMEOUT_SECONDS * 0.9 <= waited < CLASS_STORE_TIMEOUT_SECONDS + 1.5
    assert store.lesson(opened.code).students == 0  # awake again: the class is there


def test_a_redis_unreachable_at_start_is_one_line_not_a_crash():
    from browser import free_port

    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="not reachable.*go on alone"):
        open_store(f"redis://127.0.0.1:{free_port()}/0")
    assert time.monotonic() - started < CLASS_STORE_TIMEOUT_SECONDS + 1.5
