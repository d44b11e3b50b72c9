"""Every chart said in words: one or two sentences from the same numbers the chart draws.

Pages show each as the chart's caption and hand it to Streamlit as the chart's text
alternative (``alt``), so a student with a screen reader gets the lesson too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnviz.engine import network as nn
from nnviz.engine.training import Run
from nnviz.numbers import is_number, signed


def _n(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def error_curve(errors: np.ndarray, elbow: int, window: int, label: str = "The error") -> str:
    """The error chart over ``1 … window``."""
    stop = min(window, len(errors) - 1)
    return (
        f"{label} falls from {_n(errors[0])} at iteration 0 to {_n(errors[stop])} at iteration {stop:,}; "
        f"it bends most at iteration {elbow:,}."
    )


def weights(run: Run, feature_names: Sequence[str], shown: int = 3) -> str:
    """Every weight's path, the ones that end largest first."""
    params = nn.parameters(run.network, feature_names)
    final = run.final_params
    first = run.snapshot(0)
    order = sorted(params, key=lambda p: abs(p.get(final)), reverse=True)
    parts = [f"{p.label} from {signed(p.get(first), 2)} to {signed(p.get(final), 2)}" for p in order[:shown]]
    more = f", and {len(params) - shown} more" if len(params) > shown else ""
    return f"Over {run.last_iteration:,} iterations the weights move: {'; '.join(parts)}{more}."


def animation(run: Run, row_names: Sequence[str], feature_names: Sequence[str] | None = None, shown: int = 4) -> str:
    """The training animation: the predictions at the start and at the end, and the thickest edge."""
    start = nn.forward(run.snapshot(0), run.X)[-1][:, 0]
    end = nn.forward(run.final_params, run.X)[-1][:, 0]
    m = min(shown, len(start))
    rows = ", ".join(f"{name} {a:.2f}→{b:.2f}" for name, a, b in zip(row_names[:m], start[:m], end[:m]))
    more = f" (first {m} of {len(start)} rows)" if len(start) > m else ""
    params = [p for p in nn.parameters(run.network, feature_names) if not p.is_bias]
    top = max(params, key=lambda p: abs(p.get(run.final_params)))
    return (
        f"An animation of training from iteration 0 to {run.last_iteration:,}: the predictions move from start to end "
        f"as {rows}{more}; the thickest edge at the end is weight {top.label} ({signed(top.get(run.final_params), 2)})."
    )


def loss(run: Run, test_loss: np.ndarray | None, best: int, elbow: int) -> str:
    """The grades page's loss chart: training loss, the held-out students' loss, the kept iteration."""
    last = run.last_iteration
    text = (
        f"The training loss falls from {_n(run.objective[0], 3)} to {_n(run.objective[last], 3)} by iteration {last:,}"
    )
    if test_loss is not None:
        i = int(np.argmin(test_loss))
        text += (
            f"; the held-out students' loss is lowest, {_n(test_loss[i], 3)}, at iteration {best:,} and "
            f"ends at {_n(test_loss[-1], 3)}"
        )
    return text + f". The elbow is at iteration {elbow:,}."


def effects(found) -> str:
    """Raising each grade: mean and interval over the resamples (``grades.Findings``), and the
    logistic regression's beside it."""
    parts = [
        f"{e.grade} by {e.step_words}: {signed(100 * e.change)} points (interval {signed(100 * e.low)} to "
        f"{signed(100 * e.high)})"
        for e in found.effects
    ]
    top = found.most_important
    lead = f"{top} raises the chance of passing most" if top else "No grade clearly matters most"
    text = (f"{lead}. Raising one grade for the whole class changes the chance by (mean, and "
            f"{found.interval_words()}): " + "; ".join(parts) + ".")  # fmt: skip
    theirs = found.regression_effects()
    if theirs:
        text += (
            " A plain logistic regression gives: "
            + "; ".join(
                f"{e.grade} {signed(100 * e.change)} ({signed(100 * e.low)} to {signed(100 * e.high)})" for e in theirs
            )
            + "."
        )
    return text


