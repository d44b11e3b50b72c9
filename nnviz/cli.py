"""``python -m nnviz``: the engine from a terminal.

``trace`` prints chosen iterations in full, laid out like the article's printout, or as
JSON (a stable contract, docs/json-contract.md).  Its defaults are the article's run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

from nnviz import datasets
from nnviz.engine.network import RULES
from nnviz.engine.trace import IterationTrace, dot_product_text, trace_iteration
from nnviz.engine.training import Run, TrainingConfig, train
from nnviz.gradebook import findings as grades
from nnviz.gradebook.intake import load_csv
from nnviz.gradebook.reading import IntakeError
from nnviz.numbers import EXACT_DECIMALS
from nnviz.settings import GRADES, MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS, WALKTHROUGH, Field

DECIMALS = EXACT_DECIMALS


class _Parser(argparse.ArgumentParser):
    """argparse, with a bad argument reported like every other error: one ``error:`` line."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m nnviz", description="See a small neural network learn.")
    commands = parser.add_subparsers(dest="command", required=True)
    trace = commands.add_parser("trace", help="print iterations of a run in full")
    trace.add_argument("--dataset", default="trask", help="trask, xor, students, or a path to a CSV file")
    trace.add_argument("--target", help="CSV: the result column (default: passed/result/…, else the last)")
    trace.add_argument("--features", nargs="+", metavar="COL", help="CSV: the grade columns (default: numeric)")
    add_pass_rule(trace)
    trace.add_argument("--hidden", nargs="*", type=_hidden_units, default=list(WALKTHROUGH["hidden"].default), metavar="N",
                       help="hidden layer sizes")  # fmt: skip
    trace.add_argument("--bias", action="store_true", help="give every unit a bias")
    trace.add_argument("--loss", choices=list(RULES), default=WALKTHROUGH["rule"].default,
                       help="learning rule (default: %(default)s)")  # fmt: skip
    trace.add_argument(
        "--lr",
        type=_within(WALKTHROUGH["lr"]),
        default=WALKTHROUGH["lr"].default,
        help="learning rate (default: %(default)g)",
    )
    trace.add_argument("--seed", type=_within(WALKTHROUGH["seed"]), default=WALKTHROUGH["seed"].default,
                       help="random seed (default: %(default)s, the article's)")  # fmt: skip
    trace.add_argument("--iterations", type=_within(WALKTHROUGH["iterations"]), default=WALKTHROUGH["iterations"].default,
                       help="iterations (default: %(default)s)")  # fmt: skip
    trace.add_argument("--at", nargs="+", type=int, default=[0, 1], metavar="K", help="iterations to show")
    trace.add_argument("--json", action="store_true", help="print one JSON object instead")
    train = commands.add_parser("train", help="learn pass/fail from a CSV of grades (the grades page's twin)")
    train.add_argument("--csv", required=True, metavar="PATH", help="the grades file")
    train.add_argument("--target", help="the result column (default: passed/result/final exam …)")
    train.add_argument(
        "--features", nargs="+", metavar="COL", help="the grade columns (default: those that look like grades)"
    )
    add_pass_rule(train)
    train.add_argument(
        "--hidden",
        type=_within(GRADES["hidden"]),
        default=GRADES["hidden"].default,
        help="hidden units (default: %(default)s)",
    )
    train.add_argument("--bias", action=argparse.BooleanOptionalAction, default=GRADES["bias"].default,
                       help="biases (default: on)")  # fmt: skip
    train.add_argument("--loss", choices=list(RULES), default=GRADES["rule"].default,
                       help="learning rule (default: %(default)s)")  # fmt: skip
    train.add_argument(
        "--lr", type=_within(GRADES["lr"]), default=GRADES["lr"].default, help="learning rate (default: %(default)g)"
    )
    train.add_argument("--seed", type=_within(GRADES["seed"]), default=GRADES["seed"].default,
                       help="seed for the weights and the split (default: %(default)s)")  # fmt: skip
    train.add_argument("--iterations", type=_within(GRADES["iterations"]), default=GRADES["iterations"].default,
                       help="iterations (default: %(default)s)")  # fmt: skip
    train.add_argument(
        "--resamples",
        "--repeats",  # its name before the effects were measured over resamples of the students
        dest="resamples",
        type=int,
        default=grades.RESAMPLES,
        help=f"bootstrap resamples of the class the effects' intervals come from, {grades.MIN_RESAMPLES}–{grades.MAX_RESAMPLES} "
        f"(default: {grades.RESAMPLES})",
    )
    train.add_argument(
        "--test-share",
        type=float,
        default=GRADES["test"].default,
        help="share of rows held out for testing (default: %(default)s)",
    )
    train.add_argument("--json", action="store_true", help="print one JSON object instead")
    return parser


def _within(field: Field):
    """An argument read and checked by the pages' own table (``settings.py``): the same
    limits in a terminal as in a link, refused with one line instead of clipped."""

    def read(text: str):
        value, warning = field.parse(field.label, text)
        if warning:
            low, high = field.show(field.low), field.show(field.high)
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a {field.label} from {low} to {high}")
        return value

    return read


