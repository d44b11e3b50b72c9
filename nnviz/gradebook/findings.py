"""The grades walk-through: split a class, train, keep the network that generalised best,
and say only what holds up: effects over the whole class with their range over repeats, a
plain logistic regression beside the network, a pass map, and who it gets wrong.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nnviz.datasets import Dataset
from nnviz.engine import network as nn
from nnviz.engine.training import Run, TrainingConfig, train, train_stream
from nnviz.gradebook.regression import Regression, RegressionEffect, agreement, regression, side_of_zero
from nnviz.i18n import DEFAULT, ENGLISH, N_, Language
from nnviz.settings import MAX_SEED

if TYPE_CHECKING:  # the intake reads files; the engine only needs its shape
    from nnviz.gradebook.intake import Intake
    from nnviz.gradebook.reading import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Each grade's effect is measured over bootstrap resamples of the students (each with its own
# seed), and its interval is the middle LEVEL of them: 40 resamples put a 90 % interval's ends
# within about a point of where 400 would (docs/findings.md has the measurement).
RESAMPLES = 40
MIN_RESAMPLES, MAX_RESAMPLES = 10, 400  # fewer leave a 90 % interval's ends to one or two resamples
LEVEL = 0.90
LEVEL_WORDS = f"{100 * LEVEL:.0f} %"
# The data supports a claim only when at least this share of the resamples' networks beat
# guessing on the students they left out: the one-sided test that goes with a 90 % interval.
BEAT_SHARE = 0.95
PATIENCE = 500  # iterations a resample trains on past twice its best, before it is called memorising
STEP_SHARE = 0.1  # "raise one grade": by a tenth of its scale, 10 points on 0–100
LETTER_STEP = 1.0  # … and by one whole letter (C → B) on letter grades, read as grade points


MIN_SIDE = 10  # fewer passes (or fails) than this, and the findings rest on a handful of students


def _share(lang: Language, share: float) -> str:
    """A level or a share as the findings write it: ``90 %`` in English, as before; the language's own elsewhere."""
    return f"{100 * share:.0f} %" if lang.code == DEFAULT else lang.percent(share)


def one_sided(passes: int, fails: int, lang: Language = ENGLISH) -> str | None:
    """A warning when one result is rare: the network can then be "accurate" by always
    predicting the common one, and every finding rests on a few students."""
    few = min(passes, fails)
    if few >= MIN_SIDE:
        return None
    total = passes + fails
    values = {"few": few, "total": total, "share": lang.percent(max(passes, fails) / total), "least": MIN_SIDE}
    if fails < passes:
        return lang._(
            "Only {few} of {total} students failed under this rule. Predicting a pass for everyone would "
            "already be {share} accurate, and every finding below rests on those {few} students: choose a "
            "pass rule with at least {least} of each, or read the findings with care.",
            **values,
        )
    return lang._(
        "Only {few} of {total} students passed under this rule. Predicting a fail for everyone would already "
        "be {share} accurate, and every finding below rests on those {few} students: choose a pass rule "
        "with at least {least} of each, or read the findings with care.",
        **values,
    )


def split(dataset: Dataset, test_share: float, seed: int) -> tuple[Dataset, Dataset]:
    """A seeded, stratified split: each class keeps its share of passes and fails.

    The scaler stays the one fitted on the whole file, so both parts are on one scale.
    """
    rs = np.random.RandomState(seed)
    test = []
    for label in (0.0, 1.0):
        rows = np.flatnonzero(dataset.y == label)
        rs.shuffle(rows)
        n_test = int(round(len(rows) * test_share))
        if test_share > 0 and len(rows) > 1:
            n_test = min(max(n_test, 1), len(rows) - 1)
        test.extend(rows[:n_test].tolist())
    is_test = np.zeros(len(dataset.y), bool)
    is_test[test] = True

    def part(mask: np.ndarray) -> Dataset:
        labels = tuple(np.array(dataset.row_labels, dtype=object)[mask]) if dataset.row_labels else None
        return replace(dataset, X=dataset.X[mask], y=dataset.y[mask], row_labels=labels)

    return part(~is_test), part(is_test)


@dataclass(frozen=True)
class Curve:
    """An objective and accuracy sampled at a run's snapshot iterations (a test set's, say)."""

    iterations: np.ndarray
    objective: np.ndarray
    accuracy: np.ndarray


def snapshot_predictions(run: Run, X: np.ndarray, first: int = 0) -> np.ndarray:
    """The predictions for ``X`` of every snapshot from ``first`` on, at once, ``(snapshots, rows)``:
    one ``nn.forward_stack`` over the snapshots, so each row equals that snapshot's forward pass
    exactly."""
    weights = [w[first:] for w in run.snapshot_weights]
    biases = [b[first:] for b in run.snapshot_biases]
    return nn.forward_stack(weights, biases, run.network.activations, X)[-1][..., 0]


def curve_at_snapshots(run: Run, X: np.ndarray, y: np.ndarray, before: Curve | None = None) -> Curve:
    """The objective and accuracy on ``X`` at the run's snapshots; ``before``, the same for an
    earlier stage of the run (a stream's last chunk), is reused, and only the new snapshots are
    evaluated."""
    first = 0 if before is None else len(before.iterations)
    predictions = snapshot_predictions(run, X, first)
    objective = run.rule.objective(predictions, y[None, :], axis=1)
    accuracy = np.mean((predictions >= 0.5) == (y >= 0.5), axis=1)
    if before is not None:
        objective, accuracy = np.r_[before.objective, objective], np.r_[before.accuracy, accuracy]
    return Curve(run.snapshot_iterations, objective, accuracy)


