"""Plotly charts of a run and of a class: errors, weights, effects, pass maps, slopes and
landscapes.  Each builder takes data and returns a ``go.Figure``; the network drawing and its
animation are in ``diagram.py``.

Lines are downsampled for drawing (log-spaced, a few thousand points at most) while the
run keeps every iteration; the elbow and the end points are always among the points drawn.
Colours are the Okabe–Ito pair blue/vermillion, which colour-blind readers tell apart.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnviz.engine import network as nn
from nnviz.engine.training import Run
from nnviz.i18n import ENGLISH, Language
from nnviz.numbers import is_number

# One palette: Okabe and Ito's colours, which colour-blind readers tell apart; their black is
# left out (it vanishes on a dark page) and grey stands in for it.
POSITIVE = "#0072B2"  # blue
NEGATIVE = "#D55E00"  # vermillion
GREEN = "#009E73"
HIGHLIGHT = "#CC79A7"  # reddish purple
ORANGE = "#E69F00"
SKY = "#56B4E9"
YELLOW = "#F0E442"
MUTED = "#999999"
NEUTRAL = "#555555"
INK = "#262730"  # dark text on the white nodes and buttons, whatever the page's theme
PALETTE = (POSITIVE, NEGATIVE, GREEN, HIGHLIGHT, ORANGE, SKY, YELLOW, MUTED)
MAX_POINTS = 2_000
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


TITLE_LINE = 44  # characters: a longer title takes two lines, so a phone's 390 px never cuts it


def wrap_title(title: str, width: int = TITLE_LINE) -> str:
    """A long chart title on two lines, broken at the space nearest its middle."""
    if len(title) <= width or "<br>" in title:
        return title
    spaces = [i for i, ch in enumerate(title) if ch == " "]
    if not spaces:
        return title
    cut = min(spaces, key=lambda i: abs(i - len(title) / 2))
    return f"{title[:cut]}<br>{title[cut + 1 :]}"


def base_layout_spec(title: str, height: int = 420) -> dict:
    """The layout every chart starts from, as plain data."""
    wrapped = wrap_title(title)
    return {
        "title": {"text": wrapped, "x": 0.01},
        "height": height,
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 80 if "<br>" in wrapped else 60, "b": 50},
        "hovermode": "x unified",
        # Below the chart, left-aligned: above it, a legend runs into the title on a phone.
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0},
    }


def base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(base_layout_spec(title, height))
    return fig


def from_spec(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain data, without Plotly's property-by-property validation.

    The charts a run needs at once (its error, its weights, its animation) are built this
    way: validation costs more than building the figure, for a spec
    built here and known good (``tests/test_figures.py`` validates every builder's output)."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def error_figure(
    errors: np.ndarray,
    elbow: int | None = None,
    window: int | None = None,
    log_x: bool = True,
    log_y: bool = False,
    label: str = "Σ|y − ŷ|",
    extra: dict[str, np.ndarray] | None = None,
    extra_iterations: np.ndarray | None = None,
    title: str | None = None,
    lang: Language = ENGLISH,
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
    data = [
        {
            "type": "scatter",
            "x": ks,
            "y": errors[ks],
            "mode": "lines",
            "name": label,
            "line": {"color": POSITIVE, "width": 3},
        }
    ]
    for i, (name, values) in enumerate((extra or {}).items()):
        assert extra_iterations is not None, "extra curves need the iterations they were sampled at"
        mask = (extra_iterations >= (0 if not log_x else 1)) & (extra_iterations < stop)
        data.append(
            {
                "type": "scatter",
                "x": extra_iterations[mask],
                "y": values[mask],
                "mode": "lines",
                "name": name,
                "line": {"color": NEGATIVE, "width": 3, "dash": ["dash", "dot"][i % 2]},
            }
        )
    shapes = []
    if elbow is not None and 0 <= elbow < len(errors):
        at = max(elbow, 1) if log_x else elbow
        data.append(
            {
                "type": "scatter",
                "x": [at],
                "y": [float(errors[elbow])],
                "mode": "markers",
                "name": lang._("elbow: iteration {k}", k=lang.integer(elbow)),
                "marker": {"color": HIGHLIGHT, "size": 14, "symbol": "diamond", "line": {"width": 2, "color": "black"}},
            }
        )
        shapes.append(vertical_line(at, {"color": HIGHLIGHT, "dash": "dot", "width": 2}))
    if title is None:  # the summed error, or a loss (the grades page's cross-entropy)
        n = lang.integer(stop - 1)
        title = (
            lang._("Error over the first {n} iterations", n=n)
            if label.startswith("Σ")
            else lang._("Loss over the first {n} iterations", n=n)
        )
    what = title
    layout = {
        **base_layout_spec(what),
        "xaxis": {"type": "log" if log_x else "linear", "title": {"text": lang._("iteration")}},
        "yaxis": {"type": "log" if log_y else "linear", "title": {"text": label}},
        "shapes": shapes,
    }
    return from_spec(data, layout)


def vertical_line(x: float, line: dict) -> dict:
    """A line across the whole plot at ``x`` (Plotly's ``add_vline``, as data)."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}


def as_text(names: Sequence[str]) -> list[str]:
    """Names from an uploaded file, escaped: Plotly renders some HTML in labels and text."""
    return [html.escape(str(name), quote=False) for name in names]


def weights_figure(run: Run, feature_names: Sequence[str], log_x: bool = True, lang: Language = ENGLISH) -> go.Figure:
    """One line per weight (and bias) across the snapshots, labelled like the diagram."""
    feature_names = as_text(feature_names)
    ks = run.snapshot_iterations
    shown = ks >= 1 if log_x else np.ones(len(ks), bool)
    data = [
        {
            "type": "scatter",
            "x": ks[shown],
            "y": param.path(run)[shown],
            "mode": "lines",
            "name": param.label,
            "line": {"color": PALETTE[i % len(PALETTE)], "width": 2.5, **({"dash": "dash"} if param.is_bias else {})},
        }
        for i, param in enumerate(nn.parameters(run.network, feature_names))
    ]
    rows_of_legend = len(data) // 4
    layout = {
        **base_layout_spec(lang._("How every weight moves during training"), height=440 + 22 * rows_of_legend),
        "xaxis": {"type": "log" if log_x else "linear", "title": {"text": lang._("iteration")}},
        "yaxis": {"title": {"text": lang._("weight")}, "zeroline": True, "zerolinecolor": "#999"},
        # The legend below the chart: beside it, a dozen names would squeeze the lines on a phone.
        "legend": {"orientation": "h", "y": -0.22, "x": 0, "xanchor": "left", "yanchor": "top"},
    }
    layout["margin"] = {**layout["margin"], "b": 40 + 22 * (1 + rows_of_legend)}
    return from_spec(data, layout)


def effects_figure(
    effects, regression_effects=(), interval_words: str = "the resamples", lang: Language = ENGLISH
) -> go.Figure:
    """Each grade raised by a tenth of its scale: the mean change in the class's chance of
    passing over the resamples (bar) and their interval (error bar); beside each, hollow, the
    plain logistic regression's change and the interval from its standard errors."""
    effects = list(effects)[::-1]
    by_grade = {e.grade: e for e in regression_effects}
    one_letter = lang._("1 letter")
    names = as_text([f"{e.grade} (+{one_letter if e.letters else lang.short(e.step)})" for e in effects])

    def bar(rows, name: str, about: str, **style) -> go.Bar:  # ``name`` in the legend, ``about`` on hover
        changes = np.array([100 * e.change for e in rows])
        lows, highs = np.array([100 * e.low for e in rows]), np.array([100 * e.high for e in rows])
        return go.Bar(
            x=changes,
            y=names,
            orientation="h",
            name=name,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": highs - changes,
                "arrayminus": changes - lows,
                "color": MUTED,
                "thickness": 2,
                "width": 6,
            },
            text=[lang.change(c, 1) for c in changes],
            textposition="inside",
            insidetextanchor="start",
            customdata=np.c_[lows, highs],
            hovertemplate=about
            + "<br>"
            + lang._(
                "{grade}: {change} points ({low} to {high})",
                grade="%{y}",
                change="%{x:+.1f}",
                low="%{customdata[0]:+.1f}",
                high="%{customdata[1]:+.1f}",
            )
            + "<extra></extra>",
            **style,
        )

    colours = [POSITIVE if e.direction == "helps" else NEGATIVE if e.direction == "hurts" else MUTED for e in effects]
    traces = []
    if by_grade:
        traces.append(
            bar(
                [by_grade[e.grade] for e in effects],
                lang._("logistic regression"),
                lang._("logistic regression (90 % from its standard errors)"),
                marker={"color": "rgba(153,153,153,0.25)", "line": {"color": MUTED, "width": 1.5}},
            )
        )
    traces.append(
        bar(
            effects,
            lang._("network"),
            lang._("network (mean and {interval})", interval=interval_words),
            marker={"color": colours},
        )
    )
    fig = go.Figure(traces)
    fig.add_vline(x=0, line={"color": NEUTRAL, "width": 1})
    fig.update_xaxes(title=lang._("change in the chance of passing (points)"), zeroline=False)
    fig = base_layout(
        fig,
        lang._("Raising each grade a step for the whole class: mean and 90 % interval"),
        height=140 + (90 if by_grade else 60) * len(effects),
    )
    fig.update_layout(
        hovermode="closest",
        showlegend=bool(by_grade),
        barmode="group",
        legend={"orientation": "h", "traceorder": "reversed", "y": -0.25},
    )
    return fig


