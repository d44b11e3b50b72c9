"""nnviz: the app's entry point.  `streamlit run app.py` (or `bash scripts/app.sh`)."""

import streamlit as st

from ui import language, lesson, warmup
from ui.language import _
from ui.shell import run_page, warm_engine

warmup.start()  # the training kernel compiles in the background, once per process (a no-op after that)

language.choose()  # this visitor's language: the link's, their menu's, their browser's, or English
st.set_page_config(page_title=_("nnviz — watch a neural network learn"), page_icon="🧠", layout="wide")

pages = [
    st.Page("app_pages/home.py", title=_("Start here"), icon="🏠", default=True),
    # The order that teaches: the article's network, how blame flows back, why a step goes downhill, then a class.
    st.Page("app_pages/walkthrough.py", title=_("The 11-line network"), icon="🔬", url_path="walkthrough"),
    st.Page("app_pages/backprop.py", title=_("The blame game"), icon="🕵️", url_path="backprop"),
    st.Page("app_pages/descent.py", title=_("Going downhill"), icon="⛰️", url_path="descent"),
    st.Page("app_pages/grades.py", title=_("Will they pass?"), icon="🎓", url_path="grades"),
    st.Page("app_pages/teach.py", title=_("Teach a class"), icon="🧑‍🏫", url_path="teach"),
]
# The window-width reporter (ui/viewport.py) draws nothing and takes no room; on a narrow screen Plotly's
# toolbar and a table's toolbar sit over titles and text, so they are left out there. A row of pills or
# segments wraps instead of scrolling sideways, where its last options (a prompt's answers) hid behind
# the edge with no sign they were there; a long label (a metric's, a page link's, a toggle's) wraps
# instead of ending in "…" (German is a third longer than English: tests/test_browser_labels.py).
st.html(
    "<style>.st-key-viewport { display: none; } @media (max-width: 640px) { .modebar-container, "
    "[data-testid='stElementToolbar'] { display: none !important; } } "
    "[data-testid='stButtonGroup'] > div { flex-wrap: wrap; overflow-x: visible; } "
    "[data-testid='stMetricLabel'] *, [data-testid='stPageLink'] *, [data-testid='stWidgetLabel'] * "
    "{ white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }</style>"
)
warm_engine()
lesson.adopt()  # a ?lesson= link: its pages only, in its order
shown = lesson.pages(pages)
run_page(st.navigation(shown), {page.url_path: page for page in shown})
