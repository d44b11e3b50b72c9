"""Every chart said in words: one or two sentences from the same numbers the chart draws.

Pages show each as the chart's caption and hand it to Streamlit as the chart's text
alternative (``alt``), so a student with a screen reader gets the lesson too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnviz.engine import network as nn
from nnviz.engine.training import Run
from nnviz.i18n import ENGLISH, Language
from nnviz.numbers import is_number
from nnviz.views.prompts import answer_in_a_sentence


def error_curve(errors: np.ndarray, elbow: int, window: int, label: str | None = None, lang: Language = ENGLISH) -> str:
    """The error chart over ``1 … window``."""
    stop = min(window, len(errors) - 1)
    return lang._(
        "{label} falls from {start} at iteration 0 to {end} at iteration {stop}; it bends most at iteration {elbow}.",
        label=label or lang._("The error"),
        start=lang.decimal(errors[0]),
        end=lang.decimal(errors[stop]),
        stop=lang.integer(stop),
        elbow=lang.integer(elbow),
    )


def weights(run: Run, feature_names: Sequence[str], shown: int = 3, lang: Language = ENGLISH) -> str:
    """Every weight's path, the ones that end largest first."""
    params = nn.parameters(run.network, feature_names)
    final = run.final_params
    first = run.snapshot(0)
    order = sorted(params, key=lambda p: abs(p.get(final)), reverse=True)
    parts = [
        lang._(
            "{weight} from {start} to {end}",
            weight=p.label,
            start=lang.change(p.get(first), 2),
            end=lang.change(p.get(final), 2),
        )
        for p in order[:shown]
    ]
    moves = "; ".join(parts)
    if len(params) > shown:
        return lang.n_(
            "Over {iterations} iterations the weights move: {moves}, and {n} more.",
            "Over {iterations} iterations the weights move: {moves}, and {n} more.",
            len(params) - shown,
            iterations=lang.integer(run.last_iteration),
            moves=moves,
        )
    return lang._(
        "Over {iterations} iterations the weights move: {moves}.",
        iterations=lang.integer(run.last_iteration),
        moves=moves,
    )


def animation(
    run: Run,
    row_names: Sequence[str],
    feature_names: Sequence[str] | None = None,
    shown: int = 4,
    lang: Language = ENGLISH,
) -> str:
    """The training animation: the predictions at the start and at the end, and the thickest edge."""
    start = nn.forward(run.snapshot(0), run.X)[-1][:, 0]
    end = nn.forward(run.final_params, run.X)[-1][:, 0]
    m = min(shown, len(start))
    rows = ", ".join(
        f"{name} {lang.decimal(a)}→{lang.decimal(b)}" for name, a, b in zip(row_names[:m], start[:m], end[:m])
    )
    if len(start) > m:
        rows += " " + lang._("(first {shown} of {rows} rows)", shown=m, rows=lang.integer(len(start)))
    params = [p for p in nn.parameters(run.network, feature_names) if not p.is_bias]
    top = max(params, key=lambda p: abs(p.get(run.final_params)))
    return lang._(
        "An animation of training from iteration 0 to {last}: the predictions move from start to end as {rows}; "
        "the thickest edge at the end is weight {weight} ({value}).",
        last=lang.integer(run.last_iteration),
        rows=rows,
        weight=top.label,
        value=lang.change(top.get(run.final_params), 2),
    )


def loss(run: Run, test_loss: np.ndarray | None, best: int, elbow: int, lang: Language = ENGLISH) -> str:
    """The grades page's loss chart: training loss, the held-out students' loss, the kept iteration."""
    last = run.last_iteration
    start, end = lang.decimal(run.objective[0], 3), lang.decimal(run.objective[last], 3)
    if test_loss is None:
        return lang._(
            "The training loss falls from {start} to {end} by iteration {last}. The elbow is at iteration {elbow}.",
            start=start,
            end=end,
            last=lang.integer(last),
            elbow=lang.integer(elbow),
        )
    i = int(np.argmin(test_loss))
    return lang._(
        "The training loss falls from {start} to {end} by iteration {last}; the held-out students' loss is lowest, "
        "{lowest}, at iteration {best} and ends at {final}. The elbow is at iteration {elbow}.",
        start=start,
        end=end,
        last=lang.integer(last),
        lowest=lang.decimal(test_loss[i], 3),
        best=lang.integer(best),
        final=lang.decimal(test_loss[-1], 3),
        elbow=lang.integer(elbow),
    )


