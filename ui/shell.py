"""The app's frame: page config and navigation, shared by app.py and every page."""

from __future__ import annotations

import logging

import streamlit as st


def ensure_navigation() -> None:
    """Make sure app.py's navigation runs, even for a fresh server's first deep link.

    Until some session has called ``st.navigation``, Streamlit treats a ``pages/`` folder
    the legacy way: a first visit to ``/walkthrough`` runs that file alone, skipping
    app.py (its page titles, layout and menu).  Switching the legacy mode off and rerunning
    sends the visit through app.py like every later one.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def run_page(page) -> None:
    """Run the chosen page; an unexpected error becomes a friendly box, never a traceback.

    Streamlit's own stop and rerun signals are not ``Exception``s, so they pass through.
    The details go to the server's log for whoever runs it.
    """
    try:
        page.run()
    except Exception:
        logging.getLogger("nnviz").exception("page %r failed", getattr(page, "title", page))
        st.error(
            "Sorry, something went wrong on this page. Your settings are kept in the address bar: "
            "try another value, or reload the page.",
            icon="😵",
        )


@st.cache_resource(show_spinner="Preparing the training engine (only the first visit after an install waits)…")
def warm_engine() -> bool:
    """Load (or, on a fresh install, compile) the training kernel once per server, with a
    spinner, before any page needs it."""
    from nnviz import datasets
    from nnviz.training import TrainingConfig, train

    data = datasets.trask()
    train(data.X, data.y, TrainingConfig(iterations=2))
    return True
