"""Which defaults generalise on class-sized data?  The figures behind the grades page's defaults.

Classes of 50, 100, 200 and 500 students are made by ``scripts/make_students.py``'s stated rule
(written tests weigh 0.6, assignments and oral tests 0.2 each).  For each learning rate and number
of hidden units, five seeds each train on 80 % and keep the network where the held-out 20 %'s loss
was lowest (early stopping).  Printed: the mean held-out cross-entropy, the mean iteration kept, and
how often ``findings`` (5 repeats) names written tests as mattering most, names another grade
(never acceptable), or says it cannot tell, and how often it says a grade *hurts* (all five repeats
below zero; the one 50-student class where it does, a plain logistic regression's coefficient for
that grade is negative too: that small class's data really points that way).

Run: ``python benchmarks/grade_defaults.py`` (about a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnviz.engine.training import TrainingConfig  # noqa: E402
from nnviz.gradebook import findings as grades  # noqa: E402
from nnviz.gradebook.intake import build  # noqa: E402
from nnviz.gradebook.reading import read_table  # noqa: E402


def make_students(seed: int, n: int):
    spec = importlib.util.spec_from_file_location("make_students", ROOT / "scripts" / "make_students.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_students(seed, n)


def class_intake(n: int, seed: int):
    frame = make_students(seed, n)
    return build(read_table(frame.to_csv(index=False).encode(), f"class{n}.csv"))


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # --help says what it measures
    sizes = (50, 100, 200, 500)
    classes = {n: class_intake(n, 1000 + n) for n in sizes}
    print(
        "| students | held-out loss, lr 1 and 2 units (the default) | iteration kept | best of 9 settings "
        "(lr 0.3/1/3 × 1/2/4 units) | logistic regression |"
    )
    print("| --- | --- | --- | --- | --- |")
    for n in sizes:
        results = {}
        for lr in (0.3, 1.0, 3.0):
            for hidden in (1, 2, 4):
                losses, kept, base = [], [], []
                for seed in range(1, 6):
                    config = TrainingConfig(
                        hidden=(hidden,), bias=True, rule="bce", learning_rate=lr, seed=seed, iterations=5_000
                    )
                    fit = grades.fit(classes[n], config, 0.2)
                    losses.append(fit.test_loss)
                    kept.append(fit.best_iteration)
                    base.append(grades.fit(classes[n], grades.baseline_config(config), 0.2).test_loss)
                results[lr, hidden] = (np.mean(losses), np.mean(kept), np.mean(base))
        (best_lr, best_hidden), best = min(results.items(), key=lambda item: item[1][0])
        loss, kept, base = results[1.0, 2]
        print(f"| {n} | {loss:.3f} | {kept:,.0f} | {best[0]:.3f} (lr {best_lr:g}, {best_hidden} units) | {base:.3f} |")
    print()
    print(
        "| students | seeds naming written tests | naming another grade | cannot tell | a grade said to hurt | seconds per findings |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for n in (60, *sizes):
        intake = classes.get(n) or class_intake(n, 1000 + n)
        named, other, unsure, negative, seconds = 0, 0, 0, 0, []
        for seed in range(1, 6):
            started = time.perf_counter()
            found = grades.findings(
                intake,
                TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=seed, iterations=5_000),
                0.2,
            )
            seconds.append(time.perf_counter() - started)
            top = found.most_important
            named += top == "written_tests"
            other += top is not None and top != "written_tests"
            unsure += top is None
            negative += any(e.direction == "hurts" for e in found.effects)
        print(f"| {n} | {named} of 5 | {other} | {unsure} | {negative} | {np.mean(seconds):.2f} |")


if __name__ == "__main__":
    main()
