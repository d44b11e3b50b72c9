"""The data a network learns from: the article's rows, XOR, and students' grades.

Grades are scaled before training by a stored ``Scaler`` (each grade minus the class
average, divided by its standard deviation), so the sigmoid starts on its steep middle part
and this year's students are scaled exactly as last year's were.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

ARTICLE_ROWS = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)


@dataclass(frozen=True)
class Scaler:
    """``scaled = (raw - mean) / std`` per column, with the class's own mean and std."""

    columns: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, columns: list[str], raw: np.ndarray) -> Scaler:
        raw = np.asarray(raw, dtype=np.float64)
        flat = [c for c, spread in zip(columns, np.ptp(raw, axis=0)) if spread == 0]
        if flat:
            raise ValueError(f"column {flat[0]!r} has the same value in every row, so it cannot tell students apart")
        std = raw.std(axis=0)
        tiny = std == 0  # values differ, yet squaring them underflowed (grades of 1e-200)
        if tiny.any():  # measured on the column divided by its largest value instead
            size = np.abs(raw[:, tiny]).max(axis=0)
            std[tiny] = (raw[:, tiny] / size).std(axis=0) * size
        return cls(tuple(columns), raw.mean(axis=0), std)

    def transform(self, raw: np.ndarray) -> np.ndarray:
        return (np.asarray(raw, dtype=np.float64) - self.mean) / self.std

    def inverse(self, scaled: np.ndarray) -> np.ndarray:
        return np.asarray(scaled, dtype=np.float64) * self.std + self.mean

    def to_dict(self) -> dict:
        return {
            "method": "(raw - mean) / std",
            "columns": list(self.columns),
            "mean": self.mean.tolist(),
            "std": self.std.tolist(),
        }


@dataclass(frozen=True)
class Dataset:
    """Rows to learn from.  ``X`` is what the network sees (scaled if ``scaler`` is set)."""

    name: str
    X: np.ndarray  # (m, n_inputs)
    y: np.ndarray  # (m,), 0 or 1
    feature_names: tuple[str, ...]
    target_name: str
    scaler: Scaler | None = None
    row_labels: tuple[str, ...] | None = None

    @property
    def raw_X(self) -> np.ndarray:
        return self.X if self.scaler is None else self.scaler.inverse(self.X)

    def row_names(self) -> list[str]:
        """Each row's name: its label (a student), or its inputs as the article writes them (``[0 0 1]``)."""
        if self.row_labels:
            return list(self.row_labels)
        return [f"[{' '.join(str(int(v)) for v in x)}]" for x in self.X]


def trask() -> Dataset:
    """The article's four rows; the output copies the first input (the third is always 1)."""
    return Dataset("trask", ARTICLE_ROWS.copy(), np.array([0, 0, 1, 1], float), ("x1", "x2", "x3"), "y")


def xor() -> Dataset:
    """Trask's second example: the output is x1 XOR x2, which needs a hidden layer."""
    return Dataset("xor", ARTICLE_ROWS.copy(), np.array([0, 1, 1, 0], float), ("x1", "x2", "x3"), "y")


STUDENTS_CSV = "students.csv"
STUDENT_FEATURES = ("assignments", "written_tests", "oral_tests")


def students_csv_path() -> Path:
    return Path(str(resources.files("nnviz") / "data" / STUDENTS_CSV))


def students() -> Dataset:
    """200 made-up students (``scripts/make_students.py`` says how they were made)."""
    return from_frame(pd.read_csv(students_csv_path()), "passed", list(STUDENT_FEATURES), "students", "student")


def from_frame(
    frame: pd.DataFrame, target: str, features: list[str], name: str, label_column: str | None = None
) -> Dataset:
    """A dataset from clean numeric columns; the grades are scaled by a fitted ``Scaler``."""
    raw = frame[features].to_numpy(dtype=np.float64)
    scaler = Scaler.fit(features, raw)
    labels = tuple(frame[label_column].astype(str)) if label_column else None
    y = frame[target].to_numpy(dtype=np.float64)
    return Dataset(name, scaler.transform(raw), y, tuple(features), target, scaler, labels)


BUILT_IN = {"trask": trask, "xor": xor, "students": students}
