"""How much faster nnviz trains than the plain numpy loops it replaces.

Prints, for each network, the best of several timings of a plain numpy loop written in
Trask's style and of ``nnviz.train`` on the same settings, and their ratio.  Both sides
record what a page needs (nnviz: per-iteration objective, Σ|error| and accuracy, plus
weight snapshots; the numpy loop: the same three metrics), so the ratio is like for like.

    python benchmarks/bench_training.py [--iterations N] [--repeats R]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python benchmarks/…` from the repo
from nnviz import datasets  # noqa: E402
from nnviz.engine.training import TrainingConfig, train  # noqa: E402


def trask_loop(X, y, iterations):
    """The article's 11 lines, with the metrics a chart needs."""
    rs = np.random.RandomState(123)
    syn0 = 2 * rs.random_sample((3, 1)) - 1
    y = y[:, None]
    errors = np.empty(iterations)
    for i in range(iterations):
        l1 = 1 / (1 + np.exp(-np.dot(X, syn0)))
        l1_error = y - l1
        errors[i] = np.abs(l1_error).sum()
        syn0 += np.dot(X.T, l1_error * l1 * (1 - l1))
    return syn0


def grades_loop(X, y, iterations, lr=1.0):
    """The same style of loop for a 3-2-1 cross-entropy network with biases."""
    rs = np.random.RandomState(123)
    w1, w2 = 2 * rs.random_sample((3, 2)) - 1, 2 * rs.random_sample((2, 1)) - 1
    b1, b2 = np.zeros(2), np.zeros(1)
    y = y[:, None]
    m = len(y)
    loss, errors, accuracy = (np.empty(iterations) for _ in range(3))
    for i in range(iterations):
        h = 1 / (1 + np.exp(-(X.dot(w1) + b1)))
        p = 1 / (1 + np.exp(-(h.dot(w2) + b2)))
        pc = np.clip(p, 1e-15, 1 - 1e-15)
        loss[i] = -np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))
        errors[i] = np.abs(y - p).sum()
        accuracy[i] = np.mean((p >= 0.5) == (y >= 0.5))
        d2 = (p - y) / m
        d1 = d2.dot(w2.T) * h * (1 - h)
        w2 -= lr * h.T.dot(d2)
        b2 -= lr * d2.sum(axis=0)
        w1 -= lr * X.T.dot(d1)
        b1 -= lr * d1.sum(axis=0)
    return w1, w2


def best_of(repeats, fn):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n, repeats = args.iterations, args.repeats

    article, students = datasets.trask(), datasets.students()
    cases = [
        ("article's network 3-1, 4 rows", article, TrainingConfig(iterations=n), trask_loop, 1 / 50),
        (
            "grades network 3-2-1 BCE, 200 rows",
            students,
            TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=n),
            grades_loop,
            1 / 10,
        ),
    ]
    train(article.X, article.y, TrainingConfig(iterations=10))  # load the compiled kernel first
    print(f"{n:,} iterations, best of {repeats}")
    print(f"{'network':38} {'numpy loop':>11} {'nnviz':>9} {'ratio':>8} {'target':>8}")
    for name, data, config, loop, target in cases:
        numpy_s = best_of(repeats, lambda loop=loop, data=data: loop(data.X, data.y, n))
        nnviz_s = best_of(repeats, lambda data=data, config=config: train(data.X, data.y, config))
        ratio = nnviz_s / numpy_s
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{name:38} {numpy_s:10.3f}s {nnviz_s:8.4f}s  1/{1 / ratio:<5.0f} ≤1/{1 / target:<4.0f} {verdict}")


if __name__ == "__main__":
    main()
