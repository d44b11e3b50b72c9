"""Widget values that outlive a visit to another page.

Streamlit forgets a widget's value as soon as a script run ends without that widget: leave
a page and every setting on it is dropped, so coming back showed each widget's own default
(a number input's minimum).  ``keep`` copies a widget's value into a plain session entry,
which Streamlit never drops, and puts it back when the widget returns.  Use it as the
widget's key::

    st.number_input("Learning rate α", key=keep("walk.lr"))

A widget given a key this way takes its starting value from Session State (``default``),
never from its own ``value=``/``index=``, so Streamlit does not warn about two sources.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

KEPT = "kept widget values"


def keep(key: str, default: Any = None) -> str:
    """``key``, with the widget's value kept for the session (and ``default`` on first sight)."""
    kept = st.session_state.setdefault(KEPT, {})
    if key in st.session_state:
        kept[key] = st.session_state[key]
    elif key in kept:
        st.session_state[key] = kept[key]
    elif default is not None:
        st.session_state[key] = default
    return key


def reassert() -> None:
    """Put every kept value back, from a button's callback that can be clicked while a long run
    is still drawing the page (Stop): a busy browser may send a rerun before it has mounted
    the sidebar's widgets, with their own defaults (a number input's minimum) in place of the
    values the run was started with."""
    for key, value in st.session_state.setdefault(KEPT, {}).items():
        st.session_state[key] = value