def best_index(curve: Curve | None, run: Run) -> int:
    """Early stopping: the snapshot where the held-out students' loss was lowest (the first,
    on a tie); the last one when there is no held-out part."""
    if curve is None:
        return len(run.snapshot_iterations) - 1
    return int(np.argmin(curve.objective))


def student_losses(run: Run, predictions: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each held-out student's loss (the run's objective) under each snapshot's ``predictions``,
    ``(snapshots, rows)``."""
    return np.asarray(run.rule.objective(predictions[..., None], y[None, :, None], axis=2))


def left_out_choices(losses: np.ndarray, windows: np.ndarray | None = None) -> np.ndarray:
    """For each held-out student, the snapshot with the lowest loss on all the *other* held-out
    students (over its first ``windows[i]`` snapshots; the first, on a tie): the network that
    judges a student is chosen without that student, so picking the minimum over a hundred
    snapshots does not flatter the network on the students who picked it.  With one student
    there is nobody else to choose by, and the last snapshot judges."""
    snapshots, rows = losses.shape
    if rows == 1:
        return np.array([snapshots - 1 if windows is None else windows[0] - 1])
    others = losses.sum(axis=1, keepdims=True) - losses
    if windows is not None:
        others = np.where(np.arange(snapshots)[:, None] < windows[None, :], others, np.inf)
    return np.argmin(others, axis=0)


def chance_of_passing(params: nn.Params, dataset: Dataset, raw_grades: np.ndarray) -> np.ndarray:
    """Predicted chance for grades in the file's own units, scaled exactly as training was."""
    X = dataset.scaler.transform(np.atleast_2d(raw_grades)) if dataset.scaler else np.atleast_2d(raw_grades)
    return nn.forward(params, X)[-1][:, 0]


@dataclass(frozen=True)
class Fit:
    """A class's file trained on: the split, the run, the test curve, and the network kept
    (the one from ``best_iteration``, where the held-out students' loss was lowest)."""

    intake: Intake
    train_set: Dataset
    test_set: Dataset
    run: Run
    test_curve: Curve | None
    best_iteration: int
    params: nn.Params

    @property
    def train_loss(self) -> float:
        return float(self.run.objective[self.best_iteration])

    @property
    def train_accuracy(self) -> float:
        return float(self.run.accuracy[self.best_iteration])

    @property
    def test_loss(self) -> float | None:
        if self.test_curve is None:
            return None
        return float(self.test_curve.objective[best_index(self.test_curve, self.run)])

    @property
    def test_accuracy(self) -> float | None:
        if self.test_curve is None:
            return None
        return float(self.test_curve.accuracy[best_index(self.test_curve, self.run)])

    def test_chances(self) -> np.ndarray:
        return nn.forward(self.params, self.test_set.X)[-1][:, 0]


def fit(
    intake: Intake,
    config: TrainingConfig,
    test_share: float = 0.2,
    run: Run | None = None,
    max_seconds: float | None = None,
) -> Fit:
    """Split (seeded by ``config.seed``), train on the training part, keep the best network.

    ``max_seconds`` caps the training on a shared server (the run then ends where it got to).
    """
    train_set, test_set = split(intake.dataset, test_share, config.seed)
    if run is None:
        run = train(train_set.X, train_set.y, config, max_seconds=max_seconds)
    curve = curve_at_snapshots(run, test_set.X, test_set.y) if len(test_set.y) else None
    index = best_index(curve, run)
    return Fit(intake, train_set, test_set, run, curve, int(run.snapshot_iterations[index]), run.snapshot(index))


def baseline_config(config: TrainingConfig) -> TrainingConfig:
    """Logistic regression: the article's one-layer network with cross-entropy and a bias."""
    return replace(config, hidden=(), bias=True, rule="bce")


def memorising_sentence(result: Fit, lang: Language = ENGLISH) -> str:
    """One sentence on the early stop, from the test curve."""
    last = lang.integer(result.run.last_iteration)
    if result.test_curve is None:
        return lang._("No students were held out, so the network after all {last} iterations is kept.", last=last)
    if result.best_iteration >= result.run.last_iteration:
        return lang._(
            "The held-out students' loss was still falling at the last iteration ({last}), so that network "
            "is kept; more iterations might help.",
            last=last,
        )
    return lang._(
        "The held-out students' loss was lowest at iteration {best}; after that the network started memorising the "
        "training students, so the network from iteration {best} (of {last}) is kept.",
        best=lang.integer(result.best_iteration),
        last=last,
    )


# --- What the network learned, and how sure we are ------------------------------------------


def grade_steps(intake: Intake) -> np.ndarray:
    """How far "raise one grade" goes, per grade column: a tenth of its scale, or one whole
    letter (C → B, one grade point) for letter grades."""
    return np.array(
        [
            LETTER_STEP if intake.table.read[c].letters else (high - low) * STEP_SHARE
            for c, (low, high) in intake.scales().items()
        ]
    )