def mark_best_iteration(fig: go.Figure, best: int, last: int, lang: Language = ENGLISH) -> go.Figure:
    """The early stop on a loss chart: a line where the held-out loss was lowest."""
    if best < last:
        text = lang._("kept: iteration {k}", k=lang.integer(best))
        fig.add_vline(x=max(best, 1), line={"color": NEUTRAL, "dash": "dash", "width": 2})
        fig.add_annotation(
            x=np.log10(max(best, 1)),
            y=1,
            yref="paper",
            text=text,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            bgcolor="rgba(255,255,255,0.85)",
            font={"color": INK, "size": 13},
        )
    return fig


PASS_SCALE = [
    [0.0, "#F3C3A0"],
    [0.5, "#F7F7F7"],
    [1.0, "#A6CDE8"],
]  # light vermillion → white → light blue: colour-blind safe, and the dots stay visible


def pass_map_figure(grid, points_x, points_y, passed, is_test, names, lang: Language = ENGLISH) -> go.Figure:
    """The chance of passing over two grades (a heat map, the 50 % line drawn) with the
    students as dots: blue circles passed, vermillion crosses failed; held-out students hollow."""
    fig = go.Figure(
        go.Heatmap(
            x=grid.xs,
            y=grid.ys,
            z=100 * grid.chance,
            zmin=0,
            zmax=100,
            colorscale=PASS_SCALE,
            colorbar={"title": {"text": lang._("chance of passing (%)"), "side": "right"}, "thickness": 14},
            hovertemplate=f"{html.escape(grid.x_name)} %{{x:.3g}}, {html.escape(grid.y_name)} %{{y:.3g}}: "
            "%{z:.0f} %<extra></extra>",
        )
    )
    fig.add_trace(
        go.Contour(
            x=grid.xs,
            y=grid.ys,
            z=grid.chance,
            showscale=False,
            contours={"start": 0.5, "end": 0.5, "coloring": "none"},
            line={"color": INK, "width": 3},
            hoverinfo="skip",
            name=lang._("the pass line (50 %)"),
            showlegend=True,
        )
    )
    text = as_text(names)
    for label, mask, symbol, colour in (
        (lang._("passed"), passed & ~is_test, "circle", POSITIVE),
        (lang._("failed"), ~passed & ~is_test, "x", NEGATIVE),
        (lang._("passed (held out)"), passed & is_test, "circle-open", POSITIVE),
        (lang._("failed (held out)"), ~passed & is_test, "x-open", NEGATIVE),
    ):
        fig.add_trace(
            go.Scatter(
                x=points_x[mask],
                y=points_y[mask],
                mode="markers",
                name=label,
                text=np.array(text, dtype=object)[mask],
                marker={
                    "symbol": symbol,
                    "color": colour,
                    "size": 10,
                    "line": {"width": 2, "color": INK if "open" not in symbol else colour},
                },
                hovertemplate="%{text}: %{x:.3g}, %{y:.3g}<extra>" + label + "</extra>",
            )
        )
    fig.update_xaxes(title=html.escape(grid.x_name), range=[grid.xs[0], grid.xs[-1]])
    fig.update_yaxes(title=html.escape(grid.y_name), range=[grid.ys[0], grid.ys[-1]])
    fig = base_layout(fig, lang._("Where the network draws the pass line"), height=520)
    fig.update_layout(
        hovermode="closest", legend={"y": -0.18, "yanchor": "top", "x": 0, "xanchor": "left"}, margin={"b": 110}
    )
    return fig