def pass_map(grid, passed: np.ndarray, predicted: np.ndarray, others: Sequence[str]) -> str:
    """The pass map: where the 50 % line runs and how many students sit on their own side of it."""
    held = f", with {', '.join(others)} at the class median" if others else ""
    chance = grid.chance
    row = chance.shape[0] // 2
    crossing = np.flatnonzero(np.diff(np.sign(chance[row] - 0.5)) != 0)
    where = (
        f"at {grid.y_name} {grid.ys[row]:.3g} a pass needs {grid.x_name} of about {grid.xs[crossing[0] + 1]:.3g}"
        if len(crossing)
        else f"at {grid.y_name} {grid.ys[row]:.3g} the chance stays on one side of 50 % across {grid.x_name}"
    )
    agree = int(np.sum(passed == predicted))
    return (
        f"The chance of passing over {grid.x_name} and {grid.y_name}{held}: {where}. "
        f"{agree} of {len(passed)} students sit on the side of the line that matches their real result."
    )


def blame_diagram(blames, iteration: int) -> str:
    top = max(blames, key=lambda b: abs(b.analytic))
    low = min(blames, key=lambda b: abs(b.analytic))
    return (
        f"The network at iteration {iteration:,} with each edge as wide as its blame |∂E/∂w|: the widest is "
        f"{top.label} ({signed(top.analytic, 6)}), the narrowest {low.label} ({signed(low.analytic, 6)})."
    )


def weight_diagram(params: nn.Params, network: nn.Network, feature_names, iteration: int) -> str:
    every = [p for p in nn.parameters(network, feature_names) if not p.is_bias]
    top = max(every, key=lambda p: abs(p.get(params)))
    return (
        f"The network at iteration {iteration:,}, each edge as wide as its weight: the widest is {top.label} "
        f"({signed(top.get(params), 6)})."
    )


def saturation(predictions: np.ndarray, targets: np.ndarray) -> str:
    passed = predictions[targets == 1]
    shown = (
        f"; this iteration's rows with y = 1 have ŷ from {passed.min():.2f} to {passed.max():.2f}"
        if len(passed)
        else ""
    )
    return (
        "How hard each rule pushes a prediction ŷ for a row with y = 1: cross-entropy pushes with (1 − ŷ), the "
        f"article's rule with (1 − ŷ)·ŷ(1 − ŷ), which vanishes when ŷ is near 0{shown}."
    )


def slope(label: str, weight: float, error: float, slope_value: float, step: float) -> str:
    return (
        f"E as {label} varies, the others held: at {label} = {weight:.4f} the error is {error:.6f} and the slope "
        f"is {signed(slope_value, 6)}, so the step −α·slope = {signed(step, 6)} moves it to {weight + step:.4f}."
    )


def landscape(surface: np.ndarray, label1: str, label2: str, path1: np.ndarray, path2: np.ndarray) -> str:
    return (
        f"The error over {label1} and {label2} ranges from {surface.min():.4f} to {surface.max():.4f} on the map; "
        f"training moved {label1} from {signed(path1[0], 3)} to {signed(path1[-1], 3)} and {label2} from {signed(path2[0], 3)} "
        f"to {signed(path2[-1], 3)}."
    )


def comparison(curves: dict[str, np.ndarray], elbows: dict[str, int]) -> str:
    parts = [
        f"{name}: from {errors[0]:.3f} to {errors[-1]:.3f}, elbow at {elbows[name]:,}"
        for name, errors in curves.items()
    ]
    best = min(curves, key=lambda name: curves[name][-1])
    return f"The error of each learning rate over training — {'; '.join(parts)}. Lowest at the end: {best}."


def class_answers(counts: dict[str, int], mine: str | None = None, truth: str | None = None) -> str:
    """The class's answers in words: how many gave each, the student's own and the true one."""
    total = sum(counts.values())
    if not total:
        return "Nobody in the class has answered yet."
    each = ", ".join(f"{n} said {a}" for a, n in sorted(counts.items(), key=lambda item: -item[1]))
    words = f"{total} {'student' if total == 1 else 'students'} answered: {each}."
    if mine is not None:
        words += f" You said {mine}."
    if truth is not None and all(is_number(a) for a in (*counts, truth)):
        words += f" The answer is {truth}."  # a guess on a slider is judged near it, not equal to it
    elif truth is not None:
        right = counts.get(truth, 0)
        words += f" The answer is {truth}: {right} of {total} got it."
    return words
