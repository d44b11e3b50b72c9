"""A live class in the app: a student joins by the teacher's link, sees a small banner, follows
the teacher's page, and sends their *Predict:* answers on the teacher's pinned run.

The class itself lives in the store (``nnviz/classroom``), shared by every session and every
worker; what lives here is one session's membership (the class code and the student's token,
or the teacher's key) and the polling that brings the teacher's news: a fragment that runs
every ``CLASS_POLL_SECONDS`` and reruns the page only when something changed for it.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import streamlit as st

from nnviz import settings
from nnviz.classroom import codes
from nnviz.classroom.open import open_store
from nnviz.classroom.store import LESSON_ENTRY, ClassError, ClassStore, Joined, Lesson, RoundClosed, StoreUnavailable
from nnviz.i18n import ENGLISH, Language, Msg
from ui import lesson as class_lesson
from ui.language import Question, _, language
from ui.language import problem as say_problem
from ui.text import plain
from ui.visitor import visitor

MEMBER = "class membership"
INVITED = "class invited"  # the code of a ?class= link, kept: the page's own link drops it at once
OFFERED = "class offered nickname"
FOLLOWED = "class followed step"
WAITING = (
    "class prompts waiting"  # {(prompt, round): how far it was}: this session waits to see it shown, then revealed
)
ENDED = "class ended"  # the code of the class that ended under this student: said until they dismiss it
SENT = "class answers sent"
PENDING = "class answers pending"  # {(prompt, round): (answer, truth)} clicked while the store was unreachable
LAST_LESSON = "class last lesson"  # the class's state as last read: a store down for a moment keeps the page in it
ROUNDS_SEEN = "class rounds seen"  # each prompt's round this page last drew
RESTORED = "class answers restored"  # (prompt, round) whose earlier answer this session has looked up
FORGET = "class cookie to forget"
REJOIN_TRIED = "class rejoin tried"
# A student's place survives a reloaded tab, or a worker that died (the proxy then sends them to
# another): their code and token live in a cookie of this site, which the next session reads.
COOKIE = "nnviz_class"

_SET_COOKIE = """
export default function(component) {
    if (component.data) document.cookie = component.data;
}
"""
_cookie_writer = st.components.v2.component("nnviz.class_cookie", js=_SET_COOKIE)

# The teacher's key travels after the link's '#' (never sent to a server, never in a query string that
# Streamlit would push onto the history); read once, it leaves the address bar without a new history
# entry, and a cookie of this site keeps the teacher in the class on a reload.
TEACHER_COOKIE = "nnviz_teacher"
_READ_TEACHER_LINK = """
export default function(component) {
    const found = /^#class=([A-Za-z0-9-]+)&teacher=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
    if (!found) return;
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    component.setTriggerValue("link", found[1] + "." + found[2]);
}
"""
_teacher_link_reader = st.components.v2.component("nnviz.teacher_link", js=_READ_TEACHER_LINK)


PAGES = settings.PAGES  # the pages a class can be on
BY_KEY = {p.key: p for p in PAGES.values()}


@dataclass(frozen=True)
class Member:
    """This session's place in a class: a student's token and nickname, or the teacher's key."""

    code: str
    token: str | None = None
    nickname: str | None = None
    key: str | None = None


@st.cache_resource(show_spinner=False)
def _open_store() -> ClassStore:
    return open_store()  # NNVIZ_CLASS_STORE; a failure is not cached: the next page tries again


def store() -> ClassStore:
    return _open_store()


def member() -> Member | None:
    return st.session_state.get(MEMBER)


def student() -> Member | None:
    found = member()
    return found if found is not None and found.token else None


def unreachable(problem: Exception) -> None:
    st.warning(plain(say_problem(problem)), icon="📡")


def lesson() -> Lesson | None:
    """The class's state for this session's student, or None (not in a class, or it is gone)."""
    you = student()
    if you is None:
        return None
    try:
        now = store().lesson(you.code)
    except ClassError:
        st.session_state.pop(MEMBER, None)
        st.session_state[FORGET] = True
        st.session_state[ENDED] = you.code
        class_lesson.follow_class(None)
        st.rerun(scope="app")  # the class's controls go, and every page says it has ended
    except StoreUnavailable as problem:
        unreachable(problem)
    else:
        st.session_state[LAST_LESSON] = now
        return now
    return None


