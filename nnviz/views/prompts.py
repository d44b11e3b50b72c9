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
from nnviz.i18n import ENGLISH, N_, NP_, Language
from nnviz.numbers import exact

# The options are stored and compared in English (a class pools every language's answers);
# pages show them translated.
UP, DOWN = N_("up"), N_("down")


@dataclass(frozen=True)
class Answer:
    """The right answer (one of the question's options) and why, with the engine's number."""

    truth: str
    why: str
    number: float  # the engine's number the sentence is built on


def weight_direction(trace: IterationTrace, param: nn.Param, lang: Language = ENGLISH) -> Answer:
    """Will this weight go up or down in this iteration's update?"""
    layer = trace.layers[param.layer]
    step = float(layer.bias_steps[param.unit] if param.is_bias else layer.weight_steps[param.source, param.unit])
    before = param.get(trace.run.params_at(trace.iteration))
    truth = UP if step > 0 else DOWN
    why = lang._(
        "{weight} moves by {step}, from {before} to {after}.",
        weight=param.label,
        step=f"{step:+.8f}",
        before=exact(before),
        after=exact(before + step),
    )  # the article's notation, as the tables
    return Answer(truth, why, step)


def update_note(trace: IterationTrace, lang: Language = ENGLISH) -> str:
    """What every weight's step is, said once beside several ``weight_direction`` answers."""
    return lang._("Each step is {formula}, summed over the rows.", formula=trace.run.rule.update_formula)


def elbow_guess(guess: int, elbow: int, window: int, lang: Language = ENGLISH) -> tuple[bool, str]:
    """Right when the guess is within a factor of 2 of the elbow of the error over the window."""
    right = elbow / 2 <= guess <= 2 * max(elbow, 1)
    values = {"window": lang.integer(window), "elbow": lang.integer(elbow), "guess": lang.integer(guess)}
    if right:
        why = lang._(
            "Over the first {window} iterations the error bends most at iteration {elbow} (the point farthest from the "
            "straight line joining the window's ends); your {guess} is within a factor of 2 of it.",
            **values,
        )
        return right, why
    ratio = max(guess, 1) / max(elbow, 1)
    factor = ratio if ratio >= 1 else 1 / ratio
    times = lang.decimal(factor, 1) if factor < 10 else lang.integer(round(factor))
    if ratio >= 1:
        why = lang._(
            "Over the first {window} iterations the error bends most at iteration {elbow} (the point farthest from the "
            "straight line joining the window's ends); your {guess} is {times}× larger.",
            times=times,
            **values,
        )
    else:
        why = lang._(
            "Over the first {window} iterations the error bends most at iteration {elbow} (the point farthest from the "
            "straight line joining the window's ends); your {guess} is {times}× smaller.",
            times=times,
            **values,
        )
    return right, why


def largest_weight(run: Run, input_names: Sequence[str], lang: Language = ENGLISH) -> Answer:
    """Which input's weight into the output ends up largest in size (networks with no hidden layer)."""
    final = run.final_params.weights[0][:, 0]
    j = int(np.argmax(np.abs(final)))
    X, y = run.X, run.y
    column = X[:, j]
    if np.ptp(column) == 0:
        reason = lang._(
            "{input} is {value} in every row, so its weight acts as the output's bias",
            input=input_names[j],
            value=lang.short(column[0]),
        )
    else:
        # Say "follows the target most closely" only of the input that does: early in a run the
        # largest weight may still be the one the seed started largest.
        varying = [i for i in range(X.shape[1]) if np.ptp(X[:, i])]
        agree = {i: float(np.corrcoef(X[:, i], y)[0, 1]) for i in varying}
        closest = max(varying, key=lambda i: abs(agree[i]))
        others = [abs(agree[i]) for i in varying if i != j]
        if closest == j:
            if others:
                reason = lang._(
                    "{input} follows the target most closely (correlation {r}, the others at most {others}), so "
                    "trusting it lowers the error every iteration",
                    input=input_names[j],
                    r=lang.signed(agree[j]),
                    others=lang.decimal(max(others)),
                )
            else:
                reason = lang._(
                    "{input} follows the target most closely (correlation {r}), so trusting it lowers the error every "
                    "iteration",
                    input=input_names[j],
                    r=lang.signed(agree[j]),
                )
        else:
            start = float(run.snapshot(0).weights[0][j, 0])
            reason = lang.n_(
                "{closest} follows the target more closely (correlation {r_closest}, {input} {r}), but {input}'s "
                "weight started at {start} (the seed's random start) and has moved by {moved} in {n} iteration",
                "{closest} follows the target more closely (correlation {r_closest}, {input} {r}), but {input}'s "
                "weight started at {start} (the seed's random start) and has moved by {moved} in {n} iterations",
                run.last_iteration,
                closest=input_names[closest],
                r_closest=lang.signed(agree[closest]),
                input=input_names[j],
                r=lang.signed(agree[j]),
                start=lang.signed(start, 4),
                moved=lang.signed(final[j] - start, 4),
            )
    why = lang.n_(
        "{input}'s weight ends at {value} after {n} iteration: {reason}.",
        "{input}'s weight ends at {value} after {n} iterations: {reason}.",
        run.last_iteration,
        input=input_names[j],
        value=lang.signed(final[j], 4),
        reason=reason,
    )
    return Answer(input_names[j], why, float(final[j]))


