"""Reading a class's grades from a CSV: the one door for files, from a page or the CLI.

Files come from Excel, Google Sheets and school systems, so this accepts ``,`` ``;`` and
tab delimiters, UTF-8 with or without BOM and Windows-1252/Latin-1, decimal commas, ``%``
signs, grades on 0–100 or 0–1, quoted fields, name and comment columns, and results
written 1/0, pass/fail, yes/no, true/false or P/F.  Anything that cannot work is refused
with one line naming the file, and the column or row.  pandas does the parsing; this
module adds what pandas does not: telling binary files apart, counting fields per row,
and reading grades and results the way people write them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import Dataset, from_frame

MAX_BYTES = 2 * 1024 * 1024  # matches server.maxUploadSize in .streamlit/config.toml
MAX_ROWS = 50_000
MAX_GRADE_COLUMNS = 20
MAX_COLUMNS = 200

PASS_WORDS = {"1", "1.0", "pass", "passed", "yes", "y", "true", "p", "ok"}
FAIL_WORDS = {"0", "0.0", "fail", "failed", "no", "n", "false", "f"}
TARGET_NAMES = ("passed", "pass", "result", "outcome", "final", "final_exam", "passed_final", "target", "label", "y")
ID_WORDS = re.compile(
    r"(^|[\s_\-])(id|name|names|student|pupil|number|no|nr|email|comment|comments|note|notes)($|[\s_\-])", re.I
)
BINARY_MAGIC = {
    b"PK\x03\x04": "a zip file or an .xlsx spreadsheet",
    b"\xd0\xcf\x11\xe0": "an old .xls spreadsheet",
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG picture",
    b"\xff\xd8\xff": "a JPEG picture",
}


class IntakeError(ValueError):
    """A file that cannot be used; the message is one line naming file, column or row."""


@dataclass(frozen=True)
class Table:
    """A file read as text cells, before any column is chosen."""

    name: str
    frame: pd.DataFrame  # every cell a stripped string
    numbers: dict[str, pd.Series]  # column -> its cells read as numbers (NaN where not)
    fractions: tuple[str, ...]  # grade columns written on 0–1, read as % (× 100)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def numeric_columns(self) -> list[str]:
        """Columns whose filled cells are mostly numbers (the rest, like "n/a", count as missing)."""
        out = []
        for column, values in self.numbers.items():
            filled = self.frame[column] != ""
            if filled.sum() and values[filled].notna().mean() > 0.5:
                out.append(column)
        return out


@dataclass(frozen=True)
class Intake:
    """A dataset ready to train, and what happened on the way in."""

    dataset: Dataset
    table: Table
    target: str
    features: tuple[str, ...]
    rows_read: int
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows

    @property
    def rows_used(self) -> int:
        return len(self.dataset.y)

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise IntakeError(f"{name}: the file is empty")
    for magic, kind in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise IntakeError(f"{name}: this is {kind}, not a CSV text file; save it as CSV first")
    if b"\x00" in data[:8192]:
        raise IntakeError(f"{name}: this is not a text file (it holds binary data); save it as CSV first")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IntakeError(f"{name}: cannot read the text")  # latin-1 decodes anything; kept for clarity


def _dialect(text: str) -> csv.Dialect:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:

        class Plain(csv.excel):  # one column, or nothing to sniff: plain commas
            pass

        return Plain


def _check_field_counts(text: str, dialect, name: str) -> None:
    """pandas quietly pads short rows; a ragged file is refused here, naming the row."""
    rows = csv.reader(io.StringIO(text), dialect)
    width = None
    for line, row in enumerate(rows, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if width is None:
            width = len(row)
            if width > MAX_COLUMNS:
                raise IntakeError(f"{name}: {width} columns is more than the {MAX_COLUMNS} this app reads")
        elif len(row) != width:
            raise IntakeError(f"{name}: row {line} has {len(row)} fields but the header has {width}")


def _to_number(cells: pd.Series) -> pd.Series:
    """Grades as people write them: ``72``, ``72.5``, ``72,5`` (decimal comma), ``72 %``."""
    cleaned = cells.str.replace("%", "", regex=False).str.replace("\u00a0", "", regex=False).str.strip()
    comma_decimal = cleaned.str.fullmatch(r"[-+]?\d+,\d+")
    cleaned = cleaned.where(~comma_decimal, cleaned.str.replace(",", ".", regex=False))
    return pd.to_numeric(cleaned, errors="coerce")


def read_table(data: bytes, name: str) -> Table:
    """Parse a CSV's bytes into text cells and their numeric readings."""
    if len(data) > MAX_BYTES:
        raise IntakeError(f"{name}: the file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    text = _decode(data, name)
    dialect = _dialect(text)
    _check_field_counts(text, dialect, name)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=dialect.delimiter,
            quotechar=dialect.quotechar or '"',
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            nrows=MAX_ROWS + 1,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise IntakeError(f"{name}: cannot read it as CSV ({str(exc).strip().splitlines()[0]})") from None
    if frame.shape[1] == 0:
        raise IntakeError(f"{name}: the file has no columns")
    if len(frame) == 0:
        raise IntakeError(f"{name}: the file has a header but no rows")
    if len(frame) > MAX_ROWS:
        raise IntakeError(f"{name}: more than {MAX_ROWS:,} rows; this app reads at most {MAX_ROWS:,}")
    frame.columns = [str(c).strip() or f"column {i + 1}" for i, c in enumerate(frame.columns)]
    if len(set(frame.columns)) != len(frame.columns):
        dup = next(c for c in frame.columns if list(frame.columns).count(c) > 1)
        raise IntakeError(f"{name}: two columns are called {dup!r}")
    frame = frame.apply(lambda s: s.str.strip())
    numbers = {c: _to_number(frame[c]) for c in frame.columns}
    fractions = []
    for c, values in numbers.items():
        finite = values[np.isfinite(values)]
        if len(finite) and finite.min() >= 0 and finite.max() <= 1 and not _is_label_column(frame[c]):
            fractions.append(c)
    return Table(name, frame, numbers, tuple(fractions))


def _label(cell: str) -> float:
    word = cell.strip().lower()
    if word in PASS_WORDS:
        return 1.0
    if word in FAIL_WORDS:
        return 0.0
    return np.nan


def _is_label_column(cells: pd.Series) -> bool:
    filled = cells[cells != ""]
    return len(filled) > 0 and filled.map(_label).notna().all()


def guess_target(table: Table) -> str:
    lowered = {c.lower().replace(" ", "_"): c for c in table.columns}
    for name in TARGET_NAMES:
        if name in lowered and _is_label_column(table.frame[lowered[name]]):
            return lowered[name]
    labels = [c for c in table.columns if _is_label_column(table.frame[c]) and table.frame[c].nunique() == 2]
    return labels[-1] if labels else table.columns[-1]


def guess_features(table: Table, target: str) -> list[str]:
    """Numeric columns that look like grades: not the result, not an ID, within 0–100."""
    out = []
    for column in table.numeric_columns():
        if column == target or ID_WORDS.search(column):
            continue
        values = grade_values(table, column)
        finite = values[np.isfinite(values)]
        if len(finite) and finite.min() >= 0 and finite.max() <= 100:
            out.append(column)
    return out


def grade_values(table: Table, column: str) -> pd.Series:
    """A grade column in %, fractions (0–1) turned into % so every grade reads alike."""
    values = table.numbers[column]
    return values * 100 if column in table.fractions else values


def build(table: Table, target: str | None = None, features: list[str] | None = None) -> Intake:
    """Choose the result and grade columns, drop incomplete rows (counted), scale the grades."""
    name = table.name
    target = target or guess_target(table)
    if target not in table.columns:
        raise IntakeError(f"{name}: no column {target!r} (columns: {', '.join(table.columns)})")
    features = list(features) if features is not None else guess_features(table, target)
    numeric = table.numeric_columns()
    for column in features:
        if column not in table.columns:
            raise IntakeError(f"{name}: no column {column!r} (columns: {', '.join(table.columns)})")
        if column not in numeric:
            bad = table.frame[column][table.numbers[column].isna() & (table.frame[column] != "")]
            row = int(bad.index[0]) + 2 if len(bad) else 2
            raise IntakeError(f"{name}: column {column!r} is not a grade (row {row} holds {bad.iloc[0][:30]!r})")
    features = [c for c in features if c != target]
    if not features:
        raise IntakeError(f"{name}: no numeric grade column besides the result {target!r}")
    if len(features) > MAX_GRADE_COLUMNS:
        raise IntakeError(f"{name}: {len(features)} grade columns; this app uses at most {MAX_GRADE_COLUMNS}")

    cells = table.frame[target]
    labels = cells.map(_label)
    unknown = sorted(set(cells[(cells != "") & labels.isna()]))
    if unknown:
        values = sorted(set(cells[cells != ""]))
        shown = ", ".join(repr(v[:20]) for v in values[:6])
        row = int(cells[cells == unknown[0]].index[0]) + 2
        raise IntakeError(
            f"{name}: the result column {target!r} must say pass or fail (1/0, yes/no, true/false, P/F); "
            f"it holds {shown}{' …' if len(values) > 6 else ''} (row {row}: {unknown[0][:20]!r})"
        )
    grades = pd.DataFrame({c: grade_values(table, c) for c in features})
    infinite = ~np.isfinite(grades.fillna(0.0))
    if infinite.to_numpy().any():
        r, c = np.argwhere(infinite.to_numpy())[0]
        raise IntakeError(
            f"{name}: column {features[c]!r}, row {r + 2}: {table.frame[features[c]].iloc[r]!r} is not a finite number"
        )

    dropped: dict[str, int] = {}
    missing_result = labels.isna()
    if missing_result.any():
        dropped[f"no result in {target!r}"] = int(missing_result.sum())
    missing_grade = grades.isna().any(axis=1) & ~missing_result
    if missing_grade.any():
        dropped["a grade missing or not a number"] = int(missing_grade.sum())
    keep = ~(missing_result | missing_grade)
    if keep.sum() == 0:
        raise IntakeError(f"{name}: no row has a result and all of its grades")
    y = labels[keep]
    if y.nunique() < 2:
        only = "passed" if y.iloc[0] == 1 else "failed"
        raise IntakeError(f"{name}: every student {only}; the network needs both passes and fails to learn from")
    frame = grades[keep].assign(**{target: y}).reset_index(drop=True)
    labels_column = next((c for c in table.columns if ID_WORDS.search(c) and c not in features and c != target), None)
    label_values = table.frame[labels_column][keep].reset_index(drop=True) if labels_column else None
    if label_values is not None:
        frame["__label__"] = label_values
    try:
        dataset = from_frame(frame, target, features, name, "__label__" if labels_column else None)
    except ValueError as exc:
        raise IntakeError(f"{name}: {exc}") from None
    return Intake(dataset, table, target, tuple(features), len(table.frame), dropped)


def load_csv(path: str | Path, target: str | None = None, features: list[str] | None = None) -> Intake:
    """Read a CSV file from disk (the CLI's door); the same checks as an upload."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IntakeError(f"{path}: cannot open it ({exc.strerror or exc})") from None
    return build(read_table(data, str(path)), target, features)


def prediction_grades(table: Table, features: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """This year's students: the same grade columns, read the same way; returns (grades in %,
    which rows are complete)."""
    missing = [c for c in features if c not in table.columns]
    if missing:
        raise IntakeError(f"{table.name}: no column {missing[0]!r}; it needs the grade columns {', '.join(features)}")
    grades = pd.DataFrame({c: grade_values(table, c) for c in features})
    values = grades.to_numpy(dtype=np.float64)
    if np.isinf(values).any():
        r, c = np.argwhere(np.isinf(values))[0]
        raise IntakeError(f"{table.name}: column {features[c]!r}, row {r + 2} is not a finite number")
    return values, ~np.isnan(values).any(axis=1)
