"""Predict, then see: the right answer to each question a page asks before it shows the
thing, and one sentence of why, computed from the run the student is looking at.

Nothing here is written for one setting: change the seed, the rule or the learning rate and
the answers and sentences change with the numbers.  Each function returns an ``Answer``;
the page (``ui/predict.py``) compares it with the student's guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.engine import network as nn
from nnviz.engine.trace import IterationTrace
from nnviz.engine.training import Run

UP, DOWN = "up", "down"


@dataclass(frozen=True)
class Answer:
    """The right answer (one of the question's options) and why, with the engine's number."""

    truth: str
    why: str
    number: float  # the engine's number the sentence is built on


def weight_direction(trace: IterationTrace, param: nn.Param) -> Answer:
    """Will this weight go up or down in this iteration's update?"""
    layer = trace.layers[param.layer]
    step = float(layer.bias_steps[param.unit] if param.is_bias else layer.weight_steps[param.source, param.unit])
    before = param.get(trace.run.params_at(trace.iteration))
    truth = UP if step > 0 else DOWN
    why = f"{param.label} moves by {step:+.8f}, from {before:.8f} to {before + step:.8f}."
    return Answer(truth, why, step)


def update_note(trace: IterationTrace) -> str:
    """What every weight's step is, said once beside several ``weight_direction`` answers."""
    return f"Each step is {trace.run.rule.update_formula}, summed over the rows."


def elbow_guess(guess: int, elbow: int, window: int) -> tuple[bool, str]:
    """Right when the guess is within a factor of 2 of the elbow of the error over the window."""
    right = elbow / 2 <= guess <= 2 * max(elbow, 1)
    why = (
        f"Over the first {window:,} iterations the error bends most at iteration {elbow:,} (the point farthest "
        f"from the straight line joining the window's ends); your {guess:,} is "
        + ("within a factor of 2 of it." if right else f"{_times(max(guess, 1) / max(elbow, 1))}.")
    )
    return right, why


def _times(ratio: float) -> str:
    """A guess against the truth in words: "25× smaller", "4.5× larger" (never "0.0× that")."""
    larger = ratio >= 1
    factor = ratio if larger else 1 / ratio
    shown = f"{factor:.1f}" if factor < 10 else f"{factor:,.0f}"
    return f"{shown}× {'larger' if larger else 'smaller'}"


def largest_weight(run: Run, input_names: Sequence[str]) -> Answer:
    """Which input's weight into the output ends up largest in size (networks with no hidden layer)."""
    final = run.final_params.weights[0][:, 0]
    j = int(np.argmax(np.abs(final)))
    X, y = run.X, run.y
    column = X[:, j]
    if np.ptp(column) == 0:
        reason = f"{input_names[j]} is {column[0]:g} in every row, so its weight acts as the output's bias"
    else:
        # Say "follows the target most closely" only of the input that does: early in a run the
        # largest weight may still be the one the seed started largest.
        varying = [i for i in range(X.shape[1]) if np.ptp(X[:, i])]
        agree = {i: float(np.corrcoef(X[:, i], y)[0, 1]) for i in varying}
        closest = max(varying, key=lambda i: abs(agree[i]))
        others = [abs(agree[i]) for i in varying if i != j]
        if closest == j:
            reason = (
                f"{input_names[j]} follows the target most closely (correlation {agree[j]:+.2f}"
                + (f", the others at most {max(others):.2f})" if others else ")")
                + ", so trusting it lowers the error every iteration"
            )
        else:
            start = float(run.snapshot(0).weights[0][j, 0])
            reason = (
                f"{input_names[closest]} follows the target more closely (correlation {agree[closest]:+.2f}, "
                f"{input_names[j]} {agree[j]:+.2f}), but {input_names[j]}'s weight started at {start:+.4f} (the "
                f"seed's random start) and has moved by {final[j] - start:+.4f} in {run.last_iteration:,} "
                f"iteration{'' if run.last_iteration == 1 else 's'}"
            )
    after = f"{run.last_iteration:,} iteration{'' if run.last_iteration == 1 else 's'}"
    why = f"{input_names[j]}'s weight ends at {final[j]:+.4f} after {after}: {reason}."
    return Answer(input_names[j], why, float(final[j]))


CANNOT_TELL = "the data cannot tell"


def most_important_grade(found) -> Answer:
    """Which grade matters most (``grades.Findings``), or that the data cannot tell."""
    top = found.effects[0]
    truth = found.most_important or CANNOT_TELL
    return Answer(truth, found.sentence(), top.change)


TRAINED, HELD_OUT, SAME = "the students it trained on", "the held-out students", "about the same"


def train_or_test(fit) -> Answer:
    """Will the kept network do better on its training students or on the held-out ones?"""
    train, test = fit.train_accuracy, fit.test_accuracy
    gap = train - test
    truth = SAME if abs(gap) < 0.025 else TRAINED if gap > 0 else HELD_OUT
    why = (
        f"Accuracy {train:.1%} on the {len(fit.train_set.y)} students it trained on and {test:.1%} on the "
        f"{len(fit.test_set.y)} held out"
        + (
            ": a network usually does a little better on what it has seen, which is why a test set is kept apart."
            if truth == TRAINED
            else ": here the held-out students happened to be easier; with a few dozen students chance can do that."
            if truth == HELD_OUT
            else ": within 2.5 points, no real difference."
        )
    )
    return Answer(truth, why, gap)


def most_blamed(blames) -> Answer:
    """Which weight (or bias) gets the most blame, the largest |∂E/∂w|, at this iteration."""
    top = max(blames, key=lambda b: abs(b.analytic))
    second = sorted((abs(b.analytic) for b in blames), reverse=True)[1] if len(blames) > 1 else 0.0
    why = (
        f"{top.label} has ∂E/∂w = {top.analytic:+.8f}, the largest in size (the next: {second:.8f}); "
        f"its chain of factors is {' · '.join(top.factor_names)}."
    )
    return Answer(top.label, why, top.analytic)


LOWER, HIGHER = "lower", "higher"


def error_after_update(run: Run, k: int) -> Answer:
    """After iteration ``k``'s update, is the error (the run's objective) lower or higher?"""
    before, after = float(run.objective[k]), float(run.objective[k + 1])
    truth = LOWER if after < before else HIGHER
    why = f"{run.rule.objective_name} goes from {before:.8f} to {after:.8f} ({after - before:+.2e}): " + (
        "a step downhill, small enough to land lower."
        if truth == LOWER
        else f"the step (α = {run.config.learning_rate:g}) overshot the valley and landed higher."
    )
    return Answer(truth, why, after - before)


def step_direction(label: str, slope: float, learning_rate: float) -> Answer:
    """Which way will this weight step: −α · slope."""
    step = -learning_rate * slope
    truth = UP if step > 0 else DOWN
    why = (
        f"The slope ∂E/∂w of {label} is {slope:+.6f}, so the step −α·slope = −{learning_rate:g} × {slope:+.6f} "
        f"= {step:+.6f} moves it {truth}: always against the slope, downhill."
    )
    return Answer(truth, why, step)


SETTLES, DOES_NOT = "yes, it settles", "no, it does not"


def settles(errors: np.ndarray, learning_rate: float) -> Answer:
    """Does a run settle: it ends well below where it started (under half), and over its last
    tenth the error never bounces back up (no rise of more than 1 % from one iteration to the next)?"""
    start, end = float(errors[0]), float(errors[-1])
    tail = np.asarray(errors[int(0.9 * (len(errors) - 1)) :], float)
    rises = np.diff(tail) / np.maximum(tail[:-1], 1e-12)
    calm = not len(rises) or float(np.max(rises)) <= 0.01
    truth = SETTLES if end < 0.5 * start and calm else DOES_NOT
    if truth == SETTLES:
        how = "and it no longer bounces at the end."
    elif not calm:
        how = "and it is still bouncing up and down at the end: too big a step overshoots the valley, again and again."
    else:
        how = "and it has not come down even halfway: too small a step crawls."
    why = f"With α = {learning_rate:g} the error goes from {start:.4f} to {end:.4f} {how}"
    return Answer(truth, why, end)
