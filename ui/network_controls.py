"""The sidebar that picks a network, its data and its run: shared by the backprop and
gradient-descent pages, which must show the same numbers for the same settings."""

from __future__ import annotations

import streamlit as st

from nnviz import datasets
from nnviz.engine.network import RULES
from nnviz.engine.training import TrainingConfig
from nnviz.i18n import Language
from nnviz.settings import MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS
from ui import lesson, url_state
from ui.language import N_, _, language, n_
from ui.runs import get_run, run_id
from ui.shared import shared

DATASETS = {
    "students": N_("Students' grades (3-2-1)"),  # a menu's option: short, it is never cut
    "trask": N_("The article's rows"),
    "xor": N_("XOR (needs a hidden layer)"),
}


# The rules' names as pages show them (the engine's own titles, marked for the catalogue here).
RULE_TITLES = {"trask": N_("the article's rule"), "bce": N_("cross-entropy")}


def rule_title(name: str, lang: Language | None = None) -> str:
    """A rule's name in ``lang`` (given where it formats a widget's options: AppTest and a rerun
    format them outside the script run, where the visitor's session is not at hand)."""
    return (lang or language())._(RULE_TITLES.get(name, RULES[name].title))


def network_controls(
    spec,
    page: str,
    datasets_shown: dict[str, str] | None = None,
    hidden_help: str = "",
    seed_label: str = N_("Random seed"),
) -> None:
    """The network's settings in the sidebar, their bounds read from the page's settings
    table (``nnviz.settings``): the data, hidden layers (or units), bias, rule, learning
    rate, seed, iterations.  Pages read the values with ``url_state.read_all``."""

    def key(name):
        return url_state.key(page, name)

    lang = language()

    def rules(name, help=None):  # None: a lesson hides it (ui.lesson)
        return lesson.widget(page, name, help)

    names = ("dataset", "hidden", "activation", "bias", "rule", "lr", "seed", "iterations")
    with st.sidebar:
        if any(rules(name) is not None for name in names):
            st.header(_("Network"))
        if datasets_shown and (extra := rules("dataset")) is not None:
            shown = dict(datasets_shown)
            st.selectbox(
                _("Data"), list(shown), format_func=lambda name: lang._(shown[name]), key=key("dataset"), **extra
            )
        hidden = spec["hidden"]
        if hidden.kind == "layers":
            if (
                extra := rules(
                    "hidden",
                    hidden_help
                    or _(
                        "Sizes separated by “{sign}”, e.g. {one} or {two} (at most {layers} layers of {units}).",
                        sign=lang.list_sign,
                        one=2,
                        two=lang.typed_list([3, 2]),
                        layers=MAX_HIDDEN_LAYERS,
                        units=MAX_HIDDEN_UNITS,
                    ),
                )
            ) is not None:
                st.text_input(_("Hidden layers"), key=key("hidden"), **extra)
                sizes, warning = hidden.parse("hidden", st.session_state.get(key("hidden"), ""), lang, typed=True)
                if warning is None:  # the sizes as read (a warning says it otherwise, where the page reads them)
                    st.caption(
                        n_(
                            "Read as {n} hidden layer: {sizes}.",
                            "Read as {n} hidden layers: {sizes}.",
                            len(sizes),
                            sizes=lang.typed_list(sizes),
                        )
                        if sizes
                        else _("Read as no hidden layer.")
                    )
        elif (extra := rules("hidden")) is not None:
            st.slider(_("Hidden units"), int(hidden.low), int(hidden.high), key=key("hidden"), **extra)
        if (
            "activation" in spec
            and _has_hidden_layer(hidden, st.session_state.get(key("hidden")), lang)
            and (
                extra := rules(
                    "activation",
                    _(
                        "How each hidden unit squashes its weighted sum z; the output stays the "
                        "sigmoid that both learning rules assume."
                    ),
                )
            )
            is not None
        ):
            field = spec["activation"]
            st.selectbox(
                _("Hidden activation"),
                list(field.choices),
                format_func=lambda name: field.title(name, lang),
                key=key("activation"),
                **extra,
            )
        if (extra := rules("bias")) is not None:
            st.checkbox(_("Bias on every unit"), key=key("bias"), **extra)
        if (extra := rules("rule")) is not None:
            st.selectbox(
                _("Learning rule"),
                list(spec["rule"].choices),
                format_func=lambda name: rule_title(name, lang),
                key=key("rule"),
                **extra,
            )
        for name, label in (("lr", _("Learning rate α")), ("seed", _(seed_label)), ("iterations", _("Iterations"))):
            if (extra := rules(name)) is not None:
                typed_box(label, spec[name], name, key(name), lang, extra)


