"""Predict, then see, on every content page under AppTest: the prompts hide what they ask
about, an answer (or "Show me") reveals it with the engine's own number, and ?predict=0
shows the page as it was."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nnviz import datasets
from nnviz.engine.elbow import find_elbow
from nnviz.engine.gradients import blame
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig, train
from nnviz.gradebook import findings as grades
from nnviz.gradebook.intake import load_csv
from nnviz.views import prompts as pr

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"walkthrough": 1, "grades": 4, "backprop": 1, "descent": 1}  # charts shown before any answer


def open_page(page, query=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def predict_widgets(at):
    return [w for w in (*at.pills, *at.select_slider) if w.label.startswith("Predict:")]


def prompt(at, start):
    return next(w for w in predict_widgets(at) if w.label.startswith(f"Predict: {start}"))


def charts(at):
    return len(at.get("plotly_chart"))


def feedback(at):
    """What the page said, as the student reads it (markdown escapes removed)."""
    return [m.value.replace("\\", "") for m in (*at.success, *at.warning, *at.info)]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_asks_at_least_two_questions_and_hides_their_answers(page):
    at = open_page(page)
    assert len(predict_widgets(at)) >= 2
    assert charts(at) == PAGES[page]
    off = open_page(page, {"predict": "0"})
    assert not predict_widgets(off) and charts(off) > charts(at)  # the page as it was
    assert not [b for b in off.button if b.label == "Show me"]


def test_walkthrough_largest_weight_answered_right_shows_the_engines_number():
    at = open_page("walkthrough")
    before = charts(at)
    prompt(at, "which input's weight").set_value("x1").run()
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig())
    final = run.final_params.weights[0][0, 0]
    assert [m for m in feedback(at) if m.startswith("Right.")] == [
        f"Right. {pr.largest_weight(run, ['x1', 'x2', 'x3']).why}"
    ]
    assert f"{final:+.4f}" in feedback(at)[0]
    assert charts(at) == before + 1  # the weights chart appears
    assert any("1 of 1 right" in m.value for m in at.sidebar.markdown)


def test_walkthrough_wrong_guesses_get_the_real_answer_and_a_tally():
    at = open_page("walkthrough")
    prompt(at, "which input's weight").set_value("x2").run()
    assert any(m.startswith("Not quite.") and "x1's weight ends at +12.0087" in m for m in feedback(at))
    for i, direction in enumerate(("up", "up", "up")):
        prompt(at, f"will x{i + 1}→ŷ go up or down at iteration 0?").set_value(direction).run()
    run = train(datasets.trask().X, datasets.trask().y, TrainingConfig())
    trace = trace_iteration(run, 0)
    steps = trace.layers[0].weight_steps[:, 0]
    right = sum((s > 0) for s in steps)
    assert any(f"{right} of 3 right: x1→ŷ " in m for m in feedback(at))
    verdict = next(m for m in feedback(at) if " of 3 right" in m)
    assert verdict.count("summed over the rows") == 1  # the formula once, not once per weight
    assert any(f"{steps[0]:+.8f}" in m for m in feedback(at))
    assert any("of 2 right" in m.value for m in at.sidebar.markdown)


def test_walkthrough_elbow_guess_is_locked_in_and_judged_on_the_window():
    at = open_page("walkthrough")
    slider = prompt(at, "over the first 1,000 iterations")
    slider.set_value(100).run()
    assert not [m for m in feedback(at) if "bends most" in m]  # not judged until locked in
    next(b for b in at.button if b.label == "Lock in my guess").click().run()
    elbow = find_elbow(train(datasets.trask().X, datasets.trask().y, TrainingConfig()).abs_error, 0, 1_001)
    assert elbow == 111
    assert any("Right." in m and "iteration 111" in m for m in feedback(at))


def test_an_answer_is_locked_once_given():
    at = open_page("walkthrough")
    prompt(at, "which input's weight").set_value("x2").run()
    assert prompt(at, "which input's weight").disabled
    assert prompt(at, "which input's weight").value == "x2"


def test_skipping_reveals_the_answer_too():
    at = open_page("walkthrough")
    before = charts(at)
    show_me = [b for b in at.button if b.label == "Show me"]
    show_me[0].click().run()
    assert charts(at) == before + 1 and any(m.startswith("Over the first 1,000 iterations") for m in feedback(at))


def test_a_new_seed_asks_again_and_answers_for_the_new_run():
    at = open_page("walkthrough", {"seed": "5", "iterations": "2000"})
    prompt(at, "which input's weight").set_value("x1").run()
    run = train(datasets.trask().X, datasets.trask().y, TrainingConfig(seed=5, iterations=2000))
    assert f"{run.final_params.weights[0][0, 0]:+.4f}" in feedback(at)[0]


def test_grades_prompts_answer_from_the_findings_and_the_kept_network():
    at = open_page("grades")
    intake = load_csv(datasets.students_csv_path())
    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=5_000)
    fit = grades.fit(intake, config, 0.2)
    found = grades.findings(intake, config, 0.2)
    assert not [m for m in at.metric if m.label == "accuracy (test)"]
    prompt(at, "will the network do better").set_value(pr.train_or_test(fit).truth).run()
    assert next(m.value for m in at.metric if m.label == "accuracy (test)") == f"{fit.test_accuracy:.0%}"
    assert any(f"{fit.test_accuracy:.1%}" in m for m in feedback(at))
    prompt(at, "which grade matters most").set_value("oral_tests").run()
    assert any(m.startswith("Not quite.") and "written_tests matters most" in m for m in feedback(at))
    assert found.most_important == "written_tests"
    assert charts(at) == PAGES["grades"] + 1  # the effects chart


def test_backprop_prompts_answer_from_the_trace():
    at = open_page("backprop")
    data = datasets.students()
    run = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=1_000),
    )
    answer = pr.most_blamed(blame(trace_iteration(run, 0), data.feature_names))
    prompt(at, "which weight gets the most blame").set_value(answer.truth).run()
    assert any(m.startswith("Right.") and f"{answer.number:+.8f}" in m for m in feedback(at))
    assert charts(at) == PAGES["backprop"] + 1
    after = pr.error_after_update(run, 0)
    prompt(at, "after iteration 0's update").set_value(after.truth).run()
    assert any(m.startswith("Right.") and f"{run.objective[1]:.8f}" in m for m in feedback(at))


def test_descent_prompts_answer_from_the_slope_and_the_runs():
    at = open_page("descent")
    data = datasets.students()
    run = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=1_000),
    )
    slope = trace_iteration(run, 0).layers[0].weight_gradients[0, 0]
    step = pr.step_direction("assignments→h1", slope, 1.0)
    prompt(at, "at iteration 0, which way will").set_value(step.truth).run()
    assert any(m.startswith("Right.") and f"{step.number:+.6f}" in m for m in feedback(at))
    fifty = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=50.0, seed=123, iterations=1_000),
    )
    settle = pr.settles(fifty.abs_error, 50.0)
    prompt(at, "with learning rate 50").set_value(pr.SETTLES).run()
    verdict = "Right." if settle.truth == pr.SETTLES else "Not quite."
    assert any(m.startswith(verdict) and f"{fifty.abs_error[-1]:.4f}" in m for m in feedback(at))


def test_walkthrough_on_xor_asks_which_activation_gets_below_a_tenth_first():
    at = open_page("walkthrough", {"dataset": "xor", "hidden": "4", "iterations": "5000"})
    assert not [w for w in predict_widgets(open_page("walkthrough")) if "which activation" in w.label]  # the article's
    prompt(at, "which activation gets the error below 0.1 first?").set_value("ReLU").run()
    assert not at.exception, [e.value for e in at.exception]
    data = datasets.xor()
    runs = {
        name: train(data.X, data.y, TrainingConfig(hidden=(4,), iterations=5_000, activation=name))
        for name in ("sigmoid", "tanh", "relu")
    }
    answer = pr.fastest_activation(runs)
    assert answer.truth == "tanh" and pr.first_below(runs["tanh"]) == 611
    assert [m for m in feedback(at) if m.startswith("Not quite.")] == [f"Not quite. {answer.why}"]
