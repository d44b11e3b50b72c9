"""What the grades page's findings cost: one class trained 42 times (the page's run, 40 bootstrap resamples,
the logistic-regression baseline) and its figures drawn.

Prints, for a 200-student class and a 5,000-row file (both made by scripts/make_students.py's
rule), the seconds for the whole page's training and figures, and the compiled loop's
nanoseconds per row per iteration, against the server's 20 s cap for one run.

    python benchmarks/bench_grades.py
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

from nnviz.engine.training import TrainingConfig, train  # noqa: E402
from nnviz.gradebook import findings as grades  # noqa: E402
from nnviz.gradebook.intake import build  # noqa: E402
from nnviz.gradebook.reading import read_table  # noqa: E402
from nnviz.settings import GRADES  # noqa: E402
from nnviz.views import figures  # noqa: E402

CAP_SECONDS = 20.0


def make_class(n: int):
    spec = importlib.util.spec_from_file_location("make_students", ROOT / "scripts" / "make_students.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frame = module.make_students(7, n)
    return build(read_table(frame.to_csv(index=False).encode(), f"class{n}.csv"))


def page_work(intake, config: TrainingConfig, test_share: float) -> dict[str, float]:
    """The grades page's own work for a new file: train, findings, baseline, figures."""
    times = {}
    started = time.perf_counter()
    fit = grades.fit(intake, config, test_share)
    times["run"] = time.perf_counter() - started
    t = time.perf_counter()
    found = grades.findings(intake, config, test_share)
    times["resamples"] = time.perf_counter() - t
    t = time.perf_counter()
    grades.fit(intake, grades.baseline_config(config), test_share)
    times["baseline"] = time.perf_counter() - t
    t = time.perf_counter()
    figures.effects_figure(found.effects)
    data = intake.dataset
    figures.pass_map_figure(
        grades.pass_map(fit.params, intake, 1, 2),
        data.raw_X[:, 1],
        data.raw_X[:, 2],
        data.y >= 0.5,
        np.zeros(len(data.y), bool),
        data.row_labels,
    )
    figures.error_figure(fit.run.objective)
    times["figures"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - started
    return times


def ns_per_row_iteration(intake, config: TrainingConfig) -> float:
    data = intake.dataset
    best = min(_timed(lambda: train(data.X, data.y, config)) for _ in range(3))
    return best / (len(data.y) * config.iterations) * 1e9


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # --help says what it measures
    config = TrainingConfig(
        hidden=(GRADES["hidden"].default,),
        bias=True,
        rule="bce",
        learning_rate=GRADES["lr"].default,
        seed=123,
        iterations=GRADES["iterations"].default,
    )
    train(
        np.zeros((2, 3)),
        np.array([0.0, 1.0]),
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=1, iterations=2),
    )  # compile first
    print(f"the page's defaults: {config.iterations:,} iterations, 3-{config.hidden[0]}-1, cross-entropy, bias")
    print("| class | page's run | 40 resamples | baseline | figures | total | ns per row per iteration | cap |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in (200, 5_000):
        intake = make_class(n)
        times = page_work(intake, config, GRADES["test"].default)
        ns = ns_per_row_iteration(intake, config)
        verdict = "within" if times["total"] < CAP_SECONDS else "OVER"
        print(
            f"| {n:,} rows | {times['run']:.2f} s | {times['resamples']:.2f} s | {times['baseline']:.2f} s | "
            f"{times['figures']:.2f} s | {times['total']:.2f} s | {ns:.1f} | {verdict} {CAP_SECONDS:g} s |"
        )


if __name__ == "__main__":
    main()