def class_effects(params: nn.Params, dataset: Dataset, steps: np.ndarray) -> np.ndarray:
    """For each grade: the chance of passing with that grade raised by its step, minus the
    chance as it is, averaged over every student of the class (others' grades held)."""
    raw = dataset.raw_X
    base = chance_of_passing(params, dataset, raw)
    out = np.empty(raw.shape[1])
    for j in range(raw.shape[1]):
        raised = raw.copy()
        raised[:, j] += steps[j]
        out[j] = float(np.mean(chance_of_passing(params, dataset, raised) - base))
    return out


@dataclass(frozen=True)
class Effect:
    """Raising ``grade`` by ``step``: the mean change in the chance of passing over the class
    and the resamples, and its interval (the middle ``LEVEL`` of the resamples)."""

    grade: str
    step: float
    change: float
    low: float
    high: float
    letters: bool = False  # a letter-grade column: the step is one letter
    # The plain logistic regression's direction for this grade ("helps", "hurts" or None), when
    # it has a fit: a direction is said only where both methods are sure of the same one.
    second_opinion: str | None = None
    checked: bool = False

    def step_words(self, lang: Language = ENGLISH) -> str:
        """The step as a teacher says it: ``10`` points, or ``one letter (C → B)``."""
        return lang._("one letter (C → B)") if self.letters else lang.short(self.step)

    @property
    def network_direction(self) -> str | None:
        """The network's own: ``"helps"`` or ``"hurts"`` when its whole interval is on one side of zero."""
        return side_of_zero(self.low, self.high)

    @property
    def direction(self) -> str | None:
        """``"helps"`` or ``"hurts"`` only when the network's interval is on one side of zero and,
        where the regression has a fit, its interval is on the same side."""
        mine = self.network_direction
        return mine if not self.checked or mine == self.second_opinion else None

    @property
    def one_method_only(self) -> bool:
        """Exactly one of the two methods is sure of a direction (or they are sure of opposite ones)."""
        return self.checked and (self.network_direction or self.second_opinion) is not None and self.direction is None


def interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """The middle ``level`` of ``values`` (a percentile interval over the resamples)."""
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


