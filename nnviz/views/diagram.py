"""The network drawn: nodes in columns, edges as wide as |w|, and the training animation.

Each builder takes data and returns a ``go.Figure`` (no Streamlit).  The traces are written
as plain dictionaries of known-good values and wrapped without Plotly's per-property
validation: the animation has 60 frames of a dozen traces each, and validating them cost
more server time than anything else on a page (see README, "Classroom load").
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from nnviz.engine import network as nn
from nnviz.engine.training import Run
from nnviz.i18n import ENGLISH, Language
from nnviz.views.figures import FONT, HIGHLIGHT, INK, NEGATIVE, NEUTRAL, POSITIVE, as_text, base_layout, plot_indices

MIN_WIDTH, MAX_WIDTH = 1.0, 12.0
NODE_SIZE = 58


def edge_width(weight: float, largest: float) -> float:
    """Line width for a weight: proportional to |w|, the largest |w| of the run drawn thickest."""
    if largest <= 0:
        return MIN_WIDTH
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * abs(weight) / largest


def edge_color(weight: float) -> str:
    return POSITIVE if weight >= 0 else NEGATIVE


def positions(network: nn.Network) -> list[list[tuple[float, float]]]:
    """Nodes in columns, one per layer, centred vertically."""
    out = []
    for layer, size in enumerate(network.sizes):
        ys = np.linspace(1, 0, size) if size > 1 else np.array([0.5])
        if size > 1:
            span = min(1.0, 0.3 * (size - 1))
            ys = 0.5 + (ys - 0.5) * span
        out.append([(float(layer), float(y)) for y in ys])
    return out


def edges(network: nn.Network, values: Sequence[np.ndarray], largest: float, names, axes: dict) -> list[dict]:
    """One line per weight (each its own width), then one invisible trace of hover points
    at the edges' middles.  ``values`` are the weights, or arrays of their shapes (blame)."""
    pos = positions(network)
    traces, hover_x, hover_y, hover_text = [], [], [], []
    for layer, w in enumerate(values):
        for j in range(w.shape[0]):
            for o in range(w.shape[1]):
                (x0, y0), (x1, y1) = pos[layer][j], pos[layer + 1][o]
                value = float(w[j, o])
                traces.append(
                    {
                        "type": "scatter",
                        "x": [x0, x1],
                        "y": [y0, y1],
                        "mode": "lines",
                        "hoverinfo": "skip",
                        "line": {"width": edge_width(value, largest), "color": edge_color(value)},
                        "showlegend": False,
                        **axes,
                    }
                )
                hover_x.append(x0 + 0.5 * (x1 - x0))
                hover_y.append(y0 + 0.5 * (y1 - y0))
                hover_text.append(f"{nn.weight_label(names, layer, j, o)}: {value:.8f}")
    traces.append(
        {
            "type": "scatter",
            "x": hover_x,
            "y": hover_y,
            "mode": "markers",
            "text": hover_text,
            "marker": {"size": 12, "color": "rgba(0,0,0,0)"},
            "hoverinfo": "text",
            "showlegend": False,
            **axes,
        }
    )
    return traces


