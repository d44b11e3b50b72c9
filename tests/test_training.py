import numpy as np
import pytest
from reference import reference_train

from nnviz import datasets
from nnviz.engine import network as nn
from nnviz.engine.training import TrainingConfig, snapshot_schedule, train, train_stream

# The article's printout, iteration by iteration (weights before the update, predictions).
ARTICLE = {
    0: ([0.39293837, -0.42772133, -0.54629709], [0.36672394, 0.27408027, 0.46173529, 0.35868411]),
    1: ([0.67423821, -0.33473064, -0.40469539], [0.40018475, 0.32312967, 0.56698066, 0.48370881]),
    2: ([0.90948611, -0.27646878, -0.33618051], None),
}


@pytest.mark.parametrize("k", sorted(ARTICLE))
def test_article_iterations_digit_for_digit(article_run, k):
    weights, predictions = ARTICLE[k]
    params = article_run.params_at(k)
    assert np.round(params.weights[0].ravel(), 8).tolist() == weights
    if predictions is not None:
        X = datasets.trask().X
        got = 1 / (1 + np.exp(-X.dot(params.weights[0]).ravel()))
        assert np.round(got, 8).tolist() == predictions


def test_article_errors_and_final_weights(article_run):
    assert round(article_run.abs_error[0], 2) == 1.82
    assert round(article_run.abs_error[1], 2) == 1.67
    assert round(article_run.abs_error[10_000], 5) == 0.03182
    assert round(article_run.abs_error[100_000], 5) == 0.00995
    final = article_run.final_params.weights[0].ravel()
    # The article cuts its final weights to 4 decimals (-0.20447873 is printed -0.2044).
    assert (np.trunc(final * 1e4) / 1e4).tolist() == [12.0087, -0.2044, -5.8002]
    np.testing.assert_allclose(final, [12.00871622, -0.20447873, -5.80024997], atol=5e-9)
    assert article_run.last_iteration == 100_000 and article_run.finished and not article_run.stopped_early


CASES = [
    # (dataset, hidden, bias, rule, lr, seed)
    ("trask", (), False, "trask", 1.0, 123),
    ("trask", (), True, "bce", 0.5, 7),
    ("xor", (4,), False, "trask", 1.0, 1),
    ("xor", (3, 2), True, "trask", 1.5, 99),
    ("xor", (4,), True, "bce", 10.0, 3),
    ("students", (2,), True, "bce", 1.0, 123),
    ("students", (2,), False, "bce", 0.1, 5),
    ("students", (5, 3), True, "trask", 0.05, 11),
    ("students", (8, 8, 8), True, "bce", 3.0, 2024),
]


@pytest.mark.parametrize("name,hidden,bias,rule,lr,seed", CASES)
def test_matches_independent_numpy_reference(name, hidden, bias, rule, lr, seed):
    data = datasets.BUILT_IN[name]()
    n = 600
    run = train(
        data.X, data.y, TrainingConfig(hidden=hidden, bias=bias, rule=rule, learning_rate=lr, seed=seed, iterations=n)
    )
    weights, biases, abs_errors, losses = reference_train(data.X, data.y, hidden, bias, rule, lr, seed, n)
    for got, want in zip(run.final_params.weights, weights):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    for got, want in zip(run.final_params.biases, biases):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.abs_error, abs_errors, rtol=1e-9)
    np.testing.assert_allclose(run.objective, losses, rtol=1e-9)
    if not bias:
        assert all(np.all(b == 0) for b in run.final_params.biases)


def test_xor_reaches_trasks_printed_output():
    data = datasets.xor()
    run = train(data.X, data.y, TrainingConfig(hidden=(4,), seed=1, iterations=60_000))
    # Trask prints the predictions of his last iteration, before its update.
    params = run.params_at(59_999)
    h = 1 / (1 + np.exp(-data.X.dot(params.weights[0])))
    out = (1 / (1 + np.exp(-h.dot(params.weights[1])))).ravel()
    np.testing.assert_allclose(out, [0.00260572, 0.99672209, 0.99701711, 0.00386759], atol=5e-8)


def test_streaming_yields_the_same_numbers_as_one_run(article_run):
    data = datasets.trask()
    runs = list(train_stream(data.X, data.y, TrainingConfig(), chunk_seconds=0.001))
    assert len(runs) > 3
    assert [r.finished for r in runs] == [False] * (len(runs) - 1) + [True]
    lengths = [len(r.abs_error) for r in runs]
    assert lengths == sorted(lengths) and lengths[-1] == 100_001
    for partial in runs:
        n = len(partial.abs_error)
        np.testing.assert_array_equal(partial.abs_error, article_run.abs_error[:n])
        k = partial.last_iteration
        np.testing.assert_array_equal(partial.params_at(k).weights[0], article_run.params_at(k).weights[0])
    np.testing.assert_array_equal(runs[-1].snapshot_weights[0], article_run.snapshot_weights[0])


