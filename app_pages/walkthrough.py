"""The 11-line network, iteration by iteration: the article come alive."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from nnviz import datasets
from nnviz.engine.elbow import METHOD, find_elbow
from nnviz.engine.network import ACTIVATIONS, parameters
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig
from nnviz.i18n import M_
from nnviz.lesson import FREE, NETWORK
from nnviz.settings import MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS
from nnviz.settings import WALKTHROUGH as SPEC
from nnviz.views import describe, diagram, export, figures, notebook
from nnviz.views.prompts import (
    DOWN,
    NONE_BELOW,
    UP,
    elbow_guess,
    fastest_activation,
    largest_weight,
    update_note,
    weight_direction,
)
from ui import charts, lesson, trace_view, url_state
from ui.keep import keep
from ui.language import N_, _, language
from ui.network_controls import iteration_picker, network_controls
from ui.predict import Prompts, log_options
from ui.runs import get_run, get_runs, run_id, stop_reason
from ui.shared import drawn, shared
from ui.shell import page_header
from ui.viewport import is_narrow

PAGE = "walk"
WINDOWS = (100, 1_000, 10_000, 100_000, 1_000_000)
DATASETS = {"trask": N_("The article: y copies x1"), "xor": N_("XOR: y = x1 xor x2")}


lang = language()


def key(name: str) -> str:
    return url_state.key(PAGE, name)


page_header(
    SPEC,
    PAGE,
    "🔬 " + _("The 11-line network"),
    _(
        "Andrew Trask's numpy network, trained exactly as the article walks through it. With the default settings "
        "every number below is the article's."
    ),
)
network_controls(
    SPEC,
    PAGE,
    DATASETS,
    hidden_help=_(
        "Sizes separated by “{sign}”, e.g. {one} or {two} (at most {layers} layers of {units}). Empty or "
        "“{none}”: no hidden layer, the article's network.",
        sign=language().list_sign,
        one=4,
        two=language().typed_list([3, 2]),
        layers=MAX_HIDDEN_LAYERS,
        units=MAX_HIDDEN_UNITS,
        none=language().pgettext("hidden layers", "none"),
    ),
)


def back_to_the_article() -> None:
    """Every setting to its default (the article's), before the widgets are drawn again; the
    prompts stay as the link set them (a teacher's ``?predict=0`` demo)."""
    for name, field in SPEC.items():
        if name != "predict":
            st.session_state[key(name)] = url_state.widget_value(field, field.default)


if any(lesson.mode(PAGE, name) == FREE for name in NETWORK):  # a lesson may fix them all
    with st.sidebar:
        st.button(_("Back to the article's settings"), on_click=back_to_the_article)

values = url_state.read_all(SPEC, PAGE)
config = TrainingConfig.from_values(values)
data = datasets.BUILT_IN[values["dataset"]]()
names = data.feature_names
row_names = data.row_names()

run_key = (values["dataset"], config)  # the same key on every page: one run per settings
run = get_run(run_key, data.X, data.y, config)
this_run = run_id(run_key, run)  # names everything drawn from this run, for the shared caches
prompts = Prompts(PAGE, values["predict"], run_key)
last = run.last_iteration
if run.stopped_early:
    st.info(
        _(
            "Training stopped at iteration {last} ({reason}). Everything below is for the iterations done.",
            last=lang.integer(last),
            reason=stop_reason(run),
        )
    )

# --- Headline numbers --------------------------------------------------------------------
cols = st.columns(4)
cols[0].metric(_("Σ|error| at the start"), lang.decimal(run.abs_error[0], 5))
if last >= 10_000:
    cols[1].metric(_("after {n} iterations", n=lang.integer(10_000)), lang.decimal(run.abs_error[10_000], 5))
cols[2].metric(_("after {n} iterations", n=lang.integer(last)), lang.decimal(run.abs_error[last], 5))
cols[3].metric(_("accuracy at the end"), lang.percent(run.accuracy[last]))

# --- Error curve ----------------------------------------------------------------------------
st.subheader(_("How the error falls"))
options = [w for w in WINDOWS if w < last] + [max(last, 1)]
if values["window"] not in options:
    st.session_state[key("window")] = min(options, key=lambda w: abs(w - values["window"]))
c1, c2 = st.columns([3, 1])
if (extra := lesson.widget(PAGE, "window")) is not None:
    c1.radio(_("Window (iterations)"), options, horizontal=True, format_func=lang.integer, key=key("window"), **extra)
if (extra := lesson.widget(PAGE, "logy")) is not None:
    c2.toggle(_("log error axis"), key=key("logy"), **extra)
window, log_y = st.session_state[key("window")], url_state.read(SPEC, PAGE, "logy")
elbow = find_elbow(run.abs_error, 0, window + 1)
elbow_question = M_("over the first {n} iterations, where does the error curve bend most?", n=window)
largest_question = M_("which input's weight ends up largest (in size), and why?")
no_hidden = not config.hidden
# In a live class, what would answer an open question (the animation's error curve and growing edges, the
# downloads' numbers) waits for the teacher's Reveal with the question itself.
in_class_open = prompts.open_in_class(elbow_question, *([largest_question] if no_hidden else []))
if prompts.number(
    f"elbow{window}",
    elbow_question,
    log_options(window),
    lambda guess: elbow_guess(guess, elbow, window, lang=lang),
    _("the error chart"),
    _(
        "Over the first {n} iterations the error bends most at iteration {elbow}.",
        n=lang.integer(window),
        elbow=lang.integer(elbow),
    ),
    truth=elbow,
):
    charts.show_shared(
        (this_run, window, log_y),
        "error_chart",
        lambda: (
            figures.error_figure(run.abs_error, elbow, window, log_y=log_y, lang=lang),
            describe.error_curve(run.abs_error, elbow, window, lang=lang),
        ),
    )
    st.caption(
        _(
            "Most of the learning happens before the elbow at iteration **{elbow}**; after it, each iteration polishes "
            "a little.",
            elbow=lang.integer(elbow),
        )
        + " "
        + _(METHOD)
        + " "
        + _("Try the windows: like the article's four graphs, the elbow moves with the window.")
    )

# On XOR with a hidden layer, the activation is the lever: the same run with each of them.
if values["dataset"] == "xor" and not no_hidden:

    def activation_race():
        configs = [replace(config, activation=name) for name in ACTIVATIONS]
        return fastest_activation(dict(zip(ACTIVATIONS, get_runs(values["dataset"], data.X, data.y, configs))), lang)

    prompts.choice(
        "activation",
        M_("which activation gets the error below 0.1 first?"),
        [a.title for a in ACTIVATIONS.values()] + [NONE_BELOW],
        activation_race,
        _("the answer"),
    )

# --- Watch it train ------------------------------------------------------------------------
st.subheader(_("Watch it train"))
row = st.radio(
    _("Show the node values for row"),
    range(len(row_names)),
    format_func=lambda r: row_names[r],
    horizontal=True,
    key=keep(key("row")),
)
narrow = is_narrow()
if in_class_open:
    st.caption(_("The animation waits for the teacher's Reveal: it would answer the class's question."))
else:
    charts.keyboard_animation(
        "walk.animation",
        [int(k) for k in diagram.frame_iterations(run)],
        (this_run, row, narrow),
        lambda start, one_frame: (
            diagram.training_animation(
                run,
                names,
                row=row,
                row_names=row_names,
                narrow=narrow,
                start_iteration=start,
                one_frame=one_frame,
                lang=lang,
            ),
            describe.animation(run, row_names, names, lang=lang),
        ),
    )
    st.caption(
        _(
            "Drag the slider or press play: the edges thicken as the weights grow (blue positive, vermillion negative), "
            "the marker walks down the error curve, and the predictions move towards their targets (bars coloured by target)."
        )
    )

st.subheader(_("Every weight on its way"))
if not no_hidden or prompts.choice(
    "largest", largest_question, list(names), lambda: largest_weight(run, names, lang=lang), _("every weight's path")
):
    charts.show_shared(
        this_run,
        "weights_chart",
        lambda: (figures.weights_figure(run, names, lang=lang), describe.weights(run, names, lang=lang)),
    )
    st.caption(_("Look for the weight that keeps growing: it belongs to the input the answer really depends on."))

# --- One iteration in full ---------------------------------------------------------------
st.subheader(_("Step through one iteration"))
into_output = [p for p in parameters(run.network, names) if p.layer == len(run.network.sizes) - 2 and not p.is_bias][:4]


def update_questions(at: int) -> list:
    return [M_("will {weight} go up or down at iteration {k}?", weight=p.label, k=at) for p in into_output]


k = iteration_picker(
    PAGE,
    last,
    held_at=prompts.held_iteration(lambda at: [*([largest_question] if no_hidden else []), *update_questions(at)]),
)
trace = shared(("trace", this_run, k), lambda: trace_iteration(run, k))  # every number of iteration k, once
previous = shared(("trace", this_run, k - 1), lambda: trace_iteration(run, k - 1)) if k > 0 else None
st.markdown("#### " + _("Iteration #{k}", k=lang.integer(k)))


def predict_update() -> bool:
    return prompts.several(
        f"updown{k}",
        update_questions(k),
        (UP, DOWN),
        lambda: [weight_direction(trace, p, lang=lang) for p in into_output],
        _("the update table"),
        labels=[p.label for p in into_output],
        note=update_note(trace, lang=lang),
    )


trace_view.show(trace, previous, names, row_names, (this_run, k), before_update=predict_update if k < last else None)

# --- Predictions -----------------------------------------------------------------------------
st.subheader(_("Predictions"))


def predictions_table() -> None:
    final = trace_iteration(run, last)
    st.dataframe(
        pd.DataFrame(
            {
                _("row"): row_names,
                _("target"): data.y.astype(int),
                _("ŷ at iteration {k}", k=lang.integer(k)): [f"{p:.8f}" for p in trace.predictions],
                _("ŷ at the end ({last})", last=lang.integer(last)): [f"{p:.8f}" for p in final.predictions],
                _("error at the end"): [f"{e:.8f}" for e in final.errors],
            }
        ),
        hide_index=True,
    )
    st.caption(
        _(
            "Σ|error| at iteration {k}: {now}; at the end: {end}.",
            k=lang.integer(k),
            now=lang.decimal(trace.abs_error_sum, 8),
            end=lang.decimal(final.abs_error_sum, 8),
        )
    )


drawn(("predictions", this_run, k), predictions_table)

# --- Take it home ----------------------------------------------------------------------------
st.subheader(_("Take it home"))
if in_class_open or prompts.any_open_in_class():  # every question the page asked, the updates' too
    st.caption(_("The downloads wait for the teacher's Reveal: they hold the answers to the class's questions."))
else:
    d1, d2, d3 = st.columns(3)
    d1.download_button(  # the files are made when a student asks for them, not on every rerun
        _("Download the run's history (CSV)"),
        lambda: export.history_csv(run, names),
        "nnviz_history.csv",
        "text/csv",
        on_click="ignore",
    )
    description = f"{values['dataset']} data, hidden {list(config.hidden)}, {config.rule} rule, lr {config.learning_rate}, seed {config.seed}"
    d2.download_button(
        _("Download a numpy script (.py)"),
        lambda: export.numpy_script(run, description),
        "nnviz_run.py",
        "text/x-python",
        on_click="ignore",
    )
    d3.download_button(
        _("Download a notebook (.ipynb)"),
        lambda: notebook.notebook(
            notebook.run_cells(run, description, k, elbow, row_names=row_names, lang=lang, elbow_stop=window + 1)
        ),
        "nnviz_run.ipynb",
        "application/x-ipynb+json",
        on_click="ignore",
    )
    st.caption(
        _(
            "The notebook (Jupyter, or Colab: File → Upload notebook) trains the same network in plain numpy, checks "
            "iteration #0, the weights at iteration {k} and the final error against this page, and draws the error curve.",
            k=lang.integer(k),
        )
    )

values["window"] = window
values["k"] = k
url_state.save(SPEC, values)
prompts.tally()