def _known_lesson(you: Member) -> Lesson:
    """The class's state for a prompt: as the store says it, or, while the store cannot be
    reached, as last read.  A student stays in the class through a short outage: their answers
    wait to be sent and nothing is judged alone (the poll says the class is unreachable)."""
    try:
        now = store().lesson(you.code)
    except StoreUnavailable:
        kept = st.session_state.get(LAST_LESSON)
        if kept is not None and kept.code == you.code:
            return kept
        return Lesson(you.code, None, 0, False, {}, {}, frozenset(), math.inf, 0, frozenset())
    st.session_state[LAST_LESSON] = now
    return now


# --- joining ------------------------------------------------------------------------------------
def entry(pages: dict[str, Any]) -> None:
    """Every page's first lines: the join box for a ``?class=`` link, then a student's banner
    and the poll that follows the teacher.  ``pages`` maps each url path to its ``st.Page``."""
    link_code = st.query_params.get("class")
    if link_code and not st.query_params.get("teacher"):
        st.session_state[INVITED] = link_code
    if member() is None and not st.query_params.get("teacher"):
        _rejoin()
    _keep_in_browser()
    _say_ended()
    invited, you = st.session_state.get(INVITED), member()
    if invited and (you is None or you.code != codes.normalise(invited)) and not st.query_params.get("teacher"):
        _join_box(invited)
    you = student()
    if you is not None:
        _banner(you)
        _follow(pages)


def _say_ended() -> None:
    """A class that ended under this student is said on every page until they dismiss it."""
    ended = st.session_state.get(ENDED)
    if not ended or member() is not None:
        return
    with st.container(border=True):
        st.info(_("The class has ended. Thank you for taking part; you go on alone."), icon="👋")
        st.button(_("Dismiss"), key="class.ended.dismiss", on_click=lambda: st.session_state.pop(ENDED, None))


def _join_box(invited: str) -> None:
    code = codes.normalise(invited)
    if code is None:
        st.warning(_("“{code}” is not a class code; you go on alone.", code=plain(invited[:12])), icon="🔎")
        st.session_state.pop(INVITED, None)
        return
    offered = st.session_state.setdefault(OFFERED, codes.nickname(set(), lang=language().code))
    with st.form("join class", border=True):
        st.markdown(
            _("**You are invited to class {code}.** Pick a nickname (never your real name):", code=codes.shown(code))
        )
        name = st.text_input(_("Your nickname in the class"), value=offered, max_chars=settings.MAX_NICKNAME_CHARS)
        join, later = st.columns(2)
        joined = join.form_submit_button(_("Join the class"))
        declined = later.form_submit_button(_("Not now: go on alone"))
    if declined:
        st.session_state.pop(INVITED, None)
        st.rerun()
    if joined:
        try:  # one browser, one student: the class's cookie makes it that student again
            made = _same_browser(code) or store().join(code, name, who=visitor())
        except ClassError as problem:
            st.error(plain(say_problem(problem)), icon="🚫")
            return
        except StoreUnavailable as problem:
            unreachable(problem)
            return
        _enter(made)
        st.session_state.pop(INVITED, None)
        st.rerun()


def _enter(student: Joined) -> None:
    """This session is that student of the class now; a following student goes to the teacher's page at once."""
    st.session_state[MEMBER] = Member(student.code, token=student.token, nickname=student.nickname)
    st.session_state[FOLLOWED] = 0
    st.session_state.pop(ENDED, None)


def _same_browser(code: str) -> Joined | None:
    """The student this browser already is in class ``code`` (its cookie), if the class still has them."""
    held = browser_cookie()
    if not isinstance(held, str):
        return None
    held_code, _dot, token = held.partition(".")
    if held_code != code or not token:
        return None
    try:
        return store().rejoin(code, token)
    except ClassError:
        return None