def slope_figure(
    values: np.ndarray,
    errors: np.ndarray,
    weight: float,
    error: float,
    slope: float,
    step: float,
    label: str,
    lang: Language = ENGLISH,
) -> go.Figure:
    """E as one weight varies: the current point, its tangent, and where the step lands."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=values,
            y=errors,
            mode="lines",
            name=lang._("E as {weight} varies", weight=label),
            line={"color": POSITIVE, "width": 3},
        )
    )
    span = (values[-1] - values[0]) * 0.18
    tx = np.array([weight - span, weight + span])
    fig.add_trace(
        go.Scatter(
            x=tx,
            y=error + slope * (tx - weight),
            mode="lines",
            name=lang._("tangent, slope {slope}", slope=lang.signed(slope, 6)),
            line={"color": HIGHLIGHT, "width": 3, "dash": "dash"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[weight],
            y=[error],
            mode="markers",
            name=lang._("now: {weight} = {value}", weight=label, value=lang.number(weight, 6)),
            marker={"size": 14, "color": INK, "line": {"width": 2, "color": "white"}},
        )
    )
    landing = weight + step
    fig.add_annotation(
        x=landing,
        y=error,
        ax=weight,
        ay=error,
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        showarrow=True,
        arrowhead=3,
        arrowsize=1.5,
        arrowwidth=2.5,
        arrowcolor=NEGATIVE,
    )
    fig.add_trace(
        go.Scatter(
            x=[landing],
            y=[error],
            mode="markers",
            name=lang._("step −α·slope = {step}", step=lang.signed(step, 6)),
            marker={"size": 12, "color": NEGATIVE, "symbol": "triangle-right" if step >= 0 else "triangle-left"},
        )
    )
    fig.update_xaxes(title=label)
    fig.update_yaxes(title="E")
    fig = base_layout(fig, lang._("Error against one weight, the others held"), height=440)
    fig.update_layout(hovermode="closest")
    return fig


def contour_figure(
    values1, values2, grid, path1, path2, label1: str, label2: str, lang: Language = ENGLISH
) -> go.Figure:
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
            name=lang._("the run's path"),
            line={"color": "white", "width": 3},
            marker={"size": 5, "color": "white"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[path1[0]],
            y=[path2[0]],
            mode="markers",
            name=lang._("start"),
            marker={"size": 14, "color": HIGHLIGHT, "symbol": "circle"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[path1[-1]],
            y=[path2[-1]],
            mode="markers",
            name=lang._("end"),
            marker={"size": 16, "color": NEGATIVE, "symbol": "star"},
        )
    )
    fig.update_xaxes(title=as_text([label1])[0])
    fig.update_yaxes(title=as_text([label2])[0])
    fig = base_layout(fig, lang._("The error landscape over two weights, and the path training took"), height=520)
    fig.update_layout(hovermode="closest")
    return fig


def comparison_figure(
    curves: dict[str, np.ndarray], elbows: dict[str, int], label: str, log_y: bool = True, lang: Language = ENGLISH
) -> go.Figure:
    """Several runs' error curves on one log-scale chart, each elbow marked."""
    fig = go.Figure()
    for i, (name, errors) in enumerate(curves.items()):
        color = PALETTE[i % len(PALETTE)]
        ks = plot_indices(1, len(errors), 1_000, keep=[elbows[name]])
        fig.add_trace(go.Scatter(x=ks, y=errors[ks], mode="lines", name=name, line={"color": color, "width": 2.5}))
        e = max(elbows[name], 1)
        fig.add_trace(
            go.Scatter(
                x=[e],
                y=[errors[elbows[name]]],
                mode="markers",
                showlegend=False,
                marker={"size": 11, "color": color, "symbol": "diamond", "line": {"width": 1.5, "color": "white"}},
                hovertemplate=lang._("{name}: elbow at iteration {k}", name=name, k=lang.integer(elbows[name]))
                + "<extra></extra>",
            )
        )
    fig.update_xaxes(type="log", title=lang._("iteration"))
    fig.update_yaxes(type="log" if log_y else "linear", title=label)
    return base_layout(fig, lang._("Learning rates side by side (◆ = each run's elbow)"), height=480)