def nodes(
    network: nn.Network,
    params: nn.Params,
    activations: list[np.ndarray],
    row: int,
    names,
    axes: dict,
    lang: Language = ENGLISH,
) -> list[dict]:
    """The units with their values for data row ``row`` (biases in the hover).  Labels inside
    the white nodes are dark in any theme; long input names sit beside their node in the
    theme's own text colour, so both stay readable on a dark page."""
    node_x, node_y, node_text, node_hover, where = [], [], [], [], []
    for layer, units in enumerate(positions(network)):
        for j, (x, y) in enumerate(units):
            value = activations[layer][row, j]
            node_x.append(x)
            node_y.append(y)
            where.append("middle left" if layer == 0 and len(names[0][j]) > 4 else "middle center")
            node_text.append(f"<b>{names[layer][j]}</b><br>{lang.decimal(value, 3)}")
            if layer > 0 and network.bias:
                node_hover.append(
                    lang._(
                        "{unit} = {value}, bias {bias}",
                        unit=names[layer][j],
                        value=lang.decimal(value, 8),
                        bias=lang.number(params.biases[layer - 1][j], 6),
                    )
                )
            else:
                node_hover.append(f"{names[layer][j]} = {lang.decimal(value, 8)}")
    traces = []
    for inside in (True, False):
        keep = [i for i, w in enumerate(where) if (w == "middle center") == inside]
        traces.append(
            {
                "type": "scatter",
                "x": [node_x[i] for i in keep],
                "y": [node_y[i] for i in keep],
                "mode": "markers+text",
                "marker": {"size": NODE_SIZE, "color": "white", "line": {"width": 2.5, "color": NEUTRAL}},
                "text": [node_text[i] for i in keep],
                "textposition": [where[i] for i in keep],
                "textfont": {"size": 13, "color": INK} if inside else {"size": 13},
                "hovertext": [node_hover[i] for i in keep],
                "hoverinfo": "text",
                "showlegend": False,
                **axes,
            }
        )
    return traces


def network_traces(
    network, params, activations, row, largest, names, edge_values=None, axes=None, lang: Language = ENGLISH
) -> list[dict]:
    """The whole drawing: edges (by weight, or by ``edge_values``), hover points, nodes."""
    axes = axes or {}
    values = edge_values if edge_values is not None else params.weights
    return [*edges(network, values, largest, names, axes), *nodes(network, params, activations, row, names, axes, lang)]


def axes_for(network: nn.Network, names, narrow: bool = False) -> tuple[dict, dict]:
    """Hidden axes for a diagram, with room on the left for long input names (more on a phone,
    where a layer's column is narrower than a name)."""
    longest = max(len(n) for n in names[0])
    room = 0.11 if narrow else 0.05
    left = -0.45 - (min(2.0 if narrow else 1.2, room * longest) if longest > 4 else 0.0)
    return ({"visible": False, "range": [left, len(network.sizes) - 0.55]}, {"visible": False, "range": [-0.1, 1.1]})


def diagram_figure(
    network: nn.Network,
    params: nn.Params,
    X: np.ndarray,
    feature_names: Sequence[str],
    row: int,
    title: str,
    edge_values: Sequence[np.ndarray] | None = None,
    narrow: bool = False,
    lang: Language = ENGLISH,
) -> go.Figure:
    """One still network diagram of ``network`` (its biases in the nodes' hover, as in the
    animation): node values for data row ``row``; edges by weight, or by ``edge_values``
    (same shapes as the weights) such as each weight's share of the blame.  ``narrow`` (a
    phone, a thumbnail) leaves more of the width for the input names."""
    names = nn.unit_names(network, as_text(feature_names))
    values = edge_values if edge_values is not None else params.weights
    largest = max(float(np.max(np.abs(v))) for v in values)
    xaxis, yaxis = axes_for(network, names, narrow)
    fig = go.Figure(
        {
            "data": network_traces(network, params, nn.forward(params, X), row, largest, names, edge_values, lang=lang),
            "layout": {"xaxis": xaxis, "yaxis": yaxis},
        },
        _validate=False,
    )
    fig = base_layout(fig, title, height=460)
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


# --- The training animation ---------------------------------------------------------------------

DIAGRAM_AXES = {"xaxis": "x", "yaxis": "y"}
ERROR_AXES = {"xaxis": "x2", "yaxis": "y2"}
BARS_AXES = {"xaxis": "x3", "yaxis": "y3"}


def frame_iterations(run: Run, max_frames: int = 60) -> np.ndarray:
    """Snapshot iterations to animate: all of them if few, else log-spaced among them."""
    ks = run.snapshot_iterations
    if len(ks) <= max_frames:
        return ks
    picks = np.unique(np.round(np.geomspace(1, len(ks), max_frames)).astype(int) - 1)
    return ks[np.unique(np.concatenate([[0], picks, [len(ks) - 1]]))]


