import numpy as np
import pytest

from nnviz import datasets
from nnviz.engine import network as nn
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig, train


def test_trace_of_the_articles_iteration_one(article_run):
    t = trace_iteration(article_run, 1)
    (layer,) = t.layers
    np.testing.assert_allclose(layer.weights.ravel(), [0.67423821, -0.33473064, -0.40469539], atol=5e-9)
    z = [-0.40469539, -0.73942603, 0.26954282, -0.06518782]
    np.testing.assert_allclose(layer.weighted_sums.ravel(), z, atol=5e-9)
    np.testing.assert_allclose(t.predictions, [0.40018475, 0.32312967, 0.56698066, 0.48370881], atol=5e-9)
    np.testing.assert_allclose(t.errors, [-0.40018475, -0.32312967, 0.43301934, 0.51629119], atol=5e-9)
    np.testing.assert_allclose(layer.new_weights.ravel(), [0.90948611, -0.27646878, -0.33618051], atol=5e-9)
    assert round(t.abs_error_sum, 2) == 1.67
    # Each dot product is the sum of its printed terms.
    np.testing.assert_allclose(layer.terms.sum(axis=1), layer.weighted_sums, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "name,config",
    [
        ("trask", TrainingConfig(iterations=5_000)),
        ("xor", TrainingConfig(hidden=(4,), bias=True, seed=1, iterations=5_000)),
        ("students", TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=5_000)),
        (
            "students",
            TrainingConfig(hidden=(3, 2), bias=False, rule="trask", learning_rate=0.05, seed=9, iterations=5_000),
        ),
        ("xor", TrainingConfig(hidden=(4,), bias=True, seed=1, iterations=5_000, activation="tanh")),
        ("students", TrainingConfig(hidden=(3, 2), bias=True, rule="bce", seed=9, iterations=5_000, activation="relu")),
    ],
)
def test_trace_equals_the_run(name, config):
    data = datasets.BUILT_IN[name]()
    run = train(data.X, data.y, config)
    for k in (0, 1, 7, 123, 2_345, 4_999):
        t = trace_iteration(run, k)
        assert t.abs_error_sum == pytest.approx(run.abs_error[k], rel=1e-12)
        assert t.objective == pytest.approx(run.objective[k], rel=1e-12)
        assert t.accuracy == run.accuracy[k]
        after = run.params_at(k + 1)
        for layer, w, b in zip(t.layers, after.weights, after.biases):
            np.testing.assert_allclose(layer.new_weights, w, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(layer.new_biases, b, rtol=1e-12, atol=1e-15)


def test_replay_from_a_snapshot_is_exact():
    data = datasets.students()
    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=3_000)
    long_run = train(data.X, data.y, config)
    k = 2_222
    assert k not in long_run.snapshot_iterations
    short_run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=k)
    )
    for got, want in zip(long_run.params_at(k).weights, short_run.final_params.weights):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("rule", ["bce", "trask"])
def test_gradients_match_finite_differences(rule):
    data = datasets.students()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule=rule, learning_rate=0.5, seed=4, iterations=50)
    )
    t = trace_iteration(run, 50)
    params = run.params_at(50)

    def objective(p):
        return run.rule.objective(nn.forward(p, data.X)[-1], data.y[:, None])

    h = 1e-6
    for li, layer in enumerate(t.layers):
        for idx in np.ndindex(layer.weights.shape):
            plus, minus = params.copy(), params.copy()
            plus.weights[li][idx] += h
            minus.weights[li][idx] -= h
            numeric = (objective(plus) - objective(minus)) / (2 * h)
            assert layer.weight_gradients[idx] == pytest.approx(numeric, rel=1e-6, abs=1e-10)


def test_iterations_outside_the_run_are_refused(article_run):
    with pytest.raises(ValueError, match="outside"):
        trace_iteration(article_run, 100_001)