def _span(lang: Language, low: float, high: float) -> str:
    return lang._("{low} to {high}", low=_points(lang, low), high=_points(lang, high))


def _points(lang: Language, value: float) -> str:
    return lang.change(100 * value, 1)


def effects(found, lang: Language = ENGLISH) -> str:
    """Raising each grade: mean and interval over the resamples (``grades.Findings``), and the
    logistic regression's beside it."""
    parts = "; ".join(
        lang._(
            "{grade} by {step}: {change} points (interval {low} to {high})",
            grade=e.grade,
            step=e.step_words(lang),
            change=_points(lang, e.change),
            low=_points(lang, e.low),
            high=_points(lang, e.high),
        )
        for e in found.effects
    )
    top = found.most_important
    if top:
        text = lang._(
            "{grade} raises the chance of passing most. Raising one grade for the whole class changes the chance by "
            "(mean, and {interval}): {parts}.",
            grade=top,
            interval=found.interval_words(lang),
            parts=parts,
        )
    else:
        text = lang._(
            "No grade clearly matters most. Raising one grade for the whole class changes the chance by "
            "(mean, and {interval}): {parts}.",
            interval=found.interval_words(lang),
            parts=parts,
        )
    theirs = found.regression_effects()
    if theirs:
        text += " " + lang._(
            "A plain logistic regression gives: {effects}.",
            effects="; ".join(f"{e.grade} {_points(lang, e.change)} ({_span(lang, e.low, e.high)})" for e in theirs),
        )
    return text


def _g(lang: Language, value: float) -> str:
    """A grade on the map's axes, to three significant digits."""
    return lang.short(float(f"{value:.3g}"))


def pass_map(grid, passed: np.ndarray, predicted: np.ndarray, others: Sequence[str], lang: Language = ENGLISH) -> str:
    """The pass map: where the 50 % line runs and how many students sit on their own side of it."""
    chance = grid.chance
    row = chance.shape[0] // 2
    crossing = np.flatnonzero(np.diff(np.sign(chance[row] - 0.5)) != 0)
    if len(crossing):
        where = lang._(
            "at {y} {y_value} a pass needs {x} of about {x_value}",
            y=grid.y_name,
            y_value=_g(lang, grid.ys[row]),
            x=grid.x_name,
            x_value=_g(lang, grid.xs[crossing[0] + 1]),
        )
    else:
        where = lang._(
            "at {y} {y_value} the chance stays on one side of 50 % across {x}",
            y=grid.y_name,
            y_value=_g(lang, grid.ys[row]),
            x=grid.x_name,
        )
    agree = int(np.sum(passed == predicted))
    if others:
        opening = lang._(
            "The chance of passing over {x} and {y}, with {others} at the class median: {where}.",
            x=grid.x_name,
            y=grid.y_name,
            others=", ".join(others),
            where=where,
        )
    else:
        opening = lang._("The chance of passing over {x} and {y}: {where}.", x=grid.x_name, y=grid.y_name, where=where)
    return (
        opening
        + " "
        + lang.n_(
            "{agree} of {total} students sits on the side of the line that matches their real result.",
            "{agree} of {total} students sit on the side of the line that matches their real result.",
            agree,
            total=lang.integer(len(passed)),
            agree=lang.integer(agree),
        )
    )  # (the verb agrees with the students counted: "1 of 20 sits", "2 of 20 sit")


def blame_diagram(blames, iteration: int, lang: Language = ENGLISH) -> str:
    top = max(blames, key=lambda b: abs(b.analytic))
    low = min(blames, key=lambda b: abs(b.analytic))
    return lang._(
        "The network at iteration {iteration} with each edge as wide as its blame |∂E/∂w|: the widest is {top} "
        "({top_value}), the narrowest {low} ({low_value}).",
        iteration=lang.integer(iteration),
        top=top.label,
        top_value=lang.change(top.analytic, 6),
        low=low.label,
        low_value=lang.change(low.analytic, 6),
    )