def saturation_figure(predictions: np.ndarray, targets: np.ndarray, lang: Language = ENGLISH) -> go.Figure:
    """|∂E/∂z| per row for a target of 1, under each rule, as ŷ runs from 0 to 1.

    Cross-entropy: ``1 − ŷ``; the article's rule: ``(1 − ŷ) · ŷ(1 − ŷ)``, which vanishes
    when the sigmoid saturates at the wrong end.
    """
    p = np.linspace(0.001, 0.999, 400)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=p, y=1 - p, mode="lines", name=lang._("cross-entropy: |ŷ − y|"), line={"color": POSITIVE, "width": 3}
        )
    )
    fig.add_trace(
        go.Scatter(
            x=p,
            y=(1 - p) * p * (1 - p),
            mode="lines",
            name=lang._("article's rule: |y − ŷ| · ŷ(1 − ŷ)"),
            line={"color": NEGATIVE, "width": 3},
        )
    )
    ones = predictions[targets == 1]
    fig.add_trace(
        go.Scatter(
            x=ones,
            y=1 - ones,
            mode="markers",
            name=lang._("rows with y = 1 (cross-entropy)"),
            marker={"color": POSITIVE, "size": 9},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=ones,
            y=(1 - ones) * ones * (1 - ones),
            mode="markers",
            name=lang._("rows with y = 1 (article's rule)"),
            marker={"color": NEGATIVE, "size": 9, "symbol": "square"},
        )
    )
    fig.update_xaxes(title=lang._("prediction ŷ (target y = 1)"), range=[0, 1])
    fig.update_yaxes(title=lang._("|∂E/∂z| for one row"))
    fig = base_layout(fig, lang._("The slope that vanishes: how hard each rule pushes a wrong prediction"), height=420)
    fig.update_layout(hovermode="closest")
    return fig


