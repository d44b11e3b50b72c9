"""The grades walk-through: a class's own gradebook, a 3-2-1 network, what holds up, and this year's predictions.

Each section is one call into ``ui/grades/`` (its module says what it shows)."""

import streamlit as st

from nnviz.settings import GRADES as SPEC
from ui import lesson, url_state
from ui.grades import book, learned, this_year, training
from ui.language import N_, _
from ui.network_controls import network_controls
from ui.shell import page_header

PAGE = "grades"

page_header(
    SPEC,
    PAGE,
    "🎓 " + _("Will they pass? A network learns from grades"),
    _(
        "Last years' grades for class assignments, written tests and oral tests, and whether each student passed the "
        "final exam. A small network learns the link, shows what it learned and how sure it is, and predicts this "
        "year's students."
    ),
)
network_controls(SPEC, PAGE, seed_label=N_("Random seed (weights and split)"))
if (extra := lesson.widget(PAGE, "test")) is not None:
    st.sidebar.slider(
        _("Share of students held out for testing"),
        0.0,
        SPEC["test"].high,
        step=0.05,
        key=url_state.key(PAGE, "test"),
        **extra,
    )
values = url_state.read_all(SPEC, PAGE)
url_state.save(SPEC, values)

st.subheader(_("1 · The class's grades"))
the_file = book.open_book()
intake, intake_of = book.what_counts(the_file)

st.subheader(_("2 · Training"))
trained = training.train(the_file, intake, intake_of, values, PAGE)

st.subheader(_("3 · What the network learned, and how sure it is"))
learned.what_it_learned(the_file, intake, trained)

st.subheader(_("4 · This year's students"))
this_year.predictions(the_file, intake, intake_of, trained.fit)
trained.prompts.tally()
