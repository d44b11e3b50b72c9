"""Each visitor's share of the server's cores: training seconds spent in the last minute.

Shared caches make a class cheap (thirty students, one run), but a visitor who changes the
seed on every click defeats them all.  Every training a session does is charged to it here
(working seconds, as ``Run.seconds`` counts them); past ``SESSION_CPU_SECONDS`` in the last
``BUDGET_WINDOW_SECONDS``, the page says so and trains nothing new until the minute has passed.
Runs already trained, by anyone, cost nothing.
"""

from __future__ import annotations

import time

import streamlit as st

from nnviz.settings import BUDGET_WINDOW_SECONDS, SESSION_CPU_SECONDS
from ui.language import _

KEY = "training seconds spent"


def _spent(now: float) -> list[tuple[float, float]]:
    entries = [(at, seconds) for at, seconds in st.session_state.get(KEY, []) if now - at < BUDGET_WINDOW_SECONDS]
    st.session_state[KEY] = entries
    return entries


def charge(seconds: float) -> None:
    """Count ``seconds`` of training against this session."""
    if seconds > 0:
        now = time.monotonic()
        st.session_state[KEY] = [*_spent(now), (now, float(seconds))]


def remaining() -> float:
    """Training seconds this session may still spend in this minute."""
    return max(0.0, SESSION_CPU_SECONDS - sum(seconds for _, seconds in _spent(time.monotonic())))


def require() -> None:
    """Stop the page with one line when this session's share is spent."""
    now = time.monotonic()
    spent = _spent(now)
    if sum(seconds for _, seconds in spent) < SESSION_CPU_SECONDS:
        return
    # The oldest charges leave the window first: the share is back once enough of them have.
    freed = next(
        (at for i, (at, _) in enumerate(spent) if sum(s for _, s in spent[i + 1 :]) < SESSION_CPU_SECONDS), now
    )
    wait = max(1, round(BUDGET_WINDOW_SECONDS - (now - freed)))
    st.warning(
        _(
            "This server is busy: your training for this minute is used up ({seconds} seconds). Try fewer iterations, "
            "or a run that was already trained, or wait about {wait} s.",
            seconds=f"{SESSION_CPU_SECONDS:g}",
            wait=wait,
        ),
        icon="⏳",
    )
    st.stop()
