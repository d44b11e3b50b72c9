"""Reading a class's grades from a CSV: the one door for files, from a page or the CLI.

Teachers bring exports, not tidy tables: Canvas's ``Points Possible`` row and test
student, Moodle's ``-`` for a missing grade and its download timestamp, Google Sheets
with a final exam *score* and no pass column, Excel in other locales (``sep=;``, decimal
commas, Windows-1252, ``ja/nein``), and a teacher's own sheet with ``P/NP``, ``ABS``,
letter grades and a ``Class average`` row at the bottom.  This module reads all of them
into one shape:

1. ``reading.read_table``: bytes → text cells of the rows that are students (the others
   counted by reason), every column also read as grades (``Column``).
2. The teacher decides what *passed* means (``PassRule``: a pass mark on a score, or
   which of two values means passed); ``guess_rule`` proposes one where it can.
3. ``build``: the rule, the grade columns and which of them are "lower is better" →
   a scaled ``Dataset``, with every row left out counted under its reason.

Anything that cannot work is refused with one line naming the file, the column or the
row, and what to do next.  The words it recognises live in ``gradebook.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nnviz.datasets import Dataset, from_frame
from nnviz.gradebook import vocabulary as gb
from nnviz.gradebook.reading import MAX_GRADE, MAX_GRADE_COLUMNS, Column, IntakeError, Table, by_unique, load_table
from nnviz.i18n import ENGLISH, M_, Language, Msg

LARGE_MISSING_SHARE = 0.2  # a grade column missing for more students than this gets a note


@dataclass(frozen=True)
class PassRule:
    """What *passed* means, the teacher's call: a pass mark on a score, or one of two values.

    ``mark``: passed when the score is at least ``mark`` (at most, when lower is better).
    ``value``: passed when the cell says ``value`` (compared without case or accents).
    """

    column: str
    mark: float | None = None
    value: str | None = None
    lower_is_better: bool = False

    def __post_init__(self) -> None:
        if (self.mark is None) == (self.value is None):
            raise ValueError("a pass rule needs either a pass mark or a pass value")

    def describe(self, lang: Language = ENGLISH) -> str:
        if self.mark is not None:
            sign = "≤" if self.lower_is_better else "≥"
            return lang._("passed = {column} {sign} {mark}", column=self.column, sign=sign, mark=lang.short(self.mark))
        return lang._("passed = {column} is “{value}”", column=self.column, value=self.value)

    def to_dict(self) -> dict:
        if self.mark is not None:
            return {"column": self.column, "mark": self.mark, "lower_is_better": self.lower_is_better}
        return {"column": self.column, "value": self.value}


@dataclass(frozen=True)
class Intake:
    """A dataset ready to train, and what happened on the way in."""

    dataset: Dataset
    table: Table
    rule: PassRule
    features: tuple[str, ...]
    rows_read: int
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    flipped: tuple[str, ...] = ()  # grade columns where lower was better, turned round
    notes: tuple[str, ...] = ()  # one-line remarks for the teacher (large missing shares …)
    names: tuple[str, ...] = ()  # the real name of each dataset row (the dataset holds pseudonyms)
    scale_tops: dict[str, float] = field(default_factory=dict)  # the teacher's own "out of", by column

    @property
    def target(self) -> str:
        return self.rule.column

    @property
    def rows_used(self) -> int:
        return len(self.dataset.y)

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())

    def scales(self) -> dict[str, tuple[float, float]]:
        """Each grade column's scale: the teacher's "out of" where given, else the file's (``Column.scale``)."""
        return {c: _scale(self.table.read[c], self.scale_tops.get(c)) for c in self.features}

    def scale_sources(self) -> dict[str, str]:
        return {
            c: M_("set by the teacher") if c in self.scale_tops else self.table.read[c].scale_source
            for c in self.features
        }


def result_values(table: Table, column: str) -> list[str]:
    """The distinct results written in ``column`` (markers for "no result" left out), most common first."""
    cells = table.frame[column]
    counts = cells[~table.read[column].missing].value_counts()  # a class writes a few values many times
    groups: dict[str, dict[str, int]] = {}
    for spelling, n in counts.items():
        groups.setdefault(gb.normalise(spelling), {})[spelling] = int(n)
    ranked = sorted(groups.values(), key=lambda spellings: sum(spellings.values()), reverse=True)
    return [max(spellings, key=spellings.__getitem__) for spellings in ranked]


