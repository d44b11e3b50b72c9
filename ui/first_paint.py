"""The first chart first: a new visitor's browser draws a page's first chart before the rest arrives.

A page's whole script takes about 0.1 s on a warm server, so every element reached a new
visitor's browser at once, and the browser then loaded and started the code of every kind of
element on the page (Plotly's 4.7 MB, the tables' 1.2 MB, the sliders', the uploader's…) before
it showed any of them: the first chart waited for the tables and animations below it (measured
in headless Chromium: docs/performance.md).  So a session's first run stops right after the
page's first chart, with a tiny component (no iframe; it draws nothing) that tells the server
once the browser has drawn that chart; the run it starts draws the whole page, from the code the
browser has by then.  A fixed pause instead would have to guess how long a busy machine takes
(it took 1.5–3 s here), and would hold one of the server's script turns while it waited.

Later runs never stop, nor do runs with no browser on the other end (AppTest: no request
headers): only a new browser tab has code still to load.
"""

from __future__ import annotations

import os

import streamlit as st

# ``NNVIZ_FIRST_CHART_FIRST=0``: every element at once, as before (benchmarks/first_chart.py --compare-order).
ENABLED = os.environ.get("NNVIZ_FIRST_CHART_FIRST", "1") != "0"
DRAWN = "first_paint.drawn"
GIVE_UP_MS = 6_000  # a chart that never draws (an error in the browser) must not hold the page back

_REPORT = f"""
export default function(component) {{
    const {{ setStateValue }} = component;
    let done = false;
    const report = () => {{
        if (!done) {{
            done = true;
            setStateValue("drawn", true);
        }}
    }};
    const check = () => {{
        if (document.querySelector(".js-plotly-plot .main-svg")) report();
    }};
    const watcher = new MutationObserver(check);
    watcher.observe(document.body, {{ childList: true, subtree: true }});
    const timer = setTimeout(report, {GIVE_UP_MS});
    check();
    return () => {{
        watcher.disconnect();
        clearTimeout(timer);
    }};
}}
"""
_reporter = st.components.v2.component("nnviz.first_paint", js=_REPORT)


def _remember() -> None:
    st.session_state[DRAWN] = True


def first_chart_sent() -> None:
    """Call right after a page's first chart (at page level, never inside a cached drawing): in a
    new tab, the rest of the page waits until the browser has drawn it."""
    if not ENABLED or st.session_state.get(DRAWN) or not st.context.headers:
        return
    _reporter(key="first_paint", on_drawn_change=_remember)
    st.stop()
