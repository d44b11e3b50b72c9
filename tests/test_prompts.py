"""The answers behind the prompts, against the engine, over seeds, rules and learning rates:
every sentence's number is the engine's, and the answer follows the numbers, not a script."""

import numpy as np
import pytest

from nnviz import datasets
from nnviz.engine import network as nn
from nnviz.engine.gradients import blame
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig, train
from nnviz.gradebook import findings as grades
from nnviz.gradebook.intake import load_csv
from nnviz.views import prompts as pr

SETTINGS = [("trask", 1.0, 123), ("trask", 10.0, 7), ("bce", 0.5, 1), ("bce", 3.0, 42)]


@pytest.mark.parametrize("rule,lr,seed", SETTINGS)
def test_weight_directions_are_the_updates_sign(rule, lr, seed):
    data = datasets.trask()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(), bias=False, rule=rule, learning_rate=lr, seed=seed, iterations=50)
    )
    for k in (0, 1, 20):
        trace = trace_iteration(run, k)
        before, after = run.params_at(k), run.params_at(k + 1)
        for param in nn.parameters(run.network, ["x1", "x2", "x3"]):
            answer = pr.weight_direction(trace, param)
            moved = param.get(after) - param.get(before)
            assert answer.truth == (pr.UP if moved > 0 else pr.DOWN)
            assert answer.number == pytest.approx(moved, rel=1e-9, abs=1e-15)
            assert f"{moved:+.8f}" in answer.why and f"{param.get(after):.8f}" in answer.why


def test_the_elbow_guess_is_right_within_a_factor_of_two():
    assert pr.elbow_guess(111, 111, 1_000)[0] and pr.elbow_guess(60, 111, 1_000)[0]
    assert pr.elbow_guess(200, 111, 1_000)[0] and not pr.elbow_guess(50, 111, 1_000)[0]
    right, why = pr.elbow_guess(500, 111, 1_000)
    assert not right and "iteration 111" in why and "4.5× larger" in why


@pytest.mark.parametrize("guess,words", [(1, "25× smaller"), (5, "5.0× smaller"), (50, "what")])
def test_a_far_guess_says_how_far_in_words_never_zero_times(guess, words):
    right, why = pr.elbow_guess(guess, 25, 1_000)
    if words == "what":
        assert right and "within a factor of 2" in why
    else:
        assert not right and words in why and "0.0×" not in why


@pytest.mark.parametrize("seed", [123, 1, 99])
def test_the_largest_weight_is_the_runs(seed):
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig(seed=seed, iterations=20_000))
    answer = pr.largest_weight(run, ["x1", "x2", "x3"])
    final = run.final_params.weights[0][:, 0]
    assert answer.truth == ["x1", "x2", "x3"][int(np.argmax(np.abs(final)))]
    assert answer.truth == "x1"  # y copies x1: whatever the seed, its weight wins
    assert f"{answer.number:+.4f}" in answer.why and "correlation +1.00" in answer.why


def test_follows_the_target_most_closely_is_said_only_of_the_input_that_does():
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig(seed=0, iterations=1))  # x2's random start is still ahead
    answer = pr.largest_weight(run, ["x1", "x2", "x3"])
    start, final = run.snapshot(0).weights[0][1, 0], run.final_params.weights[0][1, 0]
    assert answer.truth == "x2" and "most closely" not in answer.why
    corr = [np.corrcoef(data.X[:, j], data.y)[0, 1] for j in (0, 1)]  # x3 is constant: a bias
    assert answer.why == (
        f"x2's weight ends at {final:+.4f} after 1 iteration: x1 follows the target more closely (correlation "
        f"{corr[0]:+.2f}, x2 {corr[1]:+.2f}), but x2's weight started at {start:+.4f} (the seed's random start) and "
        f"has moved by {final - start:+.4f} in 1 iteration."
    )


