"""Plotly figures of a run.  Each builder takes data and returns a ``go.Figure``.

Lines are downsampled for drawing (log-spaced, a few thousand points at most) while the
run keeps every iteration; the elbow and the end points are always among the points drawn.
Colours are the Okabe–Ito pair blue/vermillion, which colour-blind readers tell apart.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import network as nn
from .training import Run

POSITIVE = "#0072B2"  # blue
NEGATIVE = "#D55E00"  # vermillion
NEUTRAL = "#555555"
HIGHLIGHT = "#CC79A7"
INK = "#262730"  # dark text on the white nodes and buttons, whatever the page's theme
MUTED = "#999999"  # Okabe-Ito's black would vanish on a dark page; grey reads on both
MAX_POINTS = 2_000
MIN_WIDTH, MAX_WIDTH = 1.0, 12.0
FONT = {"size": 15}


def plot_indices(start: int, stop: int, max_points: int = MAX_POINTS, keep: Sequence[int] = ()) -> np.ndarray:
    """Log-spaced iterations in ``[start, stop)`` (every one if few), plus ``keep``."""
    start = max(start, 1)
    if stop - start <= max_points:
        chosen = np.arange(start, stop)
    else:
        chosen = np.unique(np.round(np.logspace(np.log10(start), np.log10(stop - 1), max_points)).astype(np.int64))
    extra = [k for k in keep if start <= k < stop]
    return np.unique(np.concatenate([chosen, np.array(extra, dtype=np.int64), [start, stop - 1]]))


def _base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        height=height,
        font=FONT,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    )
    return fig


def error_figure(
    errors: np.ndarray,
    elbow: int | None = None,
    window: int | None = None,
    log_x: bool = True,
    log_y: bool = False,
    label: str = "Σ|y − ŷ|",
    extra: dict[str, np.ndarray] | None = None,
    extra_iterations: np.ndarray | None = None,
) -> go.Figure:
    """Error against iteration over ``1 … window``, the elbow marked.

    ``errors[k]`` is the error before update ``k``.  Iteration 0 has no place on a log axis,
    so lines start at 1.  ``extra`` adds curves sampled at ``extra_iterations`` (a test
    set's loss at the snapshots, say).
    """
    stop = len(errors) if window is None else min(window + 1, len(errors))
    ks = plot_indices(1, stop, keep=[elbow] if elbow is not None else [])
    if not log_x:
        ks = np.unique(np.concatenate([[0], ks]))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ks, y=errors[ks], mode="lines", name=label, line={"color": POSITIVE, "width": 3}))
    for i, (name, values) in enumerate((extra or {}).items()):
        mask = (extra_iterations >= (0 if not log_x else 1)) & (extra_iterations < stop)
        fig.add_trace(
            go.Scatter(
                x=extra_iterations[mask],
                y=values[mask],
                mode="lines",
                name=name,
                line={"color": NEGATIVE, "width": 3, "dash": ["dash", "dot"][i % 2]},
            )
        )
    if elbow is not None and 0 <= elbow < len(errors):
        fig.add_trace(
            go.Scatter(
                x=[max(elbow, 1) if log_x else elbow],
                y=[errors[elbow]],
                mode="markers",
                name=f"elbow: iteration {elbow:,}",
                marker={"color": HIGHLIGHT, "size": 14, "symbol": "diamond", "line": {"width": 2, "color": "black"}},
            )
        )
        fig.add_vline(x=max(elbow, 1) if log_x else elbow, line={"color": HIGHLIGHT, "dash": "dot", "width": 2})
    fig.update_xaxes(type="log" if log_x else "linear", title="iteration")
    fig.update_yaxes(type="log" if log_y else "linear", title=label)
    what = "Error" if label.startswith("Σ") else label.capitalize()
    return _base_layout(fig, f"{what} over the first {stop - 1:,} iterations")


def as_text(names: Sequence[str]) -> list[str]:
    """Names from an uploaded file, escaped: Plotly renders some HTML in labels and text."""
    return [html.escape(str(name), quote=False) for name in names]


def weights_figure(run: Run, feature_names: Sequence[str], log_x: bool = True) -> go.Figure:
    """One line per weight (and bias) across the snapshots, labelled like the diagram."""
    feature_names = as_text(feature_names)
    ks = run.snapshot_iterations
    shown = ks >= 1 if log_x else np.ones(len(ks), bool)
    fig = go.Figure()
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", MUTED]
    for i, param in enumerate(nn.parameters(run.network, feature_names)):
        fig.add_trace(
            go.Scatter(
                x=ks[shown],
                y=param.path(run)[shown],
                mode="lines",
                name=param.label,
                line={"color": palette[i % len(palette)], "width": 2.5, "dash": "dash" if param.is_bias else None},
            )
        )
    fig.update_xaxes(type="log" if log_x else "linear", title="iteration")
    fig.update_yaxes(title="weight", zeroline=True, zerolinecolor="#999")
    fig = _base_layout(fig, "How every weight moves during training", height=440)
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02, "xanchor": "left", "yanchor": "top"})
    return fig


def edge_width(weight: float, largest: float) -> float:
    """Line width for a weight: proportional to |w|, the largest |w| of the run drawn thickest."""
    if largest <= 0:
        return MIN_WIDTH
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * abs(weight) / largest


def edge_color(weight: float) -> str:
    return POSITIVE if weight >= 0 else NEGATIVE


def _positions(network: nn.Network) -> list[list[tuple[float, float]]]:
    """Nodes in columns, one per layer, centred vertically."""
    positions = []
    for layer, size in enumerate(network.sizes):
        ys = np.linspace(1, 0, size) if size > 1 else np.array([0.5])
        if size > 1:
            span = min(1.0, 0.3 * (size - 1))
            ys = 0.5 + (ys - 0.5) * span
        positions.append([(float(layer), float(y)) for y in ys])
    return positions


def _frame_traces(
    network: nn.Network,
    params: nn.Params,
    activations: list[np.ndarray],
    row: int,
    largest: float,
    names,
    edge_values: Sequence[np.ndarray] | None = None,
) -> list[go.Scatter]:
    """Edges (one trace each, so each has its own width), their hover points, then nodes.

    Edges show the weights, or ``edge_values`` of the same shapes (the gradients, say).
    """
    pos = _positions(network)
    traces = []
    hover_x, hover_y, hover_text = [], [], []
    for layer, w in enumerate(edge_values if edge_values is not None else params.weights):
        for j in range(w.shape[0]):
            for o in range(w.shape[1]):
                (x0, y0), (x1, y1) = pos[layer][j], pos[layer + 1][o]
                value = float(w[j, o])
                traces.append(
                    go.Scatter(
                        x=[x0, x1],
                        y=[y0, y1],
                        mode="lines",
                        line={"width": edge_width(value, largest), "color": edge_color(value)},
                        hoverinfo="skip",
                        showlegend=False,
                    )
                )
                hover_x.append(x0 + 0.5 * (x1 - x0))
                hover_y.append(y0 + 0.5 * (y1 - y0))
                hover_text.append(f"{names[layer][j]}→{names[layer + 1][o]}: {value:.8f}")
    traces.append(
        go.Scatter(
            x=hover_x,
            y=hover_y,
            mode="markers",
            marker={"size": 12, "color": "rgba(0,0,0,0)"},
            text=hover_text,
            hoverinfo="text",
            showlegend=False,
        )
    )
    node_x, node_y, node_text, node_hover, where = [], [], [], [], []
    for layer, units in enumerate(pos):
        for j, (x, y) in enumerate(units):
            value = activations[layer][row, j]
            node_x.append(x)
            node_y.append(y)
            # Input names can be long column names: they sit left of their node.
            where.append("middle left" if layer == 0 and len(names[0][j]) > 4 else "middle center")
            node_text.append(f"<b>{names[layer][j]}</b><br>{value:.3f}")
            bias = f", bias {params.biases[layer - 1][j]:.6f}" if layer > 0 and network.bias else ""
            node_hover.append(f"{names[layer][j]} = {value:.8f}{bias}")
    # Labels inside the white nodes are dark in any theme; labels beside them (long input
    # names) keep the theme's text colour, so they stay readable on a dark page too.
    for inside in (True, False):
        keep = [i for i, w in enumerate(where) if (w == "middle center") == inside]
        traces.append(
            go.Scatter(
                x=[node_x[i] for i in keep],
                y=[node_y[i] for i in keep],
                mode="markers+text",
                marker={"size": 58, "color": "white", "line": {"width": 2.5, "color": NEUTRAL}},
                text=[node_text[i] for i in keep],
                textposition=[where[i] for i in keep],
                textfont={"size": 13, "color": INK} if inside else {"size": 13},
                hovertext=[node_hover[i] for i in keep],
                hoverinfo="text",
                showlegend=False,
            )
        )
    return traces


def frame_iterations(run: Run, max_frames: int = 60) -> np.ndarray:
    """Snapshot iterations to animate: all of them if few, else log-spaced among them."""
    ks = run.snapshot_iterations
    if len(ks) <= max_frames:
        return ks
    picks = np.unique(np.round(np.geomspace(1, len(ks), max_frames)).astype(int) - 1)
    return ks[np.unique(np.concatenate([[0], picks, [len(ks) - 1]]))]


def training_animation(
    run: Run,
    feature_names: Sequence[str],
    row: int = 0,
    row_names: Sequence[str] | None = None,
    max_frames: int = 60,
    start_iteration: int | None = None,
    max_bars: int = 16,
) -> go.Figure:
    """The network diagram, the error curve with a marker, and the predictions, scrubbed
    together by one slider (Plotly frames: the browser redraws, the server is not asked).

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
    all_rows = list(row_names) if row_names is not None else [f"row {r + 1}" for r in range(len(run.y))]
    row_names = as_text(row_names[:m]) if row_names is not None else [f"row {r + 1}" for r in range(m)]

    fig = make_subplots(
        rows=2,
        cols=2,
        column_widths=[0.58, 0.42],
        row_heights=[0.5, 0.5],
        specs=[[{"rowspan": 2}, {}], [None, {}]],
        subplot_titles=(
            f"The network, showing {as_text([all_rows[row]])[0]}",
            "Σ|y − ŷ| (marker: this iteration)",
            "Predictions" + (f" (first {m} of {len(run.y)} rows)" if m < len(run.y) else ""),
        ),
        horizontal_spacing=0.08,
        vertical_spacing=0.24,
    )
    first = 0 if start_iteration is None else int(np.searchsorted(ks, start_iteration, side="right") - 1)
    first = min(max(first, 0), len(ks) - 1)
    diagram = _frame_traces(network, params_list[first], acts_list[first], row, largest, names)
    for trace in diagram:
        fig.add_trace(trace, row=1, col=1)
    curve = plot_indices(1, len(run.abs_error), 600)
    fig.add_trace(
        go.Scatter(
            x=curve,
            y=run.abs_error[curve],
            mode="lines",
            line={"color": POSITIVE, "width": 2.5},
            showlegend=False,
            hoverinfo="skip",
        ),  # fmt: skip
        row=1,
        col=2,
    )

    def marker(k: int) -> go.Scatter:
        return go.Scatter(
            x=[max(int(k), 1)],
            y=[run.abs_error[int(k)]],
            mode="markers",
            marker={"size": 14, "color": HIGHLIGHT, "line": {"width": 2, "color": "black"}},
            hovertemplate=f"iteration {int(k):,}<br>Σ|y − ŷ| = %{{y:.8f}}<extra></extra>",
            showlegend=False,
        )

    def bars(acts: list[np.ndarray]) -> go.Bar:
        predictions = acts[-1][:m, 0]
        return go.Bar(
            x=row_names,
            y=predictions,
            marker={"color": [POSITIVE if t >= 0.5 else NEGATIVE for t in run.y[:m]]},
            text=[f"{p:.3f}" for p in predictions],
            textposition="outside",
            hovertemplate="%{x}: ŷ = %{y:.8f}<extra></extra>",
            showlegend=False,
        )

    fig.add_trace(marker(ks[first]), row=1, col=2)
    fig.add_trace(bars(acts_list[first]), row=2, col=2)
    n_diagram = len(diagram)
    animated = [*range(n_diagram), n_diagram + 1, n_diagram + 2]
    fig.frames = [
        go.Frame(
            name=str(int(k)),
            data=[*_frame_traces(network, p, a, row, largest, names), marker(k), bars(a)],
            traces=animated,
        )
        for k, p, a in zip(ks, params_list, acts_list)
    ]
    steps = [
        {
            "method": "animate",
            "label": f"{int(k):,}",
            "args": [[str(int(k))], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}],
        }
        for k in ks
    ]  # fmt: skip
    fig.update_layout(
        height=620,
        font=FONT,
        margin={"l": 20, "r": 20, "t": 60, "b": 40},
        sliders=[
            {
                "active": first,
                "steps": steps,
                "currentvalue": {"prefix": "iteration "},
                "pad": {"t": 40},
                "len": 0.9,
                "x": 0.1,
            }
        ],  # fmt: skip
        updatemenus=[
            {
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
                "buttons": [
                    {
                        "label": "▶ play",
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": 250, "redraw": True},
                                "fromcurrent": True,
                                "transition": {"duration": 0},
                            },
                        ],
                    },  # fmt: skip
                    {
                        "label": "❚❚ pause",
                        "method": "animate",
                        "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}],
                    },  # fmt: skip
                ],
            }
        ],
    )
    _diagram_axes(fig, network, names, row=1, col=1)
    fig.update_xaxes(type="log", title="iteration", row=1, col=2)
    fig.update_yaxes(range=[0, 1.15], title="ŷ", row=2, col=2)
    fig.add_annotation(
        text=f"edge width ∝ |w| (thickest = {largest:.2f}); <span style='color:{POSITIVE}'>■ positive</span> "
        f"<span style='color:{NEGATIVE}'>■ negative</span>",
        xref="paper",
        yref="paper",
        x=0.0,
        y=0.0,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 13},
    )
    return fig