@dataclass(frozen=True)
class Findings:
    """What the class's data supports, measured over bootstrap resamples of its students."""

    effects: list[Effect]  # largest mean change first
    per_resample: np.ndarray  # (resamples, grades), in the dataset's column order
    seeds: tuple[int, ...]
    best_iterations: tuple[int, ...]
    beats_guessing: tuple[bool, ...] = ()  # per resample: better than guessing on its out-of-bag students
    kept_beats_guessing: bool = True  # the kept network clearly better than guessing (``Guessing``)
    features: tuple[str, ...] = ()  # the grade columns, in ``per_resample``'s order
    regression: Regression | None = None  # the second opinion: the whole class's logistic regression

    def regression_effects(self) -> list[RegressionEffect]:
        """The regression's effects in the order of the network's (largest first)."""
        if self.regression is None:
            return []
        by_grade = {e.grade: e for e in self.regression.effects}
        return [by_grade[e.grade] for e in self.effects]

    def agreement(self, lang: Language = ENGLISH) -> str | None:
        """Whether the network's intervals and the regression's agree on each grade's direction."""
        if self.regression is None:
            return None
        return agreement(
            {e.grade: e.network_direction if self.claims else None for e in self.effects}, self.regression, lang
        )

    @property
    def resamples(self) -> int:
        return len(self.seeds)

    def seeds_text(self) -> str:
        """``123–162``; listed one by one where they wrapped past the largest seed to 0."""
        consecutive = all(b == a + 1 for a, b in zip(self.seeds, self.seeds[1:]))
        if consecutive and len(self.seeds) > 2:
            return f"{self.seeds[0]}–{self.seeds[-1]}"
        return ", ".join(map(str, self.seeds))

    def interval_words(self, lang: Language = ENGLISH) -> str:
        """What an interval is, in the page's words: ``the middle 90 % of 40 resamples of the class``."""
        return lang._("the middle {level} of {n} resamples of the class", level=_share(lang, LEVEL), n=self.resamples)

    @property
    def claims(self) -> bool:
        """Whether the data supports any claim at all: the kept network is clearly better than
        guessing, and so are at least ``BEAT_SHARE`` of the resamples' networks on the students
        each did not see (``Guessing`` says the rule)."""
        beaten = sum(self.beats_guessing)
        return bool(self.kept_beats_guessing and beaten >= BEAT_SHARE * len(self.beats_guessing))

    def out_of_bag_sentence(self, lang: Language = ENGLISH) -> str:
        """With no student held out, the check against guessing rests on the resamples alone."""
        values = {"beaten": sum(self.beats_guessing), "n": self.resamples, "needed": _share(lang, BEAT_SHARE)}
        if self.claims:
            return lang._(
                "No students were held out, so the check against guessing uses the students each resample left out: "
                "in {beaten} of {n} resamples the network's cross-entropy on them was below the class's pass rate as "
                "everyone's chance (at least {needed} are needed), so these grades predict the result better than "
                "guessing.",
                **values,
            )
        return lang._(
            "No students were held out, so the check against guessing uses the students each resample left out: in "
            "{beaten} of {n} resamples the network's cross-entropy on them was below the class's pass rate as "
            "everyone's chance (at least {needed} are needed), so these grades predict the result no better than "
            "guessing.",
            **values,
        )

    def ahead(self, first: str, second: str) -> int:
        """In how many resamples grade ``first``'s effect came out larger than ``second``'s."""
        column = self.features.index
        return int(np.sum(self.per_resample[:, column(first)] > self.per_resample[:, column(second)]))

    @property
    def most_important(self) -> str | None:
        """The top grade, only when it helps (its interval is above zero) and its lead over the
        runner-up, resample by resample, has an interval above zero too; ``None`` otherwise,
        and whenever the network predicts no better than guessing."""
        if not self.claims:
            return None
        top = self.effects[0]
        if top.direction != "helps":
            return None
        if len(self.effects) == 1:
            return top.grade
        column = self.features.index
        lead = self.per_resample[:, column(top.grade)] - self.per_resample[:, column(self.effects[1].grade)]
        return top.grade if interval(lead)[0] > 0 else None

    def sentence(self, lang: Language = ENGLISH) -> str:
        """What a teacher may read from it; every clause is checked against the intervals."""
        if not self.claims:
            return lang._(
                "The network predicts no better than guessing, so nothing here says which grade matters or in which "
                "direction: on this data the grades' effects are noise."
            )
        top, within = self.effects[0], self.interval_words(lang)
        change = {
            "step": top.step_words(lang),
            "change": lang.change(100 * top.change, 1),
            "low": lang.change(100 * top.low, 1),
            "high": lang.change(100 * top.high, 1),
            "within": within,
        }
        if self.most_important and len(self.effects) == 1:
            text = lang._(
                "Higher {grade} goes with a higher chance of passing: raising it by {step} changes it by "
                "{change} points on average ({low} to {high}, {within}).",
                grade=top.grade,
                **change,
            )
        elif self.most_important:
            second = self.effects[1]
            text = lang._(
                "{grade} matters most: raising it by {step} changes the chance of passing by {change} points on "
                "average ({low} to {high}, {within}); it came out ahead of {second} in {ahead} of {n}.",
                grade=top.grade,
                second=second.grade,
                ahead=self.ahead(top.grade, second.grade),
                n=self.resamples,
                **change,
            )
        elif len(self.effects) == 1:
            text = ""
        elif top.direction != "helps":
            text = lang._(
                "No grade's effect is clearly above zero by both methods (the network over {within}, and the "
                "logistic regression), so none can be said to matter most.",
                within=within,
            )
        else:
            second = self.effects[1]
            text = lang._(
                "This class's data cannot tell which grade matters most: {grade} came out ahead of {second} in only "
                "{ahead} of {n} resamples.",
                grade=top.grade,
                second=second.grade,
                ahead=self.ahead(top.grade, second.grade),
                n=self.resamples,
            )
        helps = [e.grade for e in self.effects if e.direction == "helps" and e.grade != self.most_important]
        hurts = [e.grade for e in self.effects if e.direction == "hurts"]
        unclear = [e.grade for e in self.effects if e.direction is None and not e.one_method_only]
        one_only = [e.grade for e in self.effects if e.one_method_only]
        if helps and len(self.effects) > 1:
            text += " " + lang.n_(
                "Higher {grades} also goes with a higher chance of passing.",
                "Higher {grades} also go with a higher chance of passing.",
                len(helps),
                grades=lang.listed(helps),
            )
        if hurts:
            text += " " + lang.n_(
                "Higher {grades} goes with a lower chance of passing (its whole interval is below zero).",
                "Higher {grades} go with a lower chance of passing (each whole interval is below zero).",
                len(hurts),
                grades=lang.listed(hurts),
            )
        if unclear:
            text += " " + lang.n_(
                "For {grades} even the direction is not clear from this data (its interval spans zero).",
                "For {grades} even the direction is not clear from this data (each interval spans zero).",
                len(unclear),
                grades=lang.listed(unclear),
            )
        if one_only:
            text += " " + lang._(
                "For {grades} only one of the two methods is sure of a direction, so this data cannot tell it either.",
                grades=lang.listed(one_only),
            )
        return text.strip()


@dataclass(frozen=True)
class Repeat:
    """One bootstrap resample the findings rest on: its seed (of the draw and of the weights),
    every grade's effect over the whole class, and the iteration its kept network comes from."""

    seed: int
    effects: np.ndarray  # (grades,), in the dataset's column order
    best_iteration: int
    beats_guessing: bool = True  # its out-of-bag loss below the constant chance's (True with none out of bag)


def resample_seeds(config: TrainingConfig, resamples: int = RESAMPLES) -> tuple[int, ...]:
    return tuple((config.seed + r) % (MAX_SEED + 1) for r in range(resamples))


def resample(dataset: Dataset, seed: int) -> tuple[Dataset, Dataset]:
    """A bootstrap resample of the class: as many students as it has, drawn with replacement,
    passes and fails apart (so each keeps its count); the students never drawn (out of bag,
    about a third) are its held-out part, for the early stop and the check against guessing."""
    rs = np.random.RandomState(seed)
    drawn, out_of_bag = [], []
    for label in (0.0, 1.0):
        rows = np.flatnonzero(dataset.y == label)
        if not len(rows):
            continue
        picked = rs.choice(rows, len(rows), replace=True)
        drawn.append(picked)
        out_of_bag.append(np.setdiff1d(rows, picked))

    def part(rows: np.ndarray) -> Dataset:
        labels = tuple(np.array(dataset.row_labels, dtype=object)[rows]) if dataset.row_labels else None
        return replace(dataset, X=dataset.X[rows], y=dataset.y[rows], row_labels=labels)

    return part(np.concatenate(drawn)), part(np.sort(np.concatenate(out_of_bag)))


