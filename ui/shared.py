"""What the whole server computes once and every session reuses: values (a run's figures,
its fit, a parsed file) and drawn elements (a chart with its words, a run's tables).

A class opening the same page asks for the same charts thirty times.  ``shared`` keeps the
figure, but Streamlit would still validate it, turn it into JSON and hash it for every
student; ``drawn`` keeps the finished elements and Streamlit replays them (its cached
functions record the elements they draw), so a repeated view costs almost nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
TTL_SECONDS = 2 * 3600


@st.cache_resource(max_entries=128, ttl=TTL_SECONDS, show_spinner=False)
def shared(key: Hashable, _make: Callable[[], T]) -> T:
    """What ``_make`` builds for ``key``, built once per server and shared by every session.

    Streamlit's own cache, bounded in entries and age; ``_make`` is not part of the key
    (the key must say everything that decides the result)."""
    return _make()


@st.cache_resource(max_entries=512, ttl=TTL_SECONDS, show_spinner=False)
def drawn(key: Hashable, _draw: Callable[[], object]) -> None:
    """Draw what ``_draw`` draws (charts, tables, text; never a widget) once per server for
    ``key``; every later call with the same key replays those elements as they were.

    The key must say everything that decides what is drawn, the page and the element's own
    key included (a chart's identity in the browser comes from its page and key)."""
    _draw()