def result_kind(table: Table, column: str) -> str | None:
    """``"two"`` (two values: which one means passed?), ``"score"`` (numbers: a pass mark?), or None."""
    values = result_values(table, column)
    if len(values) == 2:
        return "two"
    if table.read[column].numeric and len(values) > 2:
        return "score"
    return None


def guess_pass_value(values: list[str]) -> str | None:
    """The value that means passed, when the words say so (pass/ja/oui/admis/P/✓ …)."""
    norm = [gb.normalise(v) for v in values]
    passes = [v for v, n in zip(values, norm) if n in gb.PASS_WORDS]
    fails = [v for v, n in zip(values, norm) if n in gb.FAIL_WORDS]
    if len(passes) == 1 and len(values) == 2:
        return passes[0]
    if len(fails) == 1 and len(values) == 2:
        return next(v for v in values if v != fails[0])
    return None


def default_pass_mark(table: Table, column: str, lower_is_better: bool = False) -> float:
    """Half-way up the score's scale (50 of 100, 10 of 20, 4 on a German 1–6 scale)."""
    low, high = table.read[column].scale
    if table.read[column].fraction:
        return 50.0
    if table.read[column].letters:
        return gb.LETTER_POINTS["C"]
    if lower_is_better and high in gb.LOWER_IS_BETTER_TOPS:
        return 4.0
    return (low + high) / 2


def no_column(file: str, column: str, columns: list[str]) -> IntakeError:
    """The one line for a column the file does not have, naming the ones it has."""
    return IntakeError(
        M_("{file}: no column {column} (columns: {items})", file=file, column=repr(column), items=", ".join(columns))
    )


def score_values(table: Table, column: str) -> pd.Series:
    """A grade or score column in its scale's units; fractions (0–1) as % so every grade reads alike."""
    read = table.read[column]
    return read.values * 100 if read.fraction else read.values


def passed(table: Table, rule: PassRule) -> pd.Series:
    """1.0 passed, 0.0 failed, NaN no result, for every row."""
    if rule.column not in table.columns:
        raise no_column(table.name, rule.column, table.columns)
    if rule.mark is not None:
        read = table.read[rule.column]
        if not read.numeric:
            raise IntakeError(
                M_(
                    "{file}: the result column {column} holds words, not scores; choose the value that means passed instead of a pass mark (CLI: --pass-value TEXT)",
                    file=str(table.name),
                    column=repr(rule.column),
                )
            )
        scores = score_values(table, rule.column)
        out = (scores <= rule.mark) if rule.lower_is_better else (scores >= rule.mark)
        return out.astype(float).where(scores.notna())
    wanted = gb.normalise(str(rule.value))
    values = result_values(table, rule.column)
    if wanted not in {gb.normalise(v) for v in values}:
        shown = ", ".join(repr(v[:20]) for v in values[:6])
        raise IntakeError(
            M_(
                "{file}: the result column {column} never says {value} (it holds {shown})",
                file=str(table.name),
                column=repr(rule.column),
                value=repr(rule.value),
                shown=str(shown),
            )
        )
    cells = table.frame[rule.column]
    norm = by_unique(cells, gb.normalise)
    return (norm == wanted).astype(float).where(~table.read[rule.column].missing)


def result_candidates(table: Table) -> list[str]:
    """Columns named like a result that hold one (two values, or scores), the likeliest first:
    a column of two values (passed / failed) over one of scores; a result's own name (Result,
    Ergebnis) over a final exam, over any other exam; a later column over an earlier one (an
    oral exam comes before the final)."""
    candidates = [c for c in table.columns if c not in table.identity and not gb.AGGREGATE_COLUMN.search(c)]
    ranks = {c: gb.result_name_rank(c) for c in candidates}
    kinds = {c: result_kind(table, c) for c in candidates if ranks[c] is not None}
    named = [c for c in kinds if kinds[c] in ("two", "score")]
    return sorted(named, key=lambda c: (kinds[c] != "two", ranks[c], -table.columns.index(c)))


def plausible_results(table: Table) -> list[str]:
    """The columns that could as well be the result as the likeliest one (the same kind: two
    exams' scores, say); a teacher is told when there are two or more."""
    ranked = result_candidates(table)
    return [c for c in ranked if result_kind(table, c) == result_kind(table, ranked[0])] if ranked else []