def resampled(intake: Intake, config: TrainingConfig, seed: int, max_seconds: float | None = None) -> Repeat:
    """Train on one resample (``seed`` draws the students and the first weights), stop early on
    its out-of-bag students, and measure every grade's effect over the whole class.

    Training ends once the out-of-bag loss has not improved for as long again as it took to
    reach its lowest, plus ``PATIENCE`` iterations (checked every ``PATIENCE // 2``, so where it
    ends depends on the numbers alone): past that the network only memorises its resample."""
    drawn, out_of_bag = resample(intake.dataset, seed)
    # The out-of-bag students stop the run and choose the network whose effects are measured.  For
    # the check against guessing, each of them is judged by the snapshot the *others* choose, by
    # the same patience rule on them alone (so the run goes on until every such rule has ended).
    waiting = [len(out_of_bag.y) > 0]  # read by the stream after each chunk
    run, curve = None, None
    predictions = np.empty((0, len(out_of_bag.y)))
    windows = np.zeros(len(out_of_bag.y), int)  # snapshots seen when each student's others' patience ran out
    full_window = None
    for run in train_stream(
        drawn.X,
        drawn.y,
        replace(config, seed=seed),
        max_seconds=max_seconds,
        should_stop=lambda: not waiting[0],
        chunk_iterations=PATIENCE // 2,
    ):
        seen = len(predictions)  # each chunk evaluates only the snapshots it added
        predictions = np.r_[predictions, snapshot_predictions(run, out_of_bag.X, seen)]
        if full_window is None:
            curve = curve_at_snapshots(run, out_of_bag.X, out_of_bag.y, curve)
            if run.last_iteration >= 2 * int(curve.iterations[best_index(curve, run)]) + PATIENCE:
                full_window = len(curve.iterations)
        open_rules = windows == 0
        bests = left_out_choices(student_losses(run, predictions, out_of_bag.y))
        ended = open_rules & (run.last_iteration >= 2 * run.snapshot_iterations[bests] + PATIENCE)
        windows[ended] = len(predictions)
        waiting[0] = full_window is None or bool(np.any(windows == 0))
    assert run is not None
    index = len(run.snapshot_iterations) - 1 if curve is None else int(np.argmin(curve.objective[:full_window]))
    effects = class_effects(run.snapshot(index), intake.dataset, grade_steps(intake))
    beats = True  # with nobody out of bag there is nothing to judge by
    if len(out_of_bag.y):
        windows[windows == 0] = len(predictions)  # the run ended (its iterations, or its time) first
        choices = left_out_choices(student_losses(run, predictions, out_of_bag.y), windows)
        chances = predictions[choices, np.arange(len(choices))]
        beats = _against_constant(chances, out_of_bag.y, float(np.mean(drawn.y)))[0] > 0
    return Repeat(seed, effects, int(run.snapshot_iterations[index]), bool(beats))


def resampled_many(
    intake: Intake,
    config: TrainingConfig,
    seeds: Sequence[int],
    max_seconds: float | None = None,
    pool: Executor | None = None,
) -> list[Repeat]:
    """Several resamples at once, one per core (the compiled loop releases Python's lock);
    each exactly what ``resampled`` gives alone.  ``pool``: the threads to train them on (a
    server's own, say), else one per core made here."""
    if pool is not None:
        return list(pool.map(lambda seed: resampled(intake, config, seed, max_seconds), seeds))
    with ThreadPoolExecutor(min(len(seeds), os.cpu_count() or 1)) as own:
        return list(own.map(lambda seed: resampled(intake, config, seed, max_seconds), seeds))


def combine(intake: Intake, repeats: list[Repeat], guessing: Guessing | None = None) -> Findings:
    """The findings over the resamples done: each grade's mean effect and its interval; with
    the kept network's ``guessing`` check, they claim nothing unless it is clearly better."""
    steps = grade_steps(intake)
    per_resample = np.array([r.effects for r in repeats])
    second = regression(intake.dataset, steps, LEVEL)
    effects = [
        Effect(
            name,
            float(steps[j]),
            float(per_resample[:, j].mean()),
            *interval(per_resample[:, j]),
            intake.table.read[name].letters,
            second.effects[j].direction if second else None,
            second is not None,
        )
        for j, name in enumerate(intake.features)
    ]
    effects.sort(key=lambda e: e.change, reverse=True)
    return Findings(
        effects,
        per_resample,
        tuple(r.seed for r in repeats),
        tuple(r.best_iteration for r in repeats),
        tuple(r.beats_guessing for r in repeats),
        guessing is None or guessing.clearly_better,
        tuple(intake.features),
        second,
    )


def findings(
    intake: Intake,
    config: TrainingConfig,
    test_share: float,
    resamples: int = RESAMPLES,
    max_seconds: float | None = None,
    kept: Fit | None = None,
) -> Findings:
    """Train on ``resamples`` bootstrap resamples of the class (seeds ``config.seed …``), keep
    each one's best network, and measure every grade's effect over the whole class.  ``kept``:
    the settings' own fit where the caller has it already (checked against guessing), else
    trained here."""
    kept = kept or fit(intake, config, test_share, max_seconds=max_seconds)
    repeats = resampled_many(intake, config, resample_seeds(config, resamples), max_seconds)
    return combine(intake, repeats, against_guessing(kept))


