"""The class store's behaviour, for every backend (today SQLite; the Redis one joins the list):
joining, answering, rounds, reveal, pacing, expiry, caps, bad codes and keys, a store that
cannot be reached, and concurrent writers (threads and processes) losing no answer."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nnviz import settings
from nnviz.classroom import codes
from nnviz.classroom.open import open_store
from nnviz.classroom.redis_store import RedisStore
from nnviz.classroom.sqlite import SQLiteStore
from nnviz.classroom.store import ClassError, StoreUnavailable

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(scope="module")
def redis_server():
    from redis_server import RedisServer

    server = RedisServer()
    yield server
    server.stop()


def url_of(request, backend: str, tmp_path) -> str:
    """The store's address, as ``NNVIZ_CLASS_STORE`` writes it (a fresh, empty store each test)."""
    if backend == "redis":
        server = request.getfixturevalue("redis_server")
        import redis

        redis.Redis.from_url(server.url).flushdb()
        return server.url
    return f"sqlite:///{tmp_path / 'classes.sqlite3'}"


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path, clock):
    made = open_store(url_of(request, request.param, tmp_path))
    made.clock = clock  # type: ignore[attr-defined]
    yield made
    made.close()  # type: ignore[attr-defined]


def test_codes_have_no_look_alikes_and_read_back_however_typed():
    for look_alike in "0O1lI2Z5S8B":
        assert look_alike not in codes.ALPHABET
    code = codes.new_code()
    assert len(code) == 6 and set(code) <= set(codes.ALPHABET)
    assert codes.normalise(codes.shown(code).lower()) == code
    assert codes.normalise(f" {code[:3]} {code[3:]} ") == code
    assert codes.normalise("K7Q-2XO") is None and codes.normalise("K7Q2X") is None
    assert codes.same_secret("abc", "abc") and not codes.same_secret("abd", "abc") and not codes.same_secret(None, "a")


def test_a_nickname_is_offered_from_the_word_lists_and_never_repeated():
    taken: set[str] = set()
    for _ in range(700):  # more than the 576 pairs: numbered ones follow
        name = codes.nickname(taken)
        assert name not in taken
        adjective, animal, *number = name.split(" ")
        assert adjective in codes.ADJECTIVES and animal in codes.ANIMALS
        taken.add(name)


def test_students_join_answer_and_the_teacher_counts_them(store):
    opened = store.open_class()
    ana, ben, cleo = (store.join(opened.code, name) for name in ("Ana", "Ben", "Cleo"))
    assert store.join(codes.shown(opened.code).lower()).nickname not in {"Ana", "Ben", "Cleo"}
    assert store.answer(opened.code, ana.token, "elbow", "100") == 1
    store.answer(opened.code, ben.token, "elbow", "1000")
    store.answer(opened.code, cleo.token, "elbow", "10")
    store.answer(opened.code, cleo.token, "elbow", "100")  # a later answer replaces hers
    tally = store.tally(opened.code, "elbow", key=opened.teacher_key)
    assert tally.counts == {"100": 2, "1000": 1} and tally.answered == 3 and tally.joined == 4
    assert store.own_answer(opened.code, cleo.token, "elbow", 1) == "100"
    assert store.own_answer(opened.code, ana.token, "other", 1) is None
    assert store.nicknames(opened.code, opened.teacher_key)[:3] == ["Ana", "Ben", "Cleo"]
    store.reveal(opened.code, opened.teacher_key, "unanswered")
    assert store.prompts(opened.code, opened.teacher_key) == ["elbow", "unanswered"]


def test_a_student_rejoins_with_their_token_and_finds_their_answers(store):
    opened = store.open_class()
    ana = store.join(opened.code, "Ana")
    store.answer(opened.code, ana.token, "elbow", "100")
    again = store.rejoin(codes.shown(opened.code), ana.token)  # a reloaded tab, or another worker
    assert again == ana and store.own_answer(opened.code, again.token, "elbow", 1) == "100"
    assert store.lesson(opened.code).students == 1  # the same student, not a second one
    store.answer(opened.code, again.token, "elbow", "1000")  # replaces, never counted twice
    assert store.tally(opened.code, "elbow", key=opened.teacher_key).counts == {"1000": 1}
    for wrong in ("not-a-token", opened.teacher_key):
        with pytest.raises(ClassError, match="not a student of the class"):
            store.rejoin(opened.code, wrong)
    store.end(opened.code, opened.teacher_key)
    with pytest.raises(ClassError, match="There is no class"):
        store.rejoin(opened.code, ana.token)