def error_marker(run: Run, k: int, lang: Language = ENGLISH) -> dict:
    """The marker on the error curve at iteration ``k``."""
    return {
        "type": "scatter",
        "x": [max(int(k), 1)],
        "y": [float(run.abs_error[int(k)])],
        "mode": "markers",
        "marker": {"size": 14, "color": HIGHLIGHT, "line": {"width": 2, "color": "white"}},
        "hovertemplate": lang._("iteration {k}", k=lang.integer(k)) + "<br>Σ|y − ŷ| = %{y:.8f}<extra></extra>",
        "showlegend": False,
        **ERROR_AXES,
    }


def prediction_bars(run: Run, activations: list[np.ndarray], row_names: list[str], lang: Language = ENGLISH) -> dict:
    """One bar per row (the first few): the prediction, coloured by the row's target."""
    m = len(row_names)
    predictions = activations[-1][:m, 0]
    return {
        "type": "bar",
        "x": row_names,
        "y": predictions.tolist(),
        "marker": {"color": [POSITIVE if t >= 0.5 else NEGATIVE for t in run.y[:m]]},
        "text": [lang.decimal(p, 3) for p in predictions],
        "textposition": "outside",
        "hovertemplate": "%{x}: ŷ = %{y:.8f}<extra></extra>",
        "showlegend": False,
        **BARS_AXES,
    }


def slider(ks: np.ndarray, active: int, narrow: bool = False, lang: Language = ENGLISH) -> dict:
    """One step per frame; moving it redraws in the browser, without asking the server.
    On a phone it takes the whole width, below the play/pause buttons."""
    steps = [
        {
            "method": "animate",
            "label": lang.integer(k),
            "args": [
                [str(int(k))],
                {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}},
            ],
        }
        for k in ks
    ]
    place = {"len": 1.0, "x": 0.0, "pad": {"t": 120}} if narrow else {"len": 0.9, "x": 0.1, "pad": {"t": 40}}
    return {"active": active, "steps": steps, "currentvalue": {"prefix": lang._("iteration") + " "}, **place}


def play_pause(narrow: bool = False, lang: Language = ENGLISH) -> dict:
    """Play from the current frame; pause where it is.  Dark ink on a light button in any theme."""
    play = {
        "label": "▶ " + lang._("play"),
        "method": "animate",
        "args": [
            None,
            {"frame": {"duration": 250, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0}},
        ],
    }
    pause = {
        "label": "❚❚ " + lang._("pause"),
        "method": "animate",
        "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}],
    }
    return {
        "type": "buttons",
        "direction": "left",
        "x": 0.0,
        "y": -0.02,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 60},
        "bgcolor": "#F0F2F6",
        "bordercolor": NEUTRAL,
        "font": {"color": INK},
        "buttons": [play, pause],
    }


def edge_legend(largest: float, y: float = 0.0, short: bool = False, lang: Language = ENGLISH) -> dict:
    width = (
        lang._("width ∝ |w|")
        if short
        else lang._("edge width ∝ |w| (thickest = {largest});", largest=lang.decimal(largest))
    )
    positive, negative = lang._("positive"), lang._("negative")
    return {
        "text": f"{width} <span style='color:{POSITIVE}'>■ {positive}</span> "
        f"<span style='color:{NEGATIVE}'>■ {negative}</span>",
        "xref": "paper",
        "yref": "paper",
        "x": 0.0,
        "y": y,
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "top",
        "font": {"size": 13},
    }


def subplot_title(text: str, x: float, y: float) -> dict:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": y,
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 16},
    }