def guess_target(table: Table) -> str:
    """The result column: the likeliest by name (``result_candidates``), then the last two-valued column."""
    ranked = result_candidates(table)
    if ranked:
        return ranked[0]
    candidates = [c for c in table.columns if c not in table.identity and not gb.AGGREGATE_COLUMN.search(c)]
    named = [c for c in candidates if gb.result_name_rank(c) is not None]
    words = gb.PASS_WORDS | gb.FAIL_WORDS
    for column in named:  # a result column where everybody passed (or failed): refused later, by name
        if {gb.normalise(v) for v in result_values(table, column)} <= words:
            return column
    two = [c for c in candidates if result_kind(table, c) == "two"]
    return two[-1] if two else table.columns[-1]


def guess_rule(table: Table, target: str | None = None, lower_is_better: bool = False) -> PassRule:
    """A pass rule where the file makes it clear; otherwise one line saying which choice to make."""
    target = target or guess_target(table)
    if target not in table.columns:
        raise no_column(table.name, target, table.columns)
    kind = result_kind(table, target)
    values = result_values(table, target)
    shown = ", ".join(repr(v[:20]) for v in values[:6]) + (" …" if len(values) > 6 else "")
    if kind == "two":
        value = guess_pass_value(values)
        if value is None:
            raise IntakeError(
                M_(
                    "{file}: the result column {target} holds {shown}; say which one means passed (on the page: the 'passed means' choice; CLI: --pass-value {values})",
                    file=str(table.name),
                    target=repr(target),
                    shown=str(shown),
                    values=repr(values[0]),
                )
            )
        return PassRule(target, value=value)
    if kind == "score":
        scores = score_values(table, target)
        raise IntakeError(
            M_(
                "{file}: the result column {target} holds scores ({min} to {max}); say what counts as a pass (on the page: the pass mark; CLI: --pass-mark {default_pass_mark})",
                file=str(table.name),
                target=repr(target),
                min=float(scores.min()),  # a number: the reader's notation (0,5 in German)
                max=float(scores.max()),
                default_pass_mark=format(default_pass_mark(table, target, lower_is_better), "g"),
            )
        )
    if len(values) == 1 and gb.normalise(values[0]) in gb.PASS_WORDS | gb.FAIL_WORDS:
        raise IntakeError(_every_student(gb.normalise(values[0]) in gb.PASS_WORDS, str(table.name)))
    if len(values) < 2:
        raise IntakeError(
            M_(
                "{file}: the result column {target} holds {value}; it needs passes and fails",
                file=str(table.name),
                target=repr(target),
                value=str(shown or "nothing"),
            )
        )
    known = gb.PASS_WORDS | gb.FAIL_WORDS
    unknown = next((v for v in values if gb.normalise(v) not in known), values[-1])
    row = table.line(int(np.flatnonzero((table.frame[target] == unknown).to_numpy())[0]))
    raise IntakeError(
        M_(
            "{file}: the result column {target} must say pass or fail, or hold scores; it holds {shown} (row {row}: {unknown}); choose another result column (CLI: --target COL)",
            file=str(table.name),
            target=repr(target),
            shown=str(shown),
            row=str(row),
            unknown=repr(unknown[:20]),
        )
    )


def guess_features(table: Table, target: str) -> list[str]:
    """Numeric columns that look like grades: not the result, not a name or id, not a
    timestamp, and not an aggregate that already contains the result (course total …)."""
    out = []
    for column in table.numeric_columns():
        if column == target or column in table.identity:
            continue
        if gb.AGGREGATE_COLUMN.search(column) or gb.TIMESTAMP_COLUMN.search(column):
            continue
        values = score_values(table, column)
        finite = values[np.isfinite(values)]
        if len(finite) and finite.min() >= 0:
            out.append(column)
    return out


def lower_is_better_hint(table: Table, columns: list[str]) -> list[str]:
    """Columns on a 1–5 or 1–6 scale, where a lower grade may be the better one (Germany)."""
    return [c for c in columns if not table.read[c].letters and table.read[c].scale[0] == 1.0]


def _scale(column: Column, top: float | None) -> tuple[float, float]:
    """A column's scale with the teacher's own top (``out of``), where given."""
    low, high = column.scale
    return (low, float(top)) if top is not None else (low, high)


def grade_values(table: Table, column: str, flipped: bool = False, top: float | None = None) -> pd.Series:
    """A grade column in its scale's units, turned round (``low + high − grade``) when lower is better."""
    return _as_grades(table.read[column].values, table.read[column], flipped, _scale(table.read[column], top))


