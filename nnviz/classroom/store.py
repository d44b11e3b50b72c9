"""What a class store keeps and answers, whatever it keeps it in.

Every backend (``sqlite.SQLiteStore`` today; one across machines next) keeps this interface,
and one parametrised test suite holds each of them to it.  A class is:

- the class itself: its code, the teacher's key (stored as a hash), when it ends, and the
  teacher's state (``Lesson``): the page the class is on, whether the students follow it,
  each page's pinned settings, each prompt's round and which rounds are shown (the class's
  spread, no answer) or revealed (the true answer and each student's verdict);
- its students: a nickname and a token (hashed) that only their own session holds;
- their answers: the option or number, the prompt, the round and the time; nothing else;
- each prompt's true answer, as the pinned run gives it (the first student's page to answer
  works it out and sends it along), for the teacher's console.

Every teacher's action takes the teacher's key; a wrong key gets a ``ClassError``, like a
wrong or expired code.  A store that cannot be reached or written raises
``StoreUnavailable``: the page says the class is not reachable and goes on alone.
"""

from __future__ import annotations

import hashlib
import ipaddress
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from nnviz.classroom import codes
from nnviz.i18n import M_, N_
from nnviz.settings import (
    MAX_LESSON_CHARS,
    MAX_NICKNAME_CHARS,
    MAX_PROMPT_CHARS,
    MAX_STORED_CHARS,
    ClassCaps,
    teacher_password,
)


class ClassError(ValueError):
    """One line for the page: a wrong or expired code, a wrong key, a full class, too many answers."""


class StoreUnavailable(RuntimeError):
    """The store cannot be read or written (a missing directory, a full disk, a lock held too long)."""

    def __init__(self, why: object = ""):
        super().__init__(M_("The class is not reachable ({why}); you can go on alone.", why=str(why)))


@dataclass(frozen=True)
class Opened:
    """A new class: its code, and the teacher's key (only the teacher's link carries it)."""

    code: str
    teacher_key: str


@dataclass(frozen=True)
class Joined:
    """A student in a class: the token only their session holds, and their nickname."""

    code: str
    token: str
    nickname: str


@dataclass(frozen=True)
class Lesson:
    """The teacher's state, as every student's page reads it.

    ``step`` counts the teacher's "Bring everyone here": a student's page follows when it
    sees a step it has not followed yet.  ``rounds`` is each prompt's current round (1 until
    the teacher asks again); ``revealed`` holds the ``(prompt, round)`` pairs revealed, ``shown``
    those whose spread the teacher showed (Peer Instruction's "Show the answers": the class's
    counts without the true answer).  A shown or revealed round is closed to answers."""

    code: str
    page: str | None
    step: int
    following: bool
    pinned: dict[str, dict[str, str]]
    rounds: dict[str, int]
    revealed: frozenset[tuple[str, int]]
    expires_at: float
    students: int
    shown: frozenset[tuple[str, int]] = frozenset()

    def round_of(self, prompt: str) -> int:
        return self.rounds.get(prompt, 1)

    def is_revealed(self, prompt: str, round: int | None = None) -> bool:
        return (prompt, self.round_of(prompt) if round is None else round) in self.revealed

    def is_shown(self, prompt: str, round: int | None = None) -> bool:
        """Whether the class sees this round's spread: shown, or revealed (a reveal shows it too)."""
        where = (prompt, self.round_of(prompt) if round is None else round)
        return where in self.shown or where in self.revealed


@dataclass(frozen=True)
class Tally:
    """One round of one prompt: how many chose each answer, of how many joined."""

    prompt: str
    round: int
    counts: dict[str, int] = field(default_factory=dict)
    joined: int = 0
    truth: str | None = None  # the prompt's true answer on the pinned run, once a student's page sent it

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def right(self) -> int | None:
        """How many answered the true answer (None until a student's page sent it)."""
        truth = self.truth
        return None if truth is None else sum(n for answer, n in self.counts.items() if is_right(answer, truth))


def is_right(answer: str, truth: str) -> bool:
    """Whether a class's answer is right: the same option, or, for a number guessed on a slider
    (an elbow), within a factor of 2 of the true one, as the student's own page judges it."""
    try:
        guess, true = float(answer), float(truth)
    except ValueError:
        return answer == truth
    return true / 2 <= guess <= 2 * max(true, 1)


