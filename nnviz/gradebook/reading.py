"""Reading a teacher's file: bytes → the rows that are students, every column also read as grades.

The first half of the one door for files (``intake`` is the second: what passed means, and
the dataset).  Teachers bring exports, not tidy tables: Canvas's ``Points Possible`` row and
test student, Moodle's ``-`` for a missing grade, Excel in other locales (``sep=;``, decimal
commas, Windows-1252, UTF-16), letter grades and a ``Class average`` row at the bottom.
``read_table`` decodes, finds the delimiter, reads the rows within the caps, tells the
students from the summary rows, and reads each column as grades (``Column``).  Anything that
cannot be read is refused with one line naming the file, the column or the row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from nnviz.gradebook import vocabulary as gb
from nnviz.i18n import M_, Language, said

MAX_BYTES = 2 * 1024 * 1024  # matches server.maxUploadSize in .streamlit/config.toml

MAX_ROWS = 50_000

MAX_GRADE_COLUMNS = 20

MAX_COLUMNS = 200

MAX_SUMMARY_ROWS = 10  # rows labelled like a summary (Class average, Max …) that are weighed

MAX_LINE_CHARS = 16_384  # 200 columns of 80 characters: no gradebook's row is longer

MAX_GRADE = 1e9  # no scale goes this high; beyond it the class's spread overflows a float

BINARY_MAGIC = {
    b"PK\x03\x04": "a zip file or an .xlsx spreadsheet",
    b"\xd0\xcf\x11\xe0": "an old .xls spreadsheet",
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG picture",
    b"\xff\xd8\xff": "a JPEG picture",
}

_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*$', re.I)


class IntakeError(ValueError):
    """A file that cannot be used; the message is one line naming file, column or row.  It is a
    ``Msg``: ``str()`` is the English line (the CLI's), ``said(problem, lang)`` a reader's."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def render(self, lang: Language) -> str:
        return said(self.message, lang)


@dataclass(frozen=True)
class Column:
    """One column's cells read as grades.

    ``values`` is NaN where a cell is missing (empty, ``-``, ``ABS``, ``n/a`` …) or not a
    grade; ``letters`` says the grades were letters read as points (``LETTER_POINTS``);
    ``fraction`` that they were written on 0–1 and are read as % (× 100); ``stated_max``
    is the top of the scale where the file says it (``stated_by``: a points row, the header).
    """

    name: str
    values: pd.Series
    missing: pd.Series  # bool: empty or a missing-grade marker
    letters: bool = False
    fraction: bool = False
    stated_max: float | None = None
    stated_by: str = ""
    decimal_comma: bool = False  # written ``72,5``: the file's own convention for numbers

    @cached_property
    def numeric(self) -> bool:
        """Mostly grades: more than half of the filled cells read as numbers (or letters)."""
        filled = ~self.missing
        return bool(filled.any()) and float(self.values[filled].notna().mean()) > 0.5

    @property
    def unreadable(self) -> pd.Series:
        """Filled cells that are not a grade (``"abc"`` in a grade column)."""
        return ~self.missing & self.values.isna()

    @cached_property
    def scale(self) -> tuple[float, float]:
        """The scale the grades are on: the file's stated maximum where it gives one (Canvas's
        Points Possible, ``Test (/50)``), else 0–100, 0–20, 1–6 … (the first that holds the top grade)."""
        if self.letters:
            return gb.LETTER_SCALE
        if self.fraction:
            return (0.0, 100.0)  # read as %
        if self.stated_max is not None:
            return (0.0, self.stated_max)
        finite = self.values[np.isfinite(self.values)]
        if not len(finite):
            return (0.0, 100.0)
        top = float(finite.max())
        high = next((t for t in gb.SCALE_TOPS if top <= t), float(np.ceil(top)))
        low = 1.0 if high in gb.LOWER_IS_BETTER_TOPS and float(finite.min()) >= 1 else 0.0
        return (low, high)

    @property
    def scale_source(self) -> str:
        """Where the scale came from, in a teacher's words."""
        if self.letters:
            return M_("letter grades (grade points)")
        if self.fraction:
            return M_("written as fractions of 1, read as %")
        if self.stated_max is not None:
            return M_("stated in the file ({where})", where=self.stated_by)
        return M_("guessed from the highest grade")


@dataclass(frozen=True)
class Table:
    """A file read as text cells: the student rows, and what was left out before any choice."""

    name: str
    frame: pd.DataFrame  # student rows; every cell a stripped string
    lines: tuple[int, ...]  # the file line of each row, for messages
    read: dict[str, Column]  # every column read as grades
    not_students: tuple[str, ...] = ()  # what the rows that are not students were called
    blank_lines: int = 0
    windows_1252_lines: tuple[int, ...] = ()  # file lines read as Windows-1252 in a UTF-8 file

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    @property
    def decimal_comma(self) -> bool:
        """The file writes decimals with a comma (``72,5``): its pages say numbers the same way."""
        return any(column.decimal_comma for column in self.read.values())

    def numeric_columns(self) -> list[str]:
        return [c for c, column in self.read.items() if column.numeric]

    @property
    def fractions(self) -> tuple[str, ...]:
        return tuple(c for c, column in self.read.items() if column.fraction)

    @cached_property
    def identity(self) -> tuple[str, ...]:
        """Columns that name or identify a student: hidden in front of a class."""
        return tuple(c for c in self.columns if _is_identity(self, c))

    def line(self, row: int) -> int:
        return self.lines[row]

    def names(self) -> tuple[str, ...]:
        """A readable name for each row (``First Last``, else the first identity column)."""
        identity = self.identity
        if not identity:
            return tuple(f"row {line}" for line in self.lines)
        first = next((c for c in identity if re.search(r"first|given|vorname|prenom|prénom|voornaam", c, re.I)), None)
        last = next((c for c in identity if re.search(r"last|surname|family|nachname|achternaam", c, re.I)), None)
        if first and last:
            return tuple(f"{a} {b}".strip() for a, b in zip(self.frame[first], self.frame[last]))
        named = next((c for c in identity if re.search(r"name|student|nom|naam|nombre|alumno", c, re.I)), identity[0])
        return tuple(self.frame[named])

    def pseudonyms(self) -> tuple[str, ...]:
        """``Student 1 … n`` in file order: what a projected page shows instead of names."""
        return tuple(f"Student {i + 1}" for i in range(len(self.frame)))


def _is_identity(table: Table, column: str) -> bool:
    if gb.is_identity_name(column):
        return True
    # A text column with a different value in most rows (names under any heading) counts too.
    cells = table.frame[column]
    filled = cells[cells != ""]
    text = not table.read[column].numeric and len(filled) > 2
    return text and filled.nunique() > 0.8 * len(filled) and not gb.TIMESTAMP_COLUMN.search(column)


def _decode(data: bytes, name: str) -> tuple[str, tuple[int, ...]]:
    """The file's text, and the lines (1-based) that had to be read as Windows-1252 in a file
    that is otherwise UTF-8 (one name pasted in from another program)."""
    if not data.strip():
        raise IntakeError(M_("{file}: the file is empty", file=str(name)))
    for magic, kind in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise IntakeError(
                M_("{file}: this is {kind}, not a CSV text file; save it as CSV first", file=str(name), kind=str(kind))
            )
    utf16 = _utf16(data)
    if utf16:  # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated
        try:
            return data.decode(utf16), ()
        except UnicodeDecodeError:
            raise IntakeError(
                M_("{file}: the file says it is UTF-16 but cannot be read as UTF-16", file=str(name))
            ) from None
    if b"\x00" in data[:8192]:
        raise IntakeError(
            M_("{file}: this is not a text file (it holds binary data); save it as CSV first", file=str(name))
        )
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    if not any(_is_utf8_text(line) for line in lines):  # a Windows-1252 file through and through
        return _windows_1252(data), ()
    # Mostly UTF-8 with a few lines from elsewhere: decoding the whole file as Windows-1252 would
    # garble every accented name (ZoÃ« MÃ¼ller), so only the lines that are not UTF-8 are.
    text, fallback = [], []
    for number, line in enumerate(lines, start=1):
        try:
            text.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            text.append(_windows_1252(line))
            fallback.append(number)
    return "".join(text), tuple(fallback)


def _utf16(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:200]
    if len(head) >= 8 and head[1::2].count(0) == len(head) // 2:  # no BOM, but ASCII as UTF-16-LE
        return "utf-16-le"
    return None


def _is_utf8_text(line: bytes) -> bool:
    """A line with letters beyond ASCII that is valid UTF-8: the file's own encoding shows."""
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _windows_1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # five bytes cp1252 leaves undefined; latin-1 decodes anything
        return data.decode("latin-1")


SNIFF_LINES = 20  # lines looked at to choose the delimiter …

SNIFF_LINE_CHARS = 4096  # … each cut to this many characters: the choice costs microseconds, whatever the file


def _fields(line: str, delimiter: str) -> int:
    """How many fields ``line`` has for ``delimiter``, counting only delimiters outside quotes."""
    count, quoted = 1, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _dialect(text: str, delimiter: str | None) -> type[csv.Dialect]:
    """Excel's dialect with the file's delimiter: the one of ``,`` ``;`` tab that splits the
    first lines into the same number of fields as the header most often (more fields on a tie).

    Counted by hand, in linear time over a bounded sample: ``csv.Sniffer``'s regular expressions
    ran for minutes on one long line with an unclosed quote, holding the interpreter lock
    (every visitor of the server waited)."""

    class Dialect(csv.excel):
        pass

    if delimiter is None:
        lines = [line[:SNIFF_LINE_CHARS] for line in text.splitlines()[: SNIFF_LINES * 4] if line.strip()][:SNIFF_LINES]
        best = (0, 0)
        for candidate in (",", ";", "\t"):
            counts = [_fields(line, candidate) for line in lines]
            if not counts or counts[0] < 2:
                continue
            score = (sum(c == counts[0] for c in counts), counts[0])
            if score > best:
                best, delimiter = score, candidate
    Dialect.delimiter = delimiter or ","
    return Dialect


def _rows(text: str, name: str) -> tuple[list[str], list[list[str]], list[int], int]:
    """Header, data rows (stripped cells), their file lines, and how many lines were blank.

    Excel's ``sep=;`` first line sets the delimiter.  Trailing columns with no header and no
    content (a spreadsheet's stray empty cells) are dropped; a row with more filled fields
    than the header, or fewer fields, is refused, naming the row.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Excel for Mac's "CSV (Macintosh)" ends lines with CR
    lines = text.splitlines()
    longest = max(range(len(lines)), key=lambda i: len(lines[i]), default=0)
    if lines and len(lines[longest]) > MAX_LINE_CHARS:  # csv parses a row in one go, holding the interpreter lock
        raise IntakeError(
            M_(
                "{file}: line {line} is {n_lines} characters long; a row of a gradebook has at most {max_line_chars}",
                file=str(name),
                line=str(longest + 1),
                n_lines=format(len(lines[longest]), ","),
                max_line_chars=format(MAX_LINE_CHARS, ","),
            )
        )
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    sep = _SEP_LINE.match(lines[first]) if lines else None
    if sep:
        text = "\n".join(lines[first + 1 :])
    reader = csv.reader(io.StringIO(text), _dialect(text, sep.group(1) if sep else None))
    offset = first + 1 if sep else 0
    header: list[str] | None = None
    rows, row_lines, blank = [], [], 0
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if not any(cells):
                blank += header is not None
                continue
            if header is None:
                header = cells
                if len(header) > MAX_COLUMNS:
                    raise IntakeError(
                        M_(
                            "{file}: {n_header} columns is more than the {max_columns} this app reads",
                            file=str(name),
                            n_header=str(len(header)),
                            max_columns=str(MAX_COLUMNS),
                        )
                    )
                continue
            if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
                raise IntakeError(
                    M_(
                        "{file}: row {row} has {n_cells} fields; this app reads at most {max_columns}",
                        file=str(name),
                        row=str(reader.line_num + offset),
                        n_cells=format(len(cells), ","),
                        max_columns=str(MAX_COLUMNS),
                    )
                )
            rows.append(cells)
            row_lines.append(reader.line_num + offset)
            if len(rows) > MAX_ROWS:
                raise IntakeError(
                    M_(
                        "{file}: more than {max_rows} rows; this app reads at most {max_rows2}",
                        file=str(name),
                        max_rows=format(MAX_ROWS, ","),
                        max_rows2=format(MAX_ROWS, ","),
                    )
                )
    except csv.Error as problem:  # an unclosed quote swallowing the file, a field over csv's limit
        raise IntakeError(
            M_(
                "{file}: row {row} cannot be read as CSV ({problem}); check its quotes",
                file=str(name),
                row=str(reader.line_num + offset),
                problem=str(problem),
            )
        ) from None
    if header is None:
        raise IntakeError(M_("{file}: the file is empty", file=str(name)))
    width = len(header)
    while width > 1 and not header[width - 1] and all(len(r) < width or not r[width - 1] for r in rows):
        width -= 1
    out = []
    for row, line in zip(rows, row_lines):
        if len(row) < width or any(row[width:]):
            raise IntakeError(
                M_(
                    "{file}: row {line} has {n_row} fields but the header has {width}",
                    file=str(name),
                    line=str(line),
                    n_row=str(len(row)),
                    width=str(width),
                )
            )
        out.append(row[:width])
    return header[:width], out, row_lines, blank


def _to_number(cells: pd.Series) -> pd.Series:
    """Grades as people write them: ``72``, ``72.5``, ``72,5`` (decimal comma), ``72 %``."""
    cleaned = cells.str.replace("%", "", regex=False).str.replace("\u00a0", "", regex=False).str.strip()
    comma_decimal = cleaned.str.fullmatch(r"[-+]?\d+,\d+")
    cleaned = cleaned.where(~comma_decimal, cleaned.str.replace(",", ".", regex=False))
    return pd.to_numeric(cleaned, errors="coerce")


def by_unique(cells: pd.Series, read) -> pd.Series:
    """``cells.map(read)``, calling ``read`` once per distinct cell (a class repeats itself)."""
    return cells.map({cell: read(cell) for cell in cells.unique()})


def read_column(name: str, cells: pd.Series, stated: tuple[float, str] | None = None) -> Column:
    """A column's cells as grades: numbers, or letters as points; markers are missing.
    ``stated`` is the scale's top where the file says it, and where (``_stated_maxima``)."""
    missing = by_unique(cells, lambda c: gb.normalise(c) in gb.MISSING_MARKERS).astype(bool)
    values = _to_number(cells).where(~missing)
    filled = ~missing
    letters = False
    if filled.any() and values[filled].isna().all():
        points = by_unique(cells[filled], gb.letter_points)
        if points.notna().all():
            values = values.copy()
            values[filled] = points.astype(float)
            letters = True
    finite = values[np.isfinite(values)]
    fraction = (
        not letters
        and len(finite) > 0
        and finite.min() >= 0
        and finite.max() <= 1
        and not finite.isin([0.0, 1.0]).all()  # 0/1 is a result, not fractions
        and (stated is None or stated[0] == 1)
    )
    top, by = stated if stated is not None and not letters else (None, "")
    comma = bool(cells.str.fullmatch(r"\s*[-+]?\d+,\d+\s*%?").any())
    return Column(name, values.astype(float), missing, letters, bool(fraction), top, by, comma)


def read_table(data: bytes, name: str) -> Table:
    """Parse a CSV's bytes into the student rows' text cells and their readings as grades."""
    if len(data) > MAX_BYTES:
        raise IntakeError(
            M_(
                "{file}: the file is {size} MB; the limit is {limit} MB",
                file=str(name),
                size=format(len(data) / 1e6, ".1f"),
                limit=format(MAX_BYTES / 1e6, ".0f"),
            )
        )
    text, fallback = _decode(data, name)
    header, rows, lines, blank = _rows(text, name)
    columns = [c or f"column {i + 1}" for i, c in enumerate(header)]
    if len(set(columns)) != len(columns):
        dup = next(c for c in columns if columns.count(c) > 1)
        raise IntakeError(M_("{file}: two columns are called {dup}", file=str(name), dup=repr(dup)))
    if not rows:
        raise IntakeError(M_("{file}: the file has a header but no rows", file=str(name)))
    frame = pd.DataFrame(rows, columns=columns, dtype=str)
    not_students = _not_students(frame, columns)
    keep = np.array([i not in not_students for i in range(len(frame))])
    students = frame[keep].reset_index(drop=True)
    if len(students) == 0:
        raise IntakeError(
            M_("{file}: no row is a student ({items})", file=str(name), items=str(", ".join(not_students.values())))
        )
    stated = _stated_maxima(frame, columns, not_students)
    read = {c: read_column(c, students[c], stated.get(c)) for c in columns}
    kept_lines = tuple(line for line, k in zip(lines, keep) if k)
    return Table(name, students, kept_lines, read, tuple(not_students.values()), blank, fallback)


def read_or_refusal(data: bytes, name: str) -> Table | IntakeError:
    """``read_table``, with a refusal returned instead of raised: a page caches a bad file's
    one-line answer like a good file's table, so a rerun never reads the same bytes again."""
    try:
        return read_table(data, name)
    except IntakeError as refusal:
        return refusal


def _stated_maxima(
    frame: pd.DataFrame, columns: list[str], not_students: dict[int, str]
) -> dict[str, tuple[float, str]]:
    """Each column's maximum where the file states it: a points row (Canvas's "Points
    Possible", a "Range" row), else its header (``Test (/50)``, ``Test [max 50]``)."""
    out: dict[str, tuple[float, str]] = {}
    for i, name in not_students.items():
        if not gb.STATED_MAX_ROW.match(gb.normalise(name).replace("  ", " ")):
            continue
        for column in columns:
            top = gb.stated_max_in_cell(frame.at[i, column])
            if top is not None and column not in out:
                out[column] = (top, M_("the {row} row", row=repr(name.strip())))
    for column in columns:
        top = gb.stated_max_in_header(column)
        if top is not None and column not in out:
            out[column] = (top, M_("its header"))
    return out


def _not_students(frame: pd.DataFrame, columns: list[str]) -> dict[int, str]:
    """Rows that are not students, by index: Canvas's points row (``(read only)`` cells), its
    test student, and summary rows.

    A summary row is known by what it is, not by its label alone: it is labelled ``Class
    average``, ``Max``, ``Total`` … *and* its grades are that aggregate of the students'
    (as rounded in the file).  A student called Max Müller, or just Max, stays a student."""
    named = [c for c in columns if gb.is_identity_name(c)] or columns[:1]
    out: dict[int, str] = {}
    summaries: dict[int, tuple[str, str]] = {}  # row -> (label, aggregate)
    for column in named:
        for i, cell in frame[column].items():
            name = gb.normalise(cell).replace("  ", " ") if cell else ""
            if not name or i in out or i in summaries:
                continue
            if gb.NOT_A_STUDENT.match(name) or gb.STATED_MAX_ROW.match(name):
                out[int(i)] = cell
            elif (aggregate := gb.summary_aggregate(name)) is not None:
                summaries[int(i)] = (cell, aggregate)
    read_only = frame.eq("(read only)").any(axis=1)
    for i in np.flatnonzero(read_only.to_numpy()):
        out.setdefault(int(i), next((frame.at[i, c] for c in named if frame.at[i, c]), "(read only)"))
    # Summary rows are checked against the other rows, which may hold further summaries (a
    # "Max" row lifts the mean) or students with such a name (Max, Min): each round compares a
    # row with the students both with and without the rows still in doubt.  A summary block is
    # a few rows; at most MAX_SUMMARY_ROWS are weighed, so a crafted file cannot make it slow.
    grades = [c for c in columns if c not in named]
    if not summaries or not grades:
        return dict(sorted(out.items()))
    numbers = np.column_stack([_to_number(frame[c]).to_numpy(dtype=np.float64) for c in grades])
    doubtful = dict(list(summaries.items())[:MAX_SUMMARY_ROWS])
    while doubtful:
        found = {}
        for i, (label, aggregate) in doubtful.items():
            for left_out in ({*out, i}, {*out, *doubtful}):
                students = np.ones(len(frame), dtype=bool)
                students[list(left_out)] = False
                cells = [str(frame.at[i, c]) for c in grades]
                if _is_summary(cells, numbers[i], numbers[students], aggregate):
                    found[i] = label
                    break
        if not found:
            break
        out.update(found)
        doubtful = {i: v for i, v in doubtful.items() if i not in found}
    return dict(sorted(out.items()))


def _is_summary(cells: list[str], row: np.ndarray, students: np.ndarray, aggregate: str) -> bool:
    """Whether most of a row's numbers are ``aggregate`` of the students' grades (each
    column of ``students``), to the number of decimals written (``70.3`` for a mean of 70.28)."""
    matches = []
    for cell, number, values in zip(cells, row, students.T):
        values = values[np.isfinite(values)]
        if not np.isfinite(number) or not len(values):
            continue
        decimals = len(cell.replace(",", ".").partition(".")[2].rstrip("% "))
        tolerance = 0.5 * 10.0**-decimals + 1e-9 * abs(number)
        matches.append(any(abs(number - value) <= tolerance for value in _aggregates(values, aggregate)))
    return bool(matches) and sum(matches) * 2 >= len(matches)


def _aggregates(values: np.ndarray, aggregate: str) -> tuple[float, ...]:
    if aggregate == "std":  # spreadsheets differ on n or n - 1
        return (float(values.std()), float(values.std(ddof=1)) if len(values) > 1 else 0.0)
    if aggregate == "count":
        return (float(len(values)),)
    return (float(getattr(np, aggregate)(values)),)


def load_table(path: str | Path) -> Table:
    """Read a CSV file from disk (the CLI's door); the same checks as an upload."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # never more than the cap in memory (a 200 MB file, /dev/zero)
            size = path.stat().st_size if path.is_file() else None  # a pipe or a device has no size
    except OSError as exc:
        raise IntakeError(
            M_("{path}: cannot open it ({value})", path=str(path), value=str(exc.strerror or exc))
        ) from None
    if len(data) > MAX_BYTES:
        shown = f"{size / 1e6:.1f} MB" if size else f"over {MAX_BYTES / 1e6:.0f} MB"
        raise IntakeError(
            M_(
                "{path}: the file is {shown}; the limit is {limit} MB",
                path=str(path),
                shown=str(shown),
                limit=format(MAX_BYTES / 1e6, ".0f"),
            )
        )
    return read_table(data, str(path))