def effects_figure(effects) -> go.Figure:
    """Each grade raised by a tenth of its scale: the mean change in the class's chance of
    passing over the repeats (bar) and the range of the repeats (error bar)."""
    effects = list(effects)[::-1]
    names = as_text([f"{e.grade} (+{e.step:g})" for e in effects])
    changes = np.array([100 * e.change for e in effects])
    lows = np.array([100 * e.low for e in effects])
    highs = np.array([100 * e.high for e in effects])
    colours = [POSITIVE if e.direction == "helps" else NEGATIVE if e.direction == "hurts" else MUTED for e in effects]
    fig = go.Figure(
        go.Bar(
            x=changes,
            y=names,
            orientation="h",
            marker={"color": colours},
            error_x={"type": "data", "symmetric": False, "array": highs - changes, "arrayminus": changes - lows,
                     "color": MUTED, "thickness": 2, "width": 8},
            text=[f"{c:+.1f}" for c in changes],
            textposition="inside",
            insidetextanchor="start",
            customdata=np.c_[lows, highs],
            hovertemplate="%{y}: %{x:+.1f} points (range %{customdata[0]:+.1f} to %{customdata[1]:+.1f})<extra></extra>",
        )
    )  # fmt: skip
    fig.add_vline(x=0, line={"color": NEUTRAL, "width": 1})
    fig.update_xaxes(title="change in the chance of passing (percentage points), class average", zeroline=False)
    fig = _base_layout(fig, "Raising one grade by a tenth of its scale: mean and range", height=140 + 60 * len(effects))
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


