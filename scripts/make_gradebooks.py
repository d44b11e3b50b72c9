"""Write the gradebook exports in tests/data/gradebooks/: one realistic file per format a teacher brings.

Every class follows one stated rule, the same as the bundled sample's (scripts/make_students.py):
grades on 0–100 for assignments ``a``, written tests ``w`` and oral tests ``o``; a final exam score
``0.2·a + 0.6·w + 0.2·o − 12 + noise`` (noise ~ N(0, 6), clipped to 0–100); passed when that score
is at least 50.  So written tests matter most.  Each file then writes those grades the way its system
or locale does (Canvas, Moodle, Google Sheets, Excel in German/French/Dutch/Spanish, a teacher's own
sheet).  Names are made up.  Run: ``python scripts/make_gradebooks.py``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "gradebooks"
FIRST = [
    "Ada",
    "Ben",
    "Chloé",
    "Dev",
    "Emil",
    "Farah",
    "Gus",
    "Hana",
    "Ivo",
    "Jana",
    "Kofi",
    "Lena",
    "Mats",
    "Nora",
    "Otto",
    "Pia",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Umar",
    "Vera",
    "Wim",
    "Xenia",
    "Yusuf",
    "Zoë",
]
LAST = [
    "Adler",
    "Brandt",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haas",
    "Ito",
    "Jansen",
    "Kern",
    "López",
    "Meyer",
    "Novak",
    "Olsen",
    "Peeters",
    "Quist",
    "Rossi",
    "Schäfer",
    "Tanaka",
    "Urban",
    "Visser",
]


def make_class(n: int, seed: int) -> dict[str, np.ndarray]:
    rs = np.random.RandomState(seed)
    a = np.clip(rs.normal(70, 14, n), 0, 100).round()
    w = np.clip(rs.normal(66, 16, n), 0, 100).round()
    o = np.clip(rs.normal(72, 12, n), 0, 100).round()
    exam = np.clip(0.2 * a + 0.6 * w + 0.2 * o - 12 + rs.normal(0, 6, n), 0, 100).round()
    first = [FIRST[i % len(FIRST)] for i in rs.permutation(n)]
    last = [LAST[i % len(LAST)] for i in rs.permutation(n)]
    return {"a": a, "w": w, "o": o, "exam": exam, "passed": exam >= 50, "first": first, "last": last, "rs": rs}


def write(name: str, rows: list[list[object]], delimiter: str = ",", encoding: str = "utf-8", first: str = "") -> None:
    buffer = io.StringIO()
    if first:
        buffer.write(first + "\r\n")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (OUT / name).write_bytes(buffer.getvalue().encode(encoding))


def comma(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def canvas() -> None:
    """Canvas: identity columns, ``Name (id)`` assignments, computed scores, a Points Possible row, a test student."""
    c = make_class(60, 1)
    header = [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Assignments (1201)",
        "Written test (1202)",
        "Oral test (1203)",
        "Final exam (1204)",
        "Current Score",
        "Unposted Current Score",
        "Final Score",
        "Unposted Final Score",
    ]
    rows = [
        header,
        [
            "    Points Possible",
            "",
            "",
            "",
            "",
            "100.00",
            "100.00",
            "100.00",
            "100.00",
            "(read only)",
            "(read only)",
            "(read only)",
            "(read only)",
        ],
    ]
    for i in range(60):
        grades = [c["a"][i], c["w"][i], c["o"][i], c["exam"][i]]
        cells = [f"{g:.2f}" for g in grades]
        if i == 7:
            cells[2] = ""  # not handed in
        total = f"{np.mean(grades):.2f}"
        rows.append(
            [
                f"{c['last'][i]}, {c['first'][i]}",
                4100 + i,
                f"S{2026000 + i}",
                f"s{2026000 + i}@school.example",
                "Biology 1A",
                *cells,
                total,
                total,
                total,
                total,
            ]
        )
    rows.append(["Student, Test", 9999, "", "", "Biology 1A", "", "", "", "", "0.00", "0.00", "0.00", "0.00"])
    write("canvas.csv", rows)
    this_year = [
        [
            "Student",
            "ID",
            "SIS User ID",
            "SIS Login ID",
            "Section",
            "Assignments (1201)",
            "Written test (1202)",
            "Oral test (1203)",
        ]
    ]
    n = make_class(5, 11)
    for i in range(5):
        this_year.append(
            [
                f"{n['last'][i]}, {n['first'][i]}",
                5100 + i,
                f"S{2027000 + i}",
                f"s{2027000 + i}@school.example",
                "Biology 1B",
                f"{n['a'][i]:.2f}",
                f"{n['w'][i]:.2f}",
                f"{n['o'][i]:.2f}",
            ]
        )
    write("canvas_this_year.csv", this_year)


def canvas_exams() -> None:
    """Canvas as many courses set it up: an oral exam before the final, and scales of their own in
    the Points Possible row (homework out of 10, the written test out of 50, the oral exam out of 20)."""
    c = make_class(60, 12)
    header = [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Homework (1201)",
        "Written test (1202)",
        "Oral exam (1203)",
        "Final exam (1204)",
        "Current Score",
        "Unposted Current Score",
        "Final Score",
        "Unposted Final Score",
    ]
    rows = [
        header,
        [
            "    Points Possible",
            "",
            "",
            "",
            "",
            "10.00",
            "50.00",
            "20.00",
            "100.00",
            "(read only)",
            "(read only)",
            "(read only)",
            "(read only)",
        ],
    ]
    for i in range(60):
        a, w, o = c["a"][i] / 10, c["w"][i] / 2, c["o"][i] / 5
        total = f"{np.mean([c['a'][i], c['w'][i], c['o'][i], c['exam'][i]]):.2f}"
        rows.append(
            [
                f"{c['last'][i]}, {c['first'][i]}",
                4200 + i,
                f"S{2026100 + i}",
                f"s{2026100 + i}@school.example",
                "Biology 2A",
                f"{a:.2f}",
                f"{min(w, 45.6):.2f}",
                f"{o:.2f}",
                f"{c['exam'][i]:.2f}",
                total,
                total,
                total,
                total,
            ]
        )
    rows.append(["Student, Test", 9999, "", "", "Biology 2A", "", "", "", "", "0.00", "0.00", "0.00", "0.00"])
    write("canvas_exams.csv", rows)


def moodle_rows(seed: int, grades: list[str], first_id: int, downloaded: str, missing=()) -> list[list[object]]:
    """A Moodle export: six identity columns, ``… (Real)`` grade columns, ``-`` in the ``missing``
    rows' written test, a course total and the download's timestamp."""
    c = make_class(50, seed)
    header = [
        "First name",
        "Last name",
        "ID number",
        "Institution",
        "Department",
        "Email address",
        *grades,
        "Course total (Real)",
        "Last downloaded from this course",
    ]
    rows: list[list[object]] = [header]
    for i in range(50):
        cells = [f"{g:.2f}" for g in (c["a"][i], c["w"][i], c["o"][i], c["exam"][i])]
        if i in missing:
            cells[1] = "-"
        total = f"{np.mean([c['a'][i], c['w'][i], c['o'][i], c['exam'][i]]):.2f}"
        rows.append(
            [
                c["first"][i],
                c["last"][i],
                f"M{first_id + i}",
                "Riverside College",
                "Science",
                f"{c['first'][i].lower()}.{i}@college.example",
                *cells,
                total,
                downloaded,
            ]
        )
    return rows


def moodle_exams() -> None:
    """Moodle with an oral exam (an assignment) before the final exam (a quiz)."""
    grades = [
        "Assignment: Homework (Real)",
        "Quiz: Written test (Real)",
        "Assignment: Oral exam (Real)",
        "Quiz: Final exam (Real)",
    ]
    write("moodle_exams.csv", moodle_rows(13, grades, 400, "Monday, 30 November 2026, 8:40 AM"))


def moodle() -> None:
    """Moodle: ``Quiz: … (Real)``, ``-`` for a missing grade, a course total, a timestamp."""
    grades = [
        "Quiz: Assignments (Real)",
        "Quiz: Written test (Real)",
        "Quiz: Oral test (Real)",
        "Quiz: Final exam (Real)",
    ]
    write("moodle.csv", moodle_rows(2, grades, 300, "Monday, 23 November 2026, 9:15 AM", missing=(3, 17)))


def google_sheets() -> None:
    """Google Sheets / Classroom: last, first, e-mail, one column per assignment, a final exam *score*."""
    c = make_class(40, 3)
    rows = [["Last Name", "First Name", "Email Address", "Homework", "Written test", "Oral test", "Final exam"]]
    for i in range(40):
        homework = "" if i == 5 else f"{c['a'][i]:g}"
        rows.append(
            [
                c["last"][i],
                c["first"][i],
                f"{c['first'][i].lower()}{i}@students.example",
                homework,
                f"{c['w'][i]:g}",
                f"{c['o'][i]:g}",
                f"{c['exam'][i]:g}",
            ]
        )
    write("google_sheets.csv", rows)


def german() -> None:
    """Excel, German locale: ``sep=;``, Windows-1252, decimal commas, grades 1 (best) to 6, bestanden/nicht bestanden."""
    c = make_class(45, 4)

    def note(points: np.ndarray) -> np.ndarray:  # 100 points → 1,0; 0 points → 6,0
        return np.clip(6 - 5 * points / 100, 1, 6)

    rows = [["Nachname", "Vorname", "Hausaufgaben", "Klassenarbeit", "Mündlich", "Ergebnis"]]
    for i in range(45):
        a, w, o = note(c["a"][i]), note(c["w"][i]), note(c["o"][i])
        rows.append(
            [
                c["last"][i],
                c["first"][i],
                comma(a),
                comma(w),
                comma(o),
                "bestanden" if c["passed"][i] else "nicht bestanden",
            ]
        )
    write("excel_german.csv", rows, ";", "cp1252", "sep=;")


def french() -> None:
    """Excel, French locale: ``;``, Windows-1252, grades on 0–20 with decimal commas, admis/ajourné."""
    c = make_class(45, 5)
    rows = [["Nom", "Prénom", "Devoirs", "Écrit", "Oral", "Résultat"]]
    for i in range(45):
        rows.append(
            [
                c["last"][i],
                c["first"][i],
                comma(c["a"][i] / 5),
                comma(c["w"][i] / 5),
                comma(c["o"][i] / 5),
                "admis" if c["passed"][i] else "ajourné",
            ]
        )
    write("excel_french.csv", rows, ";", "cp1252")


def dutch() -> None:
    """Excel, Dutch locale: ``sep=;``, grades 1–10 with decimal commas, geslaagd/gezakt."""
    c = make_class(45, 6)
    rows = [["Achternaam", "Voornaam", "Huiswerk", "Schriftelijk", "Mondeling", "Uitslag"]]
    for i in range(45):
        a, w, o = (max(1.0, g / 10) for g in (c["a"][i], c["w"][i], c["o"][i]))
        rows.append(
            [c["last"][i], c["first"][i], comma(a), comma(w), comma(o), "geslaagd" if c["passed"][i] else "gezakt"]
        )
    write("excel_dutch.csv", rows, ";", "cp1252", "sep=;")


def spanish() -> None:
    """Excel, Spanish locale: ``;``, UTF-8, grades 0–10, sí/no."""
    c = make_class(45, 7)
    rows = [["Apellidos", "Nombre", "Tareas", "Examen escrito", "Oral", "Aprobado"]]
    for i in range(45):
        rows.append(
            [
                c["last"][i],
                c["first"][i],
                comma(c["a"][i] / 10),
                comma(c["w"][i] / 10),
                comma(c["o"][i] / 10),
                "sí" if c["passed"][i] else "no",
            ]
        )
    write("excel_spanish.csv", rows, ";")


def teacher_sheet() -> None:
    """A teacher's own sheet: P/NP, letter grades for the project, ABS/EX/excused/n/a, blank lines,
    trailing empty columns, summary rows at the bottom."""
    c = make_class(40, 8)
    letters = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"]
    rows = [["Name", "Assignments", "Written tests", "Oral tests", "Project", "Result", "", ""]]
    markers = {4: "ABS", 11: "EX", 19: "excused", 26: "n/a"}
    for i in range(40):
        project = letters[int(np.clip(round((c["a"][i] - 40) / 5), 0, 12))]
        oral = markers.get(i, f"{c['o'][i]:g}")
        rows.append(
            [
                f"{c['first'][i]} {c['last'][i]}",
                f"{c['a'][i]:g}",
                f"{c['w'][i]:g}",
                oral,
                project,
                "P" if c["passed"][i] else "NP",
                "",
                "",
            ]
        )
        if i in (9, 29):
            rows.append([""] * 8)
    rows.append([""] * 8)
    for label, f in (("Class average", np.mean), ("Max", np.max)):
        rows.append([label, f"{f(c['a']):.1f}", f"{f(c['w']):.1f}", "", "", "", "", ""])
    write("teacher_sheet.csv", rows)


def checkmarks() -> None:
    """A teacher's sheet with ✓/✗ results and % signs."""
    c = make_class(30, 9)
    rows = [["Pupil", "Assignments", "Written tests", "Oral tests", "Passed?"]]
    for i in range(30):
        rows.append(
            [
                f"{c['first'][i]} {c['last'][i][0]}.",
                f"{c['a'][i]:g}%",
                f"{c['w'][i]:g}%",
                f"{c['o'][i]:g}%",
                "✓" if c["passed"][i] else "✗",
            ]
        )
    write("teacher_checkmarks.csv", rows)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for make in (
        canvas,
        canvas_exams,
        moodle,
        moodle_exams,
        google_sheets,
        german,
        french,
        dutch,
        spanish,
        teacher_sheet,
        checkmarks,
    ):
        make()
    print(f"wrote {len(list(OUT.glob('*.csv')))} files to {OUT}")
