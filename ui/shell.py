"""The app's frame: page config and navigation, shared by app.py and every page."""

from __future__ import annotations

import logging
import os
import time

import streamlit as st

from ui import classroom, language, viewport, warmup, work
from ui.language import _
from ui.shared import private
from ui.turns import SCRIPTS

# One line per script run on stderr ("nnviz timing <page> <outcome> <seconds>") when the
# server is started with NNVIZ_LOG_TIMINGS=1: the load test reads them to tell the server's
# share of a student's wait from the browser's.
_timings = logging.getLogger("nnviz.timings")
if os.environ.get("NNVIZ_LOG_TIMINGS") and not _timings.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("nnviz timing %(message)s"))
    _timings.addHandler(_handler)
    _timings.setLevel(logging.INFO)
    _timings.propagate = False


def page_header(spec, page: str, title: str, caption: str) -> None:
    """Every content page's opening: a lesson's title and instructions, settings from the link
    (and the lesson), the title and one line of what it shows, then any warnings about the link's values."""
    from ui import lesson, url_state

    lesson.frame()
    url_state.load(spec, page)
    st.title(title)
    st.caption(caption)
    work.make_area()
    url_state.show_warnings(page)


def run_page(page, pages: dict | None = None) -> None:
    """Run the chosen page in its turn; an unexpected error becomes a friendly box, never a traceback.

    Streamlit's own stop and rerun signals are not ``Exception``s, so they pass through.
    The details go to the server's log for whoever runs it.  ``pages`` (each url path's
    page) lets a student in a live class follow the teacher to another page.
    """
    started, outcome = time.perf_counter(), "stopped"  # st.stop and reruns are not Exceptions
    try:
        with SCRIPTS.turn():  # one script per core at a time (ui/turns.py says why)
            viewport.watch()
            work.forget_area()  # a place kept by the last run's page is not this run's
            private(False)  # shared caches, until a page says it works on an upload
            language.menu()
            classroom.entry(pages or {})  # a ?class= link's join box; a student's banner and the teacher's news
            page.run()
        outcome = "finished"
    except Exception:
        outcome = "error"
        logging.getLogger("nnviz").exception("page %r failed", getattr(page, "title", page))
        st.error(
            _(
                "Sorry, something went wrong on this page. Your settings are kept in the address bar: "
                "try another value, or reload the page."
            ),
            icon="😵",
        )
    finally:
        name = getattr(page, "url_path", "") or "home"
        _timings.info("%s %s %.4f", name, outcome, time.perf_counter() - started)


def warm_engine() -> None:
    """Wait, with a spinner, for what is left of the kernel's warm-up (``ui/warmup.py``) before any
    page trains: nothing once it is done, which is from a few seconds after the server starts."""
    if not warmup.done():
        with st.spinner(_("Preparing the training engine (only in the first seconds after the server starts)…")):
            warmup.wait()
