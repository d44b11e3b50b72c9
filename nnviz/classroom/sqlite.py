"""The class store in one SQLite file: the default, with no setup, for every worker on one machine.

WAL mode lets the students' pages read while one writer writes; every write is one short
``BEGIN IMMEDIATE`` transaction, so two students answering at once wait their turn for a few
milliseconds instead of failing, and a count and its rows always agree.  Each thread keeps
its own connection (Streamlit runs each session's script in a thread of its own).

Schema: ``classes`` (code, the key's hash, times, the teacher's state), ``students`` (the
token's hash, nickname, an answer counter per minute), ``rounds`` (each prompt's rounds and
whether shown or revealed), ``answers`` (one row per student, prompt and round; a later answer
replaces it) and ``truths`` (each prompt's true answer on the pinned run, the first one sent).  Deleting a class deletes the rest (foreign keys, ``ON DELETE CASCADE``).
``limits`` holds the rationing counts (``ClassStore._hits``): one row per count and window,
deleted with the ended classes once its window is over.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

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

SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
    code TEXT PRIMARY KEY, teacher_key TEXT NOT NULL, created REAL NOT NULL, expires REAL NOT NULL,
    page TEXT, step INTEGER NOT NULL DEFAULT 0, following INTEGER NOT NULL DEFAULT 0,
    pinned TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS students (
    code TEXT NOT NULL REFERENCES classes(code) ON DELETE CASCADE, token TEXT NOT NULL, nickname TEXT NOT NULL,
    joined REAL NOT NULL, window_start REAL NOT NULL DEFAULT 0, window_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (code, token)
);
CREATE TABLE IF NOT EXISTS rounds (
    code TEXT NOT NULL REFERENCES classes(code) ON DELETE CASCADE, prompt TEXT NOT NULL, round INTEGER NOT NULL,
    revealed INTEGER NOT NULL DEFAULT 0, shown INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (code, prompt, round)
);
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL REFERENCES classes(code) ON DELETE CASCADE, prompt TEXT NOT NULL, round INTEGER NOT NULL,
    token TEXT NOT NULL, value TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (code, prompt, round, token)
);
CREATE TABLE IF NOT EXISTS truths (
    code TEXT NOT NULL REFERENCES classes(code) ON DELETE CASCADE, prompt TEXT NOT NULL, truth TEXT NOT NULL,
    PRIMARY KEY (code, prompt)
);
CREATE INDEX IF NOT EXISTS classes_by_end ON classes (expires);
CREATE TABLE IF NOT EXISTS limits (bucket TEXT PRIMARY KEY, ends REAL NOT NULL, count INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS limits_by_end ON limits (ends);
"""
BUSY_MS = int(1000 * CLASS_STORE_TIMEOUT_SECONDS)  # a writer waits this long for another's transaction


def default_path() -> Path:
    """``NNVIZ_CLASS_DIR`` (shared by the workers of one machine), else the system's temporary folder."""
    folder = os.environ.get("NNVIZ_CLASS_DIR") or os.path.join(os.environ.get("TMPDIR", "/tmp"), "nnviz-classes")
    return Path(folder) / "classes.sqlite3"


