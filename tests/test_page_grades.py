"""The grades page under AppTest: uploads of every gradebook format, the teacher's pass choice,
what holds up (early stop, effects with ranges, baseline, pass map, who it gets wrong)."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nnviz import datasets
from nnviz.engine.training import TrainingConfig
from nnviz.gradebook import findings as grades
from nnviz.gradebook.intake import load_csv
from ui.text import plain

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
BOOKS = DATA / "gradebooks"


def open_page(query=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in {"predict": "0", **(query or {})}.items():  # the page without prompts, unless asked
        at.query_params[name] = value
    at.switch_page("app_pages/grades.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at, path, which="Upload last years'"):
    """Upload ``path`` into the uploader whose label starts with ``which``."""
    uploader = next(u for u in at.file_uploader if u.label.startswith(which))
    uploader.upload(path.name, path.read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def charts(at):
    return {
        chart.key if hasattr(chart, "key") else i: json.loads(chart.proto.spec)
        for i, chart in enumerate(at.get("plotly_chart"))
    }


def summary(at):
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["", "value"])
    return dict(zip(table.iloc[:, 0], table.iloc[:, 1]))


def texts(at):
    return " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)


def test_sample_trains_keeps_the_best_network_and_says_what_holds_up():
    at = open_page()
    assert any("bundled sample" in i.value for i in at.info)
    assert metric(at, "training rows / test rows") == "160 / 40"
    expected = grades.fit(
        load_csv(datasets.students_csv_path()),
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=5_000),
    )
    assert metric(at, "accuracy (test)") == f"{expected.test_accuracy:.0%}"
    specs = list(charts(at).values())
    assert len(specs) == 5  # loss, animation, weights, effects, pass map
    loss = specs[0]
    assert any(a.get("text") == f"kept: iteration {expected.best_iteration:,}" for a in loss["layout"]["annotations"])
    assert f"lowest at iteration {expected.best_iteration:,}" in texts(at).replace("\\", "")
    regression, effects = specs[3]["data"]  # the regression's hollow bars, then the network's
    assert effects["error_x"]["arrayminus"] and effects["error_x"]["array"]  # the interval over resamples
    assert regression["name"].startswith("logistic regression") and regression["error_x"]["array"]
    body = texts(at).replace("\\", "")
    assert "written_tests matters most" in body and "the middle 90 % of 40 resamples of the class" in body
    assert "The two methods agree on the direction of every grade either is sure of." in body
    assert "A plain baseline." in body and "logistic regression" in body
    assert specs[4]["data"][0]["type"] == "heatmap" and specs[4]["data"][1]["type"] == "contour"
    two_by_two = next(d.value for d in at.dataframe if "passed" in d.value.columns and "failed" in d.value.columns)
    c = grades.confusion(expected)
    assert two_by_two.iloc[0, 2] == f"predicted to pass, failed: {c['pass_fail']}"


def test_canvas_export_asks_for_a_pass_mark_and_hides_names():
    at = upload(open_page(), BOOKS / "canvas.csv")
    mark = next(n for n in at.text_input if n.label.startswith("Pass mark"))
    assert mark.label == "Pass mark: passed when Final exam (1204) is at least" and mark.value == "50"
    assert any("passed = Final exam (1204) ≥ 50:" in c.value.replace("\\", "") for c in at.caption)
    mark.set_value("60").run()
    assert not at.exception and not at.error
    values = summary(at)
    assert values["what passed means"] == "passed = Final exam (1204) ≥ 60"
    assert values["grade columns"] == "Assignments (1201), Written test (1202), Oral test (1203)"
    assert values["left out: not students: 'Points Possible', 'Student, Test'"] == "2"
    preview = at.dataframe[0].value
    assert "Student" not in preview.columns and "SIS Login ID" not in preview.columns
    assert preview["student"].iloc[0] == "Student 1"
    assert not any("," in str(o) for o in at.selectbox(key="grades.row").options)  # "Last, First" never shown
    upload(at, BOOKS / "canvas_this_year.csv", "Upload this year's")
    predictions = at.dataframe[-1].value
    assert predictions["student"].tolist()[:2] == ["Student 1", "Student 2"] and "Student" not in predictions.columns
    assert set(predictions["prediction"]) <= {"pass", "fail"}


def test_names_show_only_when_the_teacher_asks():
    at = upload(open_page(), BOOKS / "teacher_checkmarks.csv")
    assert at.dataframe[0].value["student"].iloc[0] == "Student 1"
    at.toggle[0].set_value(True).run()
    first = at.dataframe[0].value["student"].iloc[0]
    assert first != "Student 1" and first.endswith(".")  # "Ada K."


@pytest.mark.parametrize(
    "name,choice,rule",
    [
        ("moodle.csv", 55, "passed = Quiz: Final exam (Real) ≥ 55"),
        ("google_sheets.csv", 50, "passed = Final exam ≥ 50"),
        ("excel_german.csv", None, "passed = Ergebnis is “bestanden”"),
        ("excel_french.csv", None, "passed = Résultat is “admis”"),
        ("excel_dutch.csv", None, "passed = Uitslag is “geslaagd”"),
        ("excel_spanish.csv", None, "passed = Aprobado is “sí”"),
        ("teacher_sheet.csv", "NP", "passed = Result is “NP”"),
        ("teacher_checkmarks.csv", None, "passed = Passed? is “✓”"),
    ],
)
def test_every_gradebook_format_trains_and_predicts(name, choice, rule):
    at = upload(open_page({"iterations": "1000"}), BOOKS / name)
    if isinstance(choice, int | float):
        next(n for n in at.text_input if n.label.startswith("Pass mark")).set_value(str(choice)).run()
    elif isinstance(choice, str):
        at.radio[0].set_value(str(choice)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert summary(at)["what passed means"] == rule
    no_better = [w for w in at.warning if "do not predict the result better than guessing" in w.value]
    assert len(at.get("plotly_chart")) == (4 if no_better else 5)  # no effects chart when they are noise
    chance = metric(at, "chance of passing")
    assert re.fullmatch(r"\d{1,3}([.,]\d)?%", chance) and 0 <= float(chance[:-1].replace(",", ".")) <= 100, chance


def test_unknown_words_wait_for_the_teachers_choice(tmp_path):
    path = tmp_path / "words.csv"
    path.write_text(
        "name,a,b,Outcome\n"
        + "".join(f"s{i},{40 + i},{30 + 2 * i},{'geschafft' if i % 2 else 'raus'}\n" for i in range(20))
    )
    at = upload(open_page(), path)
    assert at.radio[0].value is None and any("Choose which value means passed" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 0
    at.radio[0].set_value("geschafft").run()
    assert not at.exception and summary(at)["what passed means"] == "passed = Outcome is “geschafft”"


def test_upload_of_a_messy_file_is_read_and_trained():
    at = upload(open_page(), DATA / "semicolon_decimal_comma.csv")
    assert not at.error
    values = summary(at)
    assert values["rows used"] == "5" and values["what passed means"] == "passed = Result is “pass”"
    assert values["grade columns"] == "Assignments, Written tests, Oral tests"


def test_hostile_upload_shows_one_clear_message_and_no_traceback():
    at = upload(open_page(), DATA / "ragged.csv")
    assert [e.value.replace("\\", "") for e in at.error] == ["ragged.csv: row 3 has 5 fields but the header has 4"]
    assert len(at.get("plotly_chart")) == 0  # no half-drawn page


def test_this_years_students_get_predictions():
    at = upload(open_page(), DATA / "this_year.csv", "Upload this year's")
    predictions = at.dataframe[-1].value
    assert (
        predictions["prediction"].tolist()[:2] == ["pass", "fail"]
        and predictions["prediction"].iloc[3] == "missing a grade"
    )
    assert any("1 row misses a grade and gets no prediction" in w.value for w in at.warning)


def test_the_mapping_can_be_changed_on_the_page():
    at = open_page()
    at.multiselect[0].set_value(["written_tests"]).run()
    assert not at.exception
    fit = grades.fit(
        load_csv(datasets.students_csv_path(), features=["written_tests"]),
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=5_000),
        0.2,
    )
    assert metric(at, "accuracy (training)") == f"{fit.train_accuracy:.0%}"
    assert len(at.get("plotly_chart")) == 4  # one grade: no pass map over two


def test_settings_come_from_the_link_and_caps_hold():
    at = open_page({"hidden": "99", "iterations": "5000", "test": "0.9"})
    assert at.sidebar.slider[0].value == 8
    assert sum("beyond the limit" in w.value for w in at.warning) == 2


def test_text_from_a_file_is_shown_as_text_never_as_markdown(tmp_path):
    path = tmp_path / "hostile.csv"
    rows = "".join(
        f"s{i},{40 + i},{30 + 2 * i},{'**won**' if i % 2 else '![x](http://tracker.example/p.png)'}\n"
        for i in range(20)
    )
    path.write_text("name,a,**b**,[Result](javascript:alert(1))\n" + rows)
    at = upload(open_page(), path)
    radio = at.radio[0]
    assert plain("[Result](javascript:alert(1))") in radio.label  # the brackets escaped: never a link
    assert sorted(radio.options) == sorted(
        ["\\*\\*won\\*\\*", "!\\[x\\](http\u2060://tracker.example/p.png)"]
    )  # never an image


def test_canvas_with_an_oral_exam_uses_the_final_and_says_two_columns_could_be_the_result():
    at = upload(open_page(), BOOKS / "canvas_exams.csv")
    target = next(s for s in at.selectbox if s.label == "The result column")
    assert target.value == "Final exam (1204)"
    notice = [w.value.replace("\\", "") for w in at.warning if "could be the result" in w.value]
    assert notice == [
        "2 columns could be the result: Final exam (1204), Oral exam (1203). Using Final exam (1204); "
        "choose another under 'The result column' below."
    ]
    values = summary(at)
    assert values["grade columns"] == "Homework (1201), Written test (1202), Oral exam (1203)"
    assert values["scale of Written test (1202)"] == "0 to 50: stated in the file (the 'Points Possible' row)"
    assert values["scale of Homework (1201)"] == "0 to 10: stated in the file (the 'Points Possible' row)"
    sliders = {s.label: s for s in at.slider if s.label.startswith(("Homework", "Written", "Oral"))}
    assert sliders["Written test (1202)"].max == 50  # "try one student" runs to the file's top, not to 100
    # The teacher corrects a top: the summary says so.
    top = next(n for n in at.text_input if n.label == "Written test (1202): out of")
    top.set_value("60").run()
    assert summary(at)["scale of Written test (1202)"] == "0 to 60: set by the teacher"


def test_a_file_with_one_clear_result_column_gives_no_notice():
    at = upload(open_page(), BOOKS / "excel_spanish.csv")
    assert not [w for w in at.warning if "could be the result" in w.value]


def test_a_lopsided_pass_rule_is_warned_about():
    at = upload(open_page(), BOOKS / "canvas.csv")
    next(n for n in at.text_input if n.label.startswith("Pass mark")).set_value("30").run()
    warning = [w.value for w in at.warning if w.value.startswith("Only ")]
    assert len(warning) == 1 and "students failed under this rule" in warning[0] and "rests on those" in warning[0]
    next(n for n in at.text_input if n.label.startswith("Pass mark")).set_value("50").run()
    assert not [w for w in at.warning if w.value.startswith("Only ")]


def test_a_teachers_own_upload_shows_findings_without_quizzing_and_a_switch_brings_the_quiz_back():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("app_pages/grades.py")
    at.run()
    assert [p for p in at.pills if p.label.startswith("Predict:")]  # the sample quizzes students
    upload(at, BOOKS / "moodle.csv")
    assert not [p for p in at.pills if p.label.startswith("Predict:")]
    # 50 students leave 10 to judge by: too few for the fair check against guessing (issue 38), which says so
    # first, and the page draws no effect bars it could not stand behind.
    assert any(m.label == "accuracy (test)" for m in at.metric) and set(charts(at)) == {
        "loss_chart",
        "animation",
        "weights_chart",
        "pass_map",
    }
    assert any(w.value.startswith("These grades do not predict the result better than guessing") for w in at.warning)
    assert "Each bar: raise one grade" not in texts(at)
    quiz = next(t for t in at.toggle if t.label.startswith("Quiz the class on this file"))
    quiz.set_value(True).run()
    assert [p for p in at.pills if p.label.startswith("Predict:")]


def test_a_hidden_charts_caption_is_hidden_too_and_the_finding_is_said_once():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("app_pages/grades.py")
    at.run()
    assert "Each bar: raise one grade" not in texts(at)
    next(p for p in at.pills if p.label.startswith("Predict: which grade matters most")).set_value(
        "written_tests"
    ).run()
    assert "Each bar: raise one grade" in texts(at)
    shown = " ".join([texts(at), *(m.value for m in (*at.success, *at.warning, *at.info))]).replace("\\", "")
    assert shown.count("written_tests matters most: raising it by 10") == 1


def test_this_years_predictions_come_first_and_the_download_carries_the_pseudonyms():
    at = upload(upload(open_page(), BOOKS / "google_sheets.csv"), BOOKS / "google_sheets.csv", "Upload this year's")
    predictions = at.dataframe[-1].value
    assert list(predictions.columns[:3]) == ["student", "chance of passing", "prediction"]
    assert "Final exam" not in predictions.columns  # the result: this year's students have none yet
    csv = next(d for d in at.get("download_button") if "predictions" in d.proto.label)
    assert csv is not None


def test_letter_grades_step_one_letter_and_no_negative_zero():
    at = upload(open_page({"iterations": "1000"}), BOOKS / "teacher_sheet.csv")
    body = " ".join([texts(at), *(w.value for w in at.warning)]).replace("\\", "")
    assert "by one letter (C → B)" in body or "Project by one letter (C → B)" in body
    import re

    assert not re.search(r"[-−]0\.0+(?!\d)", body) and "by 0.43" not in body  # no negative zero, one letter a step


@pytest.mark.parametrize("name", ["excel_french.csv", "excel_german.csv"])
def test_a_file_with_decimal_commas_gets_its_numbers_said_with_commas(name):
    import re

    at = upload(open_page({"iterations": "1000"}), BOOKS / name)
    loss = metric(at, "loss (training, kept network)")
    assert re.fullmatch(r"\d,\d{4}", loss)
    words = " ".join([texts(at), *(m.value for m in (*at.info, *at.warning, *at.success))]).replace("\\", "")
    assert re.search(r"\d,\d", words) and not re.search(r"\d\.\d", words)  # one convention: the file's
    layouts = [spec["layout"].get("separators") for spec in charts(at).values()]
    assert layouts and all(s == ",\u202f" for s in layouts)


def test_a_file_with_decimal_dots_keeps_them():
    at = upload(open_page({"iterations": "1000"}), BOOKS / "google_sheets.csv")
    assert "." in metric(at, "loss (training, kept network)")
    assert all(spec["layout"].get("separators") is None for spec in charts(at).values())
