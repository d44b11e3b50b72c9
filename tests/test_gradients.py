import numpy as np
import pytest

from nnviz import datasets
from nnviz.engine import network as nn
from nnviz.engine.gradients import blame, error_along, error_surface, numerical_gradient, simplified_formula_check
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig, train, train_many

NETWORKS = [
    ("students", (2,), True, "bce", "sigmoid"),
    ("students", (2,), True, "trask", "sigmoid"),
    ("xor", (4,), False, "trask", "sigmoid"),
    ("xor", (3, 2), True, "bce", "sigmoid"),
    ("trask", (), False, "trask", "sigmoid"),
    ("students", (2,), True, "bce", "tanh"),
    ("xor", (3, 2), True, "trask", "tanh"),
    ("students", (3,), True, "trask", "relu"),
    ("students", (4,), False, "bce", "relu"),  # one layer: a dead unit below another puts z exactly on the kink
]


@pytest.mark.parametrize("name,hidden,bias,rule,activation", NETWORKS)
def test_chain_rule_agrees_with_finite_differences(name, hidden, bias, rule, activation):
    data = datasets.BUILT_IN[name]()
    config = TrainingConfig(
        hidden=hidden, bias=bias, rule=rule, learning_rate=0.5, seed=3, iterations=200, activation=activation
    )
    run = train(data.X, data.y, config)
    for k in (0, 150):
        for b in blame(trace_iteration(run, k)):
            assert b.relative_difference < 1e-6 or abs(b.analytic - b.numeric) < 1e-11, b.label
            # The per-row products of the printed factors add up to the gradient.
            assert b.per_row.sum() == pytest.approx(b.analytic, rel=1e-9, abs=1e-15)
            assert b.step == pytest.approx(-0.5 * b.analytic)


def test_blame_factors_name_the_chain_rule():
    data = datasets.students()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=10)
    )
    blames = {b.label: b for b in blame(trace_iteration(run, 5), data.feature_names)}
    assert blames["h1→ŷ"].factor_names == ("(ŷ − y) / m", "h1")
    assert blames["written_tests→h2"].factor_names == ("(ŷ − y) / m", "w(h2→ŷ)", "h2(1 − h2)", "written_tests")
    trask_run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule="trask", learning_rate=1.0, seed=123, iterations=10)
    )
    names = {b.label: b.factor_names for b in blame(trace_iteration(trask_run, 5), data.feature_names)}
    assert names["h1→ŷ"] == ("(ŷ − y)", "ŷ(1 − ŷ)", "h1")


@pytest.mark.parametrize("activation,slope_name", [("tanh", "1 − h2²"), ("relu", "1 if z > 0 else 0")])
def test_blame_factors_name_the_hidden_activations_derivative(activation, slope_name):
    data = datasets.students()
    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", seed=123, iterations=10, activation=activation)
    trace = trace_iteration(train(data.X, data.y, config), 5)
    blames = {b.label: b for b in blame(trace, data.feature_names)}
    assert blames["written_tests→h2"].factor_names == ("(ŷ − y) / m", "w(h2→ŷ)", slope_name, "written_tests")
    h2 = trace.layers[0].outputs[:, 1]
    slope = 1 - h2 * h2 if activation == "tanh" else (h2 > 0).astype(float)
    np.testing.assert_array_equal(blames["written_tests→h2"].factors[:, 2], slope)
    assert trace.layers[0].activation.name == activation and trace.layers[1].activation.name == "sigmoid"


