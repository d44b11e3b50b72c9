"""A small shared cache, bounded in entries, in bytes and in age.

Runs are immutable, so one run can be handed to every visitor who asks for the same
settings; the key must hold every setting and the data's identity, nothing of a session.
A count of entries alone does not bound memory (one run of a million iterations is 24 MB,
one of a hundred a few kB), so each entry is also weighed (``size_of``) and the least
recently used go first when the total passes ``max_bytes``.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd


def size_of(value: Any) -> int:
    """About how many bytes ``value`` holds: arrays by their buffers, frames deeply, and
    containers, dataclasses and objects by what they hold (each object counted once)."""
    seen: set[int] = set()
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None or isinstance(item, bool | int | float | type):
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            base = item.base if isinstance(item.base, np.ndarray) else item  # a view holds its base alive
            if id(base) not in seen or base is item:
                seen.add(id(base))
                total += base.nbytes
            if item.dtype == object:
                stack.extend(item.ravel().tolist())
        elif isinstance(item, pd.DataFrame | pd.Series | pd.Index):
            usage = item.memory_usage(deep=True)
            total += int(usage.sum()) if hasattr(usage, "sum") else int(usage)
        elif isinstance(item, str | bytes | bytearray):
            total += sys.getsizeof(item)
        elif isinstance(item, dict):
            total += sys.getsizeof(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += sys.getsizeof(item)
            stack.extend(item)
        elif dataclasses.is_dataclass(item):
            total += sys.getsizeof(item)
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
            stack.extend(vars(item).values() if hasattr(item, "__dict__") else ())  # cached properties
        elif hasattr(item, "__dict__"):
            total += sys.getsizeof(item)
            stack.extend(vars(item).values())
        else:
            total += sys.getsizeof(item)
    return total


class BoundedCache:
    """Least-recently-used entries beyond ``max_entries`` or ``max_bytes`` (weighed by
    ``sizer``), and entries older than ``ttl_seconds``, are dropped.  Safe to share between
    threads.  A value heavier than ``max_bytes`` on its own is not kept at all."""

    def __init__(
        self,
        max_entries: int = 64,
        ttl_seconds: float = 3600.0,
        clock=time.monotonic,
        max_bytes: int | None = None,
        sizer: Callable[[Any], int] = size_of,
    ):
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self.max_bytes = max_bytes
        self._sizer = sizer
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float, Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    @property
    def bytes(self) -> int:
        """The weight of what is kept now."""
        return self._bytes

    def get(self, key: Hashable) -> Any | None:
        found, value = self._lookup(key)
        return value if found else None

    def _lookup(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return False, None
            stored, value, _ = item
            if self._clock() - stored > self.ttl_seconds:
                self._drop(key)
                return False, None
            self._items.move_to_end(key)
            return True, value

    def put(self, key: Hashable, value: Any) -> None:
        size = self._sizer(value) if self.max_bytes is not None else 0
        with self._lock:
            if key in self._items:
                self._drop(key)
            if self.max_bytes is not None and size > self.max_bytes:
                return
            self._items[key] = (self._clock(), value, size)
            self._bytes += size
            while len(self._items) > self.max_entries or (self.max_bytes is not None and self._bytes > self.max_bytes):
                self._drop(next(iter(self._items)))

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value for ``key``, made by ``make`` if missing; visitors asking at once wait
        for one making instead of each making their own."""
        found, value = self._lookup(key)
        if found:
            return value
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            found, value = self._lookup(key)
            if not found:  # a value of None is a value too
                value = make()
                self.put(key, value)
        with self._lock:
            self._making.pop(key, None)
        return value

    def discard(self, key: Hashable, value: Any) -> None:
        """Drop ``key`` if it still holds ``value`` (not a newer value put since)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[1] is value:
                self._drop(key)

    def _drop(self, key: Hashable) -> None:
        _, _, size = self._items.pop(key)
        self._bytes -= size

    def __len__(self) -> int:
        return len(self._items)
