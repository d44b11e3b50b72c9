"""What a student can take home: a run's history as CSV, and a numpy script that redoes it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nnviz.engine import network as nn
from nnviz.engine.training import Run


def history_frame(run: Run, feature_names: Sequence[str]) -> pd.DataFrame:
    """One row per snapshot iteration: the errors then and every weight, labelled."""
    ks = run.snapshot_iterations
    columns = {
        "iteration": ks,
        "abs_error_sum": run.abs_error[ks],
        "loss": run.objective[ks],
        "accuracy": run.accuracy[ks],
    }
    for param in nn.parameters(run.network, feature_names):
        columns[param.label if param.is_bias else f"w {param.label}"] = param.path(run)
    return pd.DataFrame(columns)


def history_csv(run: Run, feature_names: Sequence[str]) -> str:
    return history_frame(run, feature_names).to_csv(index=False, float_format="%.10g")


SCRIPT = '''"""Reproduces an nnviz run in plain numpy: {description}.

Run it with `python {filename}`; it prints the same final weights as the page.
"""
import numpy as np

X = np.array({X})
y = np.array({y}).reshape(-1, 1)
hidden = {hidden}
use_bias = {bias}
learning_rate = {lr!r}
iterations = {iterations}

# Trask's initialisation: one seeded generator, W = 2 * random((n_in, n_out)) - 1 per layer.
rs = np.random.RandomState({seed})
sizes = [X.shape[1], *hidden, 1]
weights = [2 * rs.random_sample((n_in, n_out)) - 1 for n_in, n_out in zip(sizes[:-1], sizes[1:])]
biases = [np.zeros(n_out) for n_out in sizes[1:]]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


for iteration in range(iterations):
    # Forward: every layer is the sigmoid of a weighted sum.
    layers = [X]
    for w, b in zip(weights, biases):
        layers.append(sigmoid(layers[-1].dot(w) + b))
    prediction = layers[-1]

    # Output delta ({rule_title}), then blame passed back through each layer's weights.
    delta = {script_delta}
    direction = {direction:+.1f}  # {update_formula}
    deltas = [delta]
    for w, h in zip(weights[:0:-1], layers[-2:0:-1]):
        deltas.insert(0, deltas[0].dot(w.T) * h * (1 - h))

    # Update every layer at once, from the deltas of the weights before the update.
    for layer in range(len(weights)):
        weights[layer] += direction * learning_rate * layers[layer].T.dot(deltas[layer])
        if use_bias:
            biases[layer] += direction * learning_rate * deltas[layer].sum(axis=0)

np.set_printoptions(precision=8, suppress=True)
for number, (w, b) in enumerate(zip(weights, biases), start=1):
    print(f"layer {{number}} weights after {{iterations:,}} iterations:")
    print(w)
    if use_bias:
        print(f"layer {{number}} biases:", b)
'''


def numpy_script(run: Run, description: str, filename: str = "nnviz_run.py") -> str:
    """A standalone script: this run's data and settings, and Trask's loop generalised."""
    config, rule = run.config, nn.RULES[run.config.rule]
    return SCRIPT.format(
        description=description,
        filename=filename,
        X=np.array2string(run.X, separator=", ", threshold=10**9, floatmode="unique").replace("\n", "\n    "),
        y=run.y.astype(int).tolist() if np.all(run.y == np.round(run.y)) else run.y.tolist(),
        hidden=list(config.hidden),
        bias=config.bias,
        rule_title=rule.title,
        script_delta=rule.script_delta,
        direction=rule.direction,
        update_formula=rule.update_formula,
        lr=float(config.learning_rate),
        iterations=run.last_iteration,
        seed=config.seed,
    )
