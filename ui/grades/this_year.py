"""Section 4: this year's students, from a second file or one student at a time."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from nnviz.gradebook import findings, tables
from nnviz.gradebook.intake import Intake, prediction_grades
from nnviz.gradebook.reading import IntakeError, read_or_refusal
from ui.grades.book import Book
from ui.keep import keep
from ui.language import _, language, n_
from ui.shared import shared
from ui.text import plain
from ui.uploads import kept_upload


def predictions(book: Book, intake: Intake, intake_of: tuple, fit: findings.Fit) -> None:
    """The uploader for this year's file and its table of chances, then the one-student sliders."""
    new_file = kept_upload(
        "grades.this_year",
        _("Upload this year's grades (the same grade columns, no result needed)"),
        _("This year's grades"),
    )
    if new_file is not None:
        _from_file(book, intake, fit, *new_file)
    _one_student(book, intake, intake_of, fit)


def _from_file(book: Book, intake: Intake, fit: findings.Fit, name: str, data: bytes) -> None:
    digest = hashlib.sha256(data).hexdigest()[:16]
    try:  # read once per content, like last year's file
        table = shared(("table", digest, name), lambda: read_or_refusal(data, name))
        if isinstance(table, IntakeError):
            raise table
        raw, complete = prediction_grades(intake, table)
    except IntakeError as problem:
        st.error(plain(problem.render(language())), icon="🚫")
        return
    chances = np.full(len(raw), np.nan)
    if complete.any():
        chances[complete] = findings.chance_of_passing(fit.params, intake.dataset, raw[complete])
    out = findings.this_years_predictions(intake, table, chances, complete)
    out["chance of passing"] = [book.say(language().percent(c, 1)) if np.isfinite(c) else "" for c in chances]
    out["prediction"] = [_(p) for p in out["prediction"]]  # pass / fail / missing a grade
    out = out.rename(
        columns={"student": _("student"), "chance of passing": _("chance of passing"), "prediction": _("prediction")}
    )
    shown = out if book.show_names else out.drop(columns=[c for c in table.identity if c in out])
    st.dataframe(shown, hide_index=True)
    missing = int((~complete).sum())
    if missing:
        st.warning(
            n_(
                "{n} row misses a grade and gets no prediction.",
                "{n} rows miss a grade and get no prediction.",
                missing,
            )
        )
    st.download_button(
        _("Download the predictions (CSV, with names and the page's Student numbers)"),
        findings.safe_csv(out),
        "predictions.csv",
        "text/csv",
        on_click="ignore",
    )


def _one_student(book: Book, intake: Intake, intake_of: tuple, fit: findings.Fit) -> None:
    st.markdown(_("**Or try one student:**"))
    sliders = shared(("sliders", intake_of), lambda: tables.one_student_sliders(intake))
    slider_cols = st.columns(min(len(sliders), 4))
    one = [
        slider_cols[j % len(slider_cols)].slider(plain(label), low, high, key=keep(f"one.{book.digest}.{j}", typical))
        for j, (label, low, high, typical) in enumerate(sliders)
    ]
    chance = float(findings.chance_of_passing(fit.params, intake.dataset, np.array(one))[0])
    st.metric(_("chance of passing"), book.say(language().percent(chance, 1)), help=_("≥ 50% predicts a pass"))