def _as_grades(values: pd.Series, trained: Column, flipped: bool, scale: tuple[float, float]) -> pd.Series:
    """Cells read as numbers, put in the units of the column the network learned from:
    fractions as %, turned round on its scale when lower is better."""
    values = values * 100 if trained.fraction else values
    if flipped:
        low, high = scale
        values = low + high - values
    return values


def build(
    table: Table,
    rule: PassRule | None = None,
    features: list[str] | None = None,
    flip: tuple[str, ...] | list[str] = (),
    scale_tops: dict[str, float] | None = None,
) -> Intake:
    """The result as the teacher defined it, the grade columns (on the file's scales, or out
    of the teacher's ``scale_tops``), the rows kept; grades scaled.  Six steps: the columns
    chosen and checked, the grades read, the rows kept (the others counted by reason), both
    outcomes present, the notes for the teacher, the dataset."""
    rule = rule or guess_rule(table)
    chosen, flipped, tops = _chosen_columns(table, rule, features, flip, scale_tops)
    labels = passed(table, rule)
    grades = pd.DataFrame({c: grade_values(table, c, c in flipped, tops.get(c)) for c in chosen})
    _refuse_beyond_grades(table, chosen, grades.to_numpy(dtype=np.float64))
    keep, dropped = _rows_kept(table, labels, chosen, rule.column)
    y = labels[keep]
    _require_both_outcomes(table.name, rule, y)
    notes = _notes(table, chosen, flipped, tops, labels.isna())
    dataset, names = _dataset(table, grades, keep, y, rule.column, chosen)
    rows_read = len(table.frame) + len(table.not_students) + table.blank_lines
    return Intake(dataset, table, rule, tuple(chosen), rows_read, dropped, flipped, tuple(notes), names, tops)


def _chosen_columns(
    table: Table,
    rule: PassRule,
    features: list[str] | None,
    flip: tuple[str, ...] | list[str],
    scale_tops: dict[str, float] | None,
) -> tuple[list[str], tuple[str, ...], dict[str, float]]:
    """The grade columns (the teacher's, or the guess), which run the other way, and the
    teacher's own tops of scale, each checked against the file."""
    name, target = table.name, rule.column
    if target not in table.columns:
        raise no_column(name, target, table.columns)
    chosen_none = features is not None and not list(features)  # the teacher unticked every grade
    features = list(features) if features is not None else guess_features(table, target)
    for column in [*features, *flip, *(scale_tops or {})]:
        if column not in table.columns:
            raise no_column(name, column, table.columns)
    for column in features:
        read = table.read[column]
        if not read.numeric:
            bad = table.frame[column][read.unreadable]
            row = table.line(int(bad.index[0])) if len(bad) else table.line(0)
            shown = bad.iloc[0][:30] if len(bad) else ""
            raise IntakeError(
                M_(
                    "{file}: column {column} is not a grade (row {row} holds {shown}); leave it out of the grade columns",
                    file=str(name),
                    column=repr(column),
                    row=str(row),
                    shown=repr(shown),
                )
            )
    features = [c for c in features if c != target]
    if chosen_none:
        raise IntakeError(
            M_(
                "{file}: no grade column is chosen; choose at least one (on the page: 'The grade columns')",
                file=str(name),
            )
        )
    if not features:
        raise IntakeError(
            M_("{file}: no numeric grade column besides the result {target}", file=str(name), target=repr(target))
        )
    if len(features) > MAX_GRADE_COLUMNS:
        raise IntakeError(
            M_(
                "{file}: {n_features} grade columns; this app uses at most {max_grade_columns}",
                file=str(name),
                n_features=str(len(features)),
                max_grade_columns=str(MAX_GRADE_COLUMNS),
            )
        )
    twice = next((c for c in features if features.count(c) > 1), None)
    if twice is not None:
        raise IntakeError(
            M_(
                "{file}: the grade column {twice} is chosen twice; give each column once",
                file=str(name),
                twice=repr(twice),
            )
        )
    if rule.mark is not None and not np.isfinite(rule.mark):
        raise IntakeError(
            M_(
                "{file}: the pass mark {mark} is not a number; give a mark such as 50",
                file=str(name),
                mark=repr(rule.mark),
            )
        )
    flip = tuple(c for c in flip if c in features)
    tops = {c: float(top) for c, top in (scale_tops or {}).items() if c in features}
    for column, top in tops.items():
        if not np.isfinite(top) or top <= table.read[column].scale[0]:
            raise IntakeError(
                M_(
                    "{file}: column {column} cannot be out of {top}; give a top above its lowest grade",
                    file=str(name),
                    column=repr(column),
                    top=float(top),
                )
            )

    return features, flip, tops


