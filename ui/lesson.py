"""A lesson in the app (``nnviz.lesson``): taken from a ``?lesson=`` link once per session, it
chooses the menu's pages, seeds each page's settings, keeps locked and hidden ones fixed, and
puts its title and instructions at the top of every page."""

from __future__ import annotations

from typing import Any

import streamlit as st

from nnviz import lesson as lessons
from nnviz.settings import PAGES
from ui.language import N_, _, language
from ui.text import plain

LESSON = "lesson"  # (its text as the link writes it, the Lesson)
WARNINGS = "lesson warnings"
FROM_CLASS = "lesson from the class"  # the text of the lesson the teacher of this session's class gave it
LOCKED_HELP = N_("Fixed for this lesson.")
_BY_KEY = {page.key: page.url_path for page in PAGES.values()}


def adopt() -> None:
    """Take the lesson in the link, if it is not this session's already (every script run, before
    the menu is built).  A new lesson starts every page afresh from its settings.

    One owner decides a session's lesson: while the session's class gives one, the class owns it
    and a link's lesson is not taken (the two taking turns would rerun the page forever)."""
    text = st.query_params.get("lesson")
    if text is not None and text != link_text() and not from_class():
        _take(text)


def from_class() -> bool:
    return bool(st.session_state.get(FROM_CLASS))


def follow_class(text: str | None) -> bool:
    """Take the lesson the teacher gave the class (``None``: none, or taken back); whether it
    changed.  Compared as the class stores it, so one change of the class's lesson is one change here."""
    if text is not None and text != st.session_state.get(FROM_CLASS):
        _take(text)
        st.session_state[FROM_CLASS] = text
        return True
    if text is None and from_class():
        leave()
        return True
    return False


def _take(text: str) -> None:
    found, warnings = lessons.parse(text, language())
    if found is not None:
        # Reloading the page must not warn twice: the address bar gets the lesson as it was read.
        st.session_state[LESSON] = (lessons.encode(found), found)
    else:
        st.session_state.pop(LESSON, None)
    st.session_state[WARNINGS] = warnings
    _start_afresh()


def current() -> lessons.Lesson | None:
    kept = st.session_state.get(LESSON)
    return kept[1] if kept else None


def link_text() -> str | None:
    kept = st.session_state.get(LESSON)
    return kept[0] if kept else None


def leave() -> None:
    """Every page and control again (the sidebar's button, or the teacher taking the lesson back)."""
    st.session_state.pop(LESSON, None)
    st.session_state.pop(FROM_CLASS, None)
    st.query_params.pop("lesson", None)
    _start_afresh()


def _start_afresh() -> None:
    for page in PAGES.values():
        st.session_state.pop(f"{page.key}:loaded", None)


def pages(all_pages: list) -> list:
    """The menu's pages: the lesson's, in its order (the first opens at the app's address), or all."""
    found = current()
    if found is None:
        return all_pages
    by_path = {page.url_path: page for page in all_pages}
    chosen = [by_path[path] for path in found.pages if path in by_path]
    return chosen or all_pages


def frame() -> None:
    """The lesson's title and instructions above every page, its warnings once, and a way out."""
    for warning in st.session_state.pop(WARNINGS, []):
        st.warning(plain(warning), icon="⚠️")  # it quotes the link's text
    found = current()
    if found is None:
        return
    if found.title or found.instructions:
        title = f"**{plain(found.title)}**" if found.title else ""
        st.info(" · ".join(part for part in (title, plain(found.instructions)) if part), icon="📘")
    if not from_class():  # a class's lesson ends with the class, or when the teacher says
        with st.sidebar:
            st.button(
                _("Leave the lesson (every page and control)"),
                key="lesson.leave",
                on_click=leave,
                help=_("The lesson's link brings it back."),
            )


# --- one page's settings under a lesson -------------------------------------------------------------
def starting(page_key: str) -> dict[str, Any]:
    """The values the lesson gives ``page_key``'s settings on a first visit (or none)."""
    found = current()
    path = _BY_KEY.get(page_key)
    return found.starting(path) if found is not None and path in found.pages else {}


def fixed(page_key: str) -> dict[str, Any]:
    """The values no link and no student can change on ``page_key`` under the lesson."""
    found = current()
    path = _BY_KEY.get(page_key)
    return found.fixed(path) if found is not None and path in found.pages else {}


def mode(page_key: str, name: str) -> str:
    found = current()
    path = _BY_KEY.get(page_key)
    if found is None or path not in found.pages:
        return lessons.FREE
    return found.mode(path, name)


def widget(page_key: str, name: str, help: str | None = None) -> dict[str, Any] | None:
    """A control's extra arguments under the lesson: ``None`` when it is hidden (draw nothing),
    disabled with the tooltip "Fixed for this lesson." when locked, else its own ``help``."""
    shown = mode(page_key, name)
    if shown == lessons.HIDDEN:
        return None
    if shown == lessons.LOCKED:
        return {"disabled": True, "help": _(LOCKED_HELP)}
    return {"help": help} if help else {}
