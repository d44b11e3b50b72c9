"""The grades walk-through: split a class, train, ask what it learned, predict new students."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from . import network as nn
from .datasets import Dataset
from .training import Run

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def curve_at_snapshots(run: Run, X: np.ndarray, y: np.ndarray) -> Curve:
    objective, accuracy = [], []
    for index in range(len(run.snapshot_iterations)):
        predictions = nn.forward(run.snapshot(index), X)[-1]
        objective.append(run.rule.objective(predictions, y[:, None]))
        accuracy.append(nn.accuracy(predictions[:, 0], y))
    return Curve(run.snapshot_iterations, np.array(objective), np.array(accuracy))


def chance_of_passing(params: nn.Params, dataset: Dataset, raw_grades: np.ndarray) -> np.ndarray:
    """Predicted chance for grades in the file's own units, scaled exactly as training was."""
    X = dataset.scaler.transform(np.atleast_2d(raw_grades)) if dataset.scaler else np.atleast_2d(raw_grades)
    return nn.forward(params, X)[-1][:, 0]


@dataclass(frozen=True)
class Effect:
    grade: str
    typical: float  # the typical student's grade
    base_chance: float
    raised_chance: float

    @property
    def change(self) -> float:
        return self.raised_chance - self.base_chance


def grade_effects(params: nn.Params, dataset: Dataset, points: float = 10.0) -> list[Effect]:
    """What raising each grade by ``points`` (others held) does to a typical student's chance.

    The typical student has the class's median in every grade.  Sorted, largest effect first.
    """
    typical = np.median(dataset.raw_X, axis=0)
    base = float(chance_of_passing(params, dataset, typical)[0])
    effects = []
    for j, name in enumerate(dataset.feature_names):
        raised = typical.copy()
        raised[j] += points
        effects.append(Effect(name, float(typical[j]), base, float(chance_of_passing(params, dataset, raised)[0])))
    return sorted(effects, key=lambda e: e.change, reverse=True)


def neutralise(cell: object) -> object:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) gets a ``'``."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def safe_csv(frame: pd.DataFrame) -> str:
    """CSV for download: every text cell and column name guarded against formula injection."""
    guarded = frame.rename(columns=lambda c: neutralise(str(c))).map(neutralise)
    return guarded.to_csv(index=False)


@dataclass(frozen=True)
class Fit:
    """A class's file trained on: the split, the run, and the test curve."""

    intake: object  # intake.Intake
    train_set: Dataset
    test_set: Dataset
    run: Run
    test_curve: Curve | None


def fit(intake, config, test_share: float = 0.2, run: Run | None = None) -> Fit:
    """Split (seeded by ``config.seed``), train on the training part, follow the test part."""
    from .training import train

    train_set, test_set = split(intake.dataset, test_share, config.seed)
    if run is None:
        run = train(train_set.X, train_set.y, config)
    curve = curve_at_snapshots(run, test_set.X, test_set.y) if len(test_set.y) else None
    return Fit(intake, train_set, test_set, run, curve)


def report(result: Fit) -> dict:
    """The numbers the CLI prints (its JSON) and the page shows."""
    run, intake = result.run, result.intake
    params = run.final_params
    effects = grade_effects(params, intake.dataset)
    k = run.last_iteration
    return {
        "csv": intake.dataset.name,
        "rows_read": intake.rows_read,
        "rows_used": intake.rows_used,
        "rows_dropped": intake.rows_dropped,
        "dropped_reasons": dict(intake.dropped),
        "target": intake.target,
        "features": list(intake.features),
        "scaler": intake.dataset.scaler.to_dict(),
        "config": {
            "hidden": list(run.config.hidden),
            "bias": run.config.bias,
            "loss": run.config.rule,
            "lr": run.config.learning_rate,
            "seed": run.config.seed,
            "iterations": run.config.iterations,
        },
        "train_rows": len(result.train_set.y),
        "test_rows": len(result.test_set.y),
        "iterations": k,
        "final_loss": float(run.objective[k]),
        "train_accuracy": float(run.accuracy[k]),
        "test_loss": None if result.test_curve is None else float(result.test_curve.objective[-1]),
        "test_accuracy": None if result.test_curve is None else float(result.test_curve.accuracy[-1]),
        "weights": [w.tolist() for w in params.weights],
        "biases": [b.tolist() for b in params.biases] if run.config.bias else [],
        "effects": [{"grade": e.grade, "typical": e.typical, "change": e.change} for e in effects],
        "most_important": effects[0].grade,
    }
