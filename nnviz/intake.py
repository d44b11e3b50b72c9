"""Reading a CSV of grades into a ``Dataset``: the one door for files, from the CLI or a page."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .datasets import Dataset, from_frame


class IntakeError(ValueError):
    """A file that cannot be used; the message is one line naming file, column or row."""


@dataclass(frozen=True)
class Intake:
    dataset: Dataset
    rows_read: int
    rows_dropped: int


TARGET_NAMES = ("passed", "pass", "result", "outcome", "target", "label", "y")


def guess_target(columns: list[str]) -> str:
    lowered = {c.strip().lower(): c for c in columns}
    for name in TARGET_NAMES:
        if name in lowered:
            return lowered[name]
    return columns[-1]


def load_csv(path: str, target: str | None = None, features: list[str] | None = None) -> Intake:
    """Read ``path``; the target must be 0/1, the features numeric; rows with gaps are dropped."""
    try:
        frame = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise IntakeError(f"{path}: cannot read it as CSV ({str(exc).splitlines()[0]})") from None
    columns = [str(c) for c in frame.columns]
    frame.columns = columns
    target = target or guess_target(columns)
    if target not in columns:
        raise IntakeError(f"{path}: no column {target!r} (columns: {', '.join(columns)})")
    if features is None:
        features = [c for c in columns if c != target and pd.api.types.is_numeric_dtype(frame[c])]
    for column in features:
        if column not in columns:
            raise IntakeError(f"{path}: no column {column!r} (columns: {', '.join(columns)})")
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise IntakeError(f"{path}: column {column!r} is not numeric")
    if not features:
        raise IntakeError(f"{path}: no numeric grade column besides {target!r}")
    complete = frame.dropna(subset=[*features, target])
    values = set(complete[target].unique().tolist())
    if not values <= {0, 1}:
        raise IntakeError(f"{path}: column {target!r} must hold 0 and 1, found {sorted(map(str, values))[:5]}")
    if not np.isfinite(complete[features].to_numpy(dtype=float)).all():
        raise IntakeError(f"{path}: a grade column holds an infinite value")
    try:
        dataset = from_frame(complete, target, list(features), str(path))
    except ValueError as exc:
        raise IntakeError(f"{path}: {exc}") from None
    return Intake(dataset, len(frame), len(frame) - len(complete))
