"""Training that can wait, on threads the operating system runs after everything else.

The grades page trains forty resamples behind its findings, several at a time.  On a shared
server one visitor's big upload would then fill every core for seconds, and the other
students' pages would queue behind it.  These threads ask for a lower priority (a niceness of
10 more than the server's; Linux keeps one per thread): with cores to spare they run at full speed, and when pages
are waiting, the pages go first.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import streamlit as st

NICENESS = 10


def _lower_priority() -> None:
    with suppress(AttributeError, OSError):  # not Linux, or not allowed: full priority, as before
        me = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, me, min(os.getpriority(os.PRIO_PROCESS, me) + NICENESS, 19))


@st.cache_resource(show_spinner=False)
def pool() -> ThreadPoolExecutor:
    """This server's low-priority training threads (a few per core, shared by every session)."""
    return ThreadPoolExecutor(4 * (os.cpu_count() or 1), "nnviz-background", initializer=_lower_priority)