def typed_box(label: str, field, name: str, key: str, lang: Language, extra: dict, where=st) -> None:
    """A number typed the reader's way (``0,5``, ``100.000``; Streamlit's number input knows only the
    dot), read by the field's own parser (its limits and clipping, ``url_state.read``), with a caption
    saying how it was read whenever that is not exactly what was typed (``0.5`` on a German page)."""
    typed = where.text_input(label, key=key, **extra)
    value, warning = field.parse(name, typed, lang, typed=True)
    if warning is None and "".join(str(typed).split()) != "".join(field.write(value, lang).split()):
        where.caption(_("Read as {value}.", value=field.show(value, lang)))


def _has_hidden_layer(field, typed, lang: Language) -> bool:
    """Whether the sizes typed so far give a hidden layer (else there is nothing for an activation to squash)."""
    if typed is None:
        return bool(field.default)
    sizes, _warning = field.parse("hidden", typed, lang, typed=isinstance(typed, str))
    return bool(sizes)


def sidebar(spec, page: str) -> dict:
    """The backprop and descent pages' sidebar: the network and one of the built-in datasets."""
    network_controls(spec, page, DATASETS)
    return url_state.read_all(spec, page)


def data_and_run(values: dict):
    """The chosen dataset, its run (shared cache; the same key the other pages use) and the
    run's name for the shared caches (``run_id``)."""
    data = shared(("dataset", values["dataset"]), datasets.BUILT_IN[values["dataset"]])  # read and scaled once
    config = TrainingConfig.from_values(values)
    key = (values["dataset"], config)
    run = get_run(key, data.X, data.y, config)
    return data, run, run_id(key, run)


def iteration_picker(page: str, last: int, held_at: int | None = None) -> int:
    """Previous / next / a number typed the reader's way (``12.500``): which iteration to look inside.
    ``held_at``: the iteration a live class's open question keeps the stepper at, until the teacher's Reveal."""
    name = url_state.key(page, "k")
    k_last = max(last - 1, 0)
    lang = language()
    if held_at is not None:
        st.session_state[name] = lang.integer(min(held_at, k_last))

    def chosen() -> int:  # what the box says, 0 if it says no number (``url_state.read`` warns)
        raw = st.session_state.get(name, 0)
        try:
            number = lang.read_number(raw) if isinstance(raw, str) else float(raw)
        except ValueError:
            return 0
        return int(min(max(number, 0), k_last))

    if st.session_state.get(name) is not None and st.session_state[name] != lang.integer(chosen()):
        st.session_state[name] = lang.integer(chosen())  # beyond this run's last, or typed another way

    def step(delta: int) -> None:
        st.session_state[name] = lang.integer(min(max(chosen() + delta, 0), k_last))

    extra = lesson.widget(page, "k")
    if extra is not None and held_at is not None:
        extra = {
            "disabled": True,
            "help": _("The class's question about this iteration is open: the stepper waits for the teacher's Reveal."),
        }
    if extra is not None:  # a lesson may fix the iteration (locked) or leave it out (hidden)
        locked = extra.get("disabled", False)
        b1, b2, b3 = st.columns([1, 1, 4])
        b1.button(_("◀ previous"), on_click=step, args=(-1,), width="stretch", key=f"{page}.prev", **extra)
        b2.button(_("next ▶"), on_click=step, args=(1,), width="stretch", key=f"{page}.next", **extra)
        b3.text_input(_("Iteration k"), key=name, label_visibility="collapsed", disabled=locked)
    return chosen()
