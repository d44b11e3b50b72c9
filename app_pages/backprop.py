"""The blame game: how each weight's share of the error is found, with every factor's number."""

import numpy as np
import pandas as pd
import streamlit as st

from nnviz.engine.elbow import find_elbow
from nnviz.engine.gradients import blame, simplified_formula_check
from nnviz.engine.network import unit_names
from nnviz.engine.trace import trace_iteration
from nnviz.i18n import DEFAULT, M_, Msg
from nnviz.settings import BACKPROP as SPEC
from nnviz.views import describe, diagram, figures, notebook
from nnviz.views.prompts import HIGHER, LOWER, error_after_update, most_blamed
from ui import charts, lesson, url_state
from ui import network_controls as nc
from ui.keep import keep
from ui.language import _, language
from ui.predict import Prompts
from ui.shared import drawn, shared
from ui.shell import page_header
from ui.viewport import is_narrow

PAGE = "blame"
lang = language()
page_header(
    SPEC,
    PAGE,
    "🕵️ " + _("The blame game: backpropagation"),
    _(
        "After a guess, every weight is asked: how much of the error is yours? The chain rule answers with a product "
        "of factors you can read off the network. Below, every factor has its real number."
    ),
)
values = nc.sidebar(SPEC, PAGE)
if (extra := lesson.widget(PAGE, "blame")) is not None:
    st.sidebar.toggle(_("Colour edges by blame (∂E/∂w)"), key=url_state.key(PAGE, "blame"), **extra)
values["blame"] = url_state.read(SPEC, PAGE, "blame")

data, run, this_run = nc.data_and_run(values)
names = data.feature_names
rows = data.row_names()
st.subheader(_("Pick an iteration"))
prompts = Prompts(PAGE, values["predict"], (values["dataset"], run.config))


def blame_question(at: int) -> Msg:
    return M_("which weight gets the most blame at iteration {k}?", k=at)


def after_question(at: int) -> Msg:
    return M_("after iteration {k}'s update, will the error E be lower or higher?", k=at)


k = nc.iteration_picker(
    PAGE,
    run.last_iteration,
    held_at=prompts.held_iteration(lambda at: [*([blame_question(at)] if values["blame"] else []), after_question(at)]),
)
values["k"] = k
url_state.save(SPEC, values)
trace = shared(("trace", this_run, k), lambda: trace_iteration(run, k))
blames = shared(("blame", this_run, k), lambda: blame(trace, names))  # with its finite differences


def network_drawing() -> tuple:
    """The network at iteration k for the chosen row, edges by weight or by blame, and its words."""
    params = run.params_at(k)
    if values["blame"]:
        gradients = [layer.weight_gradients for layer in trace.layers]
        title = _("Blame at iteration {k}: edge width ∝ |∂E/∂w|", k=lang.integer(k))
        return (
            diagram.diagram_figure(run.network, params, data.X, names, row, title, gradients, narrow, lang=lang),
            describe.blame_diagram(blames, k, lang=lang),
        )
    return (
        diagram.diagram_figure(
            run.network,
            params,
            data.X,
            names,
            row,
            _("Weights at iteration {k}", k=lang.integer(k)),
            narrow=narrow,
            lang=lang,
        ),
        describe.weight_diagram(params, run.network, names, k, lang=lang),
    )


narrow = is_narrow()
left, right = st.columns([3, 2])
with left:
    row = st.selectbox(
        _("Node values shown for"),
        range(len(rows)),
        format_func=lambda r: rows[r],
        key=keep(f"{PAGE}.row.{values['dataset']}"),
    )
    if not values["blame"] or prompts.choice(
        f"blame{k}",
        blame_question(k),
        [b.label for b in blames],
        lambda: most_blamed(blames, lang=lang),
        _("the blame-coloured diagram"),
        format_func=str,
    ):
        charts.show_shared((this_run, k, row, values["blame"], narrow), "blame_diagram", network_drawing)
        st.caption(
            _(
                "Blue: the error grows with this weight (the step will shrink it); vermillion: the error falls as it grows."
            )
            if values["blame"]
            else _("Edge width ∝ |w|; blue positive, vermillion negative.")
        )
with right:
    st.metric(_(run.rule.objective_name), lang.decimal(trace.objective, 8))
    st.metric("Σ|y − ŷ|", lang.decimal(trace.abs_error_sum, 8))
    st.metric(
        _("largest gap, analytic vs finite difference"),
        lang.scientific(max(b.relative_difference for b in blames)),
        help=_("relative difference"),
    )

