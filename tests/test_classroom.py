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
from nnviz.classroom.store import ClassError, StoreUnavailable, Visitor

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


def test_showing_the_answers_gives_the_class_the_spread_without_the_true_answer_and_closes_the_round(store):
    opened = store.open_class()
    ana, ben = store.join(opened.code, "Ana"), store.join(opened.code, "Ben")
    store.answer(opened.code, ana.token, "q", "a", truth="b")
    store.answer(opened.code, ben.token, "q", "b")
    with pytest.raises(ClassError, match="not revealed"):
        store.tally(opened.code, "q")
    store.show(opened.code, opened.teacher_key, "q")
    lesson = store.lesson(opened.code)
    assert lesson.is_shown("q") and not lesson.is_revealed("q") and lesson.shown == {("q", 1)}
    spread = store.tally(opened.code, "q")  # any student's page may read it now
    assert spread.counts == {"a": 1, "b": 1} and spread.truth is None and spread.right is None
    assert store.tally(opened.code, "q", key=opened.teacher_key).truth == "b"  # the teacher still knows it
    with pytest.raises(ClassError, match="This round is closed"):
        store.answer(opened.code, ben.token, "q", "a")  # the class has seen the spread: no late votes
    store.leave(opened.code, ana.token)  # a round the class has seen stays as it saw it
    assert store.tally(opened.code, "q").counts == {"a": 1, "b": 1}

    assert store.ask_again(opened.code, opened.teacher_key, "q") == 2  # Vote again, before the answer
    assert store.answer(opened.code, ben.token, "q", "a") == 2
    lesson = store.lesson(opened.code)
    assert lesson.round_of("q") == 2 and not lesson.is_shown("q") and lesson.is_shown("q", 1)
    assert not lesson.is_revealed("q", 1) and not lesson.is_revealed("q", 2)
    with pytest.raises(ClassError, match="not revealed"):
        store.tally(opened.code, "q", 2)
    store.reveal(opened.code, opened.teacher_key, "q")  # show and reveal in one press
    lesson = store.lesson(opened.code)
    assert lesson.is_shown("q") and lesson.is_revealed("q")
    assert store.tally(opened.code, "q").truth == "b" and store.tally(opened.code, "q").right == 0
    with pytest.raises(ClassError, match="This round is closed"):
        store.answer(opened.code, ben.token, "q", "b")


def test_the_record_holds_every_answer_with_its_round_nickname_and_time(store, clock):
    opened = store.open_class()
    ana, ben = store.join(opened.code, "Ana"), store.join(opened.code, "Ben")
    store.answer(opened.code, ana.token, "q", "a")
    clock.now += 5
    store.answer(opened.code, ben.token, "q", "b")
    clock.now += 5
    store.answer(opened.code, ben.token, "later", "x")
    store.ask_again(opened.code, opened.teacher_key, "q")
    clock.now += 60
    store.answer(opened.code, ana.token, "q", "b")
    t = 1_000_000.0
    assert [(r.prompt, r.round, r.nickname, r.answer, r.at) for r in store.record(opened.code, opened.teacher_key)] == [
        ("q", 1, "Ana", "a", t),
        ("q", 1, "Ben", "b", t + 5),
        ("q", 2, "Ana", "b", t + 70),
        ("later", 1, "Ben", "x", t + 10),
    ]
    with pytest.raises(ClassError, match="teacher key"):
        store.record(opened.code, ana.token)


def test_a_revealed_round_is_closed_to_late_answers_until_the_teacher_asks_again(store):
    opened = store.open_class()
    early, late = store.join(opened.code), store.join(opened.code)
    store.answer(opened.code, early.token, "q", "a")
    store.reveal(opened.code, opened.teacher_key, "q")
    for who, value in ((late, "b"), (early, "b")):  # a new answer, or a changed one, after the Reveal
        with pytest.raises(ClassError, match="This round is closed; the teacher can ask again."):
            store.answer(opened.code, who.token, "q", value)
    assert store.tally(opened.code, "q").counts == {"a": 1}  # the revealed count does not move
    assert store.own_answer(opened.code, early.token, "q", 1) == "a"
    assert store.ask_again(opened.code, opened.teacher_key, "q") == 2
    assert store.answer(opened.code, late.token, "q", "b") == 2  # the next round is open


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
        rows = store._read(
            "SELECT (SELECT COUNT(*) FROM classes), (SELECT COUNT(*) FROM students), "
            "(SELECT COUNT(*) FROM answers), (SELECT COUNT(*) FROM rounds), "
            "(SELECT COUNT(*) FROM truths)"
        )
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


