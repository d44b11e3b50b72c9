"""Real gradebook exports (tests/data/gradebooks, written by scripts/make_gradebooks.py) through
the intake and the CLI: what is a student, which columns are grades, what passed means."""

import json
from pathlib import Path

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.gradebook import vocabulary as gb
from nnviz.gradebook.intake import (
    PassRule,
    build,
    default_pass_mark,
    guess_features,
    guess_pass_value,
    guess_rule,
    guess_target,
    load_csv,
    prediction_grades,
    result_candidates,
    result_kind,
    result_values,
)
from nnviz.gradebook.reading import IntakeError, load_table

BOOKS = Path(__file__).parent / "data" / "gradebooks"


def book(name):
    return load_table(BOOKS / name)


def run_cli(capsys, *args):
    code = main(["train", *args, "--iterations", "300", "--resamples", "10"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "cell,word",
    [("Admis", "admis"), (" AJOURNÉ ", "ajourne"), ("Sí", "si"), ("nicht bestanden", "nicht bestanden"), ("✓", "✓")],
)
def test_words_are_compared_without_case_or_accents(cell, word):
    assert gb.normalise(cell) == word


@pytest.mark.parametrize(
    "values,passed",
    [
        (["ja", "nein"], "ja"),
        (["nicht bestanden", "bestanden"], "bestanden"),
        (["ajourné", "admis"], "admis"),
        (["no", "sí"], "sí"),
        (["gezakt", "geslaagd"], "geslaagd"),
        (["NP", "P"], "P"),
        (["✗", "✓"], "✓"),
        (["TRUE", "FALSE"], "TRUE"),
        (["geschafft", "durchgefallen"], None),
        (["red", "green"], None),
    ],
)
def test_the_value_that_means_passed_is_guessed_only_when_the_words_say_so(values, passed):
    assert guess_pass_value(values) == passed


@pytest.mark.parametrize(
    "cell,points",
    [("A+", 4.3), ("A", 4.0), ("b-", 2.7), ("C +", 2.3), ("D−", 0.7), ("E", 0.0), ("F", 0.0), ("G", None)],
)
def test_letter_grades_map_to_points(cell, points):
    assert gb.letter_points(cell) == points


@pytest.mark.parametrize(
    "name,keeps",
    [
        ("Current Score", False),
        ("Unposted Final Score", False),
        ("Course total (Real)", False),
        ("Average", False),
        ("Final Grade", False),
        ("Final exam (1204)", True),
        ("Written test (1202)", True),
        ("Quiz: Oral test (Real)", True),
    ],
)
def test_aggregates_that_contain_the_result_are_recognised(name, keeps):
    assert (gb.AGGREGATE_COLUMN.search(name) is None) == keeps


def test_canvas_export():
    table = book("canvas.csv")
    assert table.not_students == ("Points Possible", "Student, Test")
    assert table.identity == ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
    target = guess_target(table)
    assert target == "Final exam (1204)" and result_kind(table, target) == "score"
    with pytest.raises(IntakeError, match=r"holds scores \(23 to 82\).*CLI: --pass-mark 50"):
        guess_rule(table)
    assert default_pass_mark(table, target) == 50
    assert guess_features(table, target) == ["Assignments (1201)", "Written test (1202)", "Oral test (1203)"]
    intake = build(table, PassRule(target, mark=50))
    assert intake.rows_read == 62 and intake.rows_used == 59
    assert intake.dropped == {
        "not students: 'Points Possible', 'Student, Test'": 2,
        "a grade missing (empty, -, ABS, EX, n/a …)": 1,
    }
    exam = table.read[target].values.to_numpy()
    kept = ~table.read["Oral test (1203)"].missing.to_numpy()
    np.testing.assert_array_equal(intake.dataset.y, (exam[kept] >= 50).astype(float))
    assert intake.dataset.row_labels[:2] == ("Student 1", "Student 2")
    assert intake.names[0] == table.frame["Student"].iloc[0] and "," in intake.names[0]  # "Last, First"
    # This year's Canvas export: the same columns read the same way.
    raw, complete = prediction_grades(intake, book("canvas_this_year.csv"))
    assert raw.shape == (5, 3) and complete.all()


def test_moodle_export():
    table = book("moodle.csv")
    assert "Last downloaded from this course" not in guess_features(table, guess_target(table))
    intake = load_csv(BOOKS / "moodle.csv", pass_mark=60)
    assert (
        intake.target == "Quiz: Final exam (Real)" and intake.rule.describe() == "passed = Quiz: Final exam (Real) ≥ 60"
    )
    assert intake.features == ("Quiz: Assignments (Real)", "Quiz: Written test (Real)", "Quiz: Oral test (Real)")
    assert intake.dropped == {"a grade missing (empty, -, ABS, EX, n/a …)": 2}  # the two "-" cells
    assert intake.rows_used == 48 and intake.names[0] == f"{table.frame['First name'][0]} {table.frame['Last name'][0]}"
    assert "Email address" in table.identity and "ID number" in table.identity


def test_google_sheets_export():
    table = book("google_sheets.csv")
    assert table.identity == ("Last Name", "First Name", "Email Address")
    intake = load_csv(BOOKS / "google_sheets.csv", pass_mark=50)
    assert intake.target == "Final exam" and intake.features == ("Homework", "Written test", "Oral test")
    assert intake.rows_used == 39 and intake.rows_dropped == 1


def test_excel_german_export_with_sep_line_and_lower_is_better():
    table = book("excel_german.csv")
    assert table.columns[0] == "Nachname" and table.lines[0] == 3  # the sep=; line and the header come first
    intake = load_csv(BOOKS / "excel_german.csv")
    assert intake.rule == PassRule("Ergebnis", value="bestanden")
    assert intake.features == ("Hausaufgaben", "Klassenarbeit", "Mündlich")
    assert intake.dataset.raw_X[0].tolist() == pytest.approx([2.5, 2.0, 2.4])  # decimal commas, Windows-1252
    assert any("1 is the best grade" in note and "--flip" in note for note in intake.notes)
    flipped = load_csv(BOOKS / "excel_german.csv", flip=["Hausaufgaben", "Klassenarbeit", "Mündlich"])
    low, high = table.read["Klassenarbeit"].scale
    assert (low, high) == (1.0, 5.0) or (low, high) == (1.0, 6.0)
    assert flipped.dataset.raw_X[0, 1] == pytest.approx(low + high - 2.0)
    assert not any("1 is the best grade" in note for note in flipped.notes)
    np.testing.assert_allclose(flipped.dataset.X, -intake.dataset.X, atol=1e-12)  # turned round, same spread


@pytest.mark.parametrize(
    "name,target,value,scale",
    [
        ("excel_french.csv", "Résultat", "admis", (0.0, 20.0)),
        ("excel_dutch.csv", "Uitslag", "geslaagd", (0.0, 10.0)),
        ("excel_spanish.csv", "Aprobado", "sí", (0.0, 10.0)),
    ],
)
def test_excel_exports_in_other_languages_and_local_scales(name, target, value, scale):
    intake = load_csv(BOOKS / name)
    assert intake.rule == PassRule(target, value=value) and intake.rows_used == 45 and intake.rows_dropped == 0
    assert all(intake.table.read[c].scale == scale for c in intake.features)
    assert not intake.table.fractions  # 0–20 and 1–10 are grades, not fractions of one
    assert set(intake.dataset.y) == {0.0, 1.0}


def test_a_teachers_own_sheet():
    table = book("teacher_sheet.csv")
    assert table.columns == [
        "Name",
        "Assignments",
        "Written tests",
        "Oral tests",
        "Project",
        "Result",
    ]  # trailing empties gone
    assert table.not_students == ("Class average", "Max") and table.blank_lines == 3
    assert table.read["Project"].letters and table.read["Project"].scale == (0.0, 4.3)
    assert result_values(table, "Result") == ["P", "NP"] or result_values(table, "Result") == ["NP", "P"]
    intake = load_csv(BOOKS / "teacher_sheet.csv")
    assert intake.rule == PassRule("Result", value="P")
    assert intake.features == ("Assignments", "Written tests", "Oral tests", "Project")
    assert intake.dropped == {
        "not students: 'Class average', 'Max'": 2,
        "blank lines": 3,
        "a grade missing (empty, -, ABS, EX, n/a …)": 4,
    }
    assert intake.rows_read == intake.rows_used + intake.rows_dropped == 45
    assert any("letter grades" in note for note in intake.notes)
    # The letters became points: an A student's project is 4.0.
    project = intake.dataset.raw_X[:, 3]
    assert set(np.round(project, 1)) <= set(gb.LETTER_POINTS.values())


def test_checkmarks_and_percent_signs():
    intake = load_csv(BOOKS / "teacher_checkmarks.csv")
    assert intake.rule == PassRule("Passed?", value="✓") and intake.rows_used == 30
    assert intake.table.identity == ("Pupil",)
    assert intake.dataset.raw_X.max() > 1  # "72%" read as 72


def test_two_unknown_words_ask_which_means_passed(tmp_path):
    path = tmp_path / "words.csv"
    path.write_text("name,a,b,Outcome\nann,70,60,geschafft\nbob,40,30,durchgefallen\ncid,80,90,geschafft\n")
    with pytest.raises(IntakeError) as info:
        load_csv(path)
    assert "holds 'geschafft', 'durchgefallen'" in str(info.value) and "--pass-value 'geschafft'" in str(info.value)
    assert load_csv(path, pass_value="durchgefallen").dataset.y.tolist() == [0.0, 1.0, 0.0]


def test_a_pass_mark_where_lower_is_better(tmp_path):
    path = tmp_path / "noten.csv"
    path.write_text("Name;Hausaufgaben;Klassenarbeit;Abschlussprüfung\nA;2,0;1,5;2,3\nB;4,0;4,5;5,0\nC;3,0;2,5;4,0\n")
    intake = load_csv(path, pass_mark=4, flip=["Abschlussprüfung"])
    assert intake.rule.describe() == "passed = Abschlussprüfung ≤ 4"
    assert intake.dataset.y.tolist() == [1.0, 0.0, 1.0]


def test_a_pass_mark_that_passes_everybody_says_to_change_it():
    with pytest.raises(IntakeError, match=r"every student passed \(change the pass mark\)"):
        load_csv(BOOKS / "canvas.csv", pass_mark=0)


def test_cli_takes_the_teachers_choices_and_reports_them(capsys):
    code, out, err = run_cli(capsys, "--csv", str(BOOKS / "canvas.csv"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "--pass-mark" in err
    code, out, _ = run_cli(capsys, "--csv", str(BOOKS / "canvas.csv"), "--pass-mark", "60", "--json")
    report = json.loads(out)
    assert code == 0 and report["pass_rule"] == {"column": "Final exam (1204)", "mark": 60.0, "lower_is_better": False}
    assert {"reason": "not students: 'Points Possible', 'Student, Test'", "rows": 2} in report["left_out"]
    assert report["not_students"] == ["Points Possible", "Student, Test"] and report["rows_used"] == 59
    code, out, _ = run_cli(capsys, "--csv", str(BOOKS / "teacher_sheet.csv"), "--pass-value", "NP", "--json")
    assert code == 0 and json.loads(out)["pass_rule"] == {"column": "Result", "value": "NP"}
    code, out, _ = run_cli(capsys, "--csv", str(BOOKS / "excel_german.csv"), "--flip", "Klassenarbeit")
    assert code == 0 and "lower is better, turned round: Klassenarbeit" in out
    code, _, err = run_cli(capsys, "--csv", str(BOOKS / "excel_german.csv"), "--pass-value", "vielleicht")
    assert code == 2 and "never says 'vielleicht'" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "name,flags,rule,rows",
    [
        (
            "canvas.csv",
            ["--pass-mark", "50"],
            {"column": "Final exam (1204)", "mark": 50.0, "lower_is_better": False},
            59,
        ),
        (
            "moodle.csv",
            ["--pass-mark", "50"],
            {"column": "Quiz: Final exam (Real)", "mark": 50.0, "lower_is_better": False},
            48,
        ),
        (
            "google_sheets.csv",
            ["--pass-mark", "50"],
            {"column": "Final exam", "mark": 50.0, "lower_is_better": False},
            39,
        ),
        (
            "excel_german.csv",
            ["--flip", "Hausaufgaben", "Klassenarbeit", "Mündlich"],
            {"column": "Ergebnis", "value": "bestanden"},
            45,
        ),
        ("excel_french.csv", [], {"column": "Résultat", "value": "admis"}, 45),
        ("excel_dutch.csv", [], {"column": "Uitslag", "value": "geslaagd"}, 45),
        ("excel_spanish.csv", [], {"column": "Aprobado", "value": "sí"}, 45),
        ("teacher_sheet.csv", [], {"column": "Result", "value": "P"}, 36),
        ("teacher_checkmarks.csv", [], {"column": "Passed?", "value": "✓"}, 30),
    ],
)
def test_every_format_through_the_cli(capsys, name, flags, rule, rows):
    code, out, err = run_cli(capsys, "--csv", str(BOOKS / name), *flags, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["pass_rule"] == rule and report["rows_used"] == rows
    assert report["rows_read"] == rows + report["rows_dropped"]
    assert sum(report["confusion"].values()) == report["test_rows"]


@pytest.mark.parametrize(
    "name,final,oral",
    [
        ("canvas_exams.csv", "Final exam (1204)", "Oral exam (1203)"),
        ("moodle_exams.csv", "Quiz: Final exam (Real)", "Assignment: Oral exam (Real)"),
    ],
)
def test_an_oral_exam_before_the_final_is_a_grade_and_the_final_is_the_result(name, final, oral):
    table = book(name)
    assert result_candidates(table) == [final, oral]  # both plausible, the final first
    assert guess_target(table) == final
    assert oral in guess_features(table, final)


@pytest.mark.parametrize(
    "columns,result",
    [
        (["Homework", "Oral exam", "Final exam"], "Final exam"),
        (["Exam 1", "Exam 2"], "Exam 2"),
        (["Abschlussprüfung", "Mündliche Prüfung"], "Abschlussprüfung"),
        (["Examen final", "Examen oral"], "Examen final"),
        (["Final exam", "Result"], "Result"),
        (["Oral exam", "Passed"], "Passed"),
    ],
)
def test_the_result_guess_is_ranked(tmp_path, columns, result):
    rs = np.random.RandomState(0)
    rows = [",".join(["Name", "Test", *columns])]
    for i in range(20):
        cells = [f"{v:.0f}" for v in rs.uniform(20, 90, len(columns))]
        cells = [
            "pass" if (c in ("Result", "Passed") and i % 2) else "fail" if c in ("Result", "Passed") else v
            for c, v in zip(columns, cells)
        ]
        rows.append(",".join([f"S{i}", f"{rs.uniform(0, 100):.0f}", *cells]))
    path = tmp_path / "class.csv"
    path.write_text("\n".join(rows))
    assert guess_target(load_table(path)) == result


def test_canvas_points_possible_row_gives_each_grades_scale():
    intake = load_csv(BOOKS / "canvas_exams.csv", pass_mark=50)
    assert intake.target == "Final exam (1204)"
    assert intake.scales() == {
        "Homework (1201)": (0.0, 10.0),
        "Written test (1202)": (0.0, 50.0),
        "Oral exam (1203)": (0.0, 20.0),
    }
    assert set(intake.scale_sources().values()) == {"stated in the file (the 'Points Possible' row)"}
    assert float(intake.dataset.raw_X[:, 1].max()) == 45.6  # read as 45.6 of 50, not of 100
    from nnviz.gradebook.findings import grade_steps

    np.testing.assert_allclose(grade_steps(intake), [1.0, 5.0, 2.0])  # a tenth of each stated scale
    assert default_pass_mark(intake.table, "Final exam (1204)") == 50


@pytest.mark.parametrize(
    "header,top",
    [
        ("Written test (/50)", 50),
        ("Test [max 20]", 20),
        ("Oral (out of 20)", 20),
        ("Quiz /10", 10),
        ("Devoir (sur 20)", 20),
        ("Homework (1201)", None),
        ("Test 2", None),
    ],
)
def test_a_header_can_state_its_scale(header, top):
    assert gb.stated_max_in_header(header) == top


def test_a_teacher_can_correct_a_scale_and_grades_above_it_get_a_note():
    table = book("canvas_exams.csv")
    intake = build(table, PassRule("Final exam (1204)", mark=50), scale_tops={"Written test (1202)": 40.0})
    assert intake.scales()["Written test (1202)"] == (0.0, 40.0)
    assert intake.scale_sources()["Written test (1202)"] == "set by the teacher"
    assert any("'Written test (1202)' has grades above its top of 40 (the highest is 45.6)" in n for n in intake.notes)
    with pytest.raises(IntakeError, match=r"cannot be out of 0"):
        build(table, PassRule("Final exam (1204)", mark=50), scale_tops={"Written test (1202)": 0.0})


def test_unticking_every_grade_says_so():
    with pytest.raises(IntakeError, match=r"no grade column is chosen"):
        build(book("canvas.csv"), PassRule("Final exam (1204)", mark=50), features=[])


def test_the_cli_finds_the_final_exam_in_canvas_without_a_target(capsys):
    code, out, err = run_cli(capsys, "--csv", str(BOOKS / "canvas_exams.csv"), "--pass-mark", "60", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["pass_rule"]["column"] == "Final exam (1204)"
    assert report["scales"]["Written test (1202)"] == {
        "low": 0.0,
        "high": 50.0,
        "from": "stated in the file (the 'Points Possible' row)",
    }
    code, out, err = run_cli(
        capsys, "--csv", str(BOOKS / "google_sheets.csv"), "--pass-mark", "50", "--out-of", "Written test=80", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["scales"]["Written test"] == {"low": 0.0, "high": 80.0, "from": "set by the teacher"}