@dataclass(frozen=True)
class Record:
    """One answer as the class keeps it, for the teacher's download: the prompt, its round, who
    (their nickname; None once they left the class), what and when."""

    prompt: str
    round: int
    nickname: str | None
    answer: str
    at: float


def digest(secret: str) -> str:
    """What is stored of a key or a token: its SHA-256, so a copied store gives nobody a class."""
    return hashlib.sha256(secret.encode()).hexdigest()


# What ``checked`` names, for the catalogue (its messages say them in the reader's language).
CHECKED_WORDS = (
    N_("answer"),
    N_("following"),
    N_("nickname"),
    N_("page"),
    N_("prompt"),
    N_("setting"),
    N_("setting's value"),
)


def checked(text: object, what: str, limit: int = MAX_STORED_CHARS) -> str:
    """A value to store: text, one line, within its length."""
    value = " ".join(str(text).split())
    if not value:
        raise ClassError(M_("The {what} is empty.", what=M_(what)))
    if len(value) > limit:
        raise ClassError(M_("The {what} is longer than {limit} characters.", what=M_(what), limit=str(limit)))
    return value


# The pinned entry that holds the lesson a teacher gave the class (``nnviz.lesson``'s link text,
# under "text"), beside each page's settings; every student's page follows it.
LESSON_ENTRY = "lesson"