def weight_diagram(
    params: nn.Params, network: nn.Network, feature_names, iteration: int, lang: Language = ENGLISH
) -> str:
    every = [p for p in nn.parameters(network, feature_names) if not p.is_bias]
    top = max(every, key=lambda p: abs(p.get(params)))
    return lang._(
        "The network at iteration {iteration}, each edge as wide as its weight: the widest is {top} ({value}).",
        iteration=lang.integer(iteration),
        top=top.label,
        value=lang.change(top.get(params), 6),
    )


def saturation(predictions: np.ndarray, targets: np.ndarray, lang: Language = ENGLISH) -> str:
    passed = predictions[targets == 1]
    text = lang._(
        "How hard each rule pushes a prediction ŷ for a row with y = 1: cross-entropy pushes with (1 − ŷ), the "
        "article's rule with (1 − ŷ)·ŷ(1 − ŷ), which vanishes when ŷ is near 0."
    )
    if len(passed):
        text += " " + lang._(
            "This iteration's rows with y = 1 have ŷ from {low} to {high}.",
            low=lang.decimal(passed.min()),
            high=lang.decimal(passed.max()),
        )
    return text


def slope(label: str, weight: float, error: float, slope_value: float, step: float, lang: Language = ENGLISH) -> str:
    return lang._(
        "E as {weight} varies, the others held: at {weight} = {value} the error is {error} and the slope is {slope}, "
        "so the step −α·slope = {step} moves it to {moved}.",
        weight=label,
        value=lang.number(weight, 4),
        error=lang.decimal(error, 6),
        slope=lang.change(slope_value, 6),
        step=lang.change(step, 6),
        moved=lang.number(weight + step, 4),
    )


def landscape(
    surface: np.ndarray, label1: str, label2: str, path1: np.ndarray, path2: np.ndarray, lang: Language = ENGLISH
) -> str:
    return lang._(
        "The error over {first} and {second} ranges from {low} to {high} on the map; training moved {first} from "
        "{first_start} to {first_end} and {second} from {second_start} to {second_end}.",
        first=label1,
        second=label2,
        low=lang.decimal(surface.min(), 4),
        high=lang.decimal(surface.max(), 4),
        first_start=lang.change(path1[0], 3),
        first_end=lang.change(path1[-1], 3),
        second_start=lang.change(path2[0], 3),
        second_end=lang.change(path2[-1], 3),
    )


def comparison(curves: dict[str, np.ndarray], elbows: dict[str, int], lang: Language = ENGLISH) -> str:
    parts = "; ".join(
        lang._(
            "{name}: from {start} to {end}, elbow at {elbow}",
            name=name,
            start=lang.decimal(errors[0], 3),
            end=lang.decimal(errors[-1], 3),
            elbow=lang.integer(elbows[name]),
        )
        for name, errors in curves.items()
    )
    best = min(curves, key=lambda name: curves[name][-1])
    return lang._(
        "The error of each learning rate over training — {parts}. Lowest at the end: {best}.", parts=parts, best=best
    )


def class_answers(
    counts: dict[str, int], mine: str | None = None, truth: str | None = None, lang: Language = ENGLISH
) -> str:
    """The class's answers in words: how many gave each, the student's own and the true one.  The
    answers are the prompts' own words (``lang`` has them translated)."""
    total = sum(counts.values())
    if not total:
        return lang._("Nobody in the class has answered yet.")
    each = ", ".join(
        lang._("{n} said {answer}", n=lang.integer(n), answer=answer_in_a_sentence(a, lang))
        for a, n in sorted(counts.items(), key=lambda item: -item[1])
    )
    words = lang.n_("{n} student answered: {each}.", "{n} students answered: {each}.", total, each=each)
    if mine is not None:
        words += " " + lang._("You said {answer}.", answer=answer_in_a_sentence(mine, lang))
    if truth is not None and all(is_number(a) for a in (*counts, truth)):
        words += " " + lang._("The answer is {answer}.", answer=truth)  # a guess on a slider is judged near it
    elif truth is not None:
        words += " " + lang._(
            "The answer is {answer}: {right} of {total} got it.",
            answer=answer_in_a_sentence(truth, lang),
            right=lang.integer(counts.get(truth, 0)),
            total=lang.integer(total),
        )
    return words