def test_the_first_true_answer_sent_is_kept_for_the_teacher_and_shown_after_reveal(store):
    opened = store.open_class()
    ana, ben = store.join(opened.code, "Ana"), store.join(opened.code, "Ben")
    store.answer(opened.code, ana.token, "elbow", "100")
    assert store.tally(opened.code, "elbow", key=opened.teacher_key).truth is None  # nobody sent one yet
    store.answer(opened.code, ben.token, "elbow", "1000", truth="158")
    store.answer(opened.code, ana.token, "elbow", "10", truth="999")  # the first one stays
    assert store.tally(opened.code, "elbow", key=opened.teacher_key).truth == "158"
    with pytest.raises(ClassError, match="not revealed"):
        store.tally(opened.code, "elbow")  # nor does a student see it before the reveal
    store.ask_again(opened.code, opened.teacher_key, "elbow")
    assert store.tally(opened.code, "elbow", key=opened.teacher_key).truth == "158"  # the same question
    store.reveal(opened.code, opened.teacher_key, "elbow")
    assert store.tally(opened.code, "elbow").truth == "158"
    with pytest.raises(ClassError, match="longer than"):
        store.answer(opened.code, ana.token, "other", "1", truth="x" * (settings.MAX_STORED_CHARS + 1))


def test_nobody_but_the_teacher_sees_a_tally_before_reveal(store):
    opened = store.open_class()
    ana = store.join(opened.code, "Ana")
    store.answer(opened.code, ana.token, "elbow", "100")
    with pytest.raises(ClassError, match="not revealed"):
        store.tally(opened.code, "elbow")
    with pytest.raises(ClassError, match="not revealed"):
        store.tally(opened.code, "elbow", key=ana.token)  # a student's token is not the key
    assert not store.lesson(opened.code).is_revealed("elbow")
    store.reveal(opened.code, opened.teacher_key, "elbow")
    assert store.lesson(opened.code).is_revealed("elbow")
    assert store.tally(opened.code, "elbow").counts == {"100": 1}


def test_asking_again_opens_a_round_and_counts_who_changed_their_mind(store):
    opened = store.open_class()
    students = [store.join(opened.code) for _ in range(4)]
    for student, value in zip(students, ["a", "a", "b", "b"]):
        store.answer(opened.code, student.token, "q", value)
    store.reveal(opened.code, opened.teacher_key, "q")
    assert store.ask_again(opened.code, opened.teacher_key, "q") == 2
    lesson = store.lesson(opened.code)
    assert lesson.round_of("q") == 2 and lesson.is_revealed("q", 1) and not lesson.is_revealed("q")
    for student, value in zip(students[:3], ["b", "a", "b"]):
        assert store.answer(opened.code, student.token, "q", value) == 2
    assert store.tally(opened.code, "q", 2, key=opened.teacher_key).counts == {"a": 1, "b": 2}
    assert store.tally(opened.code, "q", 1).counts == {"a": 2, "b": 2}  # round 1 stays as it was, revealed
    assert store.changes(opened.code, opened.teacher_key, "q", 1, 2) == {("a", "b"): 1, ("a", "a"): 1, ("b", "b"): 1}


def test_the_teacher_paces_and_pins_and_the_lesson_says_so(store):
    opened = store.open_class()
    lesson = store.lesson(opened.code)
    assert (lesson.page, lesson.step, lesson.following, lesson.pinned) == (None, 0, False, {})
    store.pin(opened.code, opened.teacher_key, "walkthrough", {"lr": "0.5", "seed": "7"})
    store.bring_here(opened.code, opened.teacher_key, "walkthrough")
    store.bring_here(opened.code, opened.teacher_key, "backprop")
    lesson = store.lesson(opened.code)
    assert (lesson.page, lesson.step, lesson.following) == ("backprop", 2, True)
    assert lesson.pinned == {"walkthrough": {"lr": "0.5", "seed": "7"}}
    store.let_explore(opened.code, opened.teacher_key)
    assert not store.lesson(opened.code).following and store.lesson(opened.code).page == "backprop"


def test_a_wrong_code_or_key_gets_one_line_and_nothing_else(store):
    opened = store.open_class()
    for bad in ("", "K7Q", "0OO-1II", "<b>x</b>"):
        with pytest.raises(ClassError, match="not a class code"):
            store.join(bad)
    unknown = next(c for c in (codes.new_code() for _ in range(10)) if c != opened.code)
    with pytest.raises(ClassError, match="There is no class"):
        store.join(unknown)
    student = store.join(opened.code)
    for key in (None, "", student.token, opened.teacher_key[:-1] + "x"):
        assert not store.is_teacher(opened.code, key)
        with pytest.raises(ClassError):
            store.reveal(opened.code, key, "q")
        with pytest.raises(ClassError):
            store.nicknames(opened.code, key)
        with pytest.raises(ClassError):
            store.bring_here(opened.code, key, "grades")
    assert store.is_teacher(opened.code, opened.teacher_key)
    with pytest.raises(ClassError, match="not a student"):
        store.answer(opened.code, "someone else's token", "q", "a")


