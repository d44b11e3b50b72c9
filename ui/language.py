"""The visitor's language, chosen per session, never per process.

In this order: ``?lang=de`` in the link (a teacher's shared link carries it), the language
menu in the sidebar (which writes it into the link), the browser's ``Accept-Language``
(``st.context.locale``), then English.  Pages say ``_("…")`` and hand ``language()`` to
whatever in ``nnviz`` makes words or numbers.
"""

from __future__ import annotations

import streamlit as st

from nnviz.i18n import DEFAULT, LANGUAGES, Language, Msg, from_accept_language, supported
from nnviz.i18n import language as language_for

Question = str | Msg  # a prompt's question: said in the reader's language, one question for a class

CHOSEN = "language"
_SET_LANG = """
export default function(component) {
    if (component.data) document.documentElement.lang = component.data;
}
"""
_html_lang = st.components.v2.component("nnviz.html_lang", js=_SET_LANG)


def choose() -> str:
    """This run's language (every script run, before anything is drawn)."""
    asked = supported(st.query_params.get("lang"))
    if asked:
        st.session_state[CHOSEN] = asked
    elif CHOSEN not in st.session_state:
        header = st.context.headers.get("Accept-Language") if st.context.headers else None
        st.session_state[CHOSEN] = supported(st.context.locale) or from_accept_language(header) or DEFAULT
    return st.session_state[CHOSEN]


def language() -> Language:
    return language_for(st.session_state.get(CHOSEN, DEFAULT))


def code() -> str:
    return st.session_state.get(CHOSEN, DEFAULT)


def _(message: str, /, **values: object) -> str:
    """``message`` in the visitor's language."""
    return language()._(message, **values)


def N_(message: str, /) -> str:
    """A message marked for the catalogue where it is defined, translated where it is shown."""
    return message


def n_(singular: str, plural: str, n: int, /, **values: object) -> str:
    return language().n_(singular, plural, n, **values)


def pgettext(context: str, message: str, /, **values: object) -> str:
    """``message`` in the role ``context`` names (``Language.pgettext``)."""
    return language().pgettext(context, message, **values)


def said(text: Question) -> str:
    """A question (or any sentence) in the visitor's language."""
    return text.render(language()) if isinstance(text, Msg) else text


def problem(error: Exception) -> str:
    """An error's one line (``IntakeError``, ``ClassError``, ``StoreUnavailable``) in the visitor's language."""
    message = error.args[0] if error.args else str(error)
    return message.render(language()) if isinstance(message, Msg) else str(error)


def menu() -> None:
    """The sidebar's language menu; the choice goes into the link, so a copied link keeps it."""

    def changed() -> None:
        st.session_state[CHOSEN] = st.session_state["language.menu"]
        st.query_params["lang"] = st.session_state[CHOSEN]

    st.session_state["language.menu"] = code()
    st.sidebar.selectbox(
        "🌐 " + _("Language"),
        list(LANGUAGES),
        format_func=lambda code: LANGUAGES[code],
        key="language.menu",
        on_change=changed,
        help=_("Also in the link: add ?lang=de, fr, es or en."),
    )
    _html_lang(data=code(), key="language.html")  # screen readers and hyphenation read the page's language


def in_link(query: dict[str, str]) -> dict[str, str]:
    """A page's query with the language kept (when it is not the browser's own choice)."""
    if st.query_params.get("lang") or code() != DEFAULT:
        query["lang"] = code()
    return query
