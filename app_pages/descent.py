"""Going downhill: why the step −α·∂E/∂w lowers the error, and what the learning rate does."""

from dataclasses import replace

import numpy as np
import streamlit as st

from nnviz.engine.elbow import find_elbow
from nnviz.engine.gradients import error_along, error_surface
from nnviz.engine.network import parameters
from nnviz.engine.trace import trace_iteration
from nnviz.i18n import M_, Msg
from nnviz.settings import DESCENT as SPEC
from nnviz.settings import MAX_RATES
from nnviz.views import describe, figures
from nnviz.views.prompts import DOES_NOT, DOWN, SETTLES, UP, settles, step_direction
from ui import charts, lesson, url_state
from ui import network_controls as nc
from ui.language import _, language, n_
from ui.predict import Prompts
from ui.runs import get_runs, run_id
from ui.shared import drawn, shared
from ui.shell import page_header

PAGE = "descent"
lang = language()
page_header(
    SPEC,
    PAGE,
    "⛰️ " + _("Going downhill: gradient descent"),
    _(
        "The slope of the error tells each weight which way is down: a negative slope says increase the weight, a "
        "positive slope says decrease it. The learning rate α says how big a step to take."
    ),
)
values = nc.sidebar(SPEC, PAGE)
data, run, this_run = nc.data_and_run(values)
labels = parameters(run.network, data.feature_names)
params_names = [param.label for param in labels]

# --- Error against one weight ------------------------------------------------------------------
st.subheader(_("1 · Error against one weight"))
prompts = Prompts(PAGE, values["predict"], (values["dataset"], run.config))


def step_question_at(at: int) -> Msg:
    weight = params_names[min(url_state.read(SPEC, PAGE, "weight"), len(params_names) - 1)]
    return M_("at iteration {k}, which way will {weight} step?", k=at, weight=weight)


k = nc.iteration_picker(PAGE, run.last_iteration, held_at=prompts.held_iteration(lambda at: [step_question_at(at)]))
c1, c2 = st.columns(2)
for name in ("weight", "weight2"):
    if url_state.read(SPEC, PAGE, name) >= len(labels):
        st.session_state[url_state.key(PAGE, name)] = min(len(labels) - 1, 0 if name == "weight" else 1)
if (extra := lesson.widget(PAGE, "weight")) is not None:
    c1.selectbox(
        _("Weight"),
        range(len(labels)),
        format_func=lambda i: params_names[i],
        key=url_state.key(PAGE, "weight"),
        **extra,
    )
choice = url_state.read(SPEC, PAGE, "weight")
param = labels[choice]
trace = shared(("trace", this_run, k), lambda: trace_iteration(run, k))
params = run.params_at(k)
slope = param.gradient(trace)
current = param.get(params)
step = -run.config.learning_rate * slope


def slope_chart() -> None:
    half = max(2.0, 1.5 * abs(step), 0.5 * abs(current))
    grid = np.linspace(current - half, current + half, 161)
    errors = error_along(params, data.X, data.y, run.rule, param, grid)
    charts.show(
        figures.slope_figure(grid, errors, current, trace.objective, slope, step, params_names[choice], lang=lang),
        "slope",
        describe.slope(params_names[choice], current, trace.objective, slope, step, lang=lang),
    )


step_question = step_question_at(k)
if prompts.choice(
    f"step{k}.{choice}",
    step_question,
    (UP, DOWN),
    lambda: step_direction(params_names[choice], slope, run.config.learning_rate, lang=lang),
    _("the slope and the step"),
):
    drawn(("slope", this_run, k, choice), slope_chart)
    numbers = {
        "k": lang.integer(k),
        "slope": lang.signed(slope, 6),
        "rate": lang.short(run.config.learning_rate),
        "step": lang.signed(step, 6),
    }
    if slope < 0:
        st.caption(
            _(
                "At iteration {k} the slope ∂E/∂w is {slope}: negative, so the step increases the weight. The "
                "step is −α · slope = −{rate} × {slope} = {step}. Too large an α jumps past the valley's floor.",
                **numbers,
            )
        )
    else:
        st.caption(
            _(
                "At iteration {k} the slope ∂E/∂w is {slope}: positive, so the step decreases the weight. The "
                "step is −α · slope = −{rate} × {slope} = {step}. Too large an α jumps past the valley's floor.",
                **numbers,
            )
        )


def _span(path: np.ndarray) -> np.ndarray:
    """The map's axis for one weight: the range its path covers, with a margin."""
    low, high = float(path.min()), float(path.max())
    pad = max(1.0, 0.25 * (high - low))
    return np.linspace(low - pad, high + pad, 41)