def test_values_are_checked_for_length_and_kept_as_text(store):
    opened = store.open_class()
    with pytest.raises(ClassError, match="longer than"):
        store.join(opened.code, "x" * (settings.MAX_NICKNAME_CHARS + 1))
    script = store.join(opened.code, "<script>alert(1)</script>"[: settings.MAX_NICKNAME_CHARS])
    assert store.nicknames(opened.code, opened.teacher_key) == [script.nickname]  # stored as typed: pages escape it
    with pytest.raises(ClassError, match="already called"):
        store.join(opened.code, script.nickname)
    with pytest.raises(ClassError, match="longer than"):
        store.answer(opened.code, script.token, "q", "9" * (settings.MAX_STORED_CHARS + 1))
    with pytest.raises(ClassError, match="empty"):
        store.answer(opened.code, script.token, "q", "  ")


def test_caps_on_students_classes_and_answers_per_minute(store, clock, monkeypatch):
    opened = store.open_class()
    monkeypatch.setattr(f"{type(store).__module__}.MAX_STUDENTS_PER_CLASS", 3)
    for _ in range(3):
        student = store.join(opened.code)
    with pytest.raises(ClassError, match="is full"):
        store.join(opened.code)
    for n in range(settings.MAX_ANSWERS_PER_MINUTE):
        store.answer(opened.code, student.token, "q", str(n))
    with pytest.raises(ClassError, match="in a minute"):
        store.answer(opened.code, student.token, "q", "again")
    clock.now += 61
    store.answer(opened.code, student.token, "q", "later")
    assert store.own_answer(opened.code, student.token, "q", 1) == "later"
    monkeypatch.setattr(f"{type(store).__module__}.MAX_CLASSES", 2)
    store.open_class()
    with pytest.raises(ClassError, match="limit"):
        store.open_class()


def test_a_class_expires_or_ends_with_everything_in_it(store, clock, tmp_path):
    first, second = store.open_class(), store.open_class()
    student = store.join(first.code, "Ana")
    store.answer(first.code, student.token, "q", "a", truth="b")
    clock.now += settings.CLASS_HOURS * 3600 - 1
    assert store.lesson(first.code).students == 1
    clock.now += 2
    with pytest.raises(ClassError, match="There is no class"):
        store.lesson(first.code)
    assert store.expire() == 1  # the second, which nobody joined, went at the first poll's sweep
    third = store.open_class()
    store.end(third.code, third.teacher_key)
    with pytest.raises(ClassError, match="There is no class"):
        store.join(third.code)
    if isinstance(store, SQLiteStore):  # nothing of them is left in the file
        rows = store._read("SELECT (SELECT COUNT(*) FROM classes), (SELECT COUNT(*) FROM students), "
                           "(SELECT COUNT(*) FROM answers), (SELECT COUNT(*) FROM rounds), "
                           "(SELECT COUNT(*) FROM truths)")  # fmt: skip
        assert rows == [(0, 0, 0, 0, 0)]
    if isinstance(store, RedisStore):  # nor in Redis; and a live class's keys all carry its end as their TTL
        assert store.client.keys("nnviz:class:*") == [] and store.client.zcard("nnviz:classes") == 0
        live = store.open_class()
        store.answer(live.code, store.join(live.code).token, "q", "a", truth="b")
        ttls = {key: store.client.ttl(key) for key in store.client.keys(f"nnviz:class:{live.code}*")}
        assert len(ttls) >= 7 and f"nnviz:class:{live.code}:truths" in ttls and all(t > 0 for t in ttls.values())
    assert second.code != first.code


def test_a_store_that_cannot_be_written_says_so_in_one_line(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="not reachable.*go on alone"):
        SQLiteStore(blocked / "classes.sqlite3")
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable):
        SQLiteStore(broken)


def test_threads_answering_at_once_lose_no_answer(store):
    opened = store.open_class()
    students = [store.join(opened.code) for _ in range(40)]
    errors: list[BaseException] = []

    def answer(student, value):
        try:
            for prompt in ("a", "b", "c"):
                store.answer(opened.code, student.token, prompt, value)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(s, str(i % 3))) for i, s in enumerate(students)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    for prompt in ("a", "b", "c"):
        assert store.tally(opened.code, prompt, key=opened.teacher_key).counts == {"0": 14, "1": 13, "2": 13}


CHILD = """
import sys
from nnviz.classroom.open import open_store
url, code, value, *tokens = sys.argv[1:]
store = open_store(url)
for token in tokens:
    store.answer(code, token, "q", value)
"""


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_two_processes_on_one_store_lose_no_answer(request, tmp_path, backend):
    """Two workers of their own (as serve-class.sh starts them) write one store at once."""
    url = url_of(request, backend, tmp_path)
    store = open_store(url)
    opened = store.open_class()
    students = [store.join(opened.code).token for _ in range(60)]
    workers = [
        subprocess.Popen([sys.executable, "-c", CHILD, url, opened.code, str(i), *students[i::2]], cwd=ROOT)
        for i in range(2)
    ]
    for w in workers:
        assert w.wait(120) == 0
    assert store.tally(opened.code, "q", key=opened.teacher_key).counts == {"0": 30, "1": 30}
