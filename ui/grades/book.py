"""Section 1: the class's grades, read from the teacher's file (or the bundled sample), and
what counts as passing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import NoReturn, TypeVar

import pandas as pd
import streamlit as st

from nnviz import datasets
from nnviz.gradebook import findings, tables
from nnviz.gradebook import vocabulary as gb
from nnviz.gradebook.intake import (
    Intake,
    PassRule,
    build,
    default_pass_mark,
    guess_features,
    guess_pass_value,
    guess_rule,
    guess_target,
    passed,
    plausible_results,
    result_kind,
    result_values,
)
from nnviz.gradebook.reading import MAX_GRADE_COLUMNS, MAX_ROWS, IntakeError, Table, read_or_refusal
from nnviz.i18n import DEFAULT, said
from nnviz.numbers import with_decimal_comma
from ui.keep import keep
from ui.language import _, language
from ui.number_box import number_box
from ui.shared import drawn, private, shared
from ui.text import plain
from ui.uploads import kept_upload

T = TypeVar("T")


def upload_help() -> str:
    return _(
        "One row per student: grade columns, and a result (pass/fail in any language, or a final exam score). "
        "At most {rows} rows and {columns} grade columns. An uploaded file, and everything read and trained from it, "
        "stays in your session only, in the server's memory: never written to disk, never in a link, never in a "
        "cache another visitor reaches. It goes when you remove it or close the tab.",
        rows=language().integer(MAX_ROWS),
        columns=MAX_GRADE_COLUMNS,
    )


def refuse(problem: IntakeError) -> NoReturn:
    """The file's one-line problem, and nothing more of the page."""
    st.error(plain(problem.render(language())), icon="🚫")
    st.stop()
    raise AssertionError("st.stop returned")


def read_once(data: bytes, name: str) -> Table:
    """The file's table, read once per content: refusals are kept too, so a rerun never reads the bytes again."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    parsed = shared(("table", digest, name), lambda: read_or_refusal(data, name))
    return parsed if isinstance(parsed, Table) else refuse(parsed)


@dataclass(frozen=True)
class Book:
    """The file as read, and how the page speaks of it: its decimal mark and its students' names."""

    table: Table
    file_name: str
    digest: str
    uploaded: bool
    show_names: bool
    names_of: dict[str, str] = field(repr=False)

    def say(self, text: object) -> str:
        """Text with the file's own decimal mark (``nnviz.numbers``); before ``plain``, which escapes dots.
        A page in another language than English writes its numbers its own way already."""
        if not self.table.decimal_comma or language().code != DEFAULT:
            return str(text)
        return with_decimal_comma(str(text))

    def who(self, labels) -> list[str]:
        """The page's ``Student n`` (in the visitor's language), or the names when the teacher shows them."""
        shown = tables.shown_as(labels, self.names_of, self.show_names)
        if language().code == DEFAULT:
            return shown
        return [_("Student {n}", n=int(s[8:])) if s.startswith("Student ") and s[8:].isdigit() else s for s in shown]

    def about(self, what: Hashable, answer: Callable[[], T]) -> T:
        """A question about the file (its likely result column, a column's kind), answered once."""
        return shared(("table", self.digest, self.file_name, what), answer)


def open_book() -> Book:
    """The uploader (or the kept file), the sample's template download, and the table read from it."""
    upload = kept_upload(
        "grades.file",
        _("Upload last years' grades as CSV (a Canvas or Moodle export, Google Sheets, Excel in any language)"),
        _("Last years' grades"),
        help=upload_help(),
    )
    # Everything made from a teacher's file stays in their session (ui/shared.py, "private").
    private(upload is not None or "grades.this_year.kept" in st.session_state)
    sample_bytes = shared("sample file", datasets.students_csv_path().read_bytes)
    if upload is None:
        data_bytes, file_name = sample_bytes, _("students.csv (sample)")
        st.info(
            _("Showing the bundled sample: 200 made-up students whose chance of passing depends most on written tests.")
        )
    else:
        file_name, data_bytes = upload
    st.download_button(
        _("Download the sample as a template"), lambda: sample_bytes, "students.csv", "text/csv", on_click="ignore"
    )
    digest = hashlib.sha256(data_bytes).hexdigest()[:16]
    table = read_once(data_bytes, file_name)
    show_names = st.toggle(
        _("Show students' names"),
        key=keep(f"names.{digest}"),
        help=_(
            "Off by default, so the page can be projected: students are 'Student 1 … n'. Names stay in your session."
        ),
    )
    names_of = shared(("table", digest, file_name, "names"), lambda: dict(zip(table.pseudonyms(), table.names())))
    return Book(table, file_name, digest, upload is not None, show_names, names_of)


def _preview(book: Book) -> None:
    """The file's first rows as read, without names and ids."""
    table = book.table
    first = table.frame.drop(columns=list(table.identity)).head(20)
    first.insert(0, _("student"), book.who(table.pseudonyms()[:20]))
    st.dataframe(first, hide_index=True)
    if table.identity:
        st.caption(_("Not shown (names and ids): {columns}.", columns=plain(", ".join(table.identity))))


def _share_passed(book: Book, rule: PassRule) -> None:
    """How many students passed under the teacher's rule: a check that the rule reads the column
    right, and a warning when one side has too few students to learn from."""
    outcome = passed(book.table, rule)
    known = outcome.notna()
    if known.any():
        passes, total = int(outcome[known].sum()), int(known.sum())
        st.caption(
            _(
                "{rule}: {passes} of {total} students passed ({share}).",
                rule=plain(book.say(rule.describe(language()))),
                passes=passes,
                total=total,
                share=language().percent(passes / total),
            )
        )
        warning = findings.one_sided(passes, total - passes, language())
        if warning:
            st.warning(book.say(warning), icon="⚖️")


