"""The first chart first: a new visitor's browser draws a page's first chart before the rest arrives.

A page's whole script takes about 0.1 s on a warm server, so every element reaches a new
visitor's browser at once, and the browser then loads the JavaScript of every kind of element
on the page (Plotly's 4.7 MB, the tables' 1.2 MB, the sliders', the uploader's…) before it shows
any of them: the first chart waited for the tables below the fold (measured in headless Chromium,
docs/performance.md).  So on a session's first run, right after its first chart, a page pauses
``PAUSE_SECONDS``: the chart goes out alone, the browser loads Plotly and draws it, and the rest
follows.  Later runs (the browser has the code by then) and runs with no browser on the other end
(AppTest: no request headers) never pause.
"""

from __future__ import annotations

import os
import time

import streamlit as st

# Long enough for a browser to fetch and start Plotly's code on a busy 2-core machine, short
# enough that the rest of the page still comes in well under a second after the chart.
PAUSE_SECONDS = float(os.environ.get("NNVIZ_FIRST_PAINT_PAUSE", "0.5"))
PAUSED = "first_paint.paused"


def first_chart_sent() -> None:
    """Call right after a page's first chart: on the session's first one, let it be drawn alone."""
    if st.session_state.get(PAUSED) or not st.context.headers:
        return
    st.session_state[PAUSED] = True
    if PAUSE_SECONDS > 0:
        time.sleep(PAUSE_SECONDS)
