"""One iteration's arithmetic as tables: the page's version of the article's printout."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from nnviz.engine.network import unit_names, weight_label
from nnviz.engine.trace import IterationTrace, dot_product_text
from nnviz.i18n import DEFAULT
from nnviz.numbers import EXACT_DECIMALS, exact
from ui import language
from ui.language import _
from ui.shared import drawn
from ui.text import plain

_fmt = exact  # every number in the tables to the article's eight decimals


def forward_table(trace: IterationTrace, number: int, names: list[list[str]], row_names: Sequence[str]) -> pd.DataFrame:
    layer = trace.layers[number - 1]
    bias = trace.run.config.bias
    records = []
    for r in range(len(layer.inputs)):
        for o in range(layer.weights.shape[1]):
            records.append(
                {
                    _("row"): row_names[r],
                    _("unit"): names[number][o],
                    _("dot product, term by term"): dot_product_text(layer, r, o, bias, EXACT_DECIMALS),
                    f"{layer.activation.symbol}(z) = {layer.activation.formula}": _fmt(layer.outputs[r, o]),
                }
            )
    return pd.DataFrame(records)


def output_table(trace: IterationTrace, row_names: Sequence[str]) -> pd.DataFrame:
    layer = trace.layers[-1]
    delta_name = trace.run.rule.delta_heading
    return pd.DataFrame(
        {
            _("row"): list(row_names),
            _("target y"): trace.targets.astype(int) if np.all(trace.targets % 1 == 0) else trace.targets,
            _("prediction ŷ"): [_fmt(v) for v in trace.predictions],
            _("error y − ŷ"): [_fmt(v) for v in trace.errors],
            _("slope ŷ(1 − ŷ)"): [_fmt(v) for v in layer.slopes[:, 0]],
            _(delta_name): [_fmt(v) for v in layer.deltas[:, 0]],
        }
    )


def hidden_table(trace: IterationTrace, number: int, names: list[list[str]], row_names: Sequence[str]) -> pd.DataFrame:
    layer, after = trace.layers[number - 1], trace.layers[number]
    blame = after.deltas.dot(after.weights.T)
    slope = _("slope {formula}", formula=layer.activation.slope_formula.format(a="h"))
    records = []
    for r in range(len(layer.inputs)):
        for j in range(layer.weights.shape[1]):
            records.append(
                {
                    _("row"): row_names[r],
                    _("unit"): names[number][j],
                    _("blame from above δ·Wᵀ"): _fmt(blame[r, j]),
                    slope: _fmt(layer.slopes[r, j]),
                    _("delta = blame × slope"): _fmt(layer.deltas[r, j]),
                }
            )
    return pd.DataFrame(records)


def update_table(trace: IterationTrace, previous: IterationTrace | None, names: list[list[str]]) -> pd.DataFrame:
    records = []
    for layer in trace.layers:
        number = layer.number
        before_prev = previous.layers[number - 1] if previous is not None else None
        for j in range(layer.weights.shape[0]):
            for o in range(layer.weights.shape[1]):
                since = layer.weights[j, o] - before_prev.weights[j, o] if before_prev is not None else np.nan
                records.append(
                    {
                        _("weight"): weight_label(names, number - 1, j, o),
                        _("before"): _fmt(layer.weights[j, o]),
                        _("step ± lr·Σ a·δ"): _fmt(layer.weight_steps[j, o]),
                        _("after"): _fmt(layer.new_weights[j, o]),
                        _("change since k − 1"): "—" if np.isnan(since) else _fmt(since),
                    }
                )
        if trace.run.config.bias:
            for o in range(layer.biases.shape[0]):
                since = layer.biases[o] - before_prev.biases[o] if before_prev is not None else np.nan
                records.append(
                    {
                        _("weight"): weight_label(names, number - 1, None, o),
                        _("before"): _fmt(layer.biases[o]),
                        _("step ± lr·Σ a·δ"): _fmt(layer.bias_steps[o]),
                        _("after"): _fmt(layer.new_biases[o]),
                        _("change since k − 1"): "—" if np.isnan(since) else _fmt(since),
                    }
                )
    return pd.DataFrame(records)


def show(
    trace: IterationTrace,
    previous: IterationTrace | None,
    feature_names: Sequence[str],
    row_names,
    what: Hashable,
    before_update: Callable[[], bool] | None = None,
) -> None:
    """Forward pass, errors, deltas and updates of one iteration, with their real numbers.

    ``what`` names the run and iteration for the shared cache: the tables are formatted once
    per server and replayed to every other student.  ``before_update`` runs just before the
    update table (a prediction prompt, say); when it returns False the table waits."""
    names = unit_names(trace.run.network, feature_names)
    drawn(("trace", what), lambda: _forward_and_blame(trace, names, row_names))
    st.markdown(
        _(
            "**3 · Update.** Every weight moves by the learning rate times the sum over rows of (its input × the delta "
            "it feeds): `{formula}`.",
            formula=trace.run.rule.update_formula,
        )
    )
    if before_update is None or before_update():
        drawn(("update", what), lambda: st.dataframe(update_table(trace, previous, names), hide_index=True))


def _forward_and_blame(trace: IterationTrace, names: list[list[str]], row_names: Sequence[str]) -> None:
    run = trace.run
    hidden = trace.layers[0].activation
    if hidden.name == "sigmoid":
        st.markdown(
            _("**1 · Forward pass.** Each unit takes a weighted sum of its inputs, then squashes it with the sigmoid.")
        )
    else:
        st.markdown(
            _(
                "**1 · Forward pass.** Each unit takes a weighted sum of its inputs, then squashes it: the hidden "
                "units with {activation}, the output with the sigmoid.",
                activation=_(hidden.title),
            )
        )
    if language.code() != DEFAULT:
        st.caption(_("The tables print numbers as the article and the numpy script do, with a decimal point."))
    for layer in trace.layers:
        if len(trace.layers) > 1:
            st.caption(
                plain(
                    _(
                        "Layer {number}: {inputs} → {outputs}",
                        number=layer.number,
                        inputs=", ".join(names[layer.number - 1]),
                        outputs=", ".join(names[layer.number]),
                    )
                )
            )
        st.dataframe(forward_table(trace, layer.number, names, row_names), hide_index=True)
    st.markdown(
        _(
            "**2 · How wrong is it?** Σ|y − ŷ| = **{sum}**, {objective} = **{value}**.",
            sum=exact(trace.abs_error_sum),
            objective=_(run.rule.objective_name),
            value=exact(trace.objective),
        )
    )
    st.caption(_(run.rule.delta_story))
    st.dataframe(output_table(trace, row_names), hide_index=True)
    for number in range(len(trace.layers) - 1, 0, -1):
        st.markdown(
            _(
                "**Blame passed back to layer {number}:** each hidden unit's delta is the deltas above, weighted by its "
                "outgoing weights, times its own slope.",
                number=number,
            )
        )
        st.dataframe(hidden_table(trace, number, names, row_names), hide_index=True)