def test_a_constant_input_is_explained_as_a_bias():
    X = np.array([[1, 0, 1], [1, 1, 1], [1, 0, 0], [1, 1, 0]], float)  # a is 1 in every row
    y = np.array([1, 1, 1, 0], float)  # mostly 1: the constant input's weight grows first
    run = train(X, y, TrainingConfig(iterations=5))
    answer = pr.largest_weight(run, ["a", "b", "c"])
    assert answer.truth == "a"
    assert (
        answer.why
        == "a's weight ends at +0.9764 after 5 iterations: a is 1 in every row, so its weight acts as the output's bias."
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_train_or_test_follows_the_accuracies(seed):
    intake = load_csv(datasets.students_csv_path())
    fit = grades.fit(
        intake, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=seed, iterations=2_000), 0.2
    )
    answer = pr.train_or_test(fit)
    gap = fit.train_accuracy - fit.test_accuracy
    assert answer.number == gap
    assert answer.truth == (pr.SAME if abs(gap) < 0.025 else pr.TRAINED if gap > 0 else pr.HELD_OUT)
    assert f"{fit.train_accuracy:.1%}" in answer.why and f"{fit.test_accuracy:.1%}" in answer.why


def test_most_important_grade_is_the_findings():
    intake = load_csv(datasets.students_csv_path())
    found = grades.findings(
        intake, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=3, iterations=2_000), 0.2
    )
    answer = pr.most_important_grade(found)
    assert answer.truth == (found.most_important or pr.CANNOT_TELL) and answer.why == found.sentence()


@pytest.mark.parametrize("rule,lr,seed", SETTINGS)
def test_most_blamed_and_the_error_after_the_update(rule, lr, seed):
    data = datasets.students()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule=rule, learning_rate=lr, seed=seed, iterations=300)
    )
    for k in (0, 5, 200):
        blames = blame(trace_iteration(run, k))
        answer = pr.most_blamed(blames)
        top = max(blames, key=lambda b: abs(b.analytic))
        assert answer.truth == top.label and f"{top.analytic:+.8f}" in answer.why
        after = pr.error_after_update(run, k)
        assert after.truth == (pr.LOWER if run.objective[k + 1] < run.objective[k] else pr.HIGHER)
        assert f"{run.objective[k]:.8f}" in after.why and f"{run.objective[k + 1]:.8f}" in after.why


def test_a_huge_learning_rate_can_make_the_error_rise():
    data = datasets.xor()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(4,), bias=True, rule="bce", learning_rate=100.0, seed=3, iterations=200)
    )
    rises = [k for k in range(200) if pr.error_after_update(run, k).truth == pr.HIGHER]
    assert rises  # the answer is not always "lower"
    assert "overshot" in pr.error_after_update(run, rises[0]).why


@pytest.mark.parametrize("slope,lr,truth", [(0.5, 1.0, "down"), (-0.25, 2.0, "up"), (1e-9, 50.0, "down")])
def test_the_step_goes_against_the_slope(slope, lr, truth):
    answer = pr.step_direction("w", slope, lr)
    assert answer.truth == truth and answer.number == -lr * slope and f"{-lr * slope:+.6f}" in answer.why


@pytest.mark.parametrize("lr", [0.01, 1.0, 50.0])
def test_settling_follows_the_run(lr):
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig(learning_rate=lr, iterations=1_000))
    answer = pr.settles(run.abs_error, lr)
    errors = run.abs_error
    tail = errors[900:]
    calm = np.max(np.diff(tail) / tail[:-1]) <= 0.01
    assert answer.truth == (pr.SETTLES if errors[-1] < 0.5 * errors[0] and calm else pr.DOES_NOT)
    assert f"{errors[-1]:.4f}" in answer.why and f"α = {lr:g}" in answer.why
    if lr == 0.01:
        assert answer.truth == pr.DOES_NOT  # 1,000 tiny steps: the error has hardly moved
    if lr == 1.0:
        assert answer.truth == pr.SETTLES


def test_an_oscillating_run_does_not_settle():
    errors = np.concatenate([np.linspace(2, 0.5, 900), 0.5 + 0.3 * (np.arange(101) % 2)])
    assert pr.settles(errors, 50).truth == pr.DOES_NOT
