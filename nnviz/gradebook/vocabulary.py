"""How gradebooks write things: the words and shapes ``reading.py`` and ``intake.py`` recognise.

Canvas, Moodle, Google Sheets and Excel in other locales each export a class differently;
this module is the vocabulary, kept apart from the reading so it can grow by one line at a
time: result words in several languages, markers for a missing grade, letter grades, and
the names of columns that identify a student or already contain the result.
"""

from __future__ import annotations

import re
import unicodedata


def normalise(cell: str) -> str:
    """Lower case, accents and surrounding space removed: ``" Admis "`` and ``"ADMIS"`` read alike."""
    decomposed = unicodedata.normalize("NFKD", str(cell).strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


# Results a teacher writes, in the languages our users' exports come in (normalised form).
PASS_WORDS = frozenset(
    {
        "1",
        "1.0",
        "pass",
        "passed",
        "yes",
        "y",
        "true",
        "p",
        "ok",
        "✓",
        "✔",
        "☑",
        "cr",
        "credit",
        "ja",
        "j",
        "bestanden",
        "oui",
        "admis",
        "admise",
        "reussi",
        "si",
        "s",
        "aprobado",
        "aprobada",
        "apto",
        "geslaagd",
        "voldoende",
        "sim",
        "aprovado",
        "promosso",
        "superato",
    }
)
FAIL_WORDS = frozenset(
    {
        "0",
        "0.0",
        "fail",
        "failed",
        "no",
        "n",
        "false",
        "f",
        "np",
        "nc",
        "✗",
        "✘",
        "☒",
        "u",
        "nein",
        "nicht bestanden",
        "non",
        "ajourne",
        "ajournee",
        "echoue",
        "refuse",
        "suspenso",
        "suspendido",
        "no apto",
        "reprobado",
        "gezakt",
        "onvoldoende",
        "nao",
        "reprovado",
        "bocciato",
        "respinto",
    }
)

# A grade cell that means "no grade": Moodle's "-", absent, excused, not applicable.
MISSING_MARKERS = frozenset(
    {
        "",
        "-",
        "–",
        "—",
        "abs",
        "absent",
        "ex",
        "exc",
        "excused",
        "exempt",
        "n/a",
        "na",
        "nan",
        "null",
        "none",
        "inc",
        "incomplete",
        "i",
        "?",
        "entschuldigt",
        "fehlt",
        "excuse",
        "dispense",
        "afwezig",
    }
)

# Letter grades mapped to grade points (the common 4.3 scale; E is a fail where schools use it).
LETTER_POINTS = {
    "A+": 4.3,
    "A": 4.0,
    "A-": 3.7,
    "B+": 3.3,
    "B": 3.0,
    "B-": 2.7,
    "C+": 2.3,
    "C": 2.0,
    "C-": 1.7,
    "D+": 1.3,
    "D": 1.0,
    "D-": 0.7,
    "E": 0.0,
    "F": 0.0,
}
LETTER_SCALE = (0.0, 4.3)
_LETTER = re.compile(r"^([A-F])\s*([+\-−–]?)$")


def letter_points(cell: str) -> float | None:
    """``"B+"`` → 3.3; ``None`` when the cell is not a letter grade."""
    match = _LETTER.match(str(cell).strip().upper())
    if not match:
        return None
    sign = {"−": "-", "–": "-"}.get(match.group(2), match.group(2))
    return LETTER_POINTS.get(match.group(1) + sign)


def _words(*patterns: str) -> re.Pattern:
    return re.compile(r"(^|[^a-z0-9])(" + "|".join(patterns) + r")($|[^a-z0-9])", re.I)


# Columns that name or identify a person (hidden in front of a class, never a grade).
IDENTITY_COLUMN = _words(
    "id",
    "ids",
    "sis",
    "login",
    "user",
    "username",
    "email",
    "e-mail",
    "mail",
    "name",
    "names",
    "first name",
    "last name",
    "surname",
    "given name",
    "student",
    "students",
    "pupil",
    "section",
    "institution",
    "department",
    "number",
    "no",
    "nr",
    "matrikel",
    "matrikelnummer",
    "nom",
    "prenom",
    "prénom",
    "vorname",
    "nachname",
    "schüler",
    "schueler",
    "eleve",
    "élève",
    "naam",
    "voornaam",
    "achternaam",
    "leerling",
    "nombre",
    "apellido",
    "apellidos",
    "alumno",
    "comment",
    "comments",
    "notes",
    "remarks",
)
# "Klassenarbeit Nr. 1", "Test no. 2": a numbered assignment, not a student's number.
_NUMBERED = re.compile(r"(^|[^a-z0-9])(no|nr|number|nummer|num|n°|#)\.?\s*\d+\s*$", re.I)


def is_identity_name(column: str) -> bool:
    """Whether a header names an identity column (Name, SIS User ID, Matrikelnummer, E-mail …)."""
    return bool(IDENTITY_COLUMN.search(_NUMBERED.sub(" ", column)))


# Columns that already hold the outcome (a course total, a final score): reading them would let
# the network read the answer, so they are never grade columns by default.
AGGREGATE_COLUMN = re.compile(
    r"^(unposted\s+)?(current|final)\s+(score|grade|points)\b"
    r"|(^|[^a-z])(total|totals|average|mean|overall|sum|gesamt|summe|durchschnitt|moyenne|gemiddelde|promedio)"
    r"($|[^a-z])"
    r"|^(final\s+|letter\s+|course\s+|overall\s+)?grade(\s*\(.*\))?$"
    r"|^(endnote|note finale|eindcijfer)",
    re.I,
)
TIMESTAMP_COLUMN = _words("downloaded", "timestamp", "date", "time", "datum", "submitted", "last access")
# Result columns by name.  A column named as a result (passed, Ergebnis …) beats a final exam,
# which beats any other exam: Canvas and Moodle exports often hold an oral exam before the final.
RESULT_NAME = re.compile(
    r"^(passed|pass|result|results|outcome|passed_final|target|label|y|p/np|pass/fail|ergebnis|resultat"
    r"|résultat|resultado|uitslag|bestanden|admis|aprobado|apto|esito|passed\?|pass\?)$",
    re.I,
)
FINAL_EXAM = re.compile(
    r"final[\s_\-]*(exam|examination|test|assessment)|(exam|examen|prüfung|pruefung)[\s_\-]*final"
    r"|examen[\s_\-]*de[\s_\-]*fin|abschluss|endprüfung|schlussprüfung|eindexamen|centraal[\s_\-]*examen"
    r"|esame[\s_\-]*finale|exame[\s_\-]*final",
    re.I,
)
EXAM = re.compile(r"(^|[^a-z])exam($|[^a-z])|examen|examination|prüfung|pruefung|esame|exame", re.I)


def result_name_rank(column: str) -> int | None:
    """0 for a result's own name, 1 for a final exam, 2 for another exam; None: not a result's name."""
    name = column.strip()
    for rank, pattern in enumerate((RESULT_NAME, FINAL_EXAM, EXAM)):
        if pattern.search(name):
            return rank
    return None


# A maximum stated in a column's header: "Test (/50)", "Test [max 50]", "Test (out of 50)", "Test /50".
_STATED_MAX_HEADER = re.compile(
    r"[(\[]\s*(?:/|max\.?|maximum|out of|of|sur|von|de|op)\s*(\d+(?:[.,]\d+)?)\s*(?:pts?\.?|points?|punkte)?\s*[)\]]"
    r"|(?<![\d(])/\s*(\d+(?:[.,]\d+)?)\s*$",
    re.I,
)
# A row that states every column's maximum: Canvas's "Points Possible", a "Range" or "Out of" row.
STATED_MAX_ROW = re.compile(
    r"^(points possible|possible points|max(imum)? possible|max(imum)? points|out of|range|grade range"
    r"|punkte möglich|höchstpunktzahl|maximalpunktzahl|bareme|barème|note maximale|puntuacion maxima)\.?:?$",
    re.I,
)


def stated_max_in_header(column: str) -> float | None:
    """The maximum a header states (``"Written test (/50)"`` → 50), or None."""
    match = _STATED_MAX_HEADER.search(column)
    if not match:
        return None
    value = float((match.group(1) or match.group(2)).replace(",", "."))
    return value if value > 0 else None


def stated_max_in_cell(cell: str) -> float | None:
    """A maximum written in a points row's cell: ``"50.00"``, ``"0.00–20.00"`` (the top), else None."""
    numbers = re.findall(r"\d+(?:[.,]\d+)?", str(cell))
    if not numbers:
        return None
    value = max(float(n.replace(",", ".")) for n in numbers)
    return value if value > 0 else None


# Rows that are not students: Canvas's points row, a test student, a summary at the bottom.
NOT_A_STUDENT = re.compile(
    r"^(points possible|muted|manual posting|\(read only\)"
    r"|test student|student,\s*test|test,\s*student|testschüler|testschueler)\.?:?$",
    re.I,
)
# Labels of summary rows, and the aggregate each one is (a row is a summary only when its
# grades are that aggregate of the students': ``reading._not_students``).
SUMMARY_LABEL = re.compile(r"^((class|course|group|klassen|kurs)\s*)?(?P<word>[a-z]+)\.?:?$", re.I)
SUMMARY_WORDS = {
    **dict.fromkeys(
        (
            "average",
            "avg",
            "mean",
            "durchschnitt",
            "mittelwert",
            "moyenne",
            "gemiddelde",
            "promedio",
            "media",
            "gemiddeld",
        ),
        "mean",
    ),
    **dict.fromkeys(("total", "sum", "summe", "totaal", "somme"), "sum"),
    **dict.fromkeys(("max", "maximum", "highest", "hochste"), "max"),
    **dict.fromkeys(("min", "minimum", "lowest", "niedrigste"), "min"),
    "median": "median",
    **dict.fromkeys(("std", "stdev", "sd"), "std"),
    **dict.fromkeys(("count", "anzahl"), "count"),
}


def summary_aggregate(name: str) -> str | None:
    """``"class average"`` → ``"mean"``; None when the label is not a summary's."""
    match = SUMMARY_LABEL.match(name)
    return SUMMARY_WORDS.get(match.group("word").lower()) if match else None


# Scales grades come on, smallest first; a column's scale is the first that holds its top grade.
SCALE_TOPS = (5.0, 6.0, 10.0, 20.0, 100.0)
# German-style scales run from 1 (best) to 5 or 6: the page says so and offers to flip them.
LOWER_IS_BETTER_TOPS = (5.0, 6.0)
