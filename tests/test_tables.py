"""nnviz/gradebook/tables.py: the grades page's tables, against the intake's and the fit's numbers."""

from pathlib import Path

import numpy as np

from nnviz import datasets
from nnviz.engine.training import TrainingConfig
from nnviz.gradebook import findings, tables
from nnviz.gradebook.intake import load_csv

BOOKS = Path(__file__).parent / "data" / "gradebooks"
CONFIG = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=1_000)


def test_what_was_read_names_every_choice_and_scale():
    intake = load_csv(BOOKS / "canvas.csv", pass_mark=60)
    rows = dict(tables.what_was_read(intake, "canvas.csv").itertuples(index=False))
    assert rows["rows read"] == "62" and rows["rows used"] == "59"
    assert rows["left out: not students: 'Points Possible', 'Student, Test'"] == "2"
    assert rows["what passed means"] == "passed = Final exam (1204) ≥ 60"
    assert rows["scale of Written test (1202)"] == "0 to 100: stated in the file (the 'Points Possible' row)"


def test_the_baseline_table_says_the_fits_own_numbers_in_the_files_decimal_mark():
    intake = load_csv(datasets.students_csv_path())
    fit = findings.fit(intake, CONFIG)
    base = findings.fit(intake, findings.baseline_config(CONFIG))
    frame = tables.versus_baseline(fit, base, say=lambda text: text.replace(".", ","))
    assert list(frame["held-out loss"]) == [
        f"{fit.test_loss:.3f}".replace(".", ","),
        f"{base.test_loss:.3f}".replace(".", ","),
    ]
    assert list(frame["held-out accuracy"]) == [f"{fit.test_accuracy:.0%}", f"{base.test_accuracy:.0%}"]
    guessing = findings.against_guessing(fit)
    frame = tables.versus_baseline(fit, base, guessing=guessing)
    y = fit.test_set.y
    rate = fit.train_set.y.mean()  # the training students' pass rate: "pass" is the commoner result here
    assert rate > 0.5 and list(frame.iloc[2]) == ["always “pass” (no grades)", "—", f"{np.mean(y == 1):.0%}", "—"]
    constant = -np.mean(y * np.log(rate) + (1 - y) * np.log(1 - rate))
    assert list(frame.iloc[3]) == [
        "the pass rate as everyone's chance (no grades)",
        f"{constant:.3f}",
        f"{np.mean(y == 1):.0%}",
        "—",
    ]


def test_the_two_by_two_counts_the_held_out_students():
    intake = load_csv(datasets.students_csv_path())
    counts = findings.confusion(findings.fit(intake, CONFIG))
    frame = tables.two_by_two(counts)
    assert frame.loc[0, "passed"] == f"predicted to pass, passed: {counts['pass_pass']}"
    assert frame.loc[1, "failed"] == f"predicted to fail, failed: {counts['fail_fail']}"
    assert sum(counts.values()) == 40


def test_sliders_span_the_scale_and_every_grade_and_start_at_the_median():
    intake = load_csv(BOOKS / "excel_german.csv")
    for j, (label, low, high, start) in enumerate(tables.one_student_sliders(intake)):
        grades = intake.dataset.raw_X[:, j]
        assert label.startswith(intake.features[j])
        assert low <= grades.min() and high >= grades.max() and start == float(np.median(grades))


def test_names_show_only_when_asked():
    names = {"Student 1": "Ada", "Student 2": "Ben"}
    assert tables.shown_as(["Student 2", "row 9"], names, False) == ["Student 2", "row 9"]
    assert tables.shown_as(["Student 2", "row 9"], names, True) == ["Ben", "row 9"]
