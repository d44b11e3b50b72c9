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
from nnviz.i18n import ENGLISH, Language, said

Say = Callable[[str], str]


def _same(text: str) -> str:
    return text


def what_was_read(intake: Intake, file_name: str, say: Say = _same, lang: Language = ENGLISH) -> pd.DataFrame:
    """Rows used and left out by reason, the rule, the columns and each column's scale."""
    fractions = intake.table.fractions
    none = lang._("none")
    rows = [
        (lang._("file"), file_name),
        (lang._("rows read"), lang.integer(intake.rows_read)),
        (lang._("rows used"), lang.integer(intake.rows_used)),
        *(
            (lang._("left out: {reason}", reason=said(reason, lang)), lang.integer(n))
            for reason, n in intake.dropped.items()
        ),
        (lang._("what passed means"), intake.rule.describe(lang)),
        (lang._("grade columns"), ", ".join(intake.features)),
        (lang._("lower is better (turned round)"), ", ".join(intake.flipped) or none),
        (lang._("read as fractions (× 100)"), ", ".join(c for c in intake.features if c in fractions) or none),
        *(
            (
                lang._("scale of {column}", column=c),
                lang._(
                    "{low} to {high}: {source}",
                    low=lang.short(low),
                    high=lang.short(high),
                    source=said(intake.scale_sources()[c], lang),
                ),
            )
            for c, (low, high) in intake.scales().items()
        ),
    ]
    return pd.DataFrame([(name, say(value)) for name, value in rows], columns=["", lang._("value")])


def versus_baseline(
    fit: Fit, baseline: Fit, say: Say = _same, guessing: Guessing | None = None, lang: Language = ENGLISH
) -> pd.DataFrame:
    """The kept network and the plain logistic regression on the same held-out students, and
    (with ``guessing``) the two guesses that use no grades at all."""
    assert fit.test_loss is not None and fit.test_accuracy is not None, "a comparison needs held-out students"
    assert baseline.test_loss is not None and baseline.test_accuracy is not None
    rows = [
        (
            lang._("the network (kept)"),
            say(lang.decimal(fit.test_loss, 3)),
            lang.percent(fit.test_accuracy),
            say(lang.integer(fit.best_iteration)),
        ),
        (
            lang._("logistic regression (no hidden layer)"),
            say(lang.decimal(baseline.test_loss, 3)),
            lang.percent(baseline.test_accuracy),
            say(lang.integer(baseline.best_iteration)),
        ),
    ]
    if guessing is not None:
        rows += [
            (
                lang._("always “{answer}” (no grades)", answer=lang._(guessing.majority)),
                "—",
                lang.percent(guessing.majority_accuracy),
                "—",
            ),
            (
                lang._("the pass rate as everyone's chance (no grades)"),
                say(lang.decimal(guessing.constant_loss, 3)),
                lang.percent(guessing.majority_accuracy),
                "—",
            ),
        ]
    return pd.DataFrame(
        rows, columns=["", lang._("held-out loss"), lang._("held-out accuracy"), lang._("iteration kept")]
    )


def two_by_two(counts: Mapping[str, int], lang: Language = ENGLISH) -> pd.DataFrame:
    """Predicted against real, each cell saying what it counts (a screen reader reads cells alone)."""
    return pd.DataFrame(
        {
            "": [lang._("predicted to pass"), lang._("predicted to fail")],
            lang._("passed"): [
                lang._("predicted to pass, passed: {n}", n=counts["pass_pass"]),
                lang._("predicted to fail, passed: {n}", n=counts["fail_pass"]),
            ],
            lang._("failed"): [
                lang._("predicted to pass, failed: {n}", n=counts["pass_fail"]),
                lang._("predicted to fail, failed: {n}", n=counts["fail_fail"]),
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
        label = f"{column} (turned round)" if column in intake.flipped else column  # as the file and CLI say it
        out.append((label, float(min(low, raw[:, j].min())), float(max(high, raw[:, j].max())), float(typical[j])))
    return out


def shown_as(labels: Iterable[str], names: Mapping[str, str], show_names: bool) -> list[str]:
    """Row labels as the page shows them: pseudonyms, or the real names when the teacher asks."""
    return [names.get(label, label) if show_names else label for label in labels]