class SQLiteStore(ClassStore):
    def __init__(
        self, path: str | Path | None = None, clock: Callable[[], float] = time.time, caps: ClassCaps | None = None
    ):
        self.path = Path(path) if path is not None else default_path()
        self.clock = clock
        self.caps = caps or class_caps()
        self._local = threading.local()
        # One writer at a time within this process: SQLite's own busy handler makes a waiting
        # writer sleep in steps of up to 100 ms, which thirty answers at once turn into seconds.
        self._writing = threading.Lock()
        try:
            db = self._connection()
            db.executescript(SCHEMA)  # its own transaction
            # A store file made before rounds could be shown (classes live 12 hours across an upgrade).
            if "shown" not in {row[1] for row in db.execute("PRAGMA table_info(rounds)")}:
                db.execute("ALTER TABLE rounds ADD COLUMN shown INTEGER NOT NULL DEFAULT 0")
        except sqlite3.Error as exc:
            raise StoreUnavailable(exc) from None

    # --- connections and transactions ----------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA foreign_keys=ON")
                db.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            except (OSError, sqlite3.Error) as exc:
                raise StoreUnavailable(exc) from None
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        if not self._writing.acquire(timeout=BUSY_MS / 1000):
            raise StoreUnavailable("the class store is busy")
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreUnavailable(exc) from None
        finally:
            self._writing.release()

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent view, which in WAL mode never waits for a writer."""
        db = self._connection()
        try:
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreUnavailable(exc) from None

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self._connection().execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(exc) from None

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- checks ----------------------------------------------------------------------------
    def _live(self, db: sqlite3.Connection, code: str) -> tuple:
        found = db.execute("SELECT * FROM classes WHERE code = ? AND expires > ?", (code, self.clock())).fetchone()
        if found is None:
            raise no_class(code)
        return found

    def _teacher(self, db: sqlite3.Connection, code: str, key: str | None) -> tuple:
        found = self._live(db, code)
        if not codes.same_secret(digest(key) if key else None, found[1]):
            raise ClassError(M_("This link's teacher key is not this class's."))
        return found

    # --- the teacher -----------------------------------------------------------------------
    def open_class(self, who: Visitor | None = None) -> Opened:
        if who is not None:
            self.ration_open(who)
        key, now = codes.new_secret(), self.clock()
        with self._write() as db:
            db.execute("DELETE FROM classes WHERE expires <= ?", (now,))
            db.execute("DELETE FROM limits WHERE ends <= ?", (now,))
            (open_classes,) = db.execute("SELECT COUNT(*) FROM classes").fetchone()
            if open_classes >= MAX_CLASSES:
                raise ClassError(
                    M_(
                        "This server has {max_classes} classes open, its limit; try again later.",
                        max_classes=str(MAX_CLASSES),
                    )
                )
            while True:
                code = codes.new_code()
                if db.execute("SELECT 1 FROM classes WHERE code = ?", (code,)).fetchone() is None:
                    break
            db.execute(
                "INSERT INTO classes (code, teacher_key, created, expires) VALUES (?, ?, ?, ?)",
                (code, digest(key), now, now + min(CLASS_HOURS * 60, self.caps.idle_minutes) * 60),
            )
        return Opened(code, key)

    def is_teacher(self, code: str, key: str | None) -> bool:
        try:
            code = class_code(code)
            found = self._read("SELECT teacher_key FROM classes WHERE code = ? AND expires > ?", (code, self.clock()))
        except ClassError:
            return False
        return bool(found) and codes.same_secret(digest(key) if key else None, found[0][0])

    def pin(self, code: str, key: str, page: str, settings: dict[str, str]) -> None:
        code, (page, settings) = class_code(code), checked_pin(page, settings)
        with self._write() as db:
            pinned = json.loads(self._teacher(db, code, key)[7])
            pinned[page] = settings
            text = json.dumps(pinned, sort_keys=True)
            if len(text) > 20 * MAX_STORED_CHARS * 8:
                raise ClassError(M_("Too many pinned settings."))
            db.execute("UPDATE classes SET pinned = ? WHERE code = ?", (text, code))

    def bring_here(self, code: str, key: str, page: str) -> None:
        code, page = class_code(code), checked(page, "page")
        with self._write() as db:
            self._teacher(db, code, key)
            db.execute("UPDATE classes SET page = ?, step = step + 1, following = 1 WHERE code = ?", (page, code))

    def let_explore(self, code: str, key: str) -> None:
        code = class_code(code)
        with self._write() as db:
            self._teacher(db, code, key)
            db.execute("UPDATE classes SET following = 0 WHERE code = ?", (code,))

    def _round(self, db: sqlite3.Connection, code: str, prompt: str) -> int:
        found = db.execute("SELECT MAX(round) FROM rounds WHERE code = ? AND prompt = ?", (code, prompt)).fetchone()
        return int(found[0]) if found and found[0] is not None else 1

    def _mark(self, code: str, key: str, prompt: str, column: str) -> None:
        """The prompt's current round shown (``column`` "shown") or revealed ("revealed")."""
        code, prompt = class_code(code), checked_prompt(prompt)
        assert column in ("shown", "revealed")
        with self._write() as db:
            self._teacher(db, code, key)
            db.execute(
                f"INSERT INTO rounds (code, prompt, round, {column}) VALUES (?, ?, ?, 1) "
                f"ON CONFLICT (code, prompt, round) DO UPDATE SET {column} = 1",
                (code, prompt, self._round(db, code, prompt)),
            )

    def show(self, code: str, key: str, prompt: str) -> None:
        self._mark(code, key, prompt, "shown")

    def reveal(self, code: str, key: str, prompt: str) -> None:
        self._mark(code, key, prompt, "revealed")

    def ask_again(self, code: str, key: str, prompt: str) -> int:
        code, prompt = class_code(code), checked_prompt(prompt)
        with self._write() as db:
            self._teacher(db, code, key)
            new = self._round(db, code, prompt) + 1
            db.execute("INSERT OR IGNORE INTO rounds (code, prompt, round) VALUES (?, ?, 1)", (code, prompt))
            db.execute("INSERT INTO rounds (code, prompt, round) VALUES (?, ?, ?)", (code, prompt, new))
        return new

    def nicknames(self, code: str, key: str) -> list[str]:
        code = class_code(code)
        with self._snapshot() as db:
            self._teacher(db, code, key)
            rows = db.execute("SELECT nickname FROM students WHERE code = ? ORDER BY joined, rowid", (code,)).fetchall()
        return [name for (name,) in rows]

    def changes(self, code: str, key: str, prompt: str, first: int, second: int) -> dict[tuple[str, str], int]:
        code, prompt = class_code(code), checked_prompt(prompt)
        with self._snapshot() as db:
            self._teacher(db, code, key)
            rows = db.execute(
                "SELECT a.value, b.value, COUNT(*) FROM answers a JOIN answers b "
                "ON a.code = b.code AND a.prompt = b.prompt AND a.token = b.token "
                "WHERE a.code = ? AND a.prompt = ? AND a.round = ? AND b.round = ? GROUP BY a.value, b.value",
                (code, prompt, first, second),
            ).fetchall()
        return {(a, b): n for a, b, n in rows}

    def prompts(self, code: str, key: str) -> list[str]:
        code = class_code(code)
        with self._snapshot() as db:
            self._teacher(db, code, key)
            rows = db.execute(
                "SELECT prompt FROM (SELECT prompt, MIN(at) AS first FROM answers WHERE code = ? GROUP BY prompt "
                "UNION ALL SELECT prompt, 1e300 FROM rounds WHERE code = ?) GROUP BY prompt ORDER BY MIN(first), prompt",
                (code, code),
            ).fetchall()
        return [prompt for (prompt,) in rows]

    def record(self, code: str, key: str) -> list[Record]:
        code = class_code(code)
        with self._snapshot() as db:
            self._teacher(db, code, key)
            rows = db.execute(
                "SELECT a.prompt, a.round, s.nickname, a.value, a.at FROM answers a LEFT JOIN students s "
                "ON s.code = a.code AND s.token = a.token WHERE a.code = ?",
                (code,),
            ).fetchall()
            order = db.execute("SELECT prompt, MIN(at) FROM answers WHERE code = ? GROUP BY prompt", (code,)).fetchall()
        first = dict(order)
        made = [Record(p, int(r), name, value, float(at)) for p, r, name, value, at in rows]
        return sorted(made, key=lambda one: (first[one.prompt], one.prompt, one.round, one.at))

    def end(self, code: str, key: str) -> None:
        code = class_code(code)
        with self._write() as db:
            self._teacher(db, code, key)
            db.execute("DELETE FROM classes WHERE code = ?", (code,))

    # --- a student -------------------------------------------------------------------------
    def join(self, code: str, nickname: str | None = None, who: Visitor | None = None) -> Joined:
        code, token = class_code(code), codes.new_secret()
        if who is not None:
            self.ration_join(code, who)
        with self._write() as db:
            self._live(db, code)
            taken = {name for (name,) in db.execute("SELECT nickname FROM students WHERE code = ?", (code,))}
            if len(taken) >= MAX_STUDENTS_PER_CLASS:
                raise ClassError(
                    M_(
                        "Class {code} is full ({max_students_per_class} students).",
                        code=str(codes.shown(code)),
                        max_students_per_class=str(MAX_STUDENTS_PER_CLASS),
                    )
                )
            name = checked_nickname(nickname) if nickname else codes.nickname(taken)
            if name in taken:
                raise ClassError(
                    M_(
                        "Someone in the class is already called {nickname}; choose another nickname.",
                        nickname=str(name),
                    )
                )
            db.execute(
                "INSERT INTO students (code, token, nickname, joined) VALUES (?, ?, ?, ?)",
                (code, digest(token), name, self.clock()),
            )
            # A student came: the class lives its full hours from its opening (no longer an idle one's minutes).
            db.execute(
                "UPDATE classes SET expires = MAX(expires, created + ?) WHERE code = ?", (CLASS_HOURS * 3600, code)
            )
        return Joined(code, token, name)

    def rejoin(self, code: str, token: str) -> Joined:
        code = class_code(code)
        with self._snapshot() as db:
            self._live(db, code)
            found = db.execute(
                "SELECT nickname FROM students WHERE code = ? AND token = ?", (code, digest(token))
            ).fetchone()
        if found is None:
            raise ClassError(M_("This page is not a student of the class any more; join again."))
        return Joined(code, token, found[0])

    def answer(self, code: str, token: str, prompt: str, value: str, truth: str | None = None) -> int:
        code, prompt, value = class_code(code), checked_prompt(prompt), checked(value, "answer")
        truth = None if truth is None else checked(truth, "answer")
        student, now = digest(token), self.clock()
        with self._write() as db:
            self._live(db, code)
            found = db.execute(
                "SELECT window_start, window_count FROM students WHERE code = ? AND token = ?", (code, student)
            ).fetchone()
            if found is None:
                raise ClassError(M_("This page is not a student of the class any more; join again."))
            start, count = found if now - found[0] < 60 else (now, 0)
            if count >= MAX_ANSWERS_PER_MINUTE:
                raise ClassError(
                    M_(
                        "More than {max_answers_per_minute} answers in a minute; wait a moment.",
                        max_answers_per_minute=str(MAX_ANSWERS_PER_MINUTE),
                    )
                )
            db.execute(
                "UPDATE students SET window_start = ?, window_count = ? WHERE code = ? AND token = ?",
                (start, count + 1, code, student),
            )
            round = self._round(db, code, prompt)
            if db.execute(
                "SELECT 1 FROM rounds WHERE code = ? AND prompt = ? AND round = ? AND (revealed OR shown)",
                (code, prompt, round),
            ).fetchone():
                raise round_closed()
            db.execute(
                "INSERT INTO answers (code, prompt, round, token, value, at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (code, prompt, round, token) DO UPDATE SET value = excluded.value, at = excluded.at",
                (code, prompt, round, student, value, now),
            )
            if truth is not None:
                db.execute("INSERT OR IGNORE INTO truths (code, prompt, truth) VALUES (?, ?, ?)", (code, prompt, truth))
        return round

    def own_answer(self, code: str, token: str, prompt: str, round: int) -> str | None:
        found = self._read(
            "SELECT value FROM answers WHERE code = ? AND prompt = ? AND round = ? AND token = ?",
            (class_code(code), prompt, int(round), digest(token)),
        )
        return found[0][0] if found else None

    # --- everyone --------------------------------------------------------------------------
    def lesson(self, code: str) -> Lesson:
        code = class_code(code)
        self.sweep()  # a poll: at most every few minutes on the whole server
        with self._snapshot() as db:  # the class, its rounds and its head count agree
            found = self._live(db, code)
            rounds = db.execute("SELECT prompt, round, revealed, shown FROM rounds WHERE code = ?", (code,)).fetchall()
            (students,) = db.execute("SELECT COUNT(*) FROM students WHERE code = ?", (code,)).fetchone()
        current: dict[str, int] = {}
        for prompt, number, _, _ in rounds:
            current[prompt] = max(current.get(prompt, 1), number)
        return Lesson(
            code=code,
            page=found[4],
            step=found[5],
            following=bool(found[6]),
            pinned=json.loads(found[7]),
            rounds=current,
            revealed=frozenset((p, n) for p, n, revealed, _ in rounds if revealed),
            expires_at=found[3],
            students=students,
            shown=frozenset((p, n) for p, n, _, shown in rounds if shown),
        )

    def tally(self, code: str, prompt: str, round: int | None = None, key: str | None = None) -> Tally:
        code, prompt = class_code(code), checked_prompt(prompt)
        with self._snapshot() as db:
            found = self._live(db, code)
            number = self._round(db, code, prompt) if round is None else int(round)
            is_teacher = codes.same_secret(digest(key) if key else None, found[1])
            marks = db.execute(
                "SELECT revealed, shown FROM rounds WHERE code = ? AND prompt = ? AND round = ?", (code, prompt, number)
            ).fetchone()
            revealed = bool(marks and marks[0])
            if not is_teacher and not (revealed or (marks and marks[1])):
                raise not_shown()
            rows = db.execute(
                "SELECT value, COUNT(*) FROM answers WHERE code = ? AND prompt = ? AND round = ? GROUP BY value",
                (code, prompt, number),
            ).fetchall()
            (joined,) = db.execute("SELECT COUNT(*) FROM students WHERE code = ?", (code,)).fetchone()
            truth = db.execute("SELECT truth FROM truths WHERE code = ? AND prompt = ?", (code, prompt)).fetchone()
        return Tally(prompt, number, dict(rows), joined, truth[0] if truth and (is_teacher or revealed) else None)

    def expire(self) -> int:
        with self._write() as db:
            db.execute("DELETE FROM limits WHERE ends <= ?", (self.clock(),))
            return db.execute("DELETE FROM classes WHERE expires <= ?", (self.clock(),)).rowcount

    # --- leaving and rationing -------------------------------------------------------------
    def _withdraw(self, db: sqlite3.Connection, code: str, student: str) -> bool:
        """The student out of the class, with their answers to rounds not yet shown or revealed."""
        db.execute(
            "DELETE FROM answers WHERE code = ? AND token = ? AND NOT EXISTS (SELECT 1 FROM rounds r WHERE "
            "r.code = answers.code AND r.prompt = answers.prompt AND r.round = answers.round "
            "AND (r.revealed = 1 OR r.shown = 1))",
            (code, student),
        )
        return db.execute("DELETE FROM students WHERE code = ? AND token = ?", (code, student)).rowcount > 0

    def leave(self, code: str, token: str) -> None:
        code = class_code(code)
        with self._write() as db:
            if db.execute("SELECT 1 FROM classes WHERE code = ? AND expires > ?", (code, self.clock())).fetchone():
                self._withdraw(db, code, digest(token))

    def remove(self, code: str, key: str, nickname: str) -> bool:
        code, nickname = class_code(code), checked_nickname(nickname)
        with self._write() as db:
            self._teacher(db, code, key)
            found = db.execute(
                "SELECT token FROM students WHERE code = ? AND nickname = ?", (code, nickname)
            ).fetchone()
            return found is not None and self._withdraw(db, code, found[0])

    def _hits(self, bucket: str, window: float, add: int = 1) -> int:
        now = self.clock()
        index = int(now // window)
        name, ends = f"{bucket}:{index}", (index + 1) * window
        if not add:
            found = self._read("SELECT count FROM limits WHERE bucket = ? AND ends > ?", (name, now))
            return int(found[0][0]) if found else 0
        with self._write() as db:
            db.execute(
                "INSERT INTO limits (bucket, ends, count) VALUES (?, ?, ?) "
                "ON CONFLICT (bucket) DO UPDATE SET count = count + excluded.count",
                (name, ends, add),
            )
            return int(db.execute("SELECT count FROM limits WHERE bucket = ?", (name,)).fetchone()[0])
