"""Compile the training kernel before anyone asks: once per server process, in a background thread.

On a fresh install, and on every hosted restart that loses numba's disk cache, compiling the
kernel takes seconds (``docs/performance.md``).  ``start()`` begins it in a thread the moment
the server process starts (``scripts/serve.py``, which the launch scripts use) or, under a plain
``streamlit run app.py``, at app.py's first run; a visitor's page then waits (``wait()``) only for
what is left of it, and a visitor who comes later not at all.  Imports no Streamlit: the launcher
starts it before Streamlit itself.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

_lock = threading.Lock()
_thread: threading.Thread | None = None  # the process's one warm-up; a module global, so once per process
seconds: float | None = None  # how long it took, once done


def _warm() -> None:
    global seconds
    started = time.perf_counter()
    try:
        from nnviz.engine.training import warm_up

        warm_up()
    except Exception:  # a page compiles for itself then, as it would without the warm-up
        logging.getLogger("nnviz").exception("the training kernel's warm-up failed")
    seconds = time.perf_counter() - started
    print(f"nnviz: the training kernel is ready ({seconds:.1f} s after the warm-up began)", file=sys.stderr)


def start() -> threading.Thread:
    """Begin the warm-up, unless this process already has (then a no-op)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_warm, name="nnviz-warm-up", daemon=True)
            _thread.start()
        return _thread


def done() -> bool:
    return _thread is not None and not _thread.is_alive()


def wait() -> None:
    """Until the kernel is ready, starting the warm-up if nothing has."""
    start().join()