# What changes from frame to frame; a frame is merged into the trace it animates, so it
# carries only these (edge widths and colours, node and hover texts, the marker, the bars),
# which keeps the figure a third of the size for the server to send and the browser to read.
CHANGING = ("line", "text", "hovertext", "x", "y", "hovertemplate")


def changing(trace: dict) -> dict:
    keep = {"type": trace["type"], **{key: trace[key] for key in CHANGING if key in trace}}
    if trace.get("mode") != "markers" or "hovertemplate" not in trace:  # only the error marker moves
        keep.pop("x", None)
        if trace["type"] != "bar":
            keep.pop("y", None)
    return keep


@dataclass(frozen=True)
class AnimationPlace:
    """Where the animation's three panels sit: their axes' domains (``x``/``y`` the diagram,
    ``x2``/``y2`` the error curve, ``x3``/``y3`` the predictions), where their titles go, the
    figure's height and margins, and the height of the edge legend."""

    domains: dict[str, list[float]]
    titles_at: tuple[tuple[float, float], ...]
    height: int
    margin: dict[str, int]
    legend_y: float


ANIMATION_PLACES = {
    False: AnimationPlace(  # side by side: the diagram left, the curve and the bars right
        domains={
            "x": [0.0, 0.54],
            "y": [0.0, 1.0],
            "x2": [0.62, 1.0],
            "y2": [0.62, 1.0],
            "x3": [0.62, 1.0],
            "y3": [0.0, 0.38],
        },
        titles_at=((0.27, 1.0), (0.81, 1.0), (0.81, 0.38)),
        height=620,
        margin={"l": 20, "r": 20, "t": 60, "b": 40},
        legend_y=0.0,
    ),
    True: AnimationPlace(  # a narrow window, stacked: diagram, error curve, predictions
        domains={
            "x": [0.0, 1.0],
            "y": [0.58, 0.97],
            "x2": [0.0, 1.0],
            "y2": [0.34, 0.47],
            "x3": [0.0, 1.0],
            "y3": [0.06, 0.2],
        },
        titles_at=((0.5, 0.97), (0.5, 0.48), (0.5, 0.22)),
        height=1050,
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        legend_y=0.555,
    ),
}