def test_the_simplified_output_formula_equals_the_full_product():
    data = datasets.students()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=300)
    )
    trace = trace_iteration(run, 300)
    check = simplified_formula_check(trace)
    np.testing.assert_allclose(check.full, check.simplified, rtol=1e-12, atol=1e-16)
    # Both against what does not come from that function: the weight's slope by nudging it.
    last = len(run.network.layer_shapes) - 1
    param = next(p for p in nn.parameters(run.network) if p.layer == last and p.source == 0 and not p.is_bias)
    params, h = run.params_at(300), 1e-6
    value = param.get(params)
    up, down = error_along(params, data.X, data.y, run.rule, param, np.array([value + h, value - h]))
    assert check.simplified.sum() == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_the_update_moves_each_weight_by_minus_alpha_times_its_gradient():
    data = datasets.xor()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(3,), bias=True, rule="trask", learning_rate=2.0, seed=1, iterations=50)
    )
    before, after = run.params_at(20), run.params_at(21)
    for b in blame(trace_iteration(run, 20)):
        moved = b.param.get(after) - b.param.get(before)
        assert moved == pytest.approx(b.step, rel=1e-9, abs=1e-15)


def test_error_slice_and_contour_match_direct_evaluation():
    data = datasets.students()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=100)
    )
    params, rule = run.final_params, run.rule
    values = np.linspace(-3, 3, 7)
    out_weight, hidden_bias = nn.Param(1, 0, 0, "h1→ŷ"), nn.Param(0, None, 1, "bias→h2")
    along = error_along(params, data.X, data.y, rule, out_weight, values)
    surface = error_surface(params, data.X, data.y, rule, out_weight, hidden_bias, values, values[:4])
    assert surface.shape == (4, 7)
    for a, v2 in enumerate(values[:4]):
        for b, v1 in enumerate(values):
            p = params.copy()
            p.weights[1][0, 0] = v1
            p.biases[0][1] = v2
            direct = rule.objective(nn.forward(p, data.X)[-1], data.y[:, None])
            assert surface[a, b] == direct  # the vectorised grid sums in the same order: equal to the bit
    # The slice through the current value of the second weight is one of the contour's rows.
    p = params.copy()
    p.biases[0][1] = values[0]
    np.testing.assert_allclose(error_along(p, data.X, data.y, rule, out_weight, values), surface[0], rtol=1e-12)
    assert along[3] == pytest.approx(error_along(params, data.X, data.y, rule, out_weight, [0.0])[0])
    # The slope at the current weight is the analytic gradient.
    w = params.weights[1][0, 0]
    h = 1e-6
    e = error_along(params, data.X, data.y, rule, out_weight, np.array([w - h, w + h]))
    numeric = numerical_gradient(params, data.X, data.y, rule, out_weight)
    assert (e[1] - e[0]) / (2 * h) == pytest.approx(numeric, rel=1e-6)


def test_learning_rate_comparison_equals_separate_runs():
    data = datasets.trask()
    configs = [TrainingConfig(learning_rate=a, iterations=20_000) for a in (0.01, 0.1, 1, 10, 50)]
    together = train_many(data.X, data.y, configs)
    for config, run in zip(configs, together):
        alone = train(data.X, data.y, config)
        np.testing.assert_array_equal(run.abs_error, alone.abs_error)
        np.testing.assert_array_equal(run.final_params.weights[0], alone.final_params.weights[0])
    finals = [run.abs_error[-1] for run in together]
    assert finals[0] > finals[1] > finals[2]  # too small a rate is slow


def test_the_landscape_in_slices_equals_it_in_one_piece(monkeypatch):
    import nnviz.engine.gradients

    data = datasets.students()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=100)
    )
    a, b = nn.Param(0, 0, 1, "w"), nn.Param(1, 1, 0, "v")
    whole = error_surface(
        run.final_params, data.X, data.y, run.rule, a, b, np.linspace(-2, 2, 9), np.linspace(-1, 1, 5)
    )
    monkeypatch.setattr(nnviz.engine.gradients, "GRID_CELLS", 1)  # one grid point per slice
    sliced = error_surface(
        run.final_params, data.X, data.y, run.rule, a, b, np.linspace(-2, 2, 9), np.linspace(-1, 1, 5)
    )
    np.testing.assert_array_equal(whole, sliced)