def confusion(result: Fit) -> dict[str, int]:
    """The held-out students, predicted × real: ``pass_fail`` = predicted to pass, failed."""
    predicted = result.test_chances() >= 0.5
    real = result.test_set.y >= 0.5
    return {
        "pass_pass": int(np.sum(predicted & real)),
        "pass_fail": int(np.sum(predicted & ~real)),
        "fail_pass": int(np.sum(~predicted & real)),
        "fail_fail": int(np.sum(~predicted & ~real)),
    }


def as_written(intake: Intake, j: int, values: np.ndarray) -> np.ndarray:
    """Grade column ``j``'s values as the teacher wrote them: a column turned round for the
    network (lower is better: ``low + high − grade``) is turned back."""
    column = intake.features[j]
    if column not in intake.flipped:
        return np.asarray(values, dtype=float)
    low, high = intake.scales()[column]
    return np.round(low + high - np.asarray(values, dtype=float), 10)  # 1.4, not 1.4000000000000004


def written_name(intake: Intake, column: str) -> str:
    """A grade column's name where its numbers are the teacher's: says the direction when lower is better."""
    return f"{column} (lower is better)" if column in intake.flipped else column


def wrong_students(result: Fit) -> pd.DataFrame:
    """The held-out students the kept network gets wrong, with their grades as the file writes
    them (a lower-is-better grade turned back, its column saying so) and their chance."""
    chances = result.test_chances()
    predicted = chances >= 0.5
    real = result.test_set.y >= 0.5
    wrong = np.flatnonzero(predicted != real)
    labels = result.test_set.row_labels or tuple(f"row {i + 1}" for i in range(len(real)))
    raw = result.test_set.raw_X
    frame = pd.DataFrame({"student": [labels[i] for i in wrong]})
    intake = result.intake
    for j, name in enumerate(result.test_set.feature_names):
        frame[written_name(intake, name)] = as_written(intake, j, raw[wrong, j])
    frame["chance of passing"] = chances[wrong]
    frame["predicted"] = np.where(predicted[wrong], N_("pass"), N_("fail"))
    frame["real result"] = np.where(real[wrong], N_("passed"), N_("failed"))
    return frame


def held_out_cross_entropy(result: Fit) -> np.ndarray:
    """Each held-out student's cross-entropy under the kept network: the loss, student by student."""
    p = np.clip(result.test_chances(), nn.EPS, 1 - nn.EPS)
    y = result.test_set.y
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _paired_gap(differences: np.ndarray) -> tuple[float, float]:
    """The mean of paired differences and its standard error (0 when every student agrees)."""
    n = len(differences)
    spread = float(np.std(differences, ddof=1)) if n > 1 else 0.0
    return float(np.mean(differences)), spread / np.sqrt(n) if n else 0.0


def this_years_predictions(intake: Intake, table: Table, chances: np.ndarray, complete: np.ndarray) -> pd.DataFrame:
    """This year's students, as a teacher reads them: who (the pseudonym the page shows), the
    chance and the prediction first, then the file's own columns, less those this year's file
    cannot have (the result, and any column left empty: last year's exam, its score)."""
    frame = table.frame
    out = pd.DataFrame({"student": table.pseudonyms()})
    out["chance of passing"] = [f"{c:.1%}" if np.isfinite(c) else "" for c in chances]
    out["prediction"] = np.where(~complete, N_("missing a grade"), np.where(chances >= 0.5, N_("pass"), N_("fail")))
    for column in frame.columns:
        if column == intake.target or not (frame[column] != "").any():
            continue
        out[column if column not in out else f"{column} (file)"] = frame[column].to_numpy()
    return out


