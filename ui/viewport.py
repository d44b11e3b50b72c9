"""How wide the student's browser window is, as the browser itself reports it.

The charts stack their panels in a narrow window: a phone, but also a half-screen laptop or a
tablet, whose user agent often says nothing of "Mobi".  A tiny component (no iframe; it draws
nothing) reports whether the window is narrower than Streamlit's own breakpoint for stacking
columns, whenever that differs from what the server assumes: on load, and when a resize
crosses the breakpoint.  Until it has reported, the user agent is the guess (so a desktop
browser, or a phone that says so, costs no extra rerun).
"""

from __future__ import annotations

import streamlit as st

NARROW_BELOW = 640  # px: where Streamlit stacks st.columns, so the page and its charts agree
_STATE = "narrow window"
_GUESS = "user agent says phone"

_REPORT = f"""
export default function(component) {{
    const {{ data, setStateValue }} = component;
    let last = data;  // what the server assumes already: saying it again would only cost a rerun
    const report = () => {{
        const narrow = window.innerWidth < {NARROW_BELOW};
        if (narrow !== last) {{
            last = narrow;
            setStateValue("narrow", narrow);
        }}
    }};
    report();
    window.addEventListener("resize", report);
    return () => window.removeEventListener("resize", report);
}}
"""
_reporter = st.components.v2.component("nnviz.viewport", js=_REPORT)


def _remember() -> None:
    reported = st.session_state.get("viewport")
    if reported is not None and reported.get("narrow") is not None:
        st.session_state[_STATE] = bool(reported["narrow"])


def watch() -> None:
    """Mount the reporter (once per script run, from the app's frame)."""
    _reporter(key="viewport", data=is_narrow(), on_narrow_change=_remember)


def is_narrow() -> bool:
    """A narrow window (below ``NARROW_BELOW`` px) as the browser reports it; until then, a phone's user agent."""
    if _STATE not in st.session_state:
        if _GUESS not in st.session_state:  # read once: a request's headers cost more than some charts
            st.session_state[_GUESS] = "Mobi" in (st.context.headers.get("User-Agent") or "")
        return bool(st.session_state[_GUESS])
    return bool(st.session_state[_STATE])
