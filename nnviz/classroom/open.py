"""The class store a server uses, from one setting: ``NNVIZ_CLASS_STORE``.

Unset or empty: SQLite in ``NNVIZ_CLASS_DIR`` (one machine, no setup).  ``sqlite:///path``:
SQLite in that file.  ``redis://host:port/db`` (or ``rediss://``): Redis, for workers on
several machines.
"""

from __future__ import annotations

import os

from nnviz.classroom.store import ClassStore


def open_store(url: str | None = None) -> ClassStore:
    url = os.environ.get("NNVIZ_CLASS_STORE", "") if url is None else url
    if url.startswith(("redis://", "rediss://", "unix://")):
        from nnviz.classroom.redis_store import RedisStore  # only a Redis deployment needs redis-py

        return RedisStore(url)
    from nnviz.classroom.sqlite import SQLiteStore

    if url.startswith("sqlite:///"):
        return SQLiteStore(url[len("sqlite:///") :])  # sqlite:////abs/path or sqlite:///relative/path
    if url:
        raise ValueError(f"NNVIZ_CLASS_STORE {url!r}: use sqlite:///path or redis://host:port/db")
    return SQLiteStore()
