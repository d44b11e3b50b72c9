"""A live class in the app: a student joins by the teacher's link, sees a small banner, follows
the teacher's page, and sends their *Predict:* answers on the teacher's pinned run.

The class itself lives in the store (``nnviz/classroom``), shared by every session and every
worker; what lives here is one session's membership (the class code and the student's token,
or the teacher's key) and the polling that brings the teacher's news: a fragment that runs
every ``CLASS_POLL_SECONDS`` and reruns the page only when something changed for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from nnviz import settings
from nnviz.classroom import codes
from nnviz.classroom.open import open_store
from nnviz.classroom.store import LESSON_ENTRY, ClassError, ClassStore, Joined, Lesson, StoreUnavailable
from nnviz.i18n import ENGLISH, Language, Msg
from ui import lesson as class_lesson
from ui.language import Question, _
from ui.language import problem as say_problem
from ui.text import plain
from ui.visitor import visitor

MEMBER = "class membership"
INVITED = "class invited"  # the code of a ?class= link, kept: the page's own link drops it at once
OFFERED = "class offered nickname"
FOLLOWED = "class followed step"
WAITING = "class prompts waiting"  # (prompt, round) this session waits to see revealed
SENT = "class answers sent"
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
        return store().lesson(you.code)
    except ClassError:
        st.session_state.pop(MEMBER, None)
        st.session_state[FORGET] = True
        class_lesson.follow_class(None)
        st.info(_("The class has ended; you go on alone."), icon="👋")
    except StoreUnavailable as problem:
        unreachable(problem)
    return None


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
    invited, you = st.session_state.get(INVITED), member()
    if invited and (you is None or you.code != codes.normalise(invited)) and not st.query_params.get("teacher"):
        _join_box(invited)
    you = student()
    if you is not None:
        _banner(you)
        _follow(pages)


def _join_box(invited: str) -> None:
    code = codes.normalise(invited)
    if code is None:
        st.warning(_("“{code}” is not a class code; you go on alone.", code=plain(invited[:12])), icon="🔎")
        st.session_state.pop(INVITED, None)
        return
    offered = st.session_state.setdefault(OFFERED, codes.nickname(set()))
    with st.form("join class", border=True):
        st.markdown(_("**You are invited to class {code}.** Pick a nickname (never your real name):",
                      code=codes.shown(code)))  # fmt: skip
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
    for name in (MEMBER, INVITED, FOLLOWED, WAITING, SENT, ROUNDS_SEEN, RESTORED):
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
        st.caption(_("Class {code} · you are {nickname} · following the teacher", code=codes.shown(now.code),
                     nickname=plain(you.nickname if you else "")))  # fmt: skip
    else:
        st.caption(_("Class {code} · you are {nickname} · on your own: the teacher lets the class explore",
                     code=codes.shown(now.code), nickname=plain(you.nickname if you else "")))  # fmt: skip
    if now.following and now.step > st.session_state.get(FOLLOWED, 0):
        st.session_state[FOLLOWED] = now.step
        target = PAGES.get(now.page or "")
        if target is not None and target.url_path in pages:
            st.session_state.pop(f"{target.key}:loaded", None)  # the page reads its settings from the link again
            st.switch_page(pages[target.url_path], query_params=now.pinned.get(target.url_path, {}))
    waiting = st.session_state.get(WAITING, set())
    seen = st.session_state.setdefault(ROUNDS_SEEN, {})
    asked_again = {p for p, r in seen.items() if now.round_of(p) > r}  # the teacher's Ask again
    if asked_again or any(now.is_revealed(prompt, round) for prompt, round in waiting):
        st.session_state[WAITING] = {(p, r) for p, r in waiting if not now.is_revealed(p, r)}
        seen.update({p: now.round_of(p) for p in asked_again})
        st.rerun(scope="app")


# --- a prompt shared with the class -------------------------------------------------------------
@dataclass(frozen=True)
class SharedPrompt:
    """A prompt this student answers with the class: the store's name for it and its round."""

    code: str
    token: str
    prompt: str
    round: int
    revealed: bool


