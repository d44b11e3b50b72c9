"""Keep a page's settings in its URL, so the address bar is a shareable link."""

from __future__ import annotations

from typing import Any

import streamlit as st

from nnviz.settings import Field, parse_query, to_query
from ui import language, lesson
from ui.keep import keep
from ui.text import plain


def load(spec: dict[str, Field], page: str) -> None:
    """On a session's first visit to the page, seed the widgets from the link (then from the
    lesson, ``ui.lesson``) and warn about bad values; on every later visit, bring back the
    settings the student left it with (Streamlit drops a page's widget values when the page is
    left: ``ui.keep``).  A lesson's locked and hidden settings win over both, every run."""
    loaded = f"{page}:loaded"
    if not st.session_state.get(loaded):
        query = st.query_params.to_dict()
        values, warnings = parse_query(spec, query, language.language())
        values.update({name: value for name, value in lesson.starting(page).items() if name not in query})
        for name, value in values.items():
            st.session_state[key(page, name)] = widget_value(spec[name], value)
        st.session_state[f"{page}:warnings"] = warnings
        st.session_state[loaded] = True
    for name, value in lesson.fixed(page).items():
        st.session_state[key(page, name)] = widget_value(spec[name], value)
    for name in spec:
        keep(key(page, name))


def show_warnings(page: str) -> None:
    for warning in st.session_state.pop(f"{page}:warnings", []):
        st.warning(plain(warning), icon="⚠️")  # it quotes the link's text: never markdown, a link or an image


def widget_value(field: Field, value: Any) -> Any:
    """What the widget holds for a value: hidden layers and learning rates are typed as text, the
    reader's way (``4; 2`` and ``0,01; 0,1`` in German)."""
    return field.write(value, language.language()) if field.kind in TYPED_AS_TEXT else value


TYPED_AS_TEXT = ("layers", "rates")


def key(page: str, name: str) -> str:
    return f"{page}.{name}"


def read(spec: dict[str, Field], page: str, name: str) -> Any:
    """A widget's current value, checked and clipped like a link's (the server enforces caps)."""
    field = spec[name]
    raw = st.session_state.get(key(page, name), widget_value(field, field.default))
    value, warning = field.parse(name, raw, language.language(), typed=isinstance(raw, str))
    if warning:
        st.warning(plain(warning), icon="⚠️")  # it quotes what was typed
    return value


def read_all(spec: dict[str, Field], page: str) -> dict[str, Any]:
    return {name: read(spec, page, name) for name in spec}


def save(spec: dict[str, Field], values: dict[str, Any]) -> None:
    """Write the settings into the address bar (defaults are left out to keep links short)."""
    query = to_query(spec, values)
    if (text := lesson.link_text()) is not None and not lesson.from_class():
        query["lesson"] = text  # a reload, or the link copied from the address bar, keeps the lesson (a class's
        # lesson is the class's: a reloaded tab gets it back from the class, and the address stays short)
    language.in_link(query)
    if query != st.query_params.to_dict():
        st.query_params.from_dict(query)