# --- Landscape over two weights ---------------------------------------------------------------
st.subheader(_("2 · The landscape over two weights"))
if (extra := lesson.widget(PAGE, "weight2")) is not None:
    c2.selectbox(
        _("Second weight (for the landscape)"),
        range(len(labels)),
        format_func=lambda i: params_names[i],
        key=url_state.key(PAGE, "weight2"),
        **extra,
    )
choice2 = url_state.read(SPEC, PAGE, "weight2")
param2 = labels[choice2]
if choice2 == choice:
    st.info(_("Pick two different weights to see the landscape."))
elif prompts.open_in_class(step_question):  # the path the weights took shows which way they step
    st.caption(_("The landscape waits for the teacher's Reveal: its path would answer the class's question."))
else:

    def landscape() -> tuple:
        path1, path2 = param.path(run), param2.path(run)
        v1, v2 = _span(path1), _span(path2)
        surface = error_surface(run.final_params, data.X, data.y, run.rule, param, param2, v1, v2)
        names = params_names[choice], params_names[choice2]
        return (
            figures.contour_figure(v1, v2, surface, path1, path2, *names, lang=lang),
            describe.landscape(surface, *names, path1, path2, lang=lang),
        )

    charts.show_shared((this_run, choice, choice2), "contour", landscape)
    st.caption(
        _(
            "The map shows E with every other weight at its final value; the line is the path the two weights took "
            "(one point per snapshot). Training walks across the contour lines, downhill."
        )
    )

# --- Learning rates side by side -----------------------------------------------------------------
st.subheader(_("3 · Learning rates side by side"))
if (extra := lesson.widget(PAGE, "rates")) is not None:
    st.text_input(
        _("Learning rates to compare (separated by “{sign}”, at most {n})", sign=lang.list_sign, n=MAX_RATES),
        key=url_state.key(PAGE, "rates"),
        **extra,
    )
if (extra := lesson.widget(PAGE, "both")) is not None:
    st.toggle(_("Compare both rules"), key=url_state.key(PAGE, "both"), **extra)
rates, both = url_state.read(SPEC, PAGE, "rates"), url_state.read(SPEC, PAGE, "both")
st.caption(_("Read as {rates}.", rates=lang.typed_list(rates)))  # 0,05 is 0.05 and not 5: the reader sees which
rules = ("bce", "trask") if both else (run.config.rule,)
configs = [replace(run.config, rule=r, learning_rate=a) for r in rules for a in rates]
runs = get_runs(values["dataset"], data.X, data.y, configs)
cut = [r for r in runs if r.out_of_time]
if cut:
    st.info(
        n_(
            "{n} of these runs stopped before its last iteration (this server's share of training time for one "
            "visitor): its curve ends where it got to. Fewer rates or iterations finish in full.",
            "{n} of these runs stopped before their last iteration (this server's share of training time for one "
            "visitor): their curves end where they got to. Fewer rates or iterations finish in full.",
            len(cut),
        )
    )


def comparison() -> tuple:
    names = {
        c: (f"α = {lang.short(c.learning_rate)}" + (f", {nc.rule_title(c.rule)}" if both else "")) for c in configs
    }
    curves = {names[c]: r.abs_error for c, r in zip(configs, runs)}
    elbows = {names[c]: find_elbow(r.abs_error) for c, r in zip(configs, runs)}
    return (
        figures.comparison_figure(curves, elbows, "Σ|y − ŷ|", lang=lang),
        describe.comparison(curves, elbows, lang=lang),
    )


largest = max(range(len(configs)), key=lambda i: (configs[i].learning_rate, configs[i].rule == run.config.rule))
if prompts.choice(
    f"settles{configs[largest]}",
    M_("with learning rate {rate}, will the run settle?", rate=configs[largest].learning_rate),
    (SETTLES, DOES_NOT),
    lambda: settles(runs[largest].abs_error, configs[largest].learning_rate, lang=lang),
    _("the runs side by side"),
):
    charts.show_shared(
        tuple(run_id((values["dataset"], c), r) for c, r in zip(configs, runs)) + (both,), "compare", comparison
    )
    st.caption(
        _(
            "Too small an α crawls; a good one drops early (its elbow comes first); too large an α can overshoot, "
            "oscillate or stall. All runs start from the same weights (same seed)."
        )
    )
values["k"] = k
values["weight"], values["weight2"] = choice, choice2
values["rates"], values["both"] = rates, both
url_state.save(SPEC, values)
prompts.tally()
