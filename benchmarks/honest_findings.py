"""What the grades page says about classes with a known rule (issue 24), and what it costs.

For each rule of ``scripts/make_classes.py`` and each class size, five seeds (1–5: the class,
its split, its resamples), prints what the findings claim: whether the network beats guessing,
the grade named as mattering most (or "cannot tell"), and each grade said to help or hurt,
beside a plain logistic regression's z-scores on the same class (Newton's method).  Then the
seconds one findings section takes per class size.

    python benchmarks/honest_findings.py [--sizes 40 100 300] [--resamples 40]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnviz.engine.training import TrainingConfig  # noqa: E402
from nnviz.gradebook import findings as grades  # noqa: E402
from nnviz.gradebook.intake import build  # noqa: E402
from nnviz.gradebook.reading import read_table  # noqa: E402
from nnviz.gradebook.regression import fit_logistic  # noqa: E402


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


classes = load_script("make_classes")


def intake_of(rule: str, n: int, seed: int):
    frame = classes.made_class(n, rule, seed)
    return build(read_table(frame.to_csv(index=False).encode(), f"{rule}{n}.csv"))


def z_scores(intake) -> str:
    data = intake.dataset
    fitted = fit_logistic(np.c_[np.ones(len(data.y)), data.X], data.y)
    if fitted is None:
        return "separated"
    beta, cov = fitted
    z = beta[1:] / np.sqrt(np.diag(cov)[1:])
    return " ".join(f"{name[0]}{v:+.1f}" for name, v in zip(intake.features, z))


def cell(rule: str, n: int, resamples: int) -> tuple[str, float, list[str]]:
    said, seconds, zs = Counter(), 0.0, []
    for seed in range(1, 6):
        intake = intake_of(rule, n, seed)
        config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=seed, iterations=5_000)
        started = time.perf_counter()
        found = grades.findings(intake, config, 0.2, resamples)
        seconds += time.perf_counter() - started
        if not found.claims:
            said["no better than guessing"] += 1
        else:
            said[found.most_important or "cannot tell"] += 1
            for effect in found.effects:
                if effect.grade in classes.NO_WEIGHT[rule] and effect.direction:
                    said[f"{effect.grade} (no weight) said to {effect.direction[:-1]}"] += 1
        zs.append(z_scores(intake))
    words = "; ".join(f"{what} {k}" for what, k in said.most_common() if k)
    return words, seconds / 5, zs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 100, 300])
    parser.add_argument("--resamples", type=int, default=grades.RESAMPLES)
    parser.add_argument("--rules", nargs="+", default=list(classes.RULES))
    args = parser.parse_args()
    grades.findings(
        intake_of("tests", 40, 1),
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=1, iterations=50),
        0.2,
        10,
    )  # compile
    costs: dict[int, list[float]] = {n: [] for n in args.sizes}
    print(f"| class | {' | '.join(f'{n} students' for n in args.sizes)} |")
    print(f"| --- |{' --- |' * len(args.sizes)}")
    for rule in args.rules:
        cells = []
        for n in args.sizes:
            words, seconds, zs = cell(rule, n, args.resamples)
            costs[n].append(seconds)
            cells.append(words)
            print(f"  {rule} {n}: logistic regression z: {' / '.join(zs)}", file=sys.stderr)
        print(f"| {rule} | {' | '.join(cells)} |", flush=True)
    print()
    print("| students | seconds per findings section (kept network and resamples) |")
    print("| --- | --- |")
    for n in args.sizes:
        print(f"| {n} | {np.mean(costs[n]):.2f} |")


if __name__ == "__main__":
    main()
