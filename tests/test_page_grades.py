"""The grades page under AppTest, uploads included."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def open_page(query=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page("pages/grades.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_sample_data_trains_and_written_tests_come_out_on_top():
    at = open_page()
    assert any("bundled sample" in i.value for i in at.info)
    assert metric(at, "training rows / test rows") == "160 / 40"
    assert metric(at, "accuracy (training)") == "90%"
    assert any("**written\\_tests**" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 4


def test_upload_of_a_messy_file_is_read_and_trained():
    at = open_page()
    at.file_uploader[0].upload("grades.csv", (DATA / "semicolon_decimal_comma.csv").read_bytes(), "text/csv").run()
    assert not at.exception and not at.error
    table = at.dataframe[1].value
    values = dict(zip(table.iloc[:, 0], table.iloc[:, 1]))
    assert values["rows used"] == "5" and values["pass/fail column"] == "Result"
    assert values["grade columns"] == "Assignments, Written tests, Oral tests"


def test_hostile_upload_shows_one_clear_message_and_no_traceback():
    at = open_page()
    at.file_uploader[0].upload("ragged.csv", (DATA / "ragged.csv").read_bytes(), "text/csv").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["ragged.csv: row 3 has 5 fields but the header has 4"]
    assert len(at.get("plotly_chart")) == 0  # no half-drawn page


def test_this_years_students_get_predictions():
    at = open_page()
    at.file_uploader[1].upload("this_year.csv", (DATA / "this_year.csv").read_bytes(), "text/csv").run()
    assert not at.exception
    predictions = at.dataframe[-1].value
    assert (
        predictions["prediction"].tolist()[:2] == ["pass", "fail"]
        and predictions["prediction"].iloc[3] == "missing a grade"
    )
    assert any("1 row(s) miss a grade" in w.value for w in at.warning)


def test_the_mapping_can_be_changed_on_the_page():
    at = open_page()
    at.multiselect[0].set_value(["written_tests"]).run()
    assert not at.exception
    assert metric(at, "accuracy (training)") != ""
    assert len(at.get("plotly_chart")) == 4


def test_settings_come_from_the_link_and_caps_hold():
    at = open_page({"hidden": "99", "iterations": "5000", "test": "0.9"})
    assert at.sidebar.slider[0].value == 8
    assert sum("beyond the limit" in w.value for w in at.warning) == 2
