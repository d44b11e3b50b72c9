"""Going downhill: why the step −α·∂E/∂w lowers the error, and what the learning rate does."""

from dataclasses import replace

import numpy as np
import streamlit as st

from nnviz import describe, figures
from nnviz.elbow import find_elbow
from nnviz.gradients import error_along, error_surface
from nnviz.network import parameters
from nnviz.predictions import DOES_NOT, DOWN, SETTLES, UP, settles, step_direction
from nnviz.settings import DESCENT as SPEC
from nnviz.settings import parse_rates
from nnviz.trace import trace_iteration
from ui import charts, url_state
from ui import network_controls as nc
from ui.predict import Prompts
from ui.runs import get_runs, shared
from ui.shell import page_header

PAGE = "descent"
page_header(
    SPEC, PAGE, "⛰️ Going downhill: gradient descent",
    "The slope of the error tells each weight which way is down: a negative slope says increase the weight, a "
    "positive slope says decrease it. The learning rate α says how big a step to take.",
)  # fmt: skip
values = nc.sidebar(SPEC, PAGE)
data, run = nc.data_and_run(values)
labels = parameters(run.network, data.feature_names)
params_names = [param.label for param in labels]

# --- Error against one weight ------------------------------------------------------------------
st.subheader("1 · Error against one weight")
k = nc.iteration_picker(PAGE, run.last_iteration)
c1, c2 = st.columns(2)
for name in ("weight", "weight2"):
    if url_state.read(SPEC, PAGE, name) >= len(labels):
        st.session_state[url_state.key(PAGE, name)] = min(len(labels) - 1, 0 if name == "weight" else 1)
choice = c1.selectbox(
    "Weight", range(len(labels)), format_func=lambda i: params_names[i], key=url_state.key(PAGE, "weight")
)
param = labels[choice]
trace = trace_iteration(run, k)
params = run.params_at(k)
slope = param.gradient(trace)
current = param.get(params)
step = -run.config.learning_rate * slope
half = max(2.0, 1.5 * abs(step), 0.5 * abs(current))
grid = np.linspace(current - half, current + half, 161)
errors = error_along(params, data.X, data.y, run.rule, param, grid)
prompts = Prompts(PAGE, values["predict"], (values["dataset"], run.config))
if prompts.choice(
    f"step{k}.{choice}", f"at iteration {k:,}, which way will {params_names[choice]} step?", (UP, DOWN),
    step_direction(params_names[choice], slope, run.config.learning_rate), "the slope and the step",
):  # fmt: skip
    charts.show(
        figures.slope_figure(grid, errors, current, trace.objective, slope, step, params_names[choice]), "slope",
        describe.slope(params_names[choice], current, trace.objective, slope, step),
    )  # fmt: skip
    direction = "negative, so the step increases the weight" if slope < 0 else "positive, so the step decreases the weight"
    st.caption(
        f"At iteration {k:,} the slope ∂E/∂w is {slope:+.6f}: {direction}. The step is −α · slope = "
        f"−{run.config.learning_rate:g} × {slope:+.6f} = {step:+.6f}. Too large an α jumps past the valley's floor."
    )

# --- Landscape over two weights ---------------------------------------------------------------
st.subheader("2 · The landscape over two weights")
choice2 = c2.selectbox(
    "Second weight (for the landscape)",
    range(len(labels)),
    format_func=lambda i: params_names[i],
    key=url_state.key(PAGE, "weight2"),
)
param2 = labels[choice2]
if choice2 == choice:
    st.info("Pick two different weights to see the landscape.")
else:
    path1, path2 = param.path(run), param2.path(run)
    final = run.final_params

    def span(path):
        low, high = float(path.min()), float(path.max())
        pad = max(1.0, 0.25 * (high - low))
        return np.linspace(low - pad, high + pad, 41)

    v1, v2 = span(path1), span(path2)
    surface = shared(
        (values["dataset"], run.config, run.stopped_early, "landscape", choice, choice2),
        lambda: error_surface(final, data.X, data.y, run.rule, param, param2, v1, v2),
    )
    charts.show(
        figures.contour_figure(v1, v2, surface, path1, path2, params_names[choice], params_names[choice2]),
        "contour",
        describe.landscape(surface, params_names[choice], params_names[choice2], path1, path2),
    )
    st.caption(
        "The map shows E with every other weight at its final value; the line is the path the two weights took "
        "(one point per snapshot). Training walks across the contour lines, downhill."
    )

# --- Learning rates side by side -----------------------------------------------------------------
st.subheader("3 · Learning rates side by side")
rates_text = st.text_input("Learning rates to compare (comma separated, at most 8)", key=url_state.key(PAGE, "rates"))
both = st.toggle("Compare both rules", key=url_state.key(PAGE, "both"))
rates, warning = parse_rates(rates_text)
if warning:
    st.warning(warning)
rules = ("bce", "trask") if both else (run.config.rule,)
configs = [replace(run.config, rule=r, learning_rate=a) for r in rules for a in rates]
runs = get_runs(values["dataset"], data.X, data.y, configs)
names = {c: (f"α = {c.learning_rate:g}" + (f", {nc.rule_title(c.rule)}" if both else "")) for c in configs}
curves = {names[c]: r.abs_error for c, r in zip(configs, runs)}
elbows = {names[c]: find_elbow(r.abs_error) for c, r in zip(configs, runs)}
largest = max(range(len(configs)), key=lambda i: (configs[i].learning_rate, configs[i].rule == run.config.rule))
if prompts.choice(
    f"settles{configs[largest]}", f"with learning rate {configs[largest].learning_rate:g}, will the run settle?",
    (SETTLES, DOES_NOT), settles(runs[largest].abs_error, configs[largest].learning_rate), "the runs side by side",
):  # fmt: skip
    charts.show(figures.comparison_figure(curves, elbows, "Σ|y − ŷ|"), "compare", describe.comparison(curves, elbows))
    st.caption(
        "Too small an α crawls; a good one drops early (its elbow comes first); too large an α can overshoot, "
        "oscillate or stall. All runs start from the same weights (same seed)."
    )
values["k"] = k
values["weight"], values["weight2"] = choice, choice2
values["rates"], values["both"] = rates_text, both
url_state.save(SPEC, values)
prompts.tally()
