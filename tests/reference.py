"""An independent plain-numpy trainer, written the way Trask writes his loop.

It shares no code with ``nnviz``: its own initialisation, forward pass, deltas and updates,
so agreement with the engine means both do the same arithmetic.
"""

import numpy as np


def reference_train(X, y, hidden=(), bias=False, rule="trask", lr=1.0, seed=123, iterations=1000):
    """Returns (weights, biases, abs_errors, losses): per-iteration metrics before each update,
    plus one entry after the last update."""
    rs = np.random.RandomState(seed)
    sizes = [X.shape[1], *hidden, 1]
    weights = [2 * rs.random_sample((a, b)) - 1 for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [np.zeros(b) for b in sizes[1:]]
    y = y.reshape(-1, 1).astype(float)
    abs_errors, losses = [], []
    for i in range(iterations + 1):
        layers = [X]
        for w, b in zip(weights, biases):
            layers.append(1 / (1 + np.exp(-(np.dot(layers[-1], w) + b))))
        out = layers[-1]
        abs_errors.append(np.abs(y - out).sum())
        if rule == "trask":
            losses.append(0.5 * np.sum((y - out) ** 2))
        else:
            p = np.clip(out, 1e-15, 1 - 1e-15)
            losses.append(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        if i == iterations:
            break
        if rule == "trask":
            delta = (y - out) * out * (1 - out)
            sign = 1.0
        else:
            delta = (out - y) / len(y)
            sign = -1.0
        deltas = [delta]
        for w, layer in zip(weights[:0:-1], layers[-2:0:-1]):
            deltas.insert(0, deltas[0].dot(w.T) * layer * (1 - layer))
        for j in range(len(weights)):
            weights[j] = weights[j] + sign * lr * layers[j].T.dot(deltas[j])
            if bias:
                biases[j] = biases[j] + sign * lr * deltas[j].sum(axis=0)
    return weights, biases, np.array(abs_errors), np.array(losses)