def training_animation(
    run: Run,
    feature_names: Sequence[str],
    row: int = 0,
    row_names: Sequence[str] | None = None,
    max_frames: int = 60,
    start_iteration: int | None = None,
    max_bars: int = 16,
    narrow: bool = False,
    one_frame: bool = False,
    lang: Language = ENGLISH,
) -> go.Figure:
    """The network diagram, the error curve with a marker, and the predictions, scrubbed
    together by one slider (Plotly frames: the browser redraws, the server is not asked).
    Side by side on a wide screen; ``narrow`` (a phone) stacks them, each the full width.
    ``one_frame``: only the frame at ``start_iteration``, without Plotly's slider and frames
    (what the keyboard's Play sends each step: one frame's data, not all sixty).

    Nodes show their values for data row ``row``; edges are as wide as |w| (the largest
    |w| of the whole run drawn thickest) and coloured by sign.
    """
    network = run.network
    names = nn.unit_names(network, as_text(feature_names))
    ks = frame_iterations(run, max_frames)
    index_of = {int(k): i for i, k in enumerate(run.snapshot_iterations)}
    params_list = [run.snapshot(index_of[int(k)]) for k in ks]
    largest = max(float(np.max(np.abs(w))) for p in params_list for w in p.weights)
    acts_list = [nn.forward(p, run.X) for p in params_list]
    m = min(len(run.y), max_bars)
    all_rows = list(row_names) if row_names is not None else [lang._("row {n}", n=r + 1) for r in range(len(run.y))]
    bar_names = as_text(all_rows[:m])
    first = 0 if start_iteration is None else int(np.searchsorted(ks, start_iteration, side="right") - 1)
    first = min(max(first, 0), len(ks) - 1)

    diagram = network_traces(
        network, params_list[first], acts_list[first], row, largest, names, axes=DIAGRAM_AXES, lang=lang
    )
    curve = plot_indices(1, len(run.abs_error), 600)
    error_line = {
        "type": "scatter",
        "x": curve,
        "y": run.abs_error[curve],
        "mode": "lines",
        "line": {"color": POSITIVE, "width": 2.5},
        "showlegend": False,
        "hoverinfo": "skip",
        **ERROR_AXES,
    }
    n_diagram = len(diagram)
    animated = [*range(n_diagram), n_diagram + 1, n_diagram + 2]  # all but the error line
    frames = (
        []
        if one_frame
        else [
            {
                "name": str(int(k)),
                "traces": animated,
                "data": [
                    changing(t)
                    for t in (
                        *network_traces(network, p, a, row, largest, names, lang=lang),
                        error_marker(run, k, lang),
                        prediction_bars(run, a, bar_names, lang),
                    )
                ],
            }
            for k, p, a in zip(ks, params_list, acts_list)
        ]
    )
    diagram_x, diagram_y = axes_for(network, names, narrow)
    bars_title = (
        lang._("Predictions (first {shown} of {rows} rows)", shown=m, rows=lang.integer(len(run.y)))
        if m < len(run.y)
        else lang._("Predictions")
    )
    titles = (
        lang._("The network, showing {row}", row=as_text([all_rows[row]])[0]),
        lang._("Σ|y − ŷ| (marker: this iteration)"),
        bars_title,
    )
    place = ANIMATION_PLACES[narrow]
    domains = place.domains
    layout = {
        "height": place.height,
        "margin": place.margin,
        "font": FONT,
        "xaxis": {**diagram_x, "domain": domains["x"], "anchor": "y"},
        "yaxis": {**diagram_y, "domain": domains["y"], "anchor": "x"},
        "xaxis2": {"type": "log", "title": {"text": lang._("iteration")}, "domain": domains["x2"], "anchor": "y2"},
        "yaxis2": {"domain": domains["y2"], "anchor": "x2"},
        "xaxis3": {"domain": domains["x3"], "anchor": "y3"},
        "yaxis3": {"range": [0, 1.15], "title": {"text": "ŷ"}, "domain": domains["y3"], "anchor": "x3"},
        "sliders": [] if one_frame else [slider(ks, first, narrow, lang)],
        "updatemenus": [] if one_frame else [play_pause(narrow, lang)],
        "annotations": [
            *(subplot_title(t, x, y) for t, (x, y) in zip(titles, place.titles_at)),
            edge_legend(largest, place.legend_y, narrow, lang),
        ],
    }
    data = [
        *diagram,
        error_line,
        error_marker(run, ks[first], lang),
        prediction_bars(run, acts_list[first], bar_names, lang),
    ]
    return Animation(data, layout, frames)


class Animation(go.Figure):
    """The training animation: a figure whose frames stay the plain data they were built as.

    Even with validation off, Plotly makes an object of every trace of every frame when a
    figure is built, and Streamlit turns them straight back into data.
    Here ``to_dict`` (what Streamlit and ``plotly.io`` serialise) copies the frames as they
    are, and ``frames`` makes Plotly's frame objects only when someone reads them."""

    def __init__(self, data: list[dict], layout: dict, frames: list[dict]):
        super().__init__({"data": data, "layout": layout}, _validate=False)
        self._plain_frames = frames

    @property
    def frames(self):
        if self._plain_frames:
            self._frame_objs = self._frames_validator.validate_coerce(self._plain_frames)
            self._plain_frames = []
        return self._frames_validator.present(self._frame_objs)

    @frames.setter
    def frames(self, new_frames):
        self._plain_frames = []
        go.Figure.frames.fset(self, new_frames)

    def to_dict(self) -> dict:
        spec = super().to_dict()
        if self._plain_frames:
            spec["frames"] = copy.deepcopy(self._plain_frames)
        return spec