st.subheader(_("Every weight's share of the blame"))
st.markdown(
    _(
        "Each row of the data adds the product of the factors; the sum over rows is ∂E/∂w, and the update is −α·∂E/∂w. "
        "Beside it, the same slope measured by nudging the weight ±0.00001 and watching E (central finite differences)."
    )
)
if lang.code != DEFAULT:
    st.caption(_("The tables print numbers as the article and the numpy script do, with a decimal point."))
example = st.selectbox(
    _("Show each factor's value for"),
    range(len(rows)),
    format_func=lambda r: rows[r],
    key=keep(f"{PAGE}.example.{values['dataset']}"),
)


def blame_table() -> None:
    records = []
    for b in blames:
        factors = " · ".join(f"{n} = {v:.6f}" for n, v in zip(b.factor_names, b.factors[example]))
        records.append(
            {
                _("weight"): b.label,
                _("chain rule: ∂E/∂w = Σ over rows of"): " · ".join(b.factor_names),
                _("factors for {row}", row=rows[example]): factors,
                _("this row's share"): f"{b.per_row[example]:.8f}",
                _("∂E/∂w (sum)"): f"{b.analytic:.8f}",
                _("finite difference"): f"{b.numeric:.8f}",
                _("relative difference"): lang.scientific(b.relative_difference),
                _("update −α·∂E/∂w"): f"{b.step:+.8f}",
            }
        )
    st.dataframe(pd.DataFrame(records), hide_index=True)


if k >= run.last_iteration or prompts.choice(
    f"after{k}",
    after_question(k),
    (LOWER, HIGHER),
    lambda: error_after_update(run, k, lang=lang),
    _("every weight's gradient and update"),
):
    if values["blame"] and prompts.open_in_class(blame_question(k)):  # every weight's ∂E/∂w names the most blamed
        st.caption(_("The table waits for the teacher's Reveal: it would answer the class's question."))
    else:
        drawn(("blame table", this_run, k, example), blame_table)

st.subheader(_("Why the output formula is so simple"))


def simplified_check() -> None:
    check = simplified_formula_check(trace)
    source = unit_names(run.network, names)[-2][0]
    st.markdown(
        _(
            "For the weight from **{source}** into ŷ, the full chain rule is ∂E/∂ŷ · ∂ŷ/∂z · ∂z/∂w = "
            "(ŷ − y)/(ŷ(1 − ŷ))/m · ŷ(1 − ŷ) · x. The sigmoid's slope ŷ(1 − ŷ) cancels, leaving (ŷ − y) · x / m: "
            "the walk-through's w' = w − α(ŷ − y)·x.",
            source=source,
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("row"): rows,
                _("full chain-rule product"): [f"{v:.12f}" for v in check.full],
                "(ŷ − y) · x / m": [f"{v:.12f}" for v in check.simplified],
            }
        ),
        hide_index=True,
    )
    st.caption(
        _(
            "Largest difference: {gap} (rounding only).",
            gap=lang.scientific(np.max(np.abs(check.full - check.simplified))),
        )
    )


if run.rule.slope_cancels:
    drawn(("simplified", this_run, k), simplified_check)
else:
    st.markdown(
        _(
            "Under the article's rule (½ squared error) nothing cancels: the output delta keeps the factor ŷ(1 − ŷ). "
            "When the sigmoid saturates (ŷ near 0 or 1) that factor is close to 0, so a confidently **wrong** prediction "
            "gets almost no blame and learns slowly. Cross-entropy's delta (ŷ − y) has no such factor."
        )
    )
charts.show_shared(
    (this_run, k),
    "saturation",
    lambda: (
        figures.saturation_figure(trace.predictions, trace.targets, lang=lang),
        describe.saturation(trace.predictions, trace.targets, lang=lang),
    ),
)
st.caption(
    _(
        "For a student who passed (y = 1): how hard each rule pushes as the prediction ŷ goes from wrong (0) to right "
        "(1). Dots: this iteration's rows with y = 1."
    )
)
st.subheader(_("Take it home"))
config = run.config
st.download_button(
    _("Download a notebook (.ipynb)"),
    lambda: notebook.notebook(
        notebook.run_cells(
            run,
            f"the blame game's run: {values['dataset']} data, hidden {list(config.hidden)}, {config.rule} rule, "
            f"lr {config.learning_rate}, seed {config.seed}",
            k,
            find_elbow(run.abs_error),
            row_names=rows,
            lang=lang,
        )
    ),
    "nnviz_blame.ipynb",
    "application/x-ipynb+json",
    on_click="ignore",
)
st.caption(
    _(
        "Plain numpy in Jupyter or Colab (File → Upload notebook): the same training, checked against this page's "
        "iteration #0, its weights at iteration {k} and the final error.",
        k=lang.integer(k),
    )
)
prompts.tally()