@dataclass(frozen=True)
class Guessing:
    """The kept run against guessing, on its held-out students.

    Two ways to guess without grades: always the commoner result of the training students
    (``majority``), or their pass rate as every student's chance (``constant_loss``, its
    cross-entropy).  The network's numbers are judged on students that did not choose it: each
    held-out student by the run's snapshot with the lowest loss on the other held-out students
    (``judged_chances``).  The rule: the network predicts **better than guessing** when that
    cross-entropy is lower than the constant chance's by more than one standard error of the
    student-by-student difference, *and* at least ``BEAT_SHARE`` (95 %) of the bootstrap
    resamples' networks are lower than the constant on out-of-bag students that did not
    choose them (``resampled``; ``Findings.claims``).  One split of 30 students is weak
    evidence either way; forty resamples that agree are not.
    """

    students: int
    network_accuracy: float
    majority: str  # "pass" or "fail"
    majority_accuracy: float
    network_loss: float
    constant_loss: float
    loss_gap: float  # constant − network, mean per student: > 0 when the network is better
    standard_error: float

    @property
    def clearly_better(self) -> bool:
        return bool(self.loss_gap > self.standard_error and self.loss_gap > 0)

    def better(self, found: Findings | None = None) -> bool:
        return self.clearly_better and (found is None or found.claims)

    def sentence(self, found: Findings | None = None, lang: Language = ENGLISH) -> str:
        right = lang._(
            "on the {n} held-out students the network is right {accuracy} of the time; always saying “{majority}” "
            "would be right {majority_accuracy}, and its cross-entropy is {loss} against {constant} for the class's "
            "pass rate as everyone's chance",
            n=self.students,
            accuracy=lang.percent(self.network_accuracy),
            majority=lang._(self.majority),
            majority_accuracy=lang.percent(self.majority_accuracy),
            loss=lang.decimal(self.network_loss, 3),
            constant=lang.decimal(self.constant_loss, 3),
        )
        judged = lang._(
            "Each held-out student is judged by the network the other held-out students chose, so no "
            "student both picks the network and judges it."
        )
        if self.better(found):
            return lang._("These grades predict the result better than guessing: {why}.", why=right) + " " + judged
        return (
            lang._(
                "These grades do not predict the result better than guessing: {why}. So this page claims nothing "
                "about which grade matters or in which direction.",
                why=right,
            )
            + " "
            + judged
        )

    def to_dict(self, found: Findings | None = None) -> dict:
        return {
            "value": self.better(found),
            "rule": "held-out cross-entropy below the constant pass rate's by more than 1 standard error, "
            f"and below it on the out-of-bag students of at least {100 * BEAT_SHARE:.0f} % of the bootstrap resamples, "
            "each judged on students that did not choose the network",
            "loss_gap": self.loss_gap,
            "standard_error": self.standard_error,
            "repeats_better": None if found is None else sum(found.beats_guessing),
            "repeats": None if found is None else len(found.beats_guessing),
        }


def _against_constant(chances: np.ndarray, y: np.ndarray, rate: float) -> tuple[float, float, float, float]:
    """Cross-entropy, student by student, of ``chances`` against ``rate`` as everyone's chance:
    the mean gap (constant − network, > 0 when the network is better), its standard error, and
    the two mean losses."""
    p = np.clip(chances, nn.EPS, 1 - nn.EPS)
    constant = np.clip(rate, nn.EPS, 1 - nn.EPS)
    network_loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    constant_loss = -(y * np.log(constant) + (1 - y) * np.log(1 - constant))
    gap, se = _paired_gap(constant_loss - network_loss)
    return gap, se, float(network_loss.mean()), float(constant_loss.mean())


def judged_chances(result: Fit) -> np.ndarray:
    """The held-out students' chances the check against guessing judges by: each student's from
    the kept run's snapshot with the lowest loss on the other held-out students."""
    predictions = snapshot_predictions(result.run, result.test_set.X)
    choices = left_out_choices(student_losses(result.run, predictions, result.test_set.y))
    return predictions[choices, np.arange(len(choices))]


def against_guessing(result: Fit) -> Guessing | None:
    """The network against the two guesses, on held-out students that did not choose it
    (``judged_chances``); None when no student was held out."""
    y = result.test_set.y
    if not len(y):
        return None
    rate = float(np.mean(result.train_set.y))
    chances = judged_chances(result)
    gap, se, network_loss, constant_loss = _against_constant(chances, y, rate)
    majority = rate >= 0.5
    return Guessing(
        students=len(y),
        network_accuracy=float(np.mean((chances >= 0.5) == (y >= 0.5))),
        majority="pass" if majority else "fail",
        majority_accuracy=float(np.mean((y >= 0.5) == majority)),
        network_loss=network_loss,
        constant_loss=constant_loss,
        loss_gap=gap,
        standard_error=se,
    )


def baseline_sentence(network: Fit, baseline: Fit, lang: Language = ENGLISH) -> str:
    """The network beside a plain logistic regression on the held-out students: both numbers,
    and a verdict only where the gap is beyond its noise (two standard errors of the paired,
    student-by-student difference; a dozen students rarely show one)."""
    if network.test_loss is None or baseline.test_loss is None:
        return lang._("Hold some students out to compare the network with a plain logistic regression.")
    n = len(network.test_set.y)
    loss_net, loss_base = held_out_cross_entropy(network), held_out_cross_entropy(baseline)
    y = network.test_set.y >= 0.5
    right_net = (network.test_chances() >= 0.5) == y
    right_base = (baseline.test_chances() >= 0.5) == y
    loss_gap, loss_se = _paired_gap(loss_base - loss_net)  # > 0: the network's loss is lower
    right_gap, right_se = _paired_gap(
        right_net.astype(float) - right_base.astype(float)
    )  # > 0: the network is right more
    versus = lang._(
        "On the {n} held-out students the network's cross-entropy is {loss} and its accuracy {accuracy}; a plain "
        "logistic regression (no hidden layer) has {base_loss} and {base_accuracy}.",
        n=n,
        loss=lang.decimal(loss_net.mean(), 3),
        accuracy=lang.percent(right_net.mean()),
        base_loss=lang.decimal(loss_base.mean(), 3),
        base_accuracy=lang.percent(right_base.mean()),
    )
    loss_clear = abs(loss_gap) > 2 * loss_se and loss_gap != 0
    right_clear = abs(right_gap) > 2 * right_se and right_gap != 0
    if loss_clear and right_clear and (loss_gap > 0) != (right_gap > 0):
        return (
            versus
            + " "
            + lang._(
                "The two measures disagree (one favours each), so read them as about the same: "
                "the hidden layer adds nothing you can rely on here."
            )
        )
    if not (loss_clear or right_clear):
        return (
            versus
            + " "
            + lang._(
                "With {n} students these gaps are within chance, so the two do about the same: "
                "the hidden layer adds nothing you can rely on here.",
                n=n,
            )
        )
    network_better = loss_gap > 0 if loss_clear else right_gap > 0
    if network_better:
        return (
            versus + " " + lang._("The network does better, by more than chance alone would give on {n} students.", n=n)
        )
    return (
        versus
        + " "
        + lang._(
            "The logistic regression does better, by more than chance alone would give on {n} "
            "students: a hidden layer is not automatically better.",
            n=n,
        )
    )