def _on_pinned_run(page: settings.Page, pinned: dict[str, str]) -> bool:
    """Whether this session's settings on the page are the teacher's (a changed run stays private)."""
    from ui import url_state

    pinned_values, _ = settings.parse_query(page.spec, pinned)
    mine = {name: st.session_state.get(url_state.key(page.key, name)) for name in page.spec}
    theirs = {name: url_state.widget_value(page.spec[name], value) for name, value in pinned_values.items()}
    return mine == theirs


def shared_prompt(page_key: str, question: Question) -> SharedPrompt | None:
    """The class's copy of this prompt, when the student is in a class, on the teacher's pinned
    run, and not on their own upload; None otherwise (the prompt is private, as alone)."""
    from ui.shared import is_private

    you, page = student(), BY_KEY.get(page_key)
    if you is None or page is None or is_private():
        return None
    now = lesson()
    if now is None or not _on_pinned_run(page, now.pinned.get(page.url_path, {})):
        return None
    prompt = prompt_id(page, question)
    number = now.round_of(prompt)
    st.session_state.setdefault(ROUNDS_SEEN, {})[prompt] = number
    return SharedPrompt(you.code, you.token or "", prompt, number, now.is_revealed(prompt, number))


PACKED = " ⁂"  # after it, a stored prompt keeps its question unrendered, for every reader's language


def prompt_id(page: settings.Page, question: Question) -> str:
    """A question as the class stores it: the page and the question in English (one question,
    whatever language each student reads it in), then the question itself, unrendered."""
    if not isinstance(question, Msg):
        return f"{page.title}: {question}"[: settings.MAX_PROMPT_CHARS]
    text = f"{page.title}: {question.render(ENGLISH)}"
    packed = text + PACKED + question.as_json()
    return packed if len(packed) <= settings.MAX_PROMPT_CHARS else text[: settings.MAX_PROMPT_CHARS]


def prompt_text(prompt: str, lang: Language) -> str:
    """A stored prompt in a reader's language (the teacher's console)."""
    text, _mark, packed = prompt.partition(PACKED)
    question = Msg.from_json(packed) if packed else None
    if question is None:
        return text
    page_title = text.split(": ", 1)[0]
    return f"{lang._(page_title)}: {question.render(lang)}"


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


def send(shared: SharedPrompt, value: str, truth: Callable[[], str] | None = None) -> bool:
    """The student's answer, sent once per round; False (with one line) when it could not be.
    ``truth`` works out the prompt's true answer, sent along for the teacher's console (the
    pinned run is everyone's, so any student's page gives the same)."""
    sent = st.session_state.setdefault(SENT, {})
    if sent.get((shared.prompt, shared.round)) == value:
        return True
    try:
        true_answer = None if truth is None else " ".join(truth().split())[: settings.MAX_STORED_CHARS]
        store().answer(shared.code, shared.token, shared.prompt, value, true_answer or None)
    except ClassError as problem:
        st.warning(plain(say_problem(problem)), icon="✋")
        return False
    except StoreUnavailable:
        st.warning(_("Your answer was not sent: the class is not reachable right now. It is sent again at your "
                     "next click on this page."), icon="📡")  # fmt: skip
        return False
    sent[(shared.prompt, shared.round)] = value
    return True


def wait_for_reveal(shared: SharedPrompt, say: bool = True) -> None:
    st.session_state.setdefault(WAITING, set()).add((shared.prompt, shared.round))
    if say:
        st.info(_("Your guess went to the class. The answer comes when the teacher reveals it."), icon="📨")


def revealed_counts(shared: SharedPrompt) -> dict[str, int] | None:
    try:
        return store().tally(shared.code, shared.prompt, shared.round).counts
    except (ClassError, StoreUnavailable):
        return None