def leave() -> None:
    you = student()
    if you is not None:  # out of the class's count, with the answers the teacher has not revealed
        with contextlib.suppress(ClassError, StoreUnavailable):  # ended or unreachable: the page leaves all the same
            store().leave(you.code, you.token or "")
    for name in (MEMBER, INVITED, FOLLOWED, WAITING, SENT, PENDING, LAST_LESSON, ROUNDS_SEEN, RESTORED):
        st.session_state.pop(name, None)
    st.session_state[FORGET] = True
    class_lesson.follow_class(None)  # the teacher's lesson goes with the class (a link's own lesson stays)


def browser_cookie() -> str | None:
    """This visitor's class cookie, as their browser sent it with this session's connection."""
    return st.context.cookies.get(COOKIE)


def _rejoin() -> None:
    """A new session (a reloaded tab, another worker) whose browser says it is in a class: the
    same student again, with their nickname and answers; once per session."""
    if st.session_state.get(REJOIN_TRIED):
        return
    st.session_state[REJOIN_TRIED] = True
    held = browser_cookie()
    if not held or "." not in held or st.session_state.get(FORGET):
        return
    code, token = held.split(".", 1)
    try:
        again = store().rejoin(code, token)
    except ClassError:
        st.session_state[FORGET] = True  # an ended class, or a token it does not know
        return
    except StoreUnavailable:
        return  # the page goes on alone; the next session tries again
    _enter(again)


def _keep_in_browser() -> None:
    """Write (or clear) the class cookie in the browser: a student keeps it for the class's hours."""
    you = student()
    if you is not None:
        data = f"{COOKIE}={you.code}.{you.token}; path=/; max-age={int(settings.CLASS_HOURS * 3600)}; samesite=strict"
    elif st.session_state.get(FORGET):
        data = f"{COOKIE}=; path=/; max-age=0; samesite=strict"
    else:
        return
    _cookie_writer(key="class.cookie", data=data)


def _banner(you: Member) -> None:
    with st.sidebar:  # the class and the nickname are said at the top of the page (``_follow``)
        st.button(
            _("Leave the class"),
            key="class.leave",
            on_click=leave,
            help=_("Go on alone; your answers to questions not yet revealed are withdrawn"),
        )


def _send_pending(you: Member | None) -> bool:
    """Send the answers clicked while the store could not be reached; whether any went (or
    found its round closed): the page then says so, with one rerun."""
    pending = st.session_state.get(PENDING)
    if not pending or you is None or not you.token:
        return False
    moved = False
    for (prompt, round), (value, truth) in list(pending.items()):
        try:
            store().answer(you.code, you.token, prompt, value, truth)
        except StoreUnavailable:
            return moved
        except ClassError:
            pass  # closed in the meantime, or refused: the page says why when it sends again
        else:
            st.session_state.setdefault(SENT, {})[(prompt, round)] = value
        del pending[(prompt, round)]
        moved = True
    return moved


@st.fragment(run_every=settings.CLASS_POLL_SECONDS)
def _follow(pages: dict[str, Any]) -> None:
    """Every few seconds: go where the teacher brings the class, and rerun when a prompt this
    page waits on has been revealed.  Otherwise it draws one caption and costs one read."""
    now = lesson()
    if now is None:
        return
    you = student()
    if class_lesson.follow_class(now.pinned.get(LESSON_ENTRY, {}).get("text")):
        st.rerun(scope="app")  # the menu and the controls are the lesson's now (or every page's again)
    if now.following:
        st.caption(
            _(
                "Class {code} · you are {nickname} · following the teacher",
                code=codes.shown(now.code),
                nickname=plain(you.nickname if you else ""),
            )
        )
    else:
        st.caption(
            _(
                "Class {code} · you are {nickname} · on your own: the teacher lets the class explore",
                code=codes.shown(now.code),
                nickname=plain(you.nickname if you else ""),
            )
        )
    if now.following and now.step > st.session_state.get(FOLLOWED, 0):
        st.session_state[FOLLOWED] = now.step
        target = PAGES.get(now.page or "")
        if target is not None and target.url_path in pages:
            st.session_state.pop(f"{target.key}:loaded", None)  # the page reads its settings from the link again
            st.switch_page(pages[target.url_path], query_params=now.pinned.get(target.url_path, {}))
    waiting = st.session_state.get(WAITING, {})
    seen = st.session_state.setdefault(ROUNDS_SEEN, {})
    asked_again = {p for p, r in seen.items() if now.round_of(p) > r}  # the teacher's Vote again
    moved = {where for where, was in waiting.items() if stage(now, *where) != was}  # shown, or revealed
    if _send_pending(you) or asked_again or moved:
        st.session_state[WAITING] = {w: stage(now, *w) for w in waiting if stage(now, *w) != REVEALED}
        seen.update({p: now.round_of(p) for p in asked_again})
        st.rerun(scope="app")


