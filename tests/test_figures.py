import json

import numpy as np
import plotly.graph_objects as go
import pytest

from nnviz import datasets
from nnviz.engine.elbow import find_elbow
from nnviz.engine.training import TrainingConfig, train
from nnviz.views import diagram, figures


@pytest.fixture(scope="module")
def xor_run():
    data = datasets.xor()
    return train(data.X, data.y, TrainingConfig(hidden=(4,), bias=True, seed=1, iterations=20_000))


def test_plot_indices_are_log_spaced_bounded_and_keep_what_matters():
    ks = figures.plot_indices(1, 1_000_001, max_points=2_000, keep=[123_457])
    assert len(ks) <= 2_003 and ks[0] == 1 and ks[-1] == 1_000_000 and 123_457 in ks
    assert np.all(np.diff(ks) > 0)
    assert figures.plot_indices(1, 50).tolist() == list(range(1, 50))


def test_error_figure_has_log_x_marks_the_elbow_and_stays_true(article_run):
    elbow = find_elbow(article_run.abs_error, 0, 1_001)
    fig = figures.error_figure(article_run.abs_error, elbow, window=1_000)
    assert isinstance(fig, go.Figure)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "linear"
    line, marker = fig.data[0], fig.data[1]
    np.testing.assert_array_equal(line.y, article_run.abs_error[np.asarray(line.x)])
    assert max(line.x) == 1_000 and min(line.x) == 1
    assert marker.x == (elbow,) and marker.y[0] == article_run.abs_error[elbow]
    assert f"{elbow:,}" in marker.name
    assert figures.error_figure(article_run.abs_error, elbow, 1_000, log_y=True).layout.yaxis.type == "log"
    assert len(figures.error_figure(article_run.abs_error).data[0].x) <= figures.MAX_POINTS + 2


def test_edge_width_grows_with_the_size_of_the_weight_and_colour_follows_sign():
    widths = [diagram.edge_width(w, 10.0) for w in (0.0, 1.0, -5.0, 10.0, -10.0)]
    assert widths[0] == diagram.MIN_WIDTH and widths[3] == widths[4] == diagram.MAX_WIDTH
    assert widths[0] < widths[1] < widths[2] < widths[3]
    assert diagram.edge_color(0.5) == figures.POSITIVE and diagram.edge_color(-0.5) == figures.NEGATIVE


def test_animation_frames_draw_the_weights_of_their_iteration(xor_run):
    names = ("x1", "x2", "x3")
    fig = diagram.training_animation(xor_run, names, row=2)
    ks = [int(f.name) for f in fig.frames]
    assert ks[0] == 0 and ks[-1] == 20_000 and len(ks) <= 60
    n_edges = 3 * 4 + 4 * 1
    largest = max(np.abs(w).max() for w in xor_run.final_params.weights)
    for frame in (fig.frames[0], fig.frames[-1]):
        params = xor_run.params_at(int(frame.name))
        flat = np.concatenate([w.ravel() for w in params.weights])
        edges = frame.data[:n_edges]
        for edge, w in zip(edges, flat):
            assert edge.line.color == diagram.edge_color(w)
            assert edge.line.width == pytest.approx(diagram.edge_width(w, largest), rel=1e-9)
        hover = frame.data[n_edges].text
        assert hover[0] == f"x1→h1: {flat[0]:.8f}"
        marker, bars = frame.data[-2], frame.data[-1]
        assert marker.y[0] == xor_run.abs_error[int(frame.name)]
        h = 1 / (1 + np.exp(-(datasets.xor().X @ params.weights[0] + params.biases[0])))
        out = 1 / (1 + np.exp(-(h @ params.weights[1] + params.biases[1])))
        np.testing.assert_allclose(bars.y, out.ravel(), rtol=1e-12)
    # Training made the edges thicker: the widest edge at the end beats the widest at the start.
    first = max(e.line.width for e in fig.frames[0].data[:n_edges])
    last = max(e.line.width for e in fig.frames[-1].data[:n_edges])
    assert last > first
    assert len(fig.layout.sliders[0].steps) == len(fig.frames)
    assert fig.layout.xaxis2.type == "log"


