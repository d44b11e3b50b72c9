"""nnviz against a peer: scikit-learn's MLPClassifier, trained full-batch by plain gradient descent
(no momentum, no penalty) from nnviz's own starting weights, must end on nnviz's weights.

scikit-learn minimises the mean cross-entropy with a sigmoid output, which is nnviz's "bce" rule;
its ``logistic``, ``tanh`` and ``relu`` are nnviz's hidden activations.
"""

import contextlib
import io
import json
import runpy
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from nnviz import datasets
from nnviz.cli import main
from nnviz.engine.training import TrainingConfig, train
from nnviz.views import export

SKLEARN_NAMES = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}
STEPS = 25


def sklearn_after(config: TrainingConfig, X: np.ndarray, y: np.ndarray, weights, biases) -> MLPClassifier:
    """scikit-learn's network after ``config.iterations`` full-batch steps from ``weights`` and ``biases``."""
    peer = MLPClassifier(
        hidden_layer_sizes=config.hidden,
        activation=SKLEARN_NAMES[config.activation],
        solver="sgd",
        alpha=0.0,
        batch_size=len(y),
        learning_rate="constant",
        learning_rate_init=config.learning_rate,
        momentum=0.0,
        nesterovs_momentum=False,
        shuffle=False,
        tol=0.0,
        n_iter_no_change=10**6,
        warm_start=True,
        max_iter=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # it stops at max_iter, as asked
        peer.fit(X, y)  # builds its layers; then they start from nnviz's weights
        peer.coefs_ = [w.copy() for w in weights]
        peer.intercepts_ = [b.copy() for b in biases]
        peer.set_params(max_iter=config.iterations).fit(X, y)
    assert peer.n_iter_ == config.iterations
    return peer


@pytest.mark.parametrize("activation", list(SKLEARN_NAMES))
@pytest.mark.parametrize("name,hidden,lr,seed", [("students", (3, 2), 0.5, 4), ("xor", (4,), 2.0, 1)])
def test_the_same_net_from_the_same_weights_ends_on_scikit_learns_weights(activation, name, hidden, lr, seed):
    data = datasets.BUILT_IN[name]()
    config = TrainingConfig(
        hidden=hidden, bias=True, rule="bce", learning_rate=lr, seed=seed, iterations=STEPS, activation=activation
    )
    run = train(data.X, data.y, config)
    start, end = run.params_at(0), run.final_params
    peer = sklearn_after(config, data.X, data.y, start.weights, start.biases)
    for ours, theirs in zip(end.weights + end.biases, peer.coefs_ + peer.intercepts_):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    assert max(np.abs(ours - start_w).max() for ours, start_w in zip(end.weights, start.weights)) > 1e-3  # it moved


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_the_cli_and_the_numpy_script_end_on_scikit_learns_weights(activation, capsys, tmp_path):
    data = datasets.xor()
    config = TrainingConfig(
        hidden=(4,), bias=True, rule="bce", learning_rate=2.0, seed=1, iterations=STEPS, activation=activation
    )
    assert (
        main(
            [
                "trace",
                "--dataset",
                "xor",
                "--hidden",
                "4",
                "--bias",
                "--loss",
                "bce",
                "--lr",
                "2",
                "--seed",
                "1",
                "--iterations",
                str(STEPS),
                "--activation",
                activation,
                "--at",
                "0",
                "--json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["config"]["activation"] == activation
    start = (
        [np.array(w) for w in doc["iterations"][0]["weights"]],
        [np.array(b) for b in doc["iterations"][0]["biases"]],
    )
    peer = sklearn_after(config, data.X, data.y, *start)
    cli_end = [np.array(w) for w in doc["final"]["weights"] + doc["final"]["biases"]]
    path = tmp_path / "nnviz_run.py"
    path.write_text(export.numpy_script(train(data.X, data.y, config), "a test"))
    with contextlib.redirect_stdout(io.StringIO()):
        script = runpy.run_path(str(path))
    assert script["functions"][0].__name__ == activation
    for cli, numpy_script, theirs in zip(cli_end, script["weights"] + script["biases"], peer.coefs_ + peer.intercepts_):
        np.testing.assert_allclose(cli, theirs, rtol=0, atol=1e-9)
        np.testing.assert_allclose(numpy_script, theirs, rtol=0, atol=1e-9)
