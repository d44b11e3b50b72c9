"""What the whole server computes once and every session reuses: values (a run's figures,
its fit, a parsed file) and drawn elements (a chart with its words, a run's tables).

A class opening the same page asks for the same charts thirty times.  ``shared`` keeps the
figure, but Streamlit would still validate it, turn it into JSON and hash it for every
student; ``drawn`` keeps the finished elements and Streamlit replays them (its cached
functions record the elements they draw), so a repeated view costs almost nothing.

Keys are plain values (strings, numbers, tuples, dataclasses of these) and say everything
that decides the result.  They reach Streamlit's cache as one short digest of their
``repr``: hashing a run's settings object by object on every lookup cost more than the
lookup itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
TTL_SECONDS = 2 * 3600


def digest(key: Hashable) -> str:
    """A short name for ``key``: equal keys, equal names (their ``repr`` says every field)."""
    text = repr(key)
    if "array(" in text:  # a real check, not an assert: ``python -O`` must not let two arrays share a name
        raise TypeError("numpy arrays print shortened, so two of them could share a name: keep them out of keys")
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def shared(key: Hashable, make: Callable[[], T]) -> T:
    """What ``make`` builds for ``key``, built once per server and shared by every session.

    Streamlit's own cache, bounded in entries and age; ``make`` is not part of the key."""
    return _shared(digest(key), make)


def drawn(key: Hashable, draw: Callable[[], object]) -> None:
    """Draw what ``draw`` draws (charts, tables, text; never a widget) once per server for
    ``key``; every later call with the same key replays those elements as they were.

    The key must say the page and the element's own key too (a chart's identity in the
    browser comes from its page and key)."""
    _drawn(digest(key), draw)


@st.cache_resource(max_entries=128, ttl=TTL_SECONDS, show_spinner=False)
def _shared(name: str, _make: Callable[[], T]) -> T:
    return _make()


@st.cache_resource(max_entries=512, ttl=TTL_SECONDS, show_spinner=False)
def _drawn(name: str, _draw: Callable[[], object]) -> None:
    _draw()
