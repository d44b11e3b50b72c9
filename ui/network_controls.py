"""The sidebar that picks a network, its data and its run: shared by the backprop and
gradient-descent pages, which must show the same numbers for the same settings."""

from __future__ import annotations

import streamlit as st

from nnviz import datasets
from nnviz.training import TrainingConfig
from ui import url_state
from ui.runs import get_run

DATASETS = {
    "students": "Students' grades (the 3-2-1 walk-through)",
    "trask": "The article's rows",
    "xor": "XOR (needs a hidden layer)",
}
RULES = {"bce": "cross-entropy", "trask": "the article's rule (½ squared error)"}


def sidebar(spec, page: str) -> dict:
    def key(name):
        return url_state.key(page, name)

    with st.sidebar:
        st.header("Network")
        st.selectbox("Data", list(DATASETS), format_func=DATASETS.get, key=key("dataset"))
        st.text_input(
            "Hidden layers", key=key("hidden"), help="Sizes separated by commas, e.g. 2 or 3,2 (at most 3 layers of 8)."
        )
        st.checkbox("Bias on every unit", key=key("bias"))
        st.selectbox("Learning rule", list(RULES), format_func=RULES.get, key=key("rule"))
        st.number_input("Learning rate α", min_value=0.001, max_value=100.0, step=0.1, format="%.3f", key=key("lr"))
        st.number_input("Random seed", min_value=0, max_value=2**32 - 1, step=1, key=key("seed"))
        st.number_input("Iterations", min_value=1, max_value=spec["iterations"].high, step=100, key=key("iterations"))
    return {name: url_state.read(spec, page, name) for name in spec}


def config_of(values: dict) -> TrainingConfig:
    return TrainingConfig(
        values["hidden"], values["bias"], values["rule"], values["lr"], values["seed"], values["iterations"]
    )


def data_and_run(values: dict, page: str):
    """The chosen dataset and its run (shared cache; the same key the other pages use)."""
    data = datasets.BUILT_IN[values["dataset"]]()
    config = config_of(values)
    run = get_run((values["dataset"], config), data.X, data.y, config)
    return data, run


def row_names(data) -> list[str]:
    if data.row_labels:
        return list(data.row_labels)
    return [f"[{' '.join(str(int(v)) for v in x)}]" for x in data.X]


def iteration_picker(page: str, last: int) -> int:
    """Previous / next / a number: which iteration to look inside."""
    name = url_state.key(page, "k")
    k_last = max(last - 1, 0)
    if st.session_state.get(name, 0) > k_last:
        st.session_state[name] = k_last

    def step(delta: int) -> None:
        st.session_state[name] = int(min(max(st.session_state.get(name, 0) + delta, 0), k_last))

    b1, b2, b3 = st.columns([1, 1, 4])
    b1.button("◀ previous", on_click=step, args=(-1,), width="stretch", key=f"{page}.prev")
    b2.button("next ▶", on_click=step, args=(1,), width="stretch", key=f"{page}.next")
    b3.number_input("Iteration k", min_value=0, max_value=k_last, step=1, key=name, label_visibility="collapsed")
    return int(min(max(st.session_state.get(name, 0), 0), k_last))