CANNOT_TELL = N_("the data cannot tell")


def most_important_grade(found, lang: Language = ENGLISH) -> Answer:
    """Which grade matters most (``grades.Findings``), or that the data cannot tell."""
    top = found.effects[0]
    truth = found.most_important or CANNOT_TELL
    return Answer(truth, found.sentence(lang), top.change)


TRAINED, HELD_OUT, SAME = N_("the students it trained on"), N_("the held-out students"), N_("about the same")


def train_or_test(fit, lang: Language = ENGLISH) -> Answer:
    """Will the kept network do better on its training students or on the held-out ones?"""
    train, test = fit.train_accuracy, fit.test_accuracy
    gap = train - test
    truth = SAME if abs(gap) < 0.025 else TRAINED if gap > 0 else HELD_OUT
    accuracy = lang._(
        "Accuracy {train} on the {trained} students it trained on and {test} on the {held} held out",
        train=lang.percent(train, 1),
        trained=len(fit.train_set.y),
        test=lang.percent(test, 1),
        held=len(fit.test_set.y),
    )
    if truth == TRAINED:
        why = accuracy + lang._(
            ": a network usually does a little better on what it has seen, which is why a test set is kept apart."
        )
    elif truth == HELD_OUT:
        why = accuracy + lang._(
            ": here the held-out students happened to be easier; with a few dozen students chance can do that."
        )
    else:
        why = accuracy + lang._(": within 2.5 points, no real difference.")
    return Answer(truth, why, gap)


def most_blamed(blames, lang: Language = ENGLISH) -> Answer:
    """Which weight (or bias) gets the most blame, the largest |∂E/∂w|, at this iteration."""
    top = max(blames, key=lambda b: abs(b.analytic))
    second = sorted((abs(b.analytic) for b in blames), reverse=True)[1] if len(blames) > 1 else 0.0
    why = lang._(
        "{weight} has ∂E/∂w = {value}, the largest in size (the next: {second}); its chain of factors is {chain}.",
        weight=top.label,
        value=lang.signed(top.analytic, 8),
        second=lang.decimal(second, 8),
        chain=" · ".join(top.factor_names),
    )
    return Answer(top.label, why, top.analytic)


LOWER, HIGHER = N_("lower"), N_("higher")


def error_after_update(run: Run, k: int, lang: Language = ENGLISH) -> Answer:
    """After iteration ``k``'s update, is the error (the run's objective) lower or higher?"""
    before, after = float(run.objective[k]), float(run.objective[k + 1])
    truth = LOWER if after < before else HIGHER
    values = {
        "objective": lang._(run.rule.objective_name),
        "before": lang.decimal(before, 8),
        "after": lang.decimal(after, 8),
        "change": f"{after - before:+.2e}",
    }
    if truth == LOWER:
        why = lang._(
            "{objective} goes from {before} to {after} ({change}): a step downhill, small enough to land lower.",
            **values,
        )
    else:
        why = lang._(
            "{objective} goes from {before} to {after} ({change}): the step (α = {rate}) overshot the valley "
            "and landed higher.",
            rate=lang.short(run.config.learning_rate),
            **values,
        )
    return Answer(truth, why, after - before)


def step_direction(label: str, slope: float, learning_rate: float, lang: Language = ENGLISH) -> Answer:
    """Which way will this weight step: −α · slope."""
    step = -learning_rate * slope
    truth = UP if step > 0 else DOWN
    values = {
        "weight": label,
        "slope": lang.signed(slope, 6),
        "rate": lang.short(learning_rate),
        "step": lang.signed(step, 6),
    }
    if truth == UP:
        why = lang._(
            "The slope ∂E/∂w of {weight} is {slope}, so the step −α·slope = −{rate} × {slope} = {step} moves "
            "it up: always against the slope, downhill.",
            **values,
        )
    else:
        why = lang._(
            "The slope ∂E/∂w of {weight} is {slope}, so the step −α·slope = −{rate} × {slope} = {step} moves "
            "it down: always against the slope, downhill.",
            **values,
        )
    return Answer(truth, why, step)


