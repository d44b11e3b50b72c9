"""The grades page's tables, as data: what was read, the network against its baseline, who it
gets wrong in a 2×2, the one-student sliders' ranges, and names or pseudonyms.

Each takes the intake's and findings' own objects and returns plain rows or a frame; the page
only hands them to Streamlit (and ``say`` writes numbers the file's way, ``72,5``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from nnviz.gradebook.findings import Fit, Guessing
from nnviz.gradebook.intake import Intake

Say = Callable[[str], str]


def _same(text: str) -> str:
    return text


def what_was_read(intake: Intake, file_name: str, say: Say = _same) -> pd.DataFrame:
    """Rows used and left out by reason, the rule, the columns and each column's scale."""
    fractions = intake.table.fractions
    rows = [
        ("file", file_name),
        ("rows read", f"{intake.rows_read:,}"),
        ("rows used", f"{intake.rows_used:,}"),
        *((f"left out: {reason}", f"{n:,}") for reason, n in intake.dropped.items()),
        ("what passed means", intake.rule.describe()),
        ("grade columns", ", ".join(intake.features)),
        ("lower is better (turned round)", ", ".join(intake.flipped) or "none"),
        ("read as fractions (× 100)", ", ".join(c for c in intake.features if c in fractions) or "none"),
        *(
            (f"scale of {c}", f"{low:g} to {high:g}: {intake.scale_sources()[c]}")
            for c, (low, high) in intake.scales().items()
        ),
    ]
    return pd.DataFrame([(name, say(value)) for name, value in rows], columns=["", "value"])


def versus_baseline(fit: Fit, baseline: Fit, say: Say = _same, guessing: Guessing | None = None) -> pd.DataFrame:
    """The kept network and the plain logistic regression on the same held-out students, and
    (with ``guessing``) the two guesses that use no grades at all."""
    rows = [
        ("the network (kept)", say(f"{fit.test_loss:.3f}"), f"{fit.test_accuracy:.0%}", say(f"{fit.best_iteration:,}")),
        ("logistic regression (no hidden layer)", say(f"{baseline.test_loss:.3f}"), f"{baseline.test_accuracy:.0%}",
         say(f"{baseline.best_iteration:,}")),
    ]  # fmt: skip
    if guessing is not None:
        rows += [
            (f"always “{guessing.majority}” (no grades)", "—", f"{guessing.majority_accuracy:.0%}", "—"),
            ("the pass rate as everyone's chance (no grades)", say(f"{guessing.constant_loss:.3f}"),
             f"{guessing.majority_accuracy:.0%}", "—"),
        ]  # fmt: skip
    return pd.DataFrame(rows, columns=["", "held-out loss", "held-out accuracy", "iteration kept"])


def two_by_two(counts: Mapping[str, int]) -> pd.DataFrame:
    """Predicted against real, each cell saying what it counts (a screen reader reads cells alone)."""
    return pd.DataFrame(
        {
            "": ["predicted to pass", "predicted to fail"],
            "passed": [
                f"predicted to pass, passed: {counts['pass_pass']}",
                f"predicted to fail, passed: {counts['fail_pass']}",
            ],
            "failed": [
                f"predicted to pass, failed: {counts['pass_fail']}",
                f"predicted to fail, failed: {counts['fail_fail']}",
            ],
        }
    )


def one_student_sliders(intake: Intake) -> list[tuple[str, float, float, float]]:
    """For each grade: its label, the slider's range (its scale, widened to every grade the
    class got) and the class median where it starts."""
    raw = intake.dataset.raw_X
    typical = np.median(raw, axis=0)
    out = []
    for j, (column, (low, high)) in enumerate(intake.scales().items()):
        label = f"{column} (turned round)" if column in intake.flipped else column
        out.append((label, float(min(low, raw[:, j].min())), float(max(high, raw[:, j].max())), float(typical[j])))
    return out


def shown_as(labels: Iterable[str], names: Mapping[str, str], show_names: bool) -> list[str]:
    """Row labels as the page shows them: pseudonyms, or the real names when the teacher asks."""
    return [names.get(label, label) if show_names else label for label in labels]