def test_weights_figure_has_one_line_per_weight(xor_run):
    fig = figures.weights_figure(xor_run, ("x1", "x2", "x3"))
    assert len(fig.data) == 12 + 4 + 4 + 1
    assert fig.layout.xaxis.type == "log"
    first = fig.data[0]
    np.testing.assert_array_equal(first.y, xor_run.snapshot_weights[0][1:, 0, 0])


def colours_drawn(fig):
    """Fill and line colours of every trace and animation frame (outlines excluded)."""
    found = []
    for trace in [*fig.data, *(t for frame in fig.frames for t in frame.data)]:
        for part in ("marker", "line"):
            colour = getattr(getattr(trace, part, None), "color", None)
            found += list(colour) if isinstance(colour, (list, tuple)) else [colour]
    return {c.lower() for c in found if isinstance(c, str)}


def test_charts_stay_readable_in_a_dark_theme(xor_run):
    """Nothing is drawn in black (it vanishes on a dark page), and labels inside the white
    nodes have their own dark colour instead of the theme's (white on white in a dark theme)."""
    curves = {"lr 1": xor_run.abs_error, "lr 2": xor_run.abs_error}
    grid = np.arange(9.0).reshape(3, 3)
    built = [
        diagram.training_animation(xor_run, ["x1", "x2", "a long name"]),
        figures.weights_figure(xor_run, ["x1", "x2", "x3"]),
        figures.comparison_figure(curves, {"lr 1": 10, "lr 2": 20}, "error"),
        figures.slope_figure(np.linspace(-1, 1, 5), np.linspace(1, 2, 5), 0.0, 1.5, -0.1, 0.1, "w"),
        figures.contour_figure([0, 1, 2], [0, 1, 2], grid, [0, 1], [0, 1], "w1", "w2"),
    ]
    for fig in built:
        assert not colours_drawn(fig) & {"black", "#000", "#000000"}
    animation = built[0]
    nodes = [t for t in animation.data if getattr(t, "mode", None) == "markers+text"]
    inside = [t for t in nodes if set(t.textposition) == {"middle center"}]
    beside = [t for t in nodes if set(t.textposition) == {"middle left"}]
    assert inside and inside[0].textfont.color == figures.INK
    assert beside and beside[0].textfont.color is None  # the theme's colour: readable on both
    assert animation.layout.updatemenus[0].font.color == figures.INK


def test_effects_figure_draws_the_mean_and_the_range_coloured_by_what_the_range_supports():
    from nnviz.gradebook.findings import Effect

    effects = [
        Effect("written", 10, 0.12, 0.10, 0.15),
        Effect("oral", 10, 0.02, -0.01, 0.04),
        Effect("<b>x</b>", 2, -0.05, -0.07, -0.03),
    ]
    bar = figures.effects_figure(effects).data[0]
    assert list(bar.y) == [
        "&lt;b&gt;x&lt;/b&gt; (+2)",
        "oral (+10)",
        "written (+10)",
    ]  # smallest at the bottom, escaped
    np.testing.assert_allclose(bar.x, [-5, 2, 12])
    np.testing.assert_allclose(bar.error_x.arrayminus, [2, 3, 2], atol=1e-12)  # mean − low
    np.testing.assert_allclose(bar.error_x.array, [2, 2, 3], atol=1e-12)  # high − mean
    assert list(bar.marker.color) == [figures.NEGATIVE, figures.MUTED, figures.POSITIVE]


def test_the_early_stop_is_marked_only_when_it_stopped_early():
    curve = np.linspace(1, 0.1, 101)
    marked = figures.mark_best_iteration(figures.error_figure(curve), 40, 100)
    assert [a.text for a in marked.layout.annotations] == ["kept: iteration 40"]
    assert marked.layout.shapes[-1].x0 == 40
    untouched = figures.mark_best_iteration(figures.error_figure(curve), 100, 100)
    assert not untouched.layout.annotations