WAIT, SHOWN, REVEALED = "wait", "shown", "revealed"  # a round's stage, as a student's page draws it


def stage(lesson: Lesson, prompt: str, round: int) -> str:
    if lesson.is_revealed(prompt, round):
        return REVEALED
    return SHOWN if lesson.is_shown(prompt, round) else WAIT


# --- a prompt shared with the class -------------------------------------------------------------
@dataclass(frozen=True)
class SharedPrompt:
    """A prompt this student answers with the class: the store's name for it and its round."""

    code: str
    token: str
    prompt: str
    round: int
    revealed: bool
    shown: bool = False  # the class's spread is shown (no true answer yet); true once revealed too


def _on_pinned_run(page: settings.Page, pinned: dict[str, str]) -> bool:
    """Whether this session's run on the page is the teacher's (a changed run stays private).
    Only the settings that define the run count: a student who turns on the log axis, picks
    another window or steps to another iteration is still on the class's run."""
    from ui import url_state

    pinned_values, _ = settings.parse_query(page.spec, pinned)
    theirs = settings.run_settings(page.spec, pinned_values)
    mine = {name: url_state.current(page.spec, page.key, name) for name in theirs}  # as read: 0,5 is 0.5
    return mine == theirs


def class_values(page_key: str) -> dict[str, Any] | None:
    """The class's pinned settings for the page (parsed), when this session is a student on the
    class's run there; None otherwise."""
    from ui.shared import is_private

    you, page = student(), BY_KEY.get(page_key)
    if you is None or page is None or is_private():
        return None
    pinned = _known_lesson(you).pinned.get(page.url_path, {})
    return settings.parse_query(page.spec, pinned)[0] if _on_pinned_run(page, pinned) else None


def shared_prompt(page_key: str, question: Question) -> SharedPrompt | None:
    """The class's copy of this prompt, when the student is in a class, on the teacher's pinned
    run, and not on their own upload; None otherwise (the prompt is private, as alone)."""
    from ui.shared import is_private

    you, page = student(), BY_KEY.get(page_key)
    if you is None or page is None or is_private():
        return None
    now = _known_lesson(you)
    pinned = now.pinned.get(page.url_path, {})
    if not _on_pinned_run(page, pinned):
        return None
    prompt = prompt_id(page, question, settings.run_digest(page.spec, pinned))
    number = now.round_of(prompt)
    st.session_state.setdefault(ROUNDS_SEEN, {})[prompt] = number
    revealed = now.is_revealed(prompt, number)
    if not revealed:  # answered or not, the page shows what Show and Reveal open as soon as they come
        st.session_state.setdefault(WAITING, {})[(prompt, number)] = stage(now, prompt, number)
    return SharedPrompt(you.code, you.token or "", prompt, number, revealed, now.is_shown(prompt, number))


PACKED = " ⁂"  # after it, a stored prompt keeps its question unrendered, for every reader's language
RUN_MARK = " ⌗"  # between a stored prompt's page and the pinned run it asks about


