"""Every chart said in words: the sentences carry the engine's numbers, and every chart on
every page (AppTest) goes out with its description as its text alternative."""

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnviz import datasets
from nnviz.engine.elbow import find_elbow
from nnviz.engine.training import TrainingConfig, train
from nnviz.gradebook import findings as grades
from nnviz.gradebook.intake import load_csv
from nnviz.views import describe

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def article():
    data = datasets.trask()
    return train(data.X, data.y, TrainingConfig())


def test_the_error_curve_in_words(article):
    elbow = find_elbow(article.abs_error, 0, 1_001)
    text = describe.error_curve(article.abs_error, elbow, 1_000)
    assert (
        text == "The error falls from 1.82 at iteration 0 to 0.10 at iteration 1,000; it bends most at iteration 111."
    )
    assert f"{article.abs_error[1_000]:.2f}" == "0.10"


def test_the_weights_in_words(article):
    text = describe.weights(article, ["x1", "x2", "x3"])
    assert text == (
        "Over 100,000 iterations the weights move: x1→ŷ from +0.39 to +12.01; x3→ŷ from −0.55 to −5.80; "
        "x2→ŷ from −0.43 to −0.20."
    )


def test_the_animation_in_words(article):
    text = describe.animation(article, ["[0 0 1]", "[0 1 1]", "[1 0 1]", "[1 1 1]"])
    assert "[0 0 1] 0.37→0.00" in text and "[1 0 1] 0.46→1.00" in text and "x1→ŷ (+12.01)" in text


def test_the_effects_and_the_pass_map_in_words():
    intake = load_csv(datasets.students_csv_path())
    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=5_000)
    found = grades.findings(intake, config, 0.2)
    top = found.effects[0]
    text = describe.effects(found)
    assert text.startswith("written_tests raises the chance of passing most")
    assert f"{100 * top.change:+.1f} points (interval {100 * top.low:+.1f} to {100 * top.high:+.1f})" in text
    assert "(mean, and the middle 90 % of 40 resamples of the class)" in text
    theirs = found.regression_effects()[0]
    assert (
        f"A plain logistic regression gives: written_tests {100 * theirs.change:+.1f} ({100 * theirs.low:+.1f}" in text
    )
    fit = grades.fit(intake, config, 0.2)
    grid = grades.pass_map(fit.params, intake, 1, 2)
    data = intake.dataset
    predicted = grades.chance_of_passing(fit.params, data, data.raw_X) >= 0.5
    words = describe.pass_map(grid, data.y >= 0.5, predicted, ["assignments"])
    agree = int(np.sum((data.y >= 0.5) == predicted))
    assert f"{agree} of 200 students" in words and "with assignments at the class median" in words


def test_the_comparison_and_the_landscape_in_words():
    curves = {"α = 0.1": np.array([2.0, 1.0, 0.5]), "α = 1": np.array([2.0, 0.2, 0.1])}
    text = describe.comparison(curves, {"α = 0.1": 1, "α = 1": 1})
    assert "α = 0.1: from 2.000 to 0.500" in text and text.endswith("Lowest at the end: α = 1.")
    surface = np.array([[1.0, 2.0], [0.5, 3.0]])
    words = describe.landscape(surface, "a", "b", np.array([0.0, 1.0]), np.array([-1.0, 2.0]))
    assert "from 0.5000 to 3.0000" in words and "a from 0.000 to +1.000" in words and "b from −1.000" in words


@pytest.mark.parametrize(
    "page,query",
    [
        ("home", {}),
        ("walkthrough", {"predict": "0"}),
        ("backprop", {"predict": "0"}),
        ("descent", {"predict": "0"}),
        ("grades", {"predict": "0"}),
    ],
)
def test_every_chart_on_every_page_has_its_words(page, query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    if page != "home":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception
    alts = [chart.proto.alt for chart in at.get("plotly_chart")]
    assert alts and all(len(alt) > 30 for alt in alts)
    captions = {re.sub(r"\\(.)", r"\1", c.value).replace("\u2060", "") for c in at.caption}
    for alt in alts:
        assert f"**In words:** {alt}" in captions, alt  # the same words shown under the chart
    if page in ("home", "walkthrough"):
        assert (
            "The error falls from 1.82 at iteration 0 to 0.10 at iteration 1,000; it bends most at iteration 111."
            in alts
        )


def test_the_class_answers_in_words_count_each_answer_the_students_own_and_the_truth():
    assert describe.class_answers({}) == "Nobody in the class has answered yet."
    words = describe.class_answers({"up": 3, "down": 1}, mine="down", truth="up")
    assert words == "4 students answered: 3 said up, 1 said down. You said down. The answer is up: 3 of 4 got it."


def test_the_pass_maps_count_agrees_with_the_students_it_counts():
    from types import SimpleNamespace

    from nnviz.i18n import language

    grid = SimpleNamespace(chance=np.full((3, 3), 0.7), xs=np.arange(3.0), ys=np.arange(3.0), x_name="a", y_name="b")
    passed = np.ones(20, dtype=bool)
    one_right = np.zeros(20, dtype=bool)
    one_right[0] = True
    assert "1 of 20 students sits on the side" in describe.pass_map(grid, passed, one_right, [])
    assert "1 von 20 Schülern liegt auf" in describe.pass_map(grid, passed, one_right, [], lang=language("de"))
    assert "1 élève sur 20 se trouve" in describe.pass_map(grid, passed, one_right, [], lang=language("fr"))
    assert "1 de 20 estudiantes está en" in describe.pass_map(grid, passed, one_right, [], lang=language("es"))
    two_right = one_right.copy()
    two_right[1] = True
    assert "2 of 20 students sit on the side" in describe.pass_map(grid, passed, two_right, [])


def test_an_answer_inside_a_sentence_has_its_own_words():
    from nnviz.i18n import language
    from nnviz.views.prompts import HELD_OUT, TRAINED

    words = describe.class_answers({HELD_OUT: 3, TRAINED: 1}, mine=TRAINED, truth=HELD_OUT, lang=language("de"))
    assert "Du hast „die Schüler, mit denen es trainiert wurde“ gesagt." in words
    assert "3 sagten „die Schüler der Testgruppe“" in words and "den " not in words  # no dative button words