def _rows_kept(table: Table, labels: pd.Series, features: list[str], target: str) -> tuple[pd.Series, dict[str, int]]:
    """Which rows have a result and every grade, and the others counted by reason."""
    name = table.name
    dropped: dict[str, int] = {}
    if table.not_students:
        dropped[M_("not students: {items}", items=str(", ".join(repr(s[:30]) for s in table.not_students)))] = len(
            table.not_students
        )
    if table.blank_lines:
        dropped[M_("blank lines")] = table.blank_lines
    no_result = labels.isna()
    if no_result.any():
        dropped[M_("no result in {target}", target=repr(target))] = int(no_result.sum())
    missing = pd.concat([table.read[c].missing for c in features], axis=1).any(axis=1) & ~no_result
    if missing.any():
        dropped[M_("a grade missing (empty, -, ABS, EX, n/a …)")] = int(missing.sum())
    unreadable = pd.concat([table.read[c].unreadable for c in features], axis=1)
    not_number = unreadable.any(axis=1) & ~no_result & ~missing
    if not_number.any():
        r = int(np.flatnonzero(not_number.to_numpy())[0])
        c = features[int(np.flatnonzero(unreadable.iloc[r].to_numpy())[0])]
        example = f"row {table.line(r)}, {c!r}: {table.frame[c].iloc[r][:20]!r}"
        dropped[M_("a grade that is not a number ({example})", example=str(example))] = int(not_number.sum())
    keep = ~(no_result | missing | not_number)
    if keep.sum() == 0:
        raise IntakeError(
            M_("{file}: no row has a result and all of its grades; check the grade columns", file=str(name))
        )
    return keep, dropped


def _require_both_outcomes(name: str, rule: PassRule, y: pd.Series) -> None:
    """The kept rows must hold passes and fails: a network cannot learn from one side."""
    if y.nunique() < 2:
        raise IntakeError(_every_student(bool(y.iloc[0] == 1), str(name), rule.mark is not None))


def _every_student(passed: bool, name: str, by_mark: bool = False) -> Msg:
    """One whole sentence per case: "passed" pasted into a sentence reads wrong in Spanish ("aprobó")."""
    if by_mark and passed:
        return M_(
            "{file}: every student passed (change the pass mark); the network needs both passes and fails to "
            "learn from",
            file=name,
        )
    if by_mark:
        return M_(
            "{file}: every student failed (change the pass mark); the network needs both passes and fails to "
            "learn from",
            file=name,
        )
    if passed:
        return M_("{file}: every student passed; the network needs both passes and fails to learn from", file=name)
    return M_("{file}: every student failed; the network needs both passes and fails to learn from", file=name)


def _notes(
    table: Table, features: list[str], flip: tuple[str, ...], tops: dict[str, float], no_result: pd.Series
) -> list[str]:
    """One-line remarks for the teacher: fallback encodings, large missing shares, grades over
    their top, letter grades, a scale where 1 may be the best grade."""
    notes: list[str] = []
    if table.windows_1252_lines:
        shown = ", ".join(map(str, table.windows_1252_lines[:5])) + (" …" if len(table.windows_1252_lines) > 5 else "")
        if len(table.windows_1252_lines) > 1:
            notes.append(
                M_(
                    "The file is UTF-8 except lines {shown}, read as Windows-1252: check the accented letters there.",
                    shown=str(shown),
                )
            )
        else:
            notes.append(
                M_(
                    "The file is UTF-8 except line {shown}, read as Windows-1252: check the accented letters there.",
                    shown=str(shown),
                )
            )
    for c in features:
        share = float(table.read[c].missing[~no_result].mean())
        if share > LARGE_MISSING_SHARE:
            notes.append(
                M_(
                    "{column} is missing for {share} of the students; leaving it out keeps more of them.",
                    column=repr(c),
                    share=format(share, ".0%"),
                )
            )
    for c in features:
        high = _scale(table.read[c], tops.get(c))[1]
        top = float(np.nanmax(score_values(table, c))) if table.read[c].values.notna().any() else high
        if top > high:
            notes.append(
                M_(
                    "{column} has grades above its top of {high} (the highest is {top}): extra credit, or a wrong "
                    "top; the scale is set in the table of grade columns.",
                    column=repr(c),
                    high=float(high),
                    top=float(top),
                )
            )
    letters = [c for c in features if table.read[c].letters]
    if letters:
        columns = ", ".join(map(repr, letters))
        if len(letters) == 1:
            notes.append(M_("{columns} holds letter grades, read as grade points (A = 4.0 … F = 0).", columns=columns))
        else:
            notes.append(M_("{columns} hold letter grades, read as grade points (A = 4.0 … F = 0).", columns=columns))
    on_low_scale = [c for c in lower_is_better_hint(table, features) if c not in flip]
    if on_low_scale:
        notes.append(
            M_(
                "{items} looks like a 1–{scale} scale; where 1 is the best grade (Germany), mark it as 'lower is better' (CLI: --flip).",
                items=str(", ".join(map(repr, on_low_scale))),
                scale=float(table.read[on_low_scale[0]].scale[1]),
            )
        )

    return notes