def mark_best_iteration(fig: go.Figure, best: int, last: int) -> go.Figure:
    """The early stop on a loss chart: a line where the held-out loss was lowest."""
    if best < last:
        text = f"kept: iteration {best:,}"
        fig.add_vline(x=max(best, 1), line={"color": NEUTRAL, "dash": "dash", "width": 2})
        fig.add_annotation(x=np.log10(max(best, 1)), y=1, yref="paper", text=text, showarrow=False, xanchor="left",
                           yanchor="top", bgcolor="rgba(255,255,255,0.85)", font={"color": INK, "size": 13})  # fmt: skip
    return fig


PASS_SCALE = [[0.0, "#F3C3A0"], [0.5, "#F7F7F7"], [1.0, "#A6CDE8"]]  # light vermillion → white → light blue: colour-blind safe, and the dots stay visible


def pass_map_figure(grid, points_x, points_y, passed, is_test, names) -> go.Figure:
    """The chance of passing over two grades (a heat map, the 50 % line drawn) with the
    students as dots: blue circles passed, vermillion crosses failed; held-out students hollow."""
    fig = go.Figure(
        go.Heatmap(
            x=grid.xs, y=grid.ys, z=100 * grid.chance, zmin=0, zmax=100, colorscale=PASS_SCALE,
            colorbar={"title": {"text": "chance of passing (%)", "side": "right"}, "thickness": 14},
            hovertemplate=f"{html.escape(grid.x_name)} %{{x:.3g}}, {html.escape(grid.y_name)} %{{y:.3g}}: "
            "%{z:.0f} %<extra></extra>",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Contour(
            x=grid.xs, y=grid.ys, z=grid.chance, showscale=False, contours={"start": 0.5, "end": 0.5, "coloring": "none"},
            line={"color": INK, "width": 3}, hoverinfo="skip", name="the pass line (50 %)", showlegend=True,
        )
    )  # fmt: skip
    text = as_text(names)
    for label, mask, symbol, colour in (
        ("passed", passed & ~is_test, "circle", POSITIVE),
        ("failed", ~passed & ~is_test, "x", NEGATIVE),
        ("passed (held out)", passed & is_test, "circle-open", POSITIVE),
        ("failed (held out)", ~passed & is_test, "x-open", NEGATIVE),
    ):
        fig.add_trace(
            go.Scatter(
                x=points_x[mask], y=points_y[mask], mode="markers", name=label, text=np.array(text, dtype=object)[mask],
                marker={"symbol": symbol, "color": colour, "size": 10, "line": {"width": 2, "color": INK if "open" not in symbol else colour}},
                hovertemplate="%{text}: %{x:.3g}, %{y:.3g}<extra>" + label + "</extra>",
            )
        )  # fmt: skip
    fig.update_xaxes(title=html.escape(grid.x_name), range=[grid.xs[0], grid.xs[-1]])
    fig.update_yaxes(title=html.escape(grid.y_name), range=[grid.ys[0], grid.ys[-1]])
    fig = _base_layout(fig, "Where the network draws the pass line", height=520)
    fig.update_layout(hovermode="closest", legend={"y": -0.18, "yanchor": "top", "x": 0, "xanchor": "left"},
                      margin={"b": 110})  # fmt: skip
    return fig


def _diagram_axes(fig: go.Figure, network: nn.Network, names, **subplot) -> None:
    """Hide the diagram's axes and leave room on the left for long input names."""
    longest = max(len(n) for n in names[0])
    left = -0.45 - (min(1.2, 0.05 * longest) if longest > 4 else 0.0)
    fig.update_xaxes(visible=False, range=[left, len(network.sizes) - 0.55], **subplot)
    fig.update_yaxes(visible=False, range=[-0.1, 1.1], **subplot)


def diagram_figure(
    network: nn.Network,
    params: nn.Params,
    X: np.ndarray,
    feature_names: Sequence[str],
    row: int,
    title: str,
    edge_values: Sequence[np.ndarray] | None = None,
) -> go.Figure:
    """One still network diagram of ``network`` (its biases in the nodes' hover, as in the
    animation): node values for data row ``row``; edges by weight, or by ``edge_values``
    (same shapes as the weights) such as each weight's share of the blame."""
    names = nn.unit_names(network, as_text(feature_names))
    values = edge_values if edge_values is not None else params.weights
    largest = max(float(np.max(np.abs(v))) for v in values)
    fig = go.Figure(_frame_traces(network, params, nn.forward(params, X), row, largest, names, edge_values))
    _diagram_axes(fig, network, names)
    fig = _base_layout(fig, title, height=460)
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


def slope_figure(
    values: np.ndarray, errors: np.ndarray, weight: float, error: float, slope: float, step: float, label: str
) -> go.Figure:
    """E as one weight varies: the current point, its tangent, and where the step lands."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=values, y=errors, mode="lines", name=f"E as {label} varies", line={"color": POSITIVE, "width": 3})
    )
    span = (values[-1] - values[0]) * 0.18
    tx = np.array([weight - span, weight + span])
    fig.add_trace(
        go.Scatter(
            x=tx,
            y=error + slope * (tx - weight),
            mode="lines",
            name=f"tangent, slope {slope:+.6f}",
            line={"color": HIGHLIGHT, "width": 3, "dash": "dash"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[weight],
            y=[error],
            mode="markers",
            name=f"now: {label} = {weight:.6f}",
            marker={"size": 14, "color": INK, "line": {"width": 2, "color": "white"}},
        )
    )
    landing = weight + step
    fig.add_annotation(x=landing, y=error, ax=weight, ay=error, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                       arrowhead=3, arrowsize=1.5, arrowwidth=2.5, arrowcolor=NEGATIVE)  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=[landing],
            y=[error],
            mode="markers",
            name=f"step −α·slope = {step:+.6f}",
            marker={"size": 12, "color": NEGATIVE, "symbol": "triangle-right" if step >= 0 else "triangle-left"},
        )
    )
    fig.update_xaxes(title=label)
    fig.update_yaxes(title="E")
    fig = _base_layout(fig, "Error against one weight, the others held", height=440)
    fig.update_layout(hovermode="closest")
    return fig


def contour_figure(values1, values2, grid, path1, path2, label1: str, label2: str) -> go.Figure:
    """E over two weights as a contour map, with the run's path across it."""
    fig = go.Figure(
        go.Contour(
            x=values1, y=values2, z=grid, colorscale="Cividis", contours={"showlabels": True}, colorbar={"title": "E"}
        )
    )
    fig.add_trace(
        go.Scatter(
            x=path1,
            y=path2,
            mode="lines+markers",
            name="the run's path",
            line={"color": "white", "width": 3},
            marker={"size": 5, "color": "white"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[path1[0]],
            y=[path2[0]],
            mode="markers",
            name="start",
            marker={"size": 14, "color": HIGHLIGHT, "symbol": "circle"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[path1[-1]],
            y=[path2[-1]],
            mode="markers",
            name="end",
            marker={"size": 16, "color": NEGATIVE, "symbol": "star"},
        )
    )
    fig.update_xaxes(title=as_text([label1])[0])
    fig.update_yaxes(title=as_text([label2])[0])
    fig = _base_layout(fig, "The error landscape over two weights, and the path training took", height=520)
    fig.update_layout(hovermode="closest")
    return fig


def comparison_figure(
    curves: dict[str, np.ndarray], elbows: dict[str, int], label: str, log_y: bool = True
) -> go.Figure:
    """Several runs' error curves on one log-scale chart, each elbow marked."""
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", MUTED, "#F0E442"]
    fig = go.Figure()
    for i, (name, errors) in enumerate(curves.items()):
        color = palette[i % len(palette)]
        ks = plot_indices(1, len(errors), 1_000, keep=[elbows[name]])
        fig.add_trace(go.Scatter(x=ks, y=errors[ks], mode="lines", name=name, line={"color": color, "width": 2.5}))
        e = max(elbows[name], 1)
        fig.add_trace(
            go.Scatter(
                x=[e],
                y=[errors[elbows[name]]],
                mode="markers",
                showlegend=False,
                marker={"size": 11, "color": color, "symbol": "diamond", "line": {"width": 1.5, "color": "black"}},
                hovertemplate=f"{name}: elbow at iteration {elbows[name]:,}<extra></extra>",
            )
        )
    fig.update_xaxes(type="log", title="iteration")
    fig.update_yaxes(type="log" if log_y else "linear", title=label)
    return _base_layout(fig, "Learning rates side by side (◆ = each run's elbow)", height=480)


def saturation_figure(predictions: np.ndarray, targets: np.ndarray) -> go.Figure:
    """|∂E/∂z| per row for a target of 1, under each rule, as ŷ runs from 0 to 1.

    Cross-entropy: ``1 − ŷ``; the article's rule: ``(1 − ŷ) · ŷ(1 − ŷ)``, which vanishes
    when the sigmoid saturates at the wrong end.
    """
    p = np.linspace(0.001, 0.999, 400)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=p, y=1 - p, mode="lines", name="cross-entropy: |ŷ − y|", line={"color": POSITIVE, "width": 3})
    )
    fig.add_trace(
        go.Scatter(
            x=p,
            y=(1 - p) * p * (1 - p),
            mode="lines",
            name="article's rule: |y − ŷ| · ŷ(1 − ŷ)",
            line={"color": NEGATIVE, "width": 3},
        )
    )
    ones = predictions[targets == 1]
    fig.add_trace(
        go.Scatter(
            x=ones,
            y=1 - ones,
            mode="markers",
            name="rows with y = 1 (cross-entropy)",
            marker={"color": POSITIVE, "size": 9},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=ones,
            y=(1 - ones) * ones * (1 - ones),
            mode="markers",
            name="rows with y = 1 (article's rule)",
            marker={"color": NEGATIVE, "size": 9, "symbol": "square"},
        )
    )
    fig.update_xaxes(title="prediction ŷ (target y = 1)", range=[0, 1])
    fig.update_yaxes(title="|∂E/∂z| for one row")
    fig = _base_layout(fig, "The slope that vanishes: how hard each rule pushes a wrong prediction", height=420)
    fig.update_layout(hovermode="closest")
    return fig