# --- a public server: rationed opening and joining, leaving, the sweep (issue 33) ---------------
def test_opening_is_rationed_per_browser_and_per_address_and_a_school_is_not_locked_out(store, clock):
    caps = settings.ClassCaps()
    opened = 0
    for n in range(60):  # 60 fresh visitors (a new browser each) from one address
        try:
            store.open_class(Visitor("203.0.113.7", browser=f"fresh {n}"))
            opened += 1
        except ClassError as problem:
            assert "from your network this hour" in str(problem)
    assert opened == caps.classes_per_address_per_hour == 20
    store.open_class(Visitor("198.51.100.9", browser="a teacher elsewhere"))  # another school is not locked out
    for _ in range(caps.classes_per_browser_per_hour):
        store.open_class(Visitor("198.51.100.10", browser="one teacher"))
    with pytest.raises(ClassError, match="limit for one visitor"):
        store.open_class(Visitor("198.51.100.10", browser="one teacher"))
    # Their school's share is not used up by their refused tries: a colleague behind the same address still opens.
    store.open_class(Visitor("198.51.100.10", browser="a colleague"))
    # One IPv6 home is one /64, however many addresses it takes.
    v6 = [Visitor(f"2001:db8:1:2::{n:x}", browser=f"v6 {n}") for n in range(caps.classes_per_address_per_hour + 1)]
    for who in v6[:-1]:
        store.open_class(who)
    with pytest.raises(ClassError, match="from your network"):
        store.open_class(v6[-1])
    clock.now += 3600  # the next hour
    store.open_class(Visitor("203.0.113.7", browser="fresh 0"))


def test_wrong_codes_from_one_network_are_throttled_and_joins_are_counted(store, clock):
    caps = settings.ClassCaps()
    opened = store.open_class()
    guesser = Visitor("203.0.113.7", browser="guesser")
    wrong = [c for c in (codes.new_code() for _ in range(40)) if c != opened.code]
    for code in wrong[: caps.wrong_codes_per_address_per_minute]:
        with pytest.raises(ClassError, match="There is no class"):
            store.join(code, who=guesser)
    with pytest.raises(ClassError, match="Too many wrong class codes"):
        store.join(opened.code, who=guesser)  # even a right code waits: guessing costs a minute per 10 tries
    assert store.lesson(opened.code).students == 0
    store.join(opened.code, who=Visitor("198.51.100.9"))  # another network joins meanwhile
    clock.now += 60
    store.join(opened.code, who=guesser)
    clock.now += 60
    school = [store.join(opened.code, who=Visitor("192.0.2.1")) for _ in range(caps.joins_per_address_per_minute)]
    assert len(school) == 100
    with pytest.raises(ClassError, match="joined from your network this minute"):
        store.join(opened.code, who=Visitor("192.0.2.1"))
    for n in range(caps.joins_per_class_per_minute - caps.joins_per_address_per_minute):
        store.join(opened.code, who=Visitor(f"192.0.2.{n + 2}"))
    with pytest.raises(ClassError, match="joined class .* this minute"):
        store.join(opened.code, who=Visitor("192.0.2.200"))
    assert store.lesson(opened.code).students == 2 + caps.joins_per_class_per_minute


def test_a_class_nobody_joined_ends_after_its_idle_minutes(store, clock):
    assert settings.ClassCaps().idle_minutes == 30
    joined, idle = store.open_class(), store.open_class()
    store.join(joined.code, "Ana")
    clock.now += 30 * 60 - 1
    assert store.lesson(idle.code).students == 0
    clock.now += 2
    with pytest.raises(ClassError, match="There is no class"):
        store.lesson(idle.code)
    with pytest.raises(ClassError, match="There is no class"):
        store.join(idle.code)
    assert store.lesson(joined.code).students == 1  # a class with a student lives its hours
    clock.now = 1_000_000.0 + settings.CLASS_HOURS * 3600 - 1
    store.answer(joined.code, store.join(joined.code).token, "q", "a")
    clock.now += 2
    with pytest.raises(ClassError, match="There is no class"):
        store.lesson(joined.code)


def test_the_idle_minutes_and_every_cap_come_from_the_environment(monkeypatch):
    environ = {variable: "7" for variable in settings.CLASS_CAPS_ENVIRONMENT.values()}
    caps = settings.class_caps(environ)
    assert all(getattr(caps, name) == 7 for name in settings.CLASS_CAPS_ENVIRONMENT)
    assert settings.class_caps({}) == settings.ClassCaps()
    assert settings.class_caps({"NNVIZ_CLASS_IDLE_MINUTES": "0.5"}).idle_minutes == 0.5  # a time may be a fraction
    for bad in ("many", "0", "-3", "nan"):
        with pytest.raises(ValueError, match="NNVIZ_CLASS_IDLE_MINUTES"):
            settings.class_caps({"NNVIZ_CLASS_IDLE_MINUTES": bad})