def _dataset(
    table: Table, grades: pd.DataFrame, keep: pd.Series, y: pd.Series, target: str, features: list[str]
) -> tuple[Dataset, tuple[str, ...]]:
    """The kept rows scaled for training, labelled by pseudonym; and each row's real name."""
    name = table.name
    pseudonyms = np.array(table.pseudonyms(), dtype=object)[keep.to_numpy()]
    names = tuple(np.array(table.names(), dtype=object)[keep.to_numpy()])
    frame = grades[keep].assign(**{target: y.to_numpy()}).reset_index(drop=True)
    frame["__label__"] = pseudonyms
    try:
        dataset = from_frame(frame, target, features, name, "__label__")
    except ValueError as exc:
        raise IntakeError(M_("{file}: {exc}", file=str(name), exc=str(exc))) from None
    return dataset, names


def load_csv(
    path: str | Path,
    target: str | None = None,
    features: list[str] | None = None,
    pass_mark: float | None = None,
    pass_value: str | None = None,
    flip: tuple[str, ...] | list[str] = (),
    scale_tops: dict[str, float] | None = None,
) -> Intake:
    """Read and build in one step, with the CLI's choices (``--pass-mark`` / ``--pass-value`` / ``--out-of``)."""
    table = load_table(path)
    target = target or guess_target(table)
    lower = target in flip
    if pass_mark is not None and pass_value is not None:
        raise IntakeError(M_("{file}: give either a pass mark or a pass value, not both", file=str(table.name)))
    if pass_mark is not None:
        rule = PassRule(target, mark=float(pass_mark), lower_is_better=lower)
    elif pass_value is not None:
        rule = PassRule(target, value=pass_value)
    else:
        rule = guess_rule(table, target, lower)
    return build(table, rule, features, flip, scale_tops)


def prediction_grades(intake: Intake, table: Table) -> tuple[np.ndarray, np.ndarray]:
    """This year's students: the training file's grade columns, read the same way (fractions,
    letters, lower-is-better); returns (grades in the scale's units, which rows are complete)."""
    missing = [c for c in intake.features if c not in table.columns]
    if missing:
        raise IntakeError(
            M_(
                "{file}: no column {missing}; it needs the grade columns {items}",
                file=str(table.name),
                missing=repr(missing[0]),
                items=str(", ".join(intake.features)),
            )
        )
    columns = []
    for c in intake.features:
        trained = intake.table.read[c]
        values = by_unique(table.frame[c], gb.letter_points).astype(float) if trained.letters else table.read[c].values
        columns.append(_as_grades(values, trained, c in intake.flipped, intake.scales()[c]).to_numpy(dtype=np.float64))
    values = np.column_stack(columns)
    _refuse_beyond_grades(table, list(intake.features), values)
    return values, ~np.isnan(values).any(axis=1)


def _refuse_beyond_grades(table: Table, features: list[str], values: np.ndarray) -> None:
    """One line naming the first cell that is infinite or far beyond any scale (``1e301``)."""
    beyond = np.abs(np.nan_to_num(values, nan=0.0)) > MAX_GRADE
    if beyond.any():
        r, c = np.argwhere(beyond)[0]
        cell = table.frame[features[c]].iloc[r]
        what = (
            M_("is not a finite number")
            if np.isinf(values[r, c])
            else M_("is beyond any grade's scale (over {limit})", limit=f"{MAX_GRADE:,.0f}")
        )
        raise IntakeError(
            M_(
                "{file}: column {features}, row {line}: {cell} {what}",
                file=str(table.name),
                features=repr(features[c]),
                line=str(table.line(r)),
                cell=repr(cell[:30]),
                what=what,
            )
        )
