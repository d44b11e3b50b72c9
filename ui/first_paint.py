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
from collections.abc import Callable
from pathlib import Path

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


# Plotly's code, the largest a page needs (4.7 MB), is fetched only when the browser reaches the first chart,
# after the sidebar's widgets: started with the page instead, it is ready sooner.  Its file name is Streamlit's
# build's (one per version); if a version names it otherwise, nothing is started early and nothing breaks.
_PLOTLY = sorted(p.name for p in (Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
_START = """
export default function(component) {
    const { data } = component;
    const app = document.querySelector("script[type=module][src*='static/js/']");
    if (data && app && !window.nnvizPlotlyStarted) {
        window.nnvizPlotlyStarted = true;
        import(new URL(data, app.src).href).catch(() => {});
    }
}
"""
_starter = st.components.v2.component("nnviz.plotly_start", js=_START)


def start_plotly() -> None:
    """Call at the top of every run: in a new tab, the browser starts on Plotly's code at once."""
    if len(_PLOTLY) == 1 and waiting():
        _starter(key="plotly_start", data=_PLOTLY[0])


def _remember() -> None:
    st.session_state[DRAWN] = True


def waiting() -> bool:
    """Whether this run stops at the page's first chart, for the browser to draw it first."""
    return ENABLED and not st.session_state.get(DRAWN) and bool(st.context.headers)


def after_first_chart(draw: Callable[[], None]) -> None:
    """``draw`` here, except in a run that stops at the first chart: then the run after it draws it.
    For what above a page's first chart costs the browser more than it tells at first sight (a table
    in a closed expander brings the tables' 1.2 MB of code)."""
    if waiting():
        st.empty()  # the element's place, so the elements after it keep theirs
    else:
        draw()


def first_chart_sent() -> None:
    """Call right after a page's first chart (at page level, never inside a cached drawing): in a
    new tab, the rest of the page waits until the browser has drawn it."""
    if not waiting():
        return
    _reporter(key="first_paint", on_drawn_change=_remember)
    st.stop()