def test_pass_map_figure_draws_the_chance_the_pass_line_and_every_student():
    from nnviz.gradebook.findings import PassMap

    xs = ys = np.linspace(0, 100, 5)
    grid = PassMap("written", "oral", xs, ys, np.tile(xs / 100, (5, 1)))
    passed = np.array([True, False, True, False])
    held_out = np.array([False, False, True, True])
    fig = figures.pass_map_figure(
        grid, np.array([90, 10, 80, 20.0]), np.array([50, 50, 60, 40.0]), passed, held_out, ["a", "b", "c", "<i>d</i>"]
    )
    heat, line, *dots = fig.data
    assert heat.type == "heatmap" and heat.zmin == 0 and heat.zmax == 100 and heat.z[0][4] == 100
    assert line.type == "contour" and line.contours.start == line.contours.end == 0.5
    assert [len(d.x) for d in dots] == [1, 1, 1, 1]
    assert [d.marker.symbol for d in dots] == ["circle", "x", "circle-open", "x-open"]  # shape, not only colour
    assert dots[3].text == ("&lt;i&gt;d&lt;/i&gt;",)
    assert not colours_drawn(fig) & {"black", "#000", "#000000"}


def test_the_still_diagram_shows_the_biases_like_the_animation(xor_run):
    params = xor_run.final_params
    fig = diagram.diagram_figure(xor_run.network, params, xor_run.X, ["x1", "x2", "x3"], 0, "still")
    hovers = [h for trace in fig.data if trace.hovertext for h in trace.hovertext]
    for layer, biases in enumerate(params.biases):
        for b in biases:
            assert any(f"bias {b:.6f}" in h for h in hovers), (layer, b)


def test_figures_built_without_validation_are_valid_plotly(xor_run, article_run):
    """The run's charts skip Plotly's validation for speed (``figures.from_spec``, the
    animation's plain frames): Plotly's full validation must accept every one of them, and
    the animation must serialise the same whether or not its frame objects were made."""
    elbow = find_elbow(article_run.abs_error, 0, 1_001)
    built = [
        figures.error_figure(article_run.abs_error, elbow, 1_000, log_y=True),
        figures.error_figure(
            xor_run.objective,
            50,
            label="loss",
            extra={"held out": xor_run.objective[:10]},
            extra_iterations=np.arange(10),
        ),
        figures.weights_figure(xor_run, ["x1", "x2", "x3"]),
        diagram.training_animation(xor_run, ["x1", "x2", "x3"], row=1),
        diagram.training_animation(article_run, ["x1", "x2", "x3"], narrow=True, start_iteration=5_000),
    ]
    for fig in built:
        spec = fig.to_dict()
        go.Figure(spec)  # raises on any property Plotly does not know or any bad value
        assert go.Figure(spec).to_plotly_json().keys() == spec.keys()
    animation = built[3]
    plain = json.loads(animation.to_json())
    assert len(animation.frames) == len(animation.to_dict()["frames"]) > 10  # frame objects made on demand
    assert json.loads(animation.to_json()) == plain
    assert all(
        trace["type"] in ("scatter", "bar") for frame in animation.to_dict()["frames"] for trace in frame["data"]
    )


def test_one_frame_of_the_animation_is_that_frame_without_the_sixty(article_run):
    full = diagram.training_animation(article_run, ["x1", "x2", "x3"], start_iteration=5_000).to_dict()
    one = diagram.training_animation(article_run, ["x1", "x2", "x3"], start_iteration=5_000, one_frame=True).to_dict()
    assert one["data"] == full["data"]  # the same picture at that iteration
    assert not one.get("frames") and not one["layout"].get("sliders") and not one["layout"].get("updatemenus")
    assert len(json.dumps(one)) * 3 < len(json.dumps(full))  # what Play sends each step (the template is most of it)


def test_the_class_answers_are_bars_for_options_and_dots_on_a_log_axis_for_numbers():
    bars = figures.class_answers_figure({"up": 3, "down": 1}, "t", mine="down", truth="up")
    assert list(bars.data[0].x) == ["up", "down"] and list(bars.data[0].y) == [3, 1]
    assert list(bars.data[0].marker.color) == [figures.GREEN, figures.POSITIVE]
    assert list(bars.data[0].marker.line.width) == [0, 3] and bars.data[0].text[1] == "1 (you)"
    dots = figures.class_answers_figure({"100": 2, "10": 1, "1000": 1}, "t", mine="100")
    assert dots.layout.xaxis.type == "log" and list(dots.data[0].x) == [10.0, 100.0, 100.0, 1000.0]
    assert list(dots.data[0].y) == [1, 1, 2, 1]  # one dot per student, stacked
    assert list(dots.data[0].marker.line.width) == [0, 3, 0, 0]
    assert tuple(dots.layout.xaxis.range) == (0.5, 3.5)  # a decade either side