def test_leaving_withdraws_open_answers_and_the_teacher_can_remove_a_nickname(store):
    opened = store.open_class()
    ana, ben, cleo = (store.join(opened.code, name) for name in ("Ana", "Ben", "Cleo"))
    for student, value in ((ana, "a"), (ben, "b"), (cleo, "b")):
        store.answer(opened.code, student.token, "q", value)
    store.reveal(opened.code, opened.teacher_key, "q")
    store.ask_again(opened.code, opened.teacher_key, "q")
    for student in (ana, ben, cleo):
        store.answer(opened.code, student.token, "q", "b")  # round 2, not revealed
        store.answer(opened.code, student.token, "open", "x")
    store.leave(opened.code, ana.token)
    assert store.lesson(opened.code).students == 2
    assert store.tally(opened.code, "q", 1).counts == {"a": 1, "b": 2}  # revealed: as the class saw it
    assert store.tally(opened.code, "q", 2, key=opened.teacher_key).counts == {"b": 2}
    assert store.tally(opened.code, "open", key=opened.teacher_key).counts == {"x": 2}
    assert store.changes(opened.code, opened.teacher_key, "q", 1, 2) == {("b", "b"): 2}
    with pytest.raises(ClassError, match="not a student"):
        store.answer(opened.code, ana.token, "open", "y")
    with pytest.raises(ClassError, match="not a student"):
        store.rejoin(opened.code, ana.token)
    store.leave(opened.code, ana.token)  # twice, or a stranger's token: nothing happens
    store.leave(opened.code, "not a token")
    assert store.nicknames(opened.code, opened.teacher_key) == ["Ben", "Cleo"]

    with pytest.raises(ClassError):
        store.remove(opened.code, ben.token, "Cleo")  # only the teacher
    assert store.remove(opened.code, opened.teacher_key, "Cleo")
    assert not store.remove(opened.code, opened.teacher_key, "Cleo")
    assert store.nicknames(opened.code, opened.teacher_key) == ["Ben"]
    assert store.tally(opened.code, "open", key=opened.teacher_key).counts == {"x": 1}
    assert store.tally(opened.code, "open", key=opened.teacher_key).joined == 1
    assert store.join(opened.code, "Ana").nickname == "Ana"  # the nickname is free again


def test_the_sweep_deletes_ended_classes_once_every_few_minutes_on_the_whole_server(store, clock, request):
    joined, left = store.open_class(), store.open_class()
    store.join(joined.code, "Ana")
    store.leave(left.code, store.join(left.code, who=Visitor("203.0.113.7")).token)  # with counts of its minute
    other = (
        SQLiteStore(store.path)
        if isinstance(store, SQLiteStore)
        else RedisStore(request.getfixturevalue("redis_server").url)
    )
    other.clock = clock  # a second worker on the same store
    clock.now += settings.CLASS_HOURS * 3600 + 1
    live = store.open_class()  # every opening sweeps: both ended classes are gone, with their counts
    if isinstance(store, SQLiteStore):
        assert store._read("SELECT code FROM classes") == [(live.code,)]
        assert store._read("SELECT COUNT(*) FROM limits") == [(0,)]
    if isinstance(store, RedisStore):
        assert store.client.zrange("nnviz:classes", 0, -1) == [live.code]
        assert store.client.keys(f"nnviz:class:{joined.code}*") == []
        limits = store.client.keys("nnviz:limit:*")
        assert limits and all(0 < store.client.ttl(k) <= 3600 for k in limits)  # each gone with its window
    # Polls: one sweep every few minutes on the whole server, by whichever worker polls first.
    clock.now += settings.ClassCaps().idle_minutes * 60 + 1
    assert store.sweep() == 1  # the class opened last, never joined, ended after its idle minutes
    ended = store.open_class()
    store.join(ended.code)
    clock.now += settings.CLASS_HOURS * 3600 + 1
    assert other.sweep() == 1 and store.sweep() == 0  # the other worker claimed this window
    with pytest.raises(ClassError, match="There is no class"):
        store.lesson(ended.code)
    if isinstance(store, RedisStore):
        assert store.client.zcard("nnviz:classes") == 0
    other.close()