def prompt_id(page: settings.Page, question: Question, run: str) -> str:
    """A question as the class stores it: the page, the pinned run it asks about (``run``, the
    digest of that run's settings: a re-pin asks a new question, with its own true answer and
    rounds), the question in English (one question, whatever language each student reads it
    in), then the question itself, unrendered."""
    text = f"{page.title}{RUN_MARK}{run}: {question.render(ENGLISH) if isinstance(question, Msg) else question}"
    if not isinstance(question, Msg):
        return text[: settings.MAX_PROMPT_CHARS]
    packed = text + PACKED + question.as_json()
    return packed if len(packed) <= settings.MAX_PROMPT_CHARS else text[: settings.MAX_PROMPT_CHARS]


def prompt_run(prompt: str) -> tuple[str, str]:
    """A stored prompt's page title and run digest."""
    page_and_run = prompt.split(": ", 1)[0]
    title, _mark, run = page_and_run.partition(RUN_MARK)
    return title, run


def prompt_text(prompt: str, lang: Language) -> str:
    """A stored prompt in a reader's language (the teacher's console), without its run's digest."""
    text, _mark, packed = prompt.partition(PACKED)
    page_title, question_text = prompt_run(text)[0], text.split(": ", 1)[-1]
    question = Msg.from_json(packed) if packed else None
    return f"{lang._(page_title)}: {question.render(lang) if question is not None else question_text}"


def earlier_answer(shared: SharedPrompt) -> str | None:
    """What this student already answered in this round, by an earlier session (a reloaded tab,
    a worker that died); looked up once per round, and marked as sent."""
    restored = st.session_state.setdefault(RESTORED, set())
    if (shared.prompt, shared.round) in restored:
        return None
    restored.add((shared.prompt, shared.round))
    try:
        value = store().own_answer(shared.code, shared.token, shared.prompt, shared.round)
    except (ClassError, StoreUnavailable):
        return None
    if value is not None:
        st.session_state.setdefault(SENT, {})[(shared.prompt, shared.round)] = value
    return value


class Sent(Enum):
    """What became of an answer sent to the class."""

    SENT = "sent"  # counted in its round (now, or by an earlier click or session)
    KEPT = "kept"  # the store could not be reached: kept, and sent by the poll when it answers
    CLOSED = "closed"  # the round was revealed before it arrived: not counted
    REFUSED = "refused"  # the store said no in one line (too many answers, not a student any more)


def send(shared: SharedPrompt, value: str, truth: Callable[[], str] | None = None) -> Sent:
    """The student's answer, sent once per round, and what became of it (with one line when it
    was not counted).  ``truth`` works out the prompt's true answer, sent along for the
    teacher's console (the pinned run is everyone's, so any student's page gives the same)."""
    where = (shared.prompt, shared.round)
    if st.session_state.setdefault(SENT, {}).get(where) == value:
        return Sent.SENT
    pending = st.session_state.setdefault(PENDING, {})
    true_answer = None if truth is None else " ".join(truth().split())[: settings.MAX_STORED_CHARS] or None
    try:
        store().answer(shared.code, shared.token, shared.prompt, value, true_answer)
    except RoundClosed as problem:
        pending.pop(where, None)
        st.warning(plain(say_problem(problem)), icon="🔒")
        return Sent.CLOSED
    except ClassError as problem:
        pending.pop(where, None)
        st.warning(plain(say_problem(problem)), icon="✋")
        return Sent.REFUSED
    except StoreUnavailable:
        pending[where] = (value, true_answer)
        st.info(
            _(
                "Your answer is kept: the class is not reachable right now. It goes to the class as soon as "
                "the class answers again; the verdict waits for the teacher's Reveal."
            ),
            icon="📡",
        )
        return Sent.KEPT
    pending.pop(where, None)
    st.session_state[SENT][where] = value
    return Sent.SENT


def wait_for_reveal(shared: SharedPrompt, say: bool = True) -> None:
    st.session_state.setdefault(WAITING, {})[(shared.prompt, shared.round)] = SHOWN if shared.shown else WAIT
    if say and shared.shown:
        st.info(
            _(
                "The teacher shows the class's answers: talk them over with your neighbours. The answer comes "
                "when the teacher reveals it."
            ),
            icon="💬",
        )
    elif say:
        st.info(_("Your guess went to the class. The answer comes when the teacher reveals it."), icon="📨")