SETTLES, DOES_NOT = N_("yes, it settles"), N_("no, it does not")


def settles(errors: np.ndarray, learning_rate: float, lang: Language = ENGLISH) -> Answer:
    """Does a run settle: it ends well below where it started (under half), and over its last
    tenth the error never bounces back up (no rise of more than 1 % from one iteration to the next)?"""
    start, end = float(errors[0]), float(errors[-1])
    tail = np.asarray(errors[int(0.9 * (len(errors) - 1)) :], float)
    rises = np.diff(tail) / np.maximum(tail[:-1], 1e-12)
    calm = not len(rises) or float(np.max(rises)) <= 0.01
    truth = SETTLES if end < 0.5 * start and calm else DOES_NOT
    values = {"rate": lang.short(learning_rate), "start": lang.decimal(start, 4), "end": lang.decimal(end, 4)}
    if truth == SETTLES:
        why = lang._(
            "With α = {rate} the error goes from {start} to {end} and it no longer bounces at the end.", **values
        )
    elif not calm:
        why = lang._(
            "With α = {rate} the error goes from {start} to {end} and it is still bouncing up and down at the "
            "end: too big a step overshoots the valley, again and again.",
            **values,
        )
    else:
        why = lang._(
            "With α = {rate} the error goes from {start} to {end} and it has not come down even halfway: too "
            "small a step crawls.",
            **values,
        )
    return Answer(truth, why, end)


NONE_BELOW = N_("none of them, in these iterations")
LOW_ERROR = 0.1  # "the error below 0.1": Σ|y − ŷ| over XOR's four rows, each row off by 0.025 on average


def first_below(run: Run, level: float = LOW_ERROR) -> int | None:
    """The first iteration whose Σ|y − ŷ| is below ``level``, or None if the run never gets there."""
    below = np.flatnonzero(run.abs_error < level)
    return int(below[0]) if len(below) else None


def fastest_activation(runs: dict[str, Run], lang: Language = ENGLISH) -> Answer:
    """Which hidden activation (``runs``: one run per activation, the same settings otherwise) gets
    Σ|y − ŷ| below 0.1 first?  The earliest; on a tie the first in ``runs``' order.  The answer is
    the activation's title (``"ReLU"``), the option a page offers, or ``NONE_BELOW``."""
    firsts = {name: first_below(run) for name, run in runs.items()}
    reached = {name: k for name, k in firsts.items() if k is not None}
    iterations = lang.integer(max(run.last_iteration for run in runs.values()))
    each = lang.listed(
        [
            lang._("{activation} at iteration {k}", activation=lang._(nn.ACTIVATIONS[name].title), k=lang.integer(k))
            if k is not None
            else lang._("{activation} never", activation=lang._(nn.ACTIVATIONS[name].title))
            for name, k in firsts.items()
        ]
    )
    if not reached:
        why = lang._("Within {n} iterations none of them gets Σ|y − ŷ| below 0.1: {each}.", n=iterations, each=each)
        return Answer(NONE_BELOW, why, float("nan"))
    best = min(reached, key=reached.__getitem__)
    why = lang._(
        "Σ|y − ŷ| first drops below 0.1 with {best}: {each}.", best=lang._(nn.ACTIVATIONS[best].title), each=each
    )
    return Answer(nn.ACTIVATIONS[best].title, why, float(reached[best]))


# Each answer as it reads inside a sentence ("You said …", "12 said …", "The answer is …"): a button's words
# may not fit there (a German button in the dative, "den …"), so each has its own message for that use.
IN_A_SENTENCE = "answer in a sentence"
_ANSWERS_IN_A_SENTENCE = (
    NP_("answer in a sentence", "up"),
    NP_("answer in a sentence", "down"),
    NP_("answer in a sentence", "the data cannot tell"),
    NP_("answer in a sentence", "the students it trained on"),
    NP_("answer in a sentence", "the held-out students"),
    NP_("answer in a sentence", "about the same"),
    NP_("answer in a sentence", "lower"),
    NP_("answer in a sentence", "higher"),
    NP_("answer in a sentence", "yes, it settles"),
    NP_("answer in a sentence", "no, it does not"),
    NP_("answer in a sentence", "none of them, in these iterations"),
)


def answer_in_a_sentence(answer: str, lang: Language = ENGLISH) -> str:
    """An answer as it reads inside a sentence; a grade's name or a number as it is."""
    return lang.pgettext(IN_A_SENTENCE, answer) if answer in _ANSWERS_IN_A_SENTENCE else lang._(answer)
