import numpy as np
import pytest

from nnviz.engine import network as nn


def test_initialisation_is_trasks_global_seed_stream_without_touching_it():
    np.random.seed(5)
    before = np.random.get_state()[1].copy()
    params = nn.init_params(nn.Network(3, (4,)), seed=1)
    assert np.array_equal(np.random.get_state()[1], before)
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    np.testing.assert_array_equal(params.weights[0], syn0)
    np.testing.assert_array_equal(params.weights[1], syn1)
    assert all(np.all(b == 0) for b in params.biases)


def test_network_sizes_and_repr():
    net = nn.Network(3, (2,), bias=True)
    assert net.sizes == (3, 2, 1)
    assert net.layer_shapes == [(3, 2), (2, 1)]
    assert repr(net) == "Network(3 → 2 → 1, bias)"


def test_weighted_sum_adds_terms_in_order_and_the_bias():
    a = np.array([[1.0, 2.0], [3.0, -1.0]])
    w = np.array([[0.5, -1.0], [0.25, 2.0]])
    z = nn.weighted_sum(a, w, np.array([0.1, 0.0]))
    np.testing.assert_allclose(z, a.dot(w) + [0.1, 0.0])
    assert nn.dot_terms(a, w).shape == (2, 2, 2)


@pytest.mark.parametrize("activation", nn.ACTIVATIONS.values(), ids=lambda a: a.name)
def test_each_slope_written_from_the_output_is_the_derivative(activation):
    z = np.linspace(-6, 6, 13) + 0.05  # off ReLU's kink at 0
    h = 1e-6
    numeric = (activation.function(z + h) - activation.function(z - h)) / (2 * h)
    np.testing.assert_allclose(
        activation.slope(activation.function(z)), numeric, rtol=1e-6, atol=1e-9
    )  # 1 − a² cancels near ±1


def test_the_sigmoid_is_the_articles_and_the_output_is_always_a_sigmoid():
    z = np.array([-2.0, 0.0, 3.5])
    np.testing.assert_array_equal(nn.ACTIVATIONS["sigmoid"].function(z), 1 / (1 + np.exp(-z)))
    assert [a.name for a in nn.Network(3, (4, 2), activation="tanh").activations] == ["tanh", "tanh", "sigmoid"]
    assert [a.name for a in nn.Network(3, activation="relu").activations] == ["sigmoid"]
    assert repr(nn.Network(3, (2,), activation="relu")) == "Network(3 → 2 → 1, relu)"


def test_cross_entropy_delta_is_the_full_chain_rule_product():
    rs = np.random.RandomState(0)
    p = rs.uniform(0.05, 0.95, (6, 1))
    y = (rs.uniform(size=(6, 1)) < 0.5).astype(float)
    dE_dp = (p - y) / (p * (1 - p)) / len(y)  # ∂E/∂ŷ of the mean cross-entropy
    np.testing.assert_allclose(nn.bce_output_delta(p, y), dE_dp * nn.OUTPUT_ACTIVATION.slope(p), rtol=1e-12)


def test_cross_entropy_is_finite_when_the_sigmoid_saturates():
    p = np.array([[0.0], [1.0]])
    y = np.array([[1.0], [0.0]])
    assert np.isfinite(nn.binary_cross_entropy(p, y))
    assert nn.binary_cross_entropy(p, y) == pytest.approx(-np.log(1e-15), rel=1e-4)


def test_one_step_is_trasks_iteration():
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], float)
    y = np.array([[0, 0, 1, 1]], float).T
    params = nn.init_params(nn.Network(3), 123)
    after = nn.step(params, X, y, nn.RULES["trask"], 1.0, bias=False)
    np.testing.assert_allclose(after.weights[0].ravel(), [0.67423821, -0.33473064, -0.40469539], atol=5e-9)


def test_gradient_descent_lowers_each_objective_for_a_small_step():
    rs = np.random.RandomState(3)
    X = rs.normal(size=(20, 3))
    y = (rs.uniform(size=(20, 1)) < 0.5).astype(float)
    params = nn.init_params(nn.Network(3, (4,), bias=True), 3)
    for rule in nn.RULES.values():
        before = rule.objective(nn.forward(params, X)[-1], y)
        after = nn.step(params, X, y, rule, 0.01, bias=True)
        assert rule.objective(nn.forward(after, X)[-1], y) < before


def test_accuracy_counts_the_right_side_of_one_half():
    assert nn.accuracy(np.array([0.2, 0.5, 0.7, 0.49]), np.array([0, 1, 0, 0])) == 0.75


def test_unit_names_and_the_flat_parameter_order():
    net = nn.Network(3, (3, 2), bias=True)
    assert nn.unit_names(net, ["a", "b", "c"]) == [["a", "b", "c"], ["h1.1", "h1.2", "h1.3"], ["h2.1", "h2.2"], ["ŷ"]]
    params = nn.parameters(net, ["a", "b", "c"])
    labels = [p.label for p in params]
    assert labels[0] == "a→h1.1" and labels[-1] == "bias→ŷ" and len(labels) == 9 + 6 + 2 + 3 + 2 + 1
    assert [p.is_bias for p in params] == [False] * 17 + [True] * 6  # weights layer by layer, then biases
    assert len(nn.parameters(nn.Network(3, (2,), bias=False))) == 6 + 2  # no bias, no bias parameters


def test_one_parameter_reads_sets_and_follows_a_run_in_the_kernels_order():
    from nnviz.engine import kernel
    from nnviz.engine.training import TrainingConfig, train

    X, y = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], float), np.array([0, 1, 1, 0], float)
    run = train(X, y, TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=1, iterations=300))
    params = run.final_params
    every = nn.parameters(run.network)
    flat = np.concatenate([kernel.flatten(params.weights), kernel.flatten(params.biases)])
    assert [p.get(params) for p in every] == flat.tolist()  # one flat order, the compiled loop's
    copy = params.copy()
    every[7].set(copy, 42.0)
    assert every[7].get(copy) == 42.0 and every[7].get(params) != 42.0
    for p in (every[0], every[-1]):
        assert len(p.path(run)) == len(run.snapshot_iterations) and p.path(run)[-1] == p.get(params)