def thumbnail(fig: go.Figure, height: int = 230) -> go.Figure:
    """A chart made small for the home page: no title, no legend, no slider, tight margins."""
    fig.update_layout(
        title=None,
        height=height,
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        sliders=[],
        updatemenus=[],
        font={"size": 11},
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=None)
    if fig.data and fig.data[0].type == "heatmap":
        fig.update_traces(showscale=False, selector={"type": "heatmap"})
    return fig


def class_answers_figure(
    counts: dict[str, int], title: str, mine: str | None = None, truth: str | None = None, lang: Language = ENGLISH
) -> go.Figure:
    """A class's answers to one prompt.  Numbers (an elbow guess) are a dot plot on a log axis, one
    dot per student, so a guess of 10 and one of 10,000 sit where the error chart puts them;
    options are a bar each.  The student's own answer is outlined and named; the true one, once
    known, is green."""
    if counts and all(is_number(a) for a in counts):
        return _class_dots(counts, title, mine, truth if truth is not None and is_number(truth) else None, lang)
    answers = sorted(counts, key=lambda a: (-counts[a], a))
    fig = go.Figure(
        go.Bar(
            x=as_text([lang._(a) for a in answers]),
            y=[counts[a] for a in answers],
            marker={
                "color": [GREEN if a == truth else POSITIVE for a in answers],
                "line": {"color": INK, "width": [3 if a == mine else 0 for a in answers]},
            },
            text=[f"{counts[a]}" + (" " + lang._("(you)") if a == mine else "") for a in answers],
            textposition="outside",
            hovertemplate=lang._("{answer}: {n} students", answer="%{x}", n="%{y}") + "<extra></extra>",
        )
    )
    fig.update_yaxes(title=lang._("students"), rangemode="tozero", dtick=max(1, max(counts.values(), default=1) // 5))
    fig = base_layout(fig, title, height=320)
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig


def _class_dots(
    counts: dict[str, int], title: str, mine: str | None, truth: str | None = None, lang: Language = ENGLISH
) -> go.Figure:
    values = sorted(counts, key=float)
    xs = [float(v) for v in values for _ in range(counts[v])]
    ys = [k + 1 for v in values for k in range(counts[v])]
    outlined = [v == mine and k == 0 for v in values for k in range(counts[v])]
    ends = xs + ([float(truth)] if truth is not None and float(truth) > 0 else [])
    low, high = np.log10(min(ends)), np.log10(max(ends))
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"size": 14, "color": POSITIVE, "line": {"color": INK, "width": [3 if o else 0 for o in outlined]}},
            hovertemplate="%{x:,}<extra></extra>",
        )
    )
    if mine is not None and mine in counts:
        fig.add_annotation(
            x=np.log10(float(mine)), y=1, text=lang._("you"), showarrow=True, arrowhead=2, ay=30, yshift=-8
        )
    if truth is not None and float(truth) > 0:  # the answer: a green line where it is
        fig.add_vline(x=float(truth), line={"color": GREEN, "width": 3})
        fig.add_annotation(
            x=np.log10(float(truth)),
            y=1,
            yref="paper",
            text=lang._("answer: {k}", k=lang.integer(round(float(truth)))),
            showarrow=False,
            yanchor="bottom",
            font={"color": GREEN},
        )
    fig.update_xaxes(type="log", title=lang._("answer (iteration)"), range=[low - 0.5, high + 0.5])
    fig.update_yaxes(title=lang._("students"), range=[0, max(ys) + 1], dtick=max(1, max(ys) // 5))
    fig = base_layout(fig, title, height=320)
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig
