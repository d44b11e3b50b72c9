"""The class store on Redis: one class store for workers on several machines.

Chosen with ``NNVIZ_CLASS_STORE=redis://host:port/db``.  The client is ``redis-py``, Redis's
own maintained client (its fork ``valkey`` would do as well, against Valkey servers; redis-py
speaks to both today).

Key layout (``C`` is a class code; every key of a class expires with it, by Redis's own TTL):

    nnviz:classes                   sorted set: code → when it ends (the count of open classes)
    nnviz:class:C                   hash: key (the teacher key's SHA-256), created, expires,
                                    page, step, following, pinned (JSON)
    nnviz:class:C:students          hash: token SHA-256 → nickname
    nnviz:class:C:joined            sorted set: token SHA-256 → order of joining
    nnviz:class:C:nicknames         set: the nicknames taken
    nnviz:class:C:rate:T:M          counter of student T's answers in minute M (expires after it)
    nnviz:class:C:prompts           sorted set: prompt → when first seen
    nnviz:class:C:rounds            hash: prompt → its current round
    nnviz:class:C:revealed          set: "round|prompt" revealed
    nnviz:class:C:shown             set: "round|prompt" whose spread the teacher showed
    nnviz:class:C:answers:R:P       hash: token SHA-256 → answer, for round R of prompt P (P is the
                                    prompt's SHA-1: a prompt is a whole question)
    nnviz:class:C:answered:R:P      hash: token SHA-256 → when that answer came (the teacher's download)
    nnviz:class:C:truths            hash: prompt → its true answer on the pinned run (the first sent)
    nnviz:limit:B:W                 a rationing count (``ClassStore._hits``): bucket B in window W,
                                    expiring when its window ends

Redis 6.0 or newer: every command here exists since 4.0 at the latest (a count's expiry is set
with ``SET … NX EX`` before ``INCR``, not Redis 7's ``EXPIRE … NX``); the store refuses an older
server in one line when it is made.  The index is pruned by ``expire()``, which the app calls at
every opening and, through ``sweep()``, every few minutes of polling.

Where a check and a write must agree (a full class, a taken nickname, a student answering),
they run in one ``WATCH``/``MULTI`` transaction, retried if another writer got in between.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

import redis

from nnviz.classroom import codes
from nnviz.classroom.store import (
    ClassError,
    ClassStore,
    Joined,
    Lesson,
    Opened,
    Record,
    StoreUnavailable,
    Tally,
    Visitor,
    checked,
    checked_nickname,
    checked_pin,
    checked_prompt,
    class_code,
    digest,
    no_class,
    not_shown,
    round_closed,
)
from nnviz.i18n import M_
from nnviz.settings import (
    CLASS_HOURS,
    CLASS_STORE_TIMEOUT_SECONDS,
    MAX_ANSWERS_PER_MINUTE,
    MAX_CLASSES,
    MAX_STORED_CHARS,
    MAX_STUDENTS_PER_CLASS,
    ClassCaps,
    class_caps,
)

INDEX = "nnviz:classes"
MIN_REDIS = (6, 0)
MAX_CONNECTIONS = 50  # per worker


def _k(code: str, *parts: str) -> str:
    return ":".join(("nnviz:class", code, *parts))


def _answers(code: str, round: int, prompt: str) -> str:
    return _k(code, "answers", str(round), hashlib.sha1(prompt.encode()).hexdigest())


def _answered(code: str, round: int, prompt: str) -> str:
    return _k(code, "answered", str(round), hashlib.sha1(prompt.encode()).hexdigest())


ROUND_PARTS = ("prompts", "rounds", "revealed", "shown")  # a prompt's keys, kept as long as the class


class RedisStore(ClassStore):
    def __init__(self, url: str, clock: Callable[[], float] = time.time, caps: ClassCaps | None = None):
        self.clock = clock
        self.caps = caps or class_caps()
        # A pool that waits (up to the timeout) for a free connection when every one is busy,
        # instead of failing: thirty pages polling at once share a few dozen connections.
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=MAX_CONNECTIONS,
            timeout=CLASS_STORE_TIMEOUT_SECONDS,
            decode_responses=True,
            socket_timeout=CLASS_STORE_TIMEOUT_SECONDS,
            socket_connect_timeout=CLASS_STORE_TIMEOUT_SECONDS,
        )
        self.client = redis.Redis(connection_pool=pool)
        self._call(self.client.ping)
        check_version(self._call(self.client.info, "server"))

    def _call(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except redis.RedisError as exc:
            raise StoreUnavailable(type(exc).__name__ if not str(exc) else exc) from None

    def _transaction(self, work: Callable[[redis.client.Pipeline], object], *watched: str):
        """``work`` reads with the pipeline (watching ``watched``), then writes after ``multi()``."""
        result: list[object] = []

        def run(pipe: redis.client.Pipeline) -> None:
            result[:] = [work(pipe)]

        self._call(self.client.transaction, run, *watched)
        return result[0]

    def _ttl(self, ends: float) -> int:
        """Seconds until the class ends: Redis deletes each of its keys then by itself."""
        return max(1, int(ends - self.clock()) + 1)

    # --- checks ----------------------------------------------------------------------------
    def _live(self, reader, code: str) -> dict:
        found = reader.hgetall(_k(code))
        if not found or float(found["expires"]) <= self.clock():
            raise no_class(code)
        return found

    def _teacher(self, reader, code: str, key: str | None) -> dict:
        found = self._live(reader, code)
        if not codes.same_secret(digest(key) if key else None, found["key"]):
            raise ClassError(M_("This link's teacher key is not this class's."))
        return found

    # --- the teacher -----------------------------------------------------------------------
    def open_class(self, who: Visitor | None = None) -> Opened:
        if who is not None:
            self.ration_open(who)
        self.expire()  # the index pruned at every opening: it counts only live classes
        key, now = codes.new_secret(), self.clock()
        ends = now + min(CLASS_HOURS * 60, self.caps.idle_minutes) * 60  # a full class's hours once a student joins

        def work(pipe):
            live = pipe.zcount(INDEX, f"({now}", "+inf")
            if live >= MAX_CLASSES:
                raise ClassError(
                    M_(
                        "This server has {max_classes} classes open, its limit; try again later.",
                        max_classes=str(MAX_CLASSES),
                    )
                )
            while True:
                code = codes.new_code()
                if not pipe.exists(_k(code)):
                    break
            pipe.multi()
            pipe.hset(
                _k(code),
                mapping={
                    "key": digest(key),
                    "created": now,
                    "expires": ends,
                    "page": "",
                    "step": 0,
                    "following": 0,
                    "pinned": "{}",
                },
            )
            pipe.expire(_k(code), self._ttl(ends))
            pipe.zadd(INDEX, {code: ends})
            return code

        code = self._transaction(work, INDEX)
        return Opened(str(code), key)

    def is_teacher(self, code: str, key: str | None) -> bool:
        try:
            self._teacher(self.client, class_code(code), key)
        except ClassError:
            return False
        except redis.RedisError as exc:
            raise StoreUnavailable(exc) from None
        return True

    def _update(self, code: str, key: str, mapping: dict, increment_step: bool = False) -> None:
        def work(pipe):
            self._teacher(pipe, code, key)
            pipe.multi()
            pipe.hset(_k(code), mapping=mapping)
            if increment_step:
                pipe.hincrby(_k(code), "step", 1)

        self._transaction(work, _k(code))

    def pin(self, code: str, key: str, page: str, settings: dict[str, str]) -> None:
        code, (page, settings) = class_code(code), checked_pin(page, settings)

        def work(pipe):
            pinned = json.loads(self._teacher(pipe, code, key)["pinned"])
            pinned[page] = settings
            text = json.dumps(pinned, sort_keys=True)
            if len(text) > 20 * MAX_STORED_CHARS * 8:
                raise ClassError(M_("Too many pinned settings."))
            pipe.multi()
            pipe.hset(_k(code), "pinned", text)

        self._transaction(work, _k(code))

    def bring_here(self, code: str, key: str, page: str) -> None:
        self._update(class_code(code), key, {"page": checked(page, "page"), "following": 1}, increment_step=True)

    def let_explore(self, code: str, key: str) -> None:
        self._update(class_code(code), key, {"following": 0})

    def _round(self, reader, code: str, prompt: str) -> int:
        found = reader.hget(_k(code, "rounds"), prompt)
        return int(found) if found else 1

    def _touch_prompt(self, pipe, code: str, prompt: str, ends: float) -> None:
        pipe.zadd(_k(code, "prompts"), {prompt: self.clock()}, nx=True)
        for name in ROUND_PARTS:
            pipe.expire(_k(code, name), self._ttl(ends))

    def _mark(self, code: str, key: str, prompt: str, mark: str) -> None:
        """The prompt's current round shown (``mark`` "shown") or revealed ("revealed")."""
        code, prompt = class_code(code), checked_prompt(prompt)

        def work(pipe):
            ends = float(self._teacher(pipe, code, key)["expires"])
            number = self._round(pipe, code, prompt)
            pipe.multi()
            pipe.sadd(_k(code, mark), f"{number}|{prompt}")
            self._touch_prompt(pipe, code, prompt, ends)

        self._transaction(work, _k(code, "rounds"))

    def show(self, code: str, key: str, prompt: str) -> None:
        self._mark(code, key, prompt, "shown")

    def reveal(self, code: str, key: str, prompt: str) -> None:
        self._mark(code, key, prompt, "revealed")

    def ask_again(self, code: str, key: str, prompt: str) -> int:
        code, prompt = class_code(code), checked_prompt(prompt)

        def work(pipe):
            ends = float(self._teacher(pipe, code, key)["expires"])
            new = self._round(pipe, code, prompt) + 1
            pipe.multi()
            pipe.hset(_k(code, "rounds"), prompt, new)
            self._touch_prompt(pipe, code, prompt, ends)
            return new

        return int(self._transaction(work, _k(code, "rounds")))

    def nicknames(self, code: str, key: str) -> list[str]:
        code = class_code(code)
        self._call(self._teacher, self.client, code, key)
        order = self._call(self.client.zrange, _k(code, "joined"), 0, -1)
        names = self._call(self.client.hmget, _k(code, "students"), order) if order else []
        return [n for n in names if n is not None]

    def prompts(self, code: str, key: str) -> list[str]:
        code = class_code(code)
        self._call(self._teacher, self.client, code, key)
        return list(self._call(self.client.zrange, _k(code, "prompts"), 0, -1))

    def changes(self, code: str, key: str, prompt: str, first: int, second: int) -> dict[tuple[str, str], int]:
        code, prompt = class_code(code), checked_prompt(prompt)
        self._call(self._teacher, self.client, code, key)
        before = self._call(self.client.hgetall, _answers(code, first, prompt))
        after = self._call(self.client.hgetall, _answers(code, second, prompt))
        moved: dict[tuple[str, str], int] = {}
        for token, value in after.items():
            if token in before:
                moved[(before[token], value)] = moved.get((before[token], value), 0) + 1
        return moved

    def record(self, code: str, key: str) -> list[Record]:
        code = class_code(code)
        self._call(self._teacher, self.client, code, key)
        prompts = self._call(self.client.zrange, _k(code, "prompts"), 0, -1)
        rounds = self._call(self.client.hgetall, _k(code, "rounds"))
        names = self._call(self.client.hgetall, _k(code, "students"))
        made: list[Record] = []
        for prompt in prompts:
            for number in range(1, int(rounds.get(prompt, 1)) + 1):
                pipe = self.client.pipeline(transaction=True)
                pipe.hgetall(_answers(code, number, prompt))
                pipe.hgetall(_answered(code, number, prompt))
                values, times = self._call(pipe.execute)
                these = [
                    Record(prompt, number, names.get(token), value, float(times.get(token, 0)))
                    for token, value in values.items()
                ]
                made.extend(sorted(these, key=lambda one: one.at))
        return made

    def end(self, code: str, key: str) -> None:
        code = class_code(code)
        self._call(self._teacher, self.client, code, key)
        self._delete(code)

    def _delete(self, code: str) -> None:
        keys = list(self._call(self.client.scan_iter, match=_k(code) + "*", count=500))
        keys = [k for k in keys if k == _k(code) or k.startswith(_k(code) + ":")]
        pipe = self.client.pipeline()
        if keys:
            pipe.delete(*keys)
        pipe.zrem(INDEX, code)
        self._call(pipe.execute)

    # --- a student -------------------------------------------------------------------------
    def join(self, code: str, nickname: str | None = None, who: Visitor | None = None) -> Joined:
        code, token = class_code(code), codes.new_secret()
        wanted = checked_nickname(nickname) if nickname else None
        if who is not None:
            self.ration_join(code, who)

        def work(pipe):
            found = self._live(pipe, code)
            # A student came: the class lives its full hours from its opening (no longer an idle one's minutes).
            ends = max(float(found["expires"]), float(found["created"]) + CLASS_HOURS * 3600)
            taken = set(pipe.smembers(_k(code, "nicknames")))
            if len(taken) >= MAX_STUDENTS_PER_CLASS:
                raise ClassError(
                    M_(
                        "Class {code} is full ({max_students_per_class} students).",
                        code=str(codes.shown(code)),
                        max_students_per_class=str(MAX_STUDENTS_PER_CLASS),
                    )
                )
            name = wanted or codes.nickname(taken)
            if name in taken:
                raise ClassError(
                    M_(
                        "Someone in the class is already called {nickname}; choose another nickname.",
                        nickname=str(name),
                    )
                )
            order = pipe.zcard(_k(code, "joined"))
            pipe.multi()
            pipe.hset(_k(code, "students"), digest(token), name)
            pipe.sadd(_k(code, "nicknames"), name)
            pipe.zadd(_k(code, "joined"), {digest(token): order})
            for part in ("students", "nicknames", "joined"):
                pipe.expire(_k(code, part), self._ttl(ends))
            if ends > float(found["expires"]):
                pipe.hset(_k(code), "expires", ends)
                pipe.zadd(INDEX, {code: ends})
                for part in ("", *ROUND_PARTS, "truths"):  # all a class has before a student
                    pipe.expire(_k(code, part) if part else _k(code), self._ttl(ends))
            return name

        name = self._transaction(work, _k(code, "nicknames"), _k(code))
        return Joined(code, token, str(name))

    def rejoin(self, code: str, token: str) -> Joined:
        code = class_code(code)
        self._call(self._live, self.client, code)
        nickname = self._call(self.client.hget, _k(code, "students"), digest(token))
        if nickname is None:
            raise ClassError(M_("This page is not a student of the class any more; join again."))
        return Joined(code, token, nickname)

    def answer(self, code: str, token: str, prompt: str, value: str, truth: str | None = None) -> int:
        code, prompt, value = class_code(code), checked_prompt(prompt), checked(value, "answer")
        truth = None if truth is None else checked(truth, "answer")
        student = digest(token)
        rate = _k(code, "rate", student, str(int(self.clock() // 60)))  # this minute's answers

        def work(pipe):
            ends = float(self._live(pipe, code)["expires"])
            if not pipe.hexists(_k(code, "students"), student):
                raise ClassError(M_("This page is not a student of the class any more; join again."))
            if int(pipe.get(rate) or 0) >= MAX_ANSWERS_PER_MINUTE:
                raise ClassError(
                    M_(
                        "More than {max_answers_per_minute} answers in a minute; wait a moment.",
                        max_answers_per_minute=str(MAX_ANSWERS_PER_MINUTE),
                    )
                )
            number = self._round(pipe, code, prompt)
            mark = f"{number}|{prompt}"
            if pipe.sismember(_k(code, "revealed"), mark) or pipe.sismember(_k(code, "shown"), mark):
                raise round_closed()
            pipe.multi()
            pipe.set(rate, 0, ex=120, nx=True)  # works on Redis 6 (EXPIRE … NX needs 7)
            pipe.incr(rate)
            pipe.hset(_answers(code, number, prompt), student, value)
            pipe.expire(_answers(code, number, prompt), self._ttl(ends))
            pipe.hset(_answered(code, number, prompt), student, repr(self.clock()))
            pipe.expire(_answered(code, number, prompt), self._ttl(ends))
            # Only the prompts' list: touching the rounds (watched by every answer) would make
            # thirty answers at once retry each other.
            pipe.zadd(_k(code, "prompts"), {prompt: self.clock()}, nx=True)
            pipe.expire(_k(code, "prompts"), self._ttl(ends))
            if truth is not None:
                pipe.hsetnx(_k(code, "truths"), prompt, truth)
                pipe.expire(_k(code, "truths"), self._ttl(ends))
            return number

        return int(self._transaction(work, rate, _k(code, "rounds"), _k(code, "revealed"), _k(code, "shown")))

    def own_answer(self, code: str, token: str, prompt: str, round: int) -> str | None:
        return self._call(self.client.hget, _answers(class_code(code), int(round), prompt), digest(token))

    # --- everyone --------------------------------------------------------------------------
    def lesson(self, code: str) -> Lesson:
        code = class_code(code)
        self.sweep()  # a poll: at most every few minutes on the whole server
        pipe = self.client.pipeline(transaction=True)  # one snapshot: the class, its rounds and its head count
        pipe.hgetall(_k(code))
        pipe.hgetall(_k(code, "rounds"))
        pipe.smembers(_k(code, "revealed"))
        pipe.hlen(_k(code, "students"))
        pipe.smembers(_k(code, "shown"))
        found, rounds, revealed, students, shown = self._call(pipe.execute)
        if not found or float(found["expires"]) <= self.clock():
            raise no_class(code)
        return Lesson(
            code=code,
            page=found["page"] or None,
            step=int(found["step"]),
            following=found["following"] == "1",
            pinned=json.loads(found["pinned"]),
            rounds={p: int(n) for p, n in rounds.items()},
            revealed=_marked(revealed),
            expires_at=float(found["expires"]),
            students=int(students),
            shown=_marked(shown),
        )

    def tally(self, code: str, prompt: str, round: int | None = None, key: str | None = None) -> Tally:
        code, prompt = class_code(code), checked_prompt(prompt)
        found = self._call(self._live, self.client, code)
        number = self._call(self._round, self.client, code, prompt) if round is None else int(round)
        is_teacher = codes.same_secret(digest(key) if key else None, found["key"])
        revealed = self._call(self.client.sismember, _k(code, "revealed"), f"{number}|{prompt}")
        if (
            not is_teacher
            and not revealed
            and not self._call(self.client.sismember, _k(code, "shown"), f"{number}|{prompt}")
        ):
            raise not_shown()
        pipe = self.client.pipeline(transaction=True)
        pipe.hvals(_answers(code, number, prompt))
        pipe.hlen(_k(code, "students"))
        pipe.hget(_k(code, "truths"), prompt)
        values, joined, truth = self._call(pipe.execute)
        counts: dict[str, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        return Tally(prompt, number, counts, int(joined), truth if is_teacher or revealed else None)

    def expire(self) -> int:
        gone = self._call(self.client.zrangebyscore, INDEX, "-inf", self.clock())
        for code in gone:
            self._delete(code)
        return len(gone)

    # --- leaving and rationing -------------------------------------------------------------
    def _withdraw(self, code: str, student: str) -> bool:
        """The student out of the class, with their answers to rounds not yet shown or revealed."""

        def work(pipe):
            nickname = pipe.hget(_k(code, "students"), student)
            if nickname is None:
                return False
            rounds, seen = pipe.hgetall(_k(code, "rounds")), pipe.smembers(_k(code, "revealed"))
            seen |= pipe.smembers(_k(code, "shown"))
            prompts = pipe.zrange(_k(code, "prompts"), 0, -1)
            pipe.multi()
            for prompt in prompts:
                for number in range(1, int(rounds.get(prompt, 1)) + 1):
                    if f"{number}|{prompt}" not in seen:
                        pipe.hdel(_answers(code, number, prompt), student)
                        pipe.hdel(_answered(code, number, prompt), student)
            pipe.hdel(_k(code, "students"), student)
            pipe.srem(_k(code, "nicknames"), nickname)
            pipe.zrem(_k(code, "joined"), student)
            return True

        # Watched: a reveal or a new round in between, and the student's own rows.
        return bool(
            self._transaction(work, _k(code, "rounds"), _k(code, "revealed"), _k(code, "shown"), _k(code, "students"))
        )

    def leave(self, code: str, token: str) -> None:
        code = class_code(code)
        try:
            self._call(self._live, self.client, code)
        except ClassError:
            return
        self._withdraw(code, digest(token))

    def remove(self, code: str, key: str, nickname: str) -> bool:
        code, nickname = class_code(code), checked_nickname(nickname)
        self._call(self._teacher, self.client, code, key)
        students = self._call(self.client.hgetall, _k(code, "students"))
        found = next((token for token, name in students.items() if name == nickname), None)
        return found is not None and self._withdraw(code, found)

    def _hits(self, bucket: str, window: float, add: int = 1) -> int:
        now = self.clock()
        index = int(now // window)
        name = f"nnviz:limit:{bucket}:{index}"
        if not add:
            return int(self._call(self.client.get, name) or 0)
        pipe = self.client.pipeline(transaction=True)
        pipe.set(name, 0, ex=max(1, int((index + 1) * window - now) + 1), nx=True)  # gone when its window ends
        pipe.incrby(name, add)
        return int(self._call(pipe.execute)[1])

    def close(self) -> None:
        self.client.close()


def _marked(members: set[str]) -> frozenset[tuple[str, int]]:
    """A "round|prompt" set as ``(prompt, round)`` pairs."""
    return frozenset((p, int(n)) for n, p in (m.split("|", 1) for m in members))


def check_version(info: dict) -> None:
    """Refuse a Redis older than ``MIN_REDIS`` in one line, before a class starts (not halfway through one)."""
    text = str(info.get("redis_version", "0"))
    try:
        version = tuple(int(part) for part in text.split(".")[:2])
    except ValueError:
        version = (0,)
    if version < MIN_REDIS:
        raise StoreUnavailable(
            f"Redis {text} is too old for the class store: it needs Redis {'.'.join(map(str, MIN_REDIS))} or newer"
        )
