"""ui/background.py: the grades page's resamples train on threads the OS runs after the pages."""

import os
import threading

import pytest

from ui import background


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="per-thread niceness is Linux's")
def test_background_threads_run_at_a_lower_priority_and_the_caller_keeps_its_own():
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    pool = background.pool()
    theirs = pool.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()
    assert theirs == min(mine + background.NICENESS, 19)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