@dataclass(frozen=True)
class PassMap:
    """The chance of passing over two grades (the others held at the class median)."""

    x_name: str
    y_name: str
    xs: np.ndarray  # (n,)
    ys: np.ndarray  # (n,)
    chance: np.ndarray  # (n, n): chance[i, j] at ys[i], xs[j]


def pass_map(params: nn.Params, intake: Intake, x: int, y: int, points: int = 61) -> PassMap:
    """Chance of passing on a grid over grade columns ``x`` and ``y``, spanning their scales."""
    dataset = intake.dataset
    scales = list(intake.scales().values())
    raw = dataset.raw_X
    typical = np.median(raw, axis=0)

    def span(j: int) -> np.ndarray:
        low, high = scales[j]
        return np.linspace(min(low, raw[:, j].min()), max(high, raw[:, j].max()), points)

    xs, ys = span(x), span(y)
    grid = np.tile(typical, (points * points, 1))
    grid[:, x] = np.tile(xs, points)
    grid[:, y] = np.repeat(ys, points)
    chance = chance_of_passing(params, dataset, grid).reshape(points, points)
    # Drawn in the teacher's own numbers: a lower-is-better grade turned back (its axis then
    # runs from the best grade), and named so.
    name = partial(written_name, intake)
    return PassMap(
        name(intake.features[x]), name(intake.features[y]), as_written(intake, x, xs), as_written(intake, y, ys), chance
    )


# A formula may start a cell, or start after a separator: Excel in the ";" locales that nnviz
# reads splits an unquoted ``Bob;=1+cmd|' /C calc'!A0`` into a second cell that runs.
_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n|])(\s*)(?=[=+\-@])")


def neutralise(cell: object) -> object:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` … at its start or
    after any separator or tab) gets a ``'`` there; numbers stay numbers."""
    if not isinstance(cell, str):
        return cell
    cell = _AFTER_SEPARATOR.sub(r"\1\2'", cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def safe_csv(frame: pd.DataFrame) -> str:
    """CSV for download: every text cell and column name quoted, and guarded against formulas."""
    guarded = frame.rename(columns=lambda c: neutralise(str(c))).map(neutralise)
    return guarded.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)


def report(result: Fit, found: Findings | None = None, baseline: Fit | None = None) -> dict:
    """The numbers the CLI prints (its JSON) and the page shows; those of the kept network."""
    run, intake = result.run, result.intake
    params = result.params
    return {
        "csv": intake.dataset.name,
        "rows_read": intake.rows_read,
        "rows_used": intake.rows_used,
        "rows_dropped": intake.rows_dropped,
        "dropped_reasons": dict(intake.dropped),
        "left_out": [{"reason": reason, "rows": n} for reason, n in intake.dropped.items()],
        "not_students": list(intake.table.not_students),
        "pass_rule": intake.rule.to_dict(),
        "target": intake.target,
        "features": list(intake.features),
        "flipped": list(intake.flipped),
        "scales": {
            c: {"low": low, "high": high, "from": intake.scale_sources()[c]}
            for c, (low, high) in intake.scales().items()
        },
        "scaler": intake.dataset.scaler.to_dict() if intake.dataset.scaler else None,
        "config": run.config.to_dict(),
        "train_rows": len(result.train_set.y),
        "test_rows": len(result.test_set.y),
        "iterations": run.last_iteration,
        "best_iteration": result.best_iteration,
        "final_loss": result.train_loss,
        "train_accuracy": result.train_accuracy,
        "test_loss": result.test_loss,
        "test_accuracy": result.test_accuracy,
        "weights": [w.tolist() for w in params.weights],
        "biases": [b.tolist() for b in params.biases] if run.config.bias else [],
        "effects": [
            {"grade": e.grade, "step": e.step, "change": e.change, "low": e.low, "high": e.high}
            for e in (found.effects if found else [])
        ],
        "interval": {"method": "bootstrap", "resamples": found.resamples, "level": LEVEL} if found else None,
        "regression_effects": [
            {"grade": e.grade, "change": e.change, "standard_error": e.standard_error, "low": e.low, "high": e.high}
            for e in (found.regression_effects() if found else [])
        ],
        "most_important": found.most_important if found else None,
        **_guessing_fields(result, found),
        "baseline_test_accuracy": baseline.test_accuracy if baseline else None,
        "baseline_test_loss": baseline.test_loss if baseline else None,
        "confusion": confusion(result) if len(result.test_set.y) else None,
    }


def _guessing_fields(result: Fit, found: Findings | None) -> dict:
    check = against_guessing(result)
    return {
        "majority_test_accuracy": check.majority_accuracy if check else None,
        "constant_test_loss": check.constant_loss if check else None,
        "better_than_guessing": check.to_dict(found) if check else None,
    }