def counted(shared: SharedPrompt) -> str | None:
    """This student's answer as the class counted it in this round (None when it did not reach it)."""
    return st.session_state.get(SENT, {}).get((shared.prompt, shared.round))


def revealed_counts(shared: SharedPrompt) -> dict[str, int] | None:
    try:
        return store().tally(shared.code, shared.prompt, shared.round).counts
    except (ClassError, StoreUnavailable):
        return None


# --- the teacher ------------------------------------------------------------------------------------
def join_base(own: str, public: str | None, network_ip: str | None) -> tuple[str, str | None]:
    """The address students join at, and how it was found: ``public`` (``NNVIZ_PUBLIC_URL``)
    when set; the teacher's own address unless it is this computer's (``localhost``, 127.0.0.1),
    which no phone reaches; then the machine's network address, as Streamlit's "Network URL"
    finds it (``network_ip``, with the teacher's port and path).  The second value says which:
    None (public or the teacher's own), "network", or "local" (no network address: a warning)."""
    from urllib.parse import urlsplit, urlunsplit

    if public and public.strip():
        return public.strip().rstrip("/"), None
    parts = urlsplit(own)
    if (parts.hostname or "") not in ("localhost", "127.0.0.1", "::1"):
        return own, None
    if not network_ip or network_ip.startswith("127."):
        return own, "local"
    netloc = network_ip + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")).rstrip("/"), "network"


def teacher_link(base_url: str, you: Member) -> str:
    """The private link that runs the class from another browser (a projector's machine)."""
    return f"{base_url}/teach#class={you.code}&teacher={you.key}"


def _held_by_teacher() -> tuple[str, str, bool] | None:
    """The class code and key this browser brings, and whether a link brought them: a teacher
    link's (once), else, for a session in no class yet, the teacher cookie's (once per session)."""
    result = _teacher_link_reader(key="class.teacher_link", on_link_change=lambda: None)
    held, by_link = getattr(result, "link", None), True
    if not held and member() is None and not st.session_state.get(TEACHER_COOKIE_TRIED):
        st.session_state[TEACHER_COOKIE_TRIED] = True
        held, by_link = st.context.cookies.get(TEACHER_COOKIE), False
    if not held or "." not in str(held):
        return None
    code, key = str(held).split(".", 1)
    return code, key, by_link


def teacher() -> Member | None:
    """This session's class as its teacher: opened here, or brought by a teacher link or the
    teacher cookie (checked).  A wrong or ended link says so in one line."""
    if (held := _held_by_teacher()) is not None:
        code, key, by_link = held
        found = codes.normalise(code)
        if found is not None and store().is_teacher(found, key):
            enter_as_teacher(found, key)
        elif by_link:
            st.error(_("This teacher link opens no class: the key is wrong, or the class has ended."), icon="🚫")
        else:
            st.session_state[FORGET_TEACHER] = True  # the cookie of a class that has ended
    you = member()
    _keep_teacher_in_browser(you)
    return you if you is not None and you.key else None


TEACHER_COOKIE_TRIED = "class teacher cookie tried"
FORGET_TEACHER = "class teacher cookie to forget"


def enter_as_teacher(code: str, key: str) -> None:
    leave()
    st.session_state.pop(FORGET_TEACHER, None)
    st.session_state[MEMBER] = Member(code, key=key)


def leave_as_teacher() -> None:
    leave()
    st.session_state[FORGET_TEACHER] = True


def _keep_teacher_in_browser(you: Member | None) -> None:
    if you is not None and you.key:
        data = f"{TEACHER_COOKIE}={you.code}.{you.key}; path=/; max-age={int(settings.CLASS_HOURS * 3600)}; samesite=strict"
    elif st.session_state.get(FORGET_TEACHER):
        data = f"{TEACHER_COOKIE}=; path=/; max-age=0; samesite=strict"
    else:
        return
    _cookie_writer(key="class.teacher_cookie", data=data)
