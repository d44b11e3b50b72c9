"""A small shared cache of finished runs, bounded in entries and in age.

Runs are immutable, so one run can be handed to every visitor who asks for the same
settings; the key must hold every setting and the data's identity, nothing of a session.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class BoundedCache:
    """Least-recently-used entries beyond ``max_entries``, and entries older than
    ``ttl_seconds``, are dropped.  Safe to share between threads."""

    def __init__(self, max_entries: int = 64, ttl_seconds: float = 3600.0, clock=time.monotonic):
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            stored, value = item
            if self._clock() - stored > self.ttl_seconds:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = (self._clock(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def discard(self, key: Hashable, value: Any) -> None:
        """Drop ``key`` if it still holds ``value`` (not a newer value put since)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[1] is value:
                del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
