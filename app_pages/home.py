"""Start here: the four pages as one path, each with a live picture of its own first chart."""

import numpy as np
import streamlit as st

from nnviz import datasets
from nnviz.engine.elbow import find_elbow
from nnviz.engine.gradients import blame, error_along
from nnviz.engine.network import parameters
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig
from nnviz.gradebook import findings as grades
from nnviz.gradebook.intake import load_csv
from nnviz.settings import BACKPROP, DESCENT, GRADES, WALKTHROUGH
from nnviz.views import describe, diagram, figures
from ui import charts, classroom
from ui.language import _, language, n_
from ui.runs import get_run

THUMBNAIL = {"staticPlot": True, "displayModeBar": False}
lang = language()


def defaults(spec) -> TrainingConfig:
    return TrainingConfig.from_values({name: field.default for name, field in spec.items()})


def article_run():
    data = datasets.trask()
    config = defaults(WALKTHROUGH)
    return get_run(("trask", config), data.X, data.y, config)


def students_run(spec):
    data = datasets.students()
    config = defaults(spec)
    return data, get_run(("students", config), data.X, data.y, config)


def article_error():
    run = RUNS["article"]
    elbow = find_elbow(run.abs_error, 0, 1_001)
    return (
        figures.thumbnail(figures.error_figure(run.abs_error, elbow, 1_000, lang=lang)),
        describe.error_curve(run.abs_error, elbow, 1_000, lang=lang),
    )


def blame_diagram():
    data, run = RUNS["blame"]
    trace = trace_iteration(run, 0)
    gradients = [layer.weight_gradients for layer in trace.layers]
    fig = diagram.diagram_figure(
        run.network, run.params_at(0), data.X, data.feature_names, 0, "", gradients, narrow=True, lang=lang
    )  # a thumbnail is as narrow as a phone
    return figures.thumbnail(fig), describe.blame_diagram(blame(trace, data.feature_names), 0, lang=lang)


def downhill():
    data, run = RUNS["downhill"]
    param = parameters(run.network, data.feature_names)[0]
    trace = trace_iteration(run, 0)
    params = run.params_at(0)
    slope, current = param.gradient(trace), param.get(params)
    step = -run.config.learning_rate * slope
    grid = np.linspace(current - 2, current + 2, 81)
    errors = error_along(params, data.X, data.y, run.rule, param, grid)
    fig = figures.slope_figure(grid, errors, current, trace.objective, slope, step, param.label, lang=lang)
    return figures.thumbnail(fig), describe.slope(param.label, current, trace.objective, slope, step, lang=lang)


def pass_map():
    intake = load_csv(datasets.students_csv_path())
    fit = grades.fit(intake, defaults(GRADES), GRADES["test"].default)
    data = intake.dataset
    grid = grades.pass_map(fit.params, intake, 1, 2)
    is_test = np.isin(np.array(data.row_labels, dtype=object), np.array(fit.test_set.row_labels, dtype=object))
    passed = data.y >= 0.5
    fig = figures.pass_map_figure(grid, data.raw_X[:, 1], data.raw_X[:, 2], passed, is_test, data.row_labels, lang=lang)
    predicted = grades.chance_of_passing(fit.params, data, data.raw_X) >= 0.5
    return figures.thumbnail(fig), describe.pass_map(grid, passed, predicted, [intake.features[0]], lang=lang)


def minutes(n: int) -> str:
    return n_("about {n} minute", "about {n} minutes", n)


PATH = [
    (
        "app_pages/walkthrough.py",
        "🔬",
        "1 · " + _("The 11-line network"),
        minutes(15),
        article_error,
        _(
            "Train the classic numpy example and open any iteration: every dot product, sigmoid, error and "
            "weight update, with the article's own numbers."
        ),
    ),
    (
        "app_pages/backprop.py",
        "🕵️",
        "2 · " + _("The blame game"),
        minutes(10),
        blame_diagram,
        _(
            "How the chain rule shares out the error: every weight's blame as a product of factors you can "
            "read off the network, checked by nudging the weight."
        ),
    ),
    (
        "app_pages/descent.py",
        "⛰️",
        "3 · " + _("Going downhill"),
        minutes(10),
        downhill,
        _("Why stepping against the slope lowers the error, and what a learning rate too small or too large does."),
    ),
    (
        "app_pages/grades.py",
        "🎓",
        "4 · " + _("Will they pass?"),
        minutes(15),
        pass_map,
        _(
            "A 3-2-1 network learns from a class's grades: what it learned, how sure it is, who it gets wrong, "
            "and this year's predictions."
        ),
    ),
]

st.title(_("Watch a small neural network learn"))
st.markdown(
    _(
        "nnviz shows what happens **inside** each iteration of training, with the real numbers. "
        "Follow the four pages in order; each picture below is drawn live from that page's own first run."
    )
)
# A student in a live class sees no thumbnails: each is a page's first run, whose elbow and widest edge
# may be the very question the class is answering until the teacher's Reveal.
in_class = classroom.student() is not None
# The pictures' runs, got here (after the words, which need none of them: a fresh server's first
# visitor reads while they train) and not inside the cached drawings below: a run still to be
# trained draws its progress bar and Stop button, which must never be recorded and replayed.
RUNS = (
    {} if in_class else {"article": article_run(), "blame": students_run(BACKPROP), "downhill": students_run(DESCENT)}
)
for row in (PATH[:2], PATH[2:]):
    for column, (path, icon, title, duration, build, sentence) in zip(st.columns(2), row):
        with column, st.container(border=True):
            st.subheader(f"{icon} {title}")
            if in_class:
                st.caption(_("In a live class the page's picture waits there, with the class's questions."))
            else:
                charts.show_shared("home", f"thumb-{path}", build, config=THUMBNAIL)
            st.markdown(f"{sentence} *({duration})*")
            st.page_link(path, label=_("Go to page {title}", title=title), icon=icon)

st.subheader(_("For teachers"))
left, right = st.columns(2)
with left:
    st.markdown(
        "- "
        + _(
            "**Share a link.** Every page keeps its settings in the address bar: copy it and your class opens "
            "exactly what you see. For a whole class on one machine, see docs/serving.md in the repository."
        )
        + "\n- "
        + _(
            "**Your class's grades.** On *Will they pass?*, upload a Canvas, Moodle or Google Sheets export, "
            "or an Excel sheet in your language; say what counts as a pass; names stay hidden unless you "
            "show them."
        )
    )
with right:
    st.markdown(
        "- "
        + _(
            "**Predict, then see.** Each page asks students to guess before it shows the answer, and keeps a "
            "tally; in a live class the guesses pool on your console until you reveal them. For a demo without "
            "the questions, add `?predict=0` to a page's link."
        )
        + "\n- "
        + _(
            "**What stays private.** An uploaded file, and everything read or trained from it, stays in your "
            "own session on the server: never written to disk, never in a link, never in a cache another "
            "visitor reaches, and gone when you remove the file or close the tab. Alone, predictions stay "
            "in each student's tab; in a live class only a nickname and the answers go to the class, "
            "deleted when it ends (12 hours at most)."
        )
    )
st.page_link(
    "app_pages/teach.py", label=_("Teach a class live: a class code, pooled predictions, and a Reveal"), icon="🧑‍🏫"
)