def test_a_redis_older_than_6_is_refused_in_one_line_when_the_store_is_made(redis_server, monkeypatch):
    import redis

    assert RedisStore(redis_server.url).client.info("server")["redis_version"] >= "6"  # the real one is accepted
    monkeypatch.setattr(redis.Redis, "info", lambda self, section=None: {"redis_version": "5.0.14"})
    with pytest.raises(StoreUnavailable) as refused:
        open_store(redis_server.url)
    assert str(refused.value) == (
        "The class is not reachable (Redis 5.0.14 is too old for the class store: it needs Redis 6.0 or newer); "
        "you can go on alone."
    )


def test_a_teacher_password_is_checked_and_guessing_it_is_throttled(store, clock, monkeypatch):
    store.check_teacher_password(None, Visitor("203.0.113.7"))  # no password set: anyone opens
    monkeypatch.setenv("NNVIZ_TEACHER_PASSWORD", "correct horse")
    guesser = Visitor("203.0.113.7", browser="guesser")
    for wrong in [None, "", "correct hors"] + [f"guess {n}" for n in range(7)]:
        with pytest.raises(ClassError, match="not this server's teacher password"):
            store.check_teacher_password(wrong, guesser)
    with pytest.raises(ClassError, match="Too many wrong"):
        store.check_teacher_password("correct horse", guesser)  # ten wrong in a minute: even the right one waits
    store.check_teacher_password("correct horse", Visitor("198.51.100.9"))  # a teacher elsewhere is not locked out
    clock.now += 60
    store.check_teacher_password("correct horse", guesser)


# Every command the Redis store may send, with the Redis version that brought it (and its options).
REDIS_6_COMMANDS = {
    "PING",
    "INFO",
    "CLIENT",
    "HELLO",
    "SELECT",
    "WATCH",
    "UNWATCH",
    "MULTI",
    "EXEC",
    "DISCARD",
    "HGETALL",
    "ZCOUNT",
    "EXISTS",
    "HSET",
    "EXPIRE",
    "ZADD",
    "HINCRBY",
    "HGET",
    "SADD",
    "ZRANGE",
    "HMGET",
    "SCAN",
    "DEL",
    "ZREM",
    "SMEMBERS",
    "ZCARD",
    "HEXISTS",
    "GET",
    "SET",
    "INCR",
    "INCRBY",
    "HSETNX",
    "SISMEMBER",
    "HVALS",
    "HLEN",
    "ZRANGEBYSCORE",
    "HDEL",
    "SREM",
}


def test_the_redis_store_sends_only_commands_redis_6_knows(redis_server, clock):
    """Every command of a whole class (opening to sweep), watched with MONITOR on the real server:
    none newer than Redis 6, and no EXPIRE with Redis 7's NX/XX/GT/LT."""
    import redis

    watcher = redis.Redis.from_url(redis_server.url, decode_responses=True)
    seen: list[list[str]] = []
    with watcher.monitor() as monitor:
        done = threading.Event()

        def listen():
            for command in monitor.listen():
                words = command["command"].split()
                if words[:2] == ["ECHO", "done"]:
                    break
                seen.append([w.strip('"') for w in words])
            done.set()

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        store = open_store(redis_server.url)
        store.clock = clock  # type: ignore[attr-defined]
        opened = store.open_class(Visitor("203.0.113.7", "b"))
        ana = store.join(opened.code, "Ana", who=Visitor("203.0.113.8"))
        store.answer(opened.code, ana.token, "q", "a", truth="b")
        store.pin(opened.code, opened.teacher_key, "walkthrough", {"seed": "7"})
        store.bring_here(opened.code, opened.teacher_key, "walkthrough")
        store.reveal(opened.code, opened.teacher_key, "q")
        store.ask_again(opened.code, opened.teacher_key, "q")
        store.tally(opened.code, "q", 1)
        store.changes(opened.code, opened.teacher_key, "q", 1, 2)
        store.nicknames(opened.code, opened.teacher_key)
        store.remove(opened.code, opened.teacher_key, "Ana")
        store.leave(opened.code, store.join(opened.code).token)
        clock.now += settings.CLASS_HOURS * 3600 + 1
        store.sweep()
        store.close()  # type: ignore[attr-defined]
        watcher.echo("done")
        assert done.wait(10)
    names = {words[0].upper() for words in seen}
    assert names - REDIS_6_COMMANDS == set() and {"SET", "INCRBY", "HDEL", "ZRANGEBYSCORE"} <= names
    expires = [words for words in seen if words[0].upper() == "EXPIRE"]
    assert expires and all(len(words) == 3 for words in expires)  # EXPIRE key seconds: no NX/XX/GT/LT