def checked_pin(page: str, settings: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A page's pinned settings to store, each checked (a lesson's text may be longer than a setting)."""
    page = checked(page, "page")
    limit = MAX_LESSON_CHARS if page == LESSON_ENTRY else MAX_STORED_CHARS
    return page, {checked(k, "setting"): checked(v, "setting's value", limit) for k, v in settings.items()}


def class_code(text: str) -> str:
    """The class code in ``text`` however it was typed, or the one line saying it is none."""
    code = codes.normalise(text)
    if code is None:
        raise ClassError(
            M_("“{text}” is not a class code (six letters and digits, such as K7Q-2XM).", text=str(text)[:12])
        )
    return code


class RoundClosed(ClassError):
    """An answer to a round the teacher has revealed: it would change a tally the class has seen."""


def round_closed() -> RoundClosed:
    return RoundClosed(M_("This round is closed; the teacher can ask again."))


def not_shown() -> ClassError:
    return ClassError(M_("The teacher has not revealed this question's answers yet."))


def no_class(code: str) -> ClassError:
    return ClassError(
        M_("There is no class {code} (the code is wrong, or the class has ended).", code=codes.shown(code))
    )


def checked_nickname(text: object) -> str:
    return checked(text, "nickname", MAX_NICKNAME_CHARS)


def checked_prompt(text: object) -> str:
    return checked(text, "prompt", MAX_PROMPT_CHARS)


class ClassStore(ABC):
    """The interface: a class opened, joined, answered, paced, revealed and ended."""

    # --- the teacher ---------------------------------------------------------------------
    @abstractmethod
    def open_class(self, who: Visitor | None = None) -> Opened:
        """A new class with a fresh code and key (``ClassError`` when the server has too many, or
        ``who`` has opened their share this hour).  It ends after ``caps.idle_minutes`` unless a
        student joins it; then after ``CLASS_HOURS`` from its opening."""

    @abstractmethod
    def is_teacher(self, code: str, key: str | None) -> bool:
        """Whether ``key`` is this class's teacher key (compared in constant time)."""

    @abstractmethod
    def pin(self, code: str, key: str, page: str, settings: dict[str, str]) -> None:
        """Every student's run on ``page`` uses these settings (as a link writes them)."""

    @abstractmethod
    def bring_here(self, code: str, key: str, page: str) -> None:
        """Every following student goes to ``page`` (a new step)."""

    @abstractmethod
    def let_explore(self, code: str, key: str) -> None:
        """The students are free again; where they are, they stay."""

    @abstractmethod
    def show(self, code: str, key: str, prompt: str) -> None:
        """The prompt's current round's spread goes to everyone, without the true answer; the round is closed."""

    @abstractmethod
    def reveal(self, code: str, key: str, prompt: str) -> None:
        """The prompt's current round is revealed to everyone, with its true answer; the round is closed."""

    @abstractmethod
    def ask_again(self, code: str, key: str, prompt: str) -> int:
        """A new round of the same prompt (Peer Instruction's Vote again, revealed or not); returns its number."""

    @abstractmethod
    def record(self, code: str, key: str) -> list[Record]:
        """Every answer the class holds, by prompt (in the order first seen), round and time: the teacher's download."""

    @abstractmethod
    def nicknames(self, code: str, key: str) -> list[str]:
        """The joined students' nicknames, for the teacher's console only."""

    @abstractmethod
    def changes(self, code: str, key: str, prompt: str, first: int, second: int) -> dict[tuple[str, str], int]:
        """How many students answered ``a`` in round ``first`` and ``b`` in round ``second``."""

    @abstractmethod
    def prompts(self, code: str, key: str) -> list[str]:
        """Every prompt the class has answered or the teacher has revealed, in the order first seen."""

    @abstractmethod
    def end(self, code: str, key: str) -> None:
        """The class is over: it and everything in it are deleted."""

    # --- a student -----------------------------------------------------------------------
    @abstractmethod
    def join(self, code: str, nickname: str | None = None, who: Visitor | None = None) -> Joined:
        """A new student (an offered nickname when none is given); ``who``'s joins and wrong codes are rationed."""

    @abstractmethod
    def rejoin(self, code: str, token: str) -> Joined:
        """The student whose page holds ``token`` again (a reloaded tab, or a worker that died):
        their nickname, and so their answers; ``ClassError`` when the token is not the class's."""

    @abstractmethod
    def answer(self, code: str, token: str, prompt: str, value: str, truth: str | None = None) -> int:
        """The student's answer to the prompt's current round (a later one replaces it); its round.
        ``truth``: the prompt's true answer on the pinned run, kept once (the first one sent).
        A round the teacher has shown or revealed is closed: ``ClassError`` (``round_closed``), nothing stored."""

    @abstractmethod
    def own_answer(self, code: str, token: str, prompt: str, round: int) -> str | None:
        """What this student answered in that round, if anything."""

    # --- everyone ------------------------------------------------------------------------
    @abstractmethod
    def lesson(self, code: str) -> Lesson:
        """The class's state (``ClassError`` when the code is wrong, ended or expired)."""

    @abstractmethod
    def tally(self, code: str, prompt: str, round: int | None = None, key: str | None = None) -> Tally:
        """One round's counts (the current round unless one is given): for the teacher's key, or
        for anyone once that round is shown or revealed (``ClassError`` before); its ``truth``
        only for the teacher's key or once revealed (a shown round's spread comes without it)."""

    @abstractmethod
    def expire(self) -> int:
        """Delete every class past its end (and every rationing count past its window); how many went."""

    # --- leaving ---------------------------------------------------------------------------
    @abstractmethod
    def leave(self, code: str, token: str) -> None:
        """The student is no longer in the class: not counted, their nickname free, and their
        answers withdrawn from every round not yet shown or revealed (a round the class has seen
        stays as it saw it).  A token the class does not know (or an ended class) changes nothing."""

    @abstractmethod
    def remove(self, code: str, key: str, nickname: str) -> bool:
        """The teacher takes a nickname out of the class, as if that student had left; whether one was there."""

    # --- rationing: every count lives in the store, so every worker (and every host on one
    # Redis) sees the same; each is one short key per window, gone when its window ends ---
    caps: ClassCaps
    clock: Callable[[], float]

    @abstractmethod
    def _hits(self, bucket: str, window: float, add: int = 1) -> int:
        """Add ``add`` to ``bucket``'s count in the current clock-aligned window of ``window``
        seconds, and return the count (``add=0``: only read it)."""

    def _too_many_guesses(self, guesser: str | None) -> bool:
        caps = self.caps
        return guesser is not None and self._hits(guesser, 60, add=0) >= caps.wrong_codes_per_address_per_minute

    def _guessed_wrong(self, guesser: str | None) -> None:
        if guesser is not None:
            self._hits(guesser, 60)

    def ration_open(self, who: Visitor) -> None:
        """``who`` may open one more class this hour, or ``ClassError``.  Their browser is counted
        first: a visitor past their own share does not use up their school's."""
        caps = self.caps
        if who.browser and self._hits(bucket("open-browser", who.browser), 3600) > caps.classes_per_browser_per_hour:
            raise ClassError(
                M_(
                    "You have opened {n} classes this hour, this server's limit for one visitor; try again later.",
                    n=str(caps.classes_per_browser_per_hour),
                )
            )
        net = network(who.address)
        if net and self._hits(bucket("open-address", net), 3600) > caps.classes_per_address_per_hour:
            raise ClassError(
                M_(
                    "{n} classes have been opened from your network this hour, this server's limit; try again later.",
                    n=str(caps.classes_per_address_per_hour),
                )
            )

    def ration_join(self, code: str, who: Visitor) -> None:
        """``who`` may join class ``code`` now, or ``ClassError``: wrong codes from one network are
        throttled (guessing a code takes months), and joins per network and per class are counted."""
        caps, net, guesser = self.caps, network(who.address), guesser_of(who)
        if self._too_many_guesses(guesser):
            raise too_many_guesses()
        try:
            self.lesson(code)
        except ClassError:
            self._guessed_wrong(guesser)
            raise
        if net and self._hits(bucket("join-address", net), 60) > caps.joins_per_address_per_minute:
            raise ClassError(
                M_(
                    "More than {n} students joined from your network this minute; wait a minute and try again.",
                    n=str(caps.joins_per_address_per_minute),
                )
            )
        if self._hits(bucket("join-class", code), 60) > caps.joins_per_class_per_minute:
            raise ClassError(
                M_(
                    "More than {n} students joined class {code} this minute; wait a minute and try again.",
                    n=str(caps.joins_per_class_per_minute),
                    code=codes.shown(code),
                )
            )

    def check_teacher_password(self, given: str | None, who: Visitor | None = None) -> None:
        """When the server has a teacher password (``NNVIZ_TEACHER_PASSWORD``), ``given`` must be
        it (compared in constant time; wrong ones throttled like wrong codes), or ``ClassError``."""
        expected = teacher_password()
        if expected is None:
            return
        guesser = guesser_of(who) if who is not None else None
        if self._too_many_guesses(guesser):
            raise too_many_guesses()
        if not codes.same_secret(given or "", expected):
            self._guessed_wrong(guesser)
            raise ClassError(M_("That is not this server's teacher password."))

    def sweep(self) -> int:
        """Delete ended classes, at most once every ``caps.sweep_seconds`` on the whole server:
        each worker asks at most that often, and the first to claim the window does it."""
        now = self.clock()
        if now < getattr(self, "_next_sweep", float("-inf")):
            return 0
        self._next_sweep = now + self.caps.sweep_seconds
        if self._hits("sweep", self.caps.sweep_seconds) != 1:
            return 0
        return self.expire()


@dataclass(frozen=True)
class Visitor:
    """Who opens or joins a class, as far as a server can tell: the client's address (None when
    it cannot tell: a visitor on its own machine, or behind a proxy it does not trust), and
    their browser (the visitor cookie's value, else their session's own id)."""

    address: str | None = None
    browser: str | None = None


def network(address: str | None) -> str | None:
    """The address as the caps count it: an IPv4 address itself, an IPv6 address's /64 (one home
    or one school holds a whole /64: counting each address would make one visitor 2⁶⁴)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(str(address).strip())
    except ValueError:
        return str(address)[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def bucket(kind: str, who: str) -> str:
    """A count's name: its kind and a short hash (an address or cookie is never stored as given, and every name is short)."""
    return f"{kind}:{digest(who)[:24]}"


def guesser_of(who: Visitor) -> str | None:
    """Whose wrong codes and passwords are counted together: their network, else their browser."""
    net = network(who.address)
    if net:
        return bucket("wrong-address", net)
    return bucket("wrong-browser", who.browser) if who.browser else None


def too_many_guesses() -> ClassError:
    return ClassError(M_("Too many wrong class codes or passwords from your network; wait a minute and try again."))