def _pass_rule(book: Book, target: str) -> PassRule:
    """What counts as passing in the result column: the value meaning passed, or a pass mark."""
    table, digest = book.table, book.digest
    kind = book.about(("kind", target), lambda: result_kind(table, target))
    rule = None
    if kind == "two":
        options = book.about(("values", target), lambda: result_values(table, target))
        guess = guess_pass_value(options)
        value = st.radio(
            plain(_("Which value in “{column}” means passed?", column=target)),
            options,
            format_func=plain,
            index=None,
            horizontal=True,
            key=keep(f"pass_value.{digest}.{target}", guess if guess in options else None),
        )
        if value is not None:
            rule = PassRule(target, value=value)
    elif kind == "score":
        lower = st.checkbox(
            _("A lower score is better in this column (1 is the best grade, as in Germany)"),
            key=keep(f"pass_lower.{digest}.{target}"),
        )
        mark = number_box(
            plain(
                _("Pass mark: passed when {column} is at most", column=target)
                if lower
                else _("Pass mark: passed when {column} is at least", column=target)
            ),
            f"pass_mark.{digest}.{target}.{lower}",
            float(book.about(("mark", target, lower), lambda: default_pass_mark(table, target, lower))),
        )
        rule = PassRule(target, mark=float(mark), lower_is_better=lower)
    else:
        try:
            rule = guess_rule(table, target)
        except IntakeError as problem:
            refuse(problem)
    if rule is None:
        st.info(_("Choose which value means passed to go on."))
        st.stop()
    return rule


def _tops(book: Book, features: list[str]) -> dict[str, float]:
    """The top of each grade's scale, where the teacher corrects the one the file states or suggests."""
    on_scale = [c for c in features if not book.table.read[c].letters and not book.table.read[c].fraction]
    tops: dict[str, float] = {}
    if on_scale:
        st.markdown(
            _("**Top of each grade's scale** (where the file states it, it is used; correct any that is wrong)")
        )
        top_cols = st.columns(min(len(on_scale), 4))
        for j, column in enumerate(on_scale):
            grade = book.table.read[column]
            top = number_box(
                plain(_("{column}: out of", column=column)),
                f"top.{book.digest}.{column}",
                float(grade.scale[1]),
                low=grade.scale[0] + 0.01,
                where=top_cols[j % len(top_cols)],
                help=_("From the file: {source}.", source=said(grade.scale_source, language())),
            )
            if float(top) != grade.scale[1]:
                tops[column] = float(top)
    return tops


def what_counts(book: Book) -> tuple[Intake, tuple]:
    """The expander where the teacher checks what was read and chooses the result, the rule and
    the grades; the dataset built from those choices, and the key that names them."""
    table, digest = book.table, book.digest
    plausible = book.about("plausible results", lambda: plausible_results(table))
    with st.expander(_("What was read, and what counts as passing"), expanded=book.uploaded or len(plausible) > 1):
        if len(plausible) > 1:
            st.warning(
                _(
                    "{n} columns could be the result: {columns}. Using {column}; choose another under 'The result "
                    "column' below.",
                    n=len(plausible),
                    columns=plain(", ".join(plausible)),
                    column=plain(st.session_state.get(f"target.{digest}", plausible[0])),
                ),
                icon="❓",
            )
        drawn(("preview", digest, book.file_name, book.show_names), partial(_preview, book))
        candidates = [c for c in table.columns if c not in table.identity] or table.columns
        target_guess = book.about("target", lambda: guess_target(table))
        target = st.selectbox(
            _("The result column"),
            candidates,
            key=keep(f"target.{digest}", target_guess if target_guess in candidates else candidates[-1]),
        )
        rule = _pass_rule(book, target)
        drawn(("passes", digest, book.file_name, rule), partial(_share_passed, book, rule))
        feature_options = [c for c in book.about("numeric", table.numeric_columns) if c != target]
        feature_guess = [
            c for c in book.about(("features", target), lambda: guess_features(table, target)) if c in feature_options
        ]
        features = st.multiselect(
            _("The grade columns"),
            feature_options,
            key=keep(f"features.{digest}.{target}", feature_guess),
            help=_("Totals, averages and final scores are left out by default: they already contain the result."),
        )
        flip = st.multiselect(
            _("Lower is better in (turned round, so a higher value always means a better grade)"),
            features,
            key=keep(f"flip.{digest}.{target}", []),
            help=_("For scales where 1 is the best grade (Germany: 1–6 or 1–5)."),
        )
        if any(table.read[c].letters for c in features):
            st.caption(_("Letter grades are read as grade points:"))
            st.dataframe(pd.DataFrame([gb.LETTER_POINTS]), hide_index=True)
        tops = _tops(book, features)

    intake_of = (digest, book.file_name, rule, tuple(features), tuple(flip), tuple(sorted(tops.items())))
    try:
        intake = shared(("intake", *intake_of), lambda: build(table, rule, features, flip, tops))
    except IntakeError as problem:
        refuse(problem)
    drawn(("summary", intake_of), partial(_summary, book, intake))
    return intake, intake_of


def _summary(book: Book, intake: Intake) -> None:
    """What the intake made of the file: rows used and left out, the rule, the columns, its notes."""
    st.dataframe(tables.what_was_read(intake, book.file_name, book.say, language()), hide_index=True)
    for note in intake.notes:
        st.info(plain(book.say(said(note, language()))), icon="ℹ️")
