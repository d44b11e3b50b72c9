"""What the whole server computes once and every session reuses: values (a run's figures,
its fit, a parsed file) and drawn elements (a chart with its words, a run's tables).

A class opening the same page asks for the same charts thirty times.  ``shared`` keeps the
figure, but Streamlit would still validate it, turn it into JSON and hash it for every
student; ``drawn`` keeps the finished elements and Streamlit replays them (its cached
functions record the elements they draw), so a repeated view costs almost nothing.

Keys are plain values (strings, numbers, tuples, dataclasses of these) and say everything
that decides the result.

A teacher's upload is the exception (``private``): while a page works on one, everything it
would share (the parsed table with its names, previews, runs, fits, charts) is kept in that
teacher's session instead, and goes when the session goes.  Nothing from an upload waits in
a server-wide cache for the next visitor.  They reach Streamlit's cache as one short digest of their
``repr``: hashing a run's settings object by object on every lookup cost more than the
lookup itself.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

from nnviz.settings import DRAWN_BYTES, SHARED_VALUES_BYTES
from ui import language
from ui.cache import BoundedCache

T = TypeVar("T")
TTL_SECONDS = 2 * 3600


def digest(key: Hashable) -> str:
    """A short name for ``key``: equal keys, equal names (their ``repr`` says every field)."""
    text = repr(key)
    if "array(" in text:  # a real check, not an assert: ``python -O`` must not let two arrays share a name
        raise TypeError("numpy arrays print shortened, so two of them could share a name: keep them out of keys")
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


PRIVATE = "private: this run works on an upload"
PRIVATE_VALUES = "private values"
PRIVATE_RUNS = "private runs"  # ui/runs.py keeps an upload's runs here
MAX_PRIVATE_VALUES = 256


def private(on: bool) -> None:
    """From here to the end of this script run, keep what ``shared``/``drawn`` make in this
    session only (a page working on a teacher's upload).  Every page run starts shared."""
    st.session_state[PRIVATE] = bool(on)


def forget_private() -> None:
    """Drop everything this session made from an upload (the teacher removed the file)."""
    st.session_state.pop(PRIVATE_VALUES, None)
    st.session_state.pop(PRIVATE_RUNS, None)


def is_private() -> bool:
    return bool(st.session_state.get(PRIVATE))


def shared(key: Hashable, make: Callable[[], T]) -> T:
    """What ``make`` builds for ``key``, built once per server and shared by every session
    (or once per session, while ``private``).

    Streamlit's own cache, bounded in entries and age; ``make`` is not part of the key."""
    name = digest(key)
    if not is_private():
        return _shared(name, make)
    values = st.session_state.setdefault(PRIVATE_VALUES, {})
    if name not in values:
        values[name] = make()
        while len(values) > MAX_PRIVATE_VALUES:  # the oldest first
            values.pop(next(iter(values)))
    return values[name]


def drawn(key: Hashable, draw: Callable[[], object]) -> None:
    """Draw what ``draw`` draws (charts, tables, text; never a widget) once per server for
    ``key``; every later call with the same key replays those elements as they were.
    While ``private``, it is simply drawn: a replay would be kept server-wide.

    The key must say the page and the element's own key too (a chart's identity in the
    browser comes from its page and key); the visitor's language is added to it here."""
    if is_private():
        draw()
        return
    made: list[bool] = []

    def record() -> None:
        made.append(True)
        draw()

    _drawn(digest((key, language.code())), record)  # words and numbers are the visitor's language's
    if made:  # a new drawing was recorded: weigh the cache again
        _weigh_drawn()


@st.cache_resource
def _values() -> BoundedCache:
    """The server's shared values, bounded in entries, bytes (a run's fit holds its arrays)
    and age; visitors asking for one value at once wait for one making of it."""
    return BoundedCache(max_entries=256, ttl_seconds=TTL_SECONDS, max_bytes=SHARED_VALUES_BYTES)


def _shared(name: str, make: Callable[[], T]) -> T:
    return _values().get_or_make(name, make)


@st.cache_resource(max_entries=512, ttl=TTL_SECONDS, show_spinner=False)
def _drawn(name: str, _draw: Callable[[], object]) -> None:
    _draw()


# Streamlit's cache counts entries only, and one drawn chart can be a megabyte (the training
# animation's sixty frames) while a caption is a few bytes: after each new drawing, the
# replayed elements are weighed (their messages' sizes) and the least recently used dropped
# while the total is over DRAWN_BYTES.
_weights: dict[str, int] = {}
_weights_lock = threading.Lock()


def _drawn_cache():
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    return next(
        (c for c in _resource_caches._function_caches.get(None, {}).values() if c.display_name.endswith("._drawn")),
        None,
    )


def drawn_bytes() -> int:
    """What the replayed elements weigh now (after the last new drawing)."""
    with _weights_lock:
        return sum(_weights.values())


def _weigh_drawn() -> None:
    cache = _drawn_cache()
    if cache is None:
        return
    with cache._mem_cache_lock, _weights_lock:
        entries = cache._mem_cache
        for key in [k for k in _weights if k not in entries]:
            del _weights[key]
        for key, result in list(entries.items()):
            if key not in _weights:
                _weights[key] = sum(m.message.ByteSize() for m in result.messages)
        total = sum(_weights.values())
        while total > DRAWN_BYTES and len(entries) > 1:
            key, _ = entries.popitem()  # the least recently used
            total -= _weights.pop(key, 0)
