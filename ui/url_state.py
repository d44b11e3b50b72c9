"""Keep a page's settings in its URL, so the address bar is a shareable link."""

from __future__ import annotations

from typing import Any

import streamlit as st

from nnviz.i18n import language as language_for
from nnviz.settings import Field, parse_query, to_query
from ui import language, lesson
from ui.keep import KEPT, keep
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
    _retype(spec, page)


def _retype(spec: dict[str, Field], page: str) -> None:
    """After a change of language, the page's typed boxes rewritten in the new reader's notation:
    German ``0,5`` would not read as one half on an English page (nor ``100.000`` as a count)."""
    now, written_in = language.language(), f"{page}:typed in"
    was = st.session_state.get(written_in)
    st.session_state[written_in] = now.code
    if was is None or was == now.code:
        return
    before = language_for(was)
    for name, field in spec.items():
        raw = st.session_state.get(key(page, name))
        if isinstance(raw, str) and typed_as_text(field):
            value, warning = field.parse(name, raw, before, typed=True)
            if warning is None:  # a value that did not read stays as typed, and its warning is said again
                st.session_state[key(page, name)] = field.write(value, now)
                keep(key(page, name))


def show_warnings(page: str) -> None:
    for warning in st.session_state.pop(f"{page}:warnings", []):
        st.warning(plain(warning), icon="⚠️")  # it quotes the link's text: never markdown, a link or an image


def widget_value(field: Field, value: Any) -> Any:
    """What the widget holds for a value: hidden layers, learning rates, a seed and a count are typed
    as text, the reader's way (``4; 2``, ``0,01; 0,1``, ``0,5`` and ``100.000`` in German)."""
    return field.write(value, language.language()) if typed_as_text(field) else value


TYPED_AS_TEXT = ("layers", "rates")


def typed_as_text(field: Field) -> bool:
    """Whether the field's widget is a text box (Streamlit's number input knows only the dot)."""
    return field.kind in TYPED_AS_TEXT or field.box


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


def current(spec: dict[str, Field], page: str, name: str) -> Any:
    """A widget's value as ``read`` gives it, without its warning (None when the page was never drawn)."""
    raw = st.session_state.get(key(page, name))
    if raw is None:
        return None
    return spec[name].parse(name, raw, language.language(), typed=isinstance(raw, str))[0]


def left_with(spec: dict[str, Field], page: str) -> dict[str, Any]:
    """The settings this session left the page with (``ui.keep`` has them once the page is left),
    read as the page reads them: the typed ones in the reader's notation; defaults for the rest."""
    kept, values = st.session_state.get(KEPT, {}), {}
    for name, field in spec.items():
        raw = kept.get(key(page, name))
        values[name] = field.default if raw is None else field.parse(name, raw, language.language(), typed=True)[0]
    return values


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