def _hidden_units(text: str) -> int:
    try:
        units = int(text)
    except ValueError:
        units = 0
    if not 1 <= units <= MAX_HIDDEN_UNITS:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a layer size from 1 to {MAX_HIDDEN_UNITS}")
    return units


def add_pass_rule(parser: argparse.ArgumentParser) -> None:
    """The teacher's choices for a CSV: what passed means, and which grades run the other way."""
    parser.add_argument(
        "--pass-mark", type=float, metavar="NUMBER", help="a score result column: passed when it is at least NUMBER"
    )
    parser.add_argument("--pass-value", metavar="TEXT", help="a two-valued result column: the value that means passed")
    parser.add_argument(
        "--flip", nargs="+", default=[], metavar="COL",
        help="columns where a lower grade is better (German 1–6); on the result column, passed means at most the mark",
    )  # fmt: skip
    parser.add_argument(
        "--out-of", nargs="+", default=[], metavar="COL=TOP", type=_out_of,
        help="a grade column's top of scale where the file does not say it, e.g. 'Written test=50'",
    )  # fmt: skip


def _out_of(text: str) -> tuple[str, float]:
    column, sep, top = text.rpartition("=")
    try:
        return column.strip(), float(top)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not COLUMN=NUMBER") from None


def load_intake(args: argparse.Namespace):
    return load_csv(getattr(args, "csv", None) or args.dataset, args.target, args.features,
                    args.pass_mark, args.pass_value, args.flip, dict(args.out_of))  # fmt: skip


def config_of(args: argparse.Namespace) -> TrainingConfig:
    if isinstance(args.hidden, list) and len(args.hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"--hidden gives {len(args.hidden)} layers; this app trains at most {MAX_HIDDEN_LAYERS}")
    return TrainingConfig.from_values({**vars(args), "rule": args.loss})


def load_dataset(args: argparse.Namespace) -> datasets.Dataset:
    if args.dataset in datasets.BUILT_IN:
        return datasets.BUILT_IN[args.dataset]()
    return load_intake(args).dataset


def state(run: Run, k: int) -> dict:
    """The JSON record of iteration ``k``: weights before update ``k`` and their predictions."""
    params = run.params_at(k)
    trace = trace_iteration(run, k)
    return {
        "iteration": k,
        "weights": [w.tolist() for w in params.weights],
        "biases": [b.tolist() for b in params.biases] if run.config.bias else [],
        "predictions": trace.predictions.tolist(),
        "abs_error_sum": float(run.abs_error[k]),
        "loss": float(run.objective[k]),
        "accuracy": float(run.accuracy[k]),
    }


def to_json(run: Run, dataset: datasets.Dataset, at: list[int]) -> dict:
    return {
        "config": {
            "dataset": dataset.name,
            "features": list(dataset.feature_names),
            "target": dataset.target_name,
            **run.config.to_dict(),
        },
        "iterations": [state(run, k) for k in at],
        "final": state(run, run.last_iteration),
    }


def _fmt(values: np.ndarray) -> str:
    values = np.asarray(values)
    if np.all(np.abs(values) < 2**53) and np.all(values == np.round(values)):
        values = values.astype(np.int64)  # the article's 0/1 inputs print as 0 and 1 (never a huge weight)
    return np.array2string(values, precision=DECIMALS, floatmode="fixed", suppress_small=False)


def _layer_name(trace: IterationTrace, number: int) -> str:
    return f"layer {number}" if len(trace.layers) > 1 else "the output"


def describe(trace: IterationTrace) -> str:
    """One iteration in words and numbers, in the order the article walks through it."""
    run = trace.run
    lines = [f"---------- iteration {trace.iteration} ----------", "inputs (one row per example):", _fmt(run.X)]
    for layer in trace.layers:
        lines.append(f"weights into {_layer_name(trace, layer.number)} (before this update):")
        lines.append(_fmt(layer.weights))
        if run.config.bias:
            lines.append(f"biases: {_fmt(layer.biases)}")
        lines.append("dot products, term by term:")
        for r in range(len(layer.inputs)):
            for o in range(layer.weights.shape[1]):
                unit = f" unit {o + 1}" if layer.weights.shape[1] > 1 else ""
                lines.append(f"  row {r + 1}{unit}: {dot_product_text(layer, r, o, run.config.bias, DECIMALS)}")
        lines.append(f"sigmoid of each, 1 / (1 + e^-z): {_fmt(layer.outputs.T)}")
    lines.append(f"predictions ŷ: {_fmt(trace.predictions)}")
    lines.append(f"errors y − ŷ: {_fmt(trace.errors)}")
    lines.append(f"sum of |error|: {trace.abs_error_sum:.{DECIMALS}f}")
    lines.append(f"{run.rule.objective_name}: {trace.objective:.{DECIMALS}f}")
    for layer in trace.layers:
        lines.append(f"updated weights into {_layer_name(trace, layer.number)}:")
        lines.append(_fmt(layer.new_weights))
        if run.config.bias:
            lines.append(f"updated biases: {_fmt(layer.new_biases)}")
    return "\n".join(lines)