def test_a_callback_can_stop_a_run_early():
    data = datasets.students()
    seen = []

    def on_progress(run):
        seen.append(run.last_iteration)
        return run.last_iteration < 3_000

    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=1_000_000)
    run = train(data.X, data.y, config, on_progress=on_progress, chunk_seconds=0.005)
    assert run.stopped_early and run.finished
    # The stop evaluates the weights after the last completed chunk: one iteration further.
    assert seen[-1] >= 3_000 and run.last_iteration == seen[-1] + 1
    assert run.snapshot_iterations[-1] == run.last_iteration
    full = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=run.last_iteration),
    )
    np.testing.assert_array_equal(run.abs_error, full.abs_error)
    np.testing.assert_array_equal(run.final_params.weights[1], full.final_params.weights[1])


def test_time_cap_stops_a_long_run():
    data = datasets.students()
    run = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(8, 8, 8), bias=True, rule="bce", learning_rate=1.0, seed=1, iterations=10_000_000),
        max_seconds=0.2,
    )
    assert run.stopped_early and 0 < run.last_iteration < 10_000_000
    assert np.isfinite(run.abs_error).all()


def test_memory_of_a_million_iterations_of_the_grades_net_is_bounded():
    import tracemalloc

    data = datasets.students()
    tracemalloc.start()
    run = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=1_000_000),
        max_seconds=0.1,
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.stopped_early  # the buffers for all 1,000,000 iterations were allocated regardless
    assert 24e6 < peak < 100e6


def test_snapshot_schedule_is_dense_early_and_log_spaced_later():
    ks = snapshot_schedule(100_000)
    assert ks[0] == 0 and ks[-1] == 100_000 and list(ks[:11]) == list(range(11))
    assert np.all(np.diff(ks) > 0)
    ratios = ks[40:] / ks[39:-1]
    assert ratios.max() < 1.06  # about 60 points per power of ten
    assert len(ks) < 400
    assert snapshot_schedule(0).tolist() == [0]
    assert snapshot_schedule(3).tolist() == [0, 1, 2, 3]


def test_same_settings_same_numbers():
    data = datasets.students()
    config = TrainingConfig(hidden=(3,), bias=True, rule="bce", learning_rate=0.7, seed=42, iterations=2_000)
    a, b = train(data.X, data.y, config), train(data.X, data.y, config)
    np.testing.assert_array_equal(a.objective, b.objective)
    np.testing.assert_array_equal(a.snapshot_weights[0], b.snapshot_weights[0])


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"rule": "mse"}, "unknown rule"),
        ({"learning_rate": 0}, "learning rate"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"hidden": (0,)}, "hidden"),
        ({"iterations": -1}, "negative"),
        ({"seed": -3}, "seed"),
    ],
)
def test_bad_configs_are_refused_with_a_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainingConfig(**kwargs)


def test_zero_iterations_evaluates_the_initial_weights():
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig(iterations=0))
    assert run.last_iteration == 0 and round(run.abs_error[0], 8) == 1.82038481


@pytest.mark.parametrize("activation", list(nn.ACTIVATIONS))
@pytest.mark.parametrize("rule", list(nn.RULES))
def test_the_compiled_loop_is_the_readable_steps_for_every_activation(activation, rule):
    data = datasets.xor()
    config = TrainingConfig(
        hidden=(3, 2), bias=True, rule=rule, learning_rate=0.7, seed=2, iterations=200, activation=activation
    )
    run = train(data.X, data.y, config)
    params = run.params_at(0)
    assert [a.name for a in params.activations] == [activation, activation, "sigmoid"]
    for _ in range(config.iterations):
        params = nn.step(params, data.X, data.y[:, None], nn.RULES[rule], config.learning_rate, config.bias)
    for got, want in zip(run.final_params.weights + run.final_params.biases, params.weights + params.biases):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_the_activation_decides_the_run_only_with_a_hidden_layer():
    data = datasets.xor()
    runs = {
        name: train(data.X, data.y, TrainingConfig(hidden=(2,), iterations=50, activation=name))
        for name in nn.ACTIVATIONS
    }
    finals = [run.abs_error[-1] for run in runs.values()]
    assert len(set(finals)) == len(finals)
    assert TrainingConfig(activation="tanh") == TrainingConfig()  # nothing to squash without a hidden layer
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        TrainingConfig(hidden=(2,), activation="swish")