def summary(run: Run) -> str:
    k = run.last_iteration
    weights = "\n".join(_fmt(w) for w in run.final_params.weights)
    return (
        f"after {k:,} iterations: sum of |error| = {run.abs_error[k]:.{DECIMALS}f}, "
        f"{run.rule.objective_name} = {run.objective[k]:.{DECIMALS}f}, accuracy = {run.accuracy[k]:.0%}\n"
        f"final weights:\n{weights}"
    )


def cmd_trace(args: argparse.Namespace) -> int:
    dataset = load_dataset(args)
    config = config_of(args)
    bad = [k for k in args.at if not 0 <= k <= config.iterations]
    if bad:
        raise ValueError(f"--at {bad[0]} is outside the run (0 … {config.iterations})")
    run = train(dataset.X, dataset.y, config)
    if args.json:
        print(json.dumps(to_json(run, dataset, args.at), allow_nan=False))
    else:
        print("\n\n".join([*(describe(trace_iteration(run, k)) for k in args.at), summary(run)]))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    if not 0 <= args.test_share < 1:
        raise ValueError("--test-share must be at least 0 and below 1")
    if not grades.MIN_RESAMPLES <= args.resamples <= grades.MAX_RESAMPLES:
        raise ValueError(f"--resamples must be between {grades.MIN_RESAMPLES} and {grades.MAX_RESAMPLES}")
    intake = load_intake(args)
    config = config_of(args)
    result = grades.fit(intake, config, args.test_share)
    found = grades.findings(intake, config, args.test_share, args.resamples, kept=result)
    baseline = grades.fit(intake, grades.baseline_config(config), args.test_share)
    report = grades.report(result, found, baseline)
    guessing = grades.against_guessing(result)
    if args.json:
        print(json.dumps(report, allow_nan=False))
        return 0
    percent = "n/a" if report["test_accuracy"] is None else f"{report['test_accuracy']:.1%}"
    lines = [
        f"{intake.dataset.name}: {intake.rows_used} rows used of {intake.rows_read}",
        *(f"  left out {n}: {reason}" for reason, n in intake.dropped.items()),
        f"{intake.rule.describe()}; grade columns: {', '.join(intake.features)}"
        + (f" (lower is better, turned round: {', '.join(intake.flipped)})" if intake.flipped else ""),
        *(f"note: {note}" for note in intake.notes),
        "scaling: (grade - class mean) / class std, with "
        + ", ".join(
            f"{c} mean {m:.2f} std {s:.2f}"
            for c, m, s in zip(intake.features, report["scaler"]["mean"], report["scaler"]["std"])
        ),
        grades.memorising_sentence(result),
        f"kept network (iteration {result.best_iteration:,}): loss {report['final_loss']:.6f}, "
        f"training accuracy {report['train_accuracy']:.1%}, test accuracy {percent}",
        grades.baseline_sentence(result, baseline),
        "weights:",
        *(_fmt(np.array(w)) for w in report["weights"]),
        f"raising one grade by a tenth of its scale, averaged over the class (mean, and {found.interval_words()}):",
        *(f"  {e.grade} +{e.step:g}: {e.change:+.1%} ({e.low:+.1%} to {e.high:+.1%})" for e in found.effects),
        *_regression_lines(found),
        f"the grade that matters most: {found.most_important or _no_top(found)}",
        guessing.sentence(found) if guessing is not None else found.out_of_bag_sentence(),
        found.sentence(),
    ]
    if report["confusion"]:
        c = report["confusion"]
        lines.append(
            f"held-out students: predicted to pass and passed {c['pass_pass']}, predicted to pass but failed "
            f"{c['pass_fail']}, predicted to fail but passed {c['fail_pass']}, predicted to fail and failed {c['fail_fail']}"
        )
    print("\n".join(lines))
    return 0


def _no_top(found) -> str:
    return "cannot tell (see below)" if found.claims else "none (no better than guessing)"


def _regression_lines(found) -> list[str]:
    if found.regression is None:
        return ["a plain logistic regression has no finite fit here (the grades separate passes from fails)"]
    return [
        f"a plain logistic regression on the whole class (change, and its {grades.LEVEL_WORDS} interval from its "
        "standard errors):",
        *(f"  {e.grade}: {e.change:+.1%} ({e.low:+.1%} to {e.high:+.1%})" for e in found.regression_effects()),
        found.agreement(),
    ]


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # --help, or a bad argument already reported in one line
        return int(stop.code or 0)
    try:
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # a diverging run is shown, not warned about
            return {"trace": cmd_trace, "train": cmd_train}[args.command](args)
    except (IntakeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # ``| head`` closed the pipe: stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
