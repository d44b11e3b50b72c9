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
from nnviz.engine.network import ACTIVATIONS, RULES
from nnviz.engine.trace import IterationTrace, dot_product_text, trace_iteration
from nnviz.engine.training import Run, TrainingConfig, train
from nnviz.gradebook import findings as grades
from nnviz.gradebook.intake import load_csv
from nnviz.gradebook.reading import IntakeError
from nnviz.i18n import ENGLISH, LANGUAGES, Language, language, said, supported
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
    trace.add_argument(
        "--hidden",
        nargs="*",
        type=_hidden_units,
        default=list(WALKTHROUGH["hidden"].default),
        metavar="N",
        help="hidden layer sizes",
    )
    trace.add_argument("--bias", action="store_true", help="give every unit a bias")
    trace.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default=WALKTHROUGH["activation"].default,
        help="the hidden layers' activation; the output's is the sigmoid (default: %(default)s)",
    )
    trace.add_argument(
        "--loss", choices=list(RULES), default=WALKTHROUGH["rule"].default, help="learning rule (default: %(default)s)"
    )
    trace.add_argument(
        "--lr",
        type=_within(WALKTHROUGH["lr"]),
        default=WALKTHROUGH["lr"].default,
        help="learning rate (default: %(default)g)",
    )
    trace.add_argument(
        "--seed",
        type=_within(WALKTHROUGH["seed"]),
        default=WALKTHROUGH["seed"].default,
        help="random seed (default: %(default)s, the article's)",
    )
    trace.add_argument(
        "--iterations",
        type=_within(WALKTHROUGH["iterations"]),
        default=WALKTHROUGH["iterations"].default,
        help="iterations (default: %(default)s)",
    )
    trace.add_argument("--at", nargs="+", type=int, default=[0, 1], metavar="K", help="iterations to show")
    trace.add_argument("--json", action="store_true", help="print one JSON object instead")
    _add_lang(trace)
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
    train.add_argument(
        "--bias", action=argparse.BooleanOptionalAction, default=GRADES["bias"].default, help="biases (default: on)"
    )
    train.add_argument(
        "--loss", choices=list(RULES), default=GRADES["rule"].default, help="learning rule (default: %(default)s)"
    )
    train.add_argument(
        "--lr", type=_within(GRADES["lr"]), default=GRADES["lr"].default, help="learning rate (default: %(default)g)"
    )
    train.add_argument(
        "--seed",
        type=_within(GRADES["seed"]),
        default=GRADES["seed"].default,
        help="seed for the weights and the split (default: %(default)s)",
    )
    train.add_argument(
        "--iterations",
        type=_within(GRADES["iterations"]),
        default=GRADES["iterations"].default,
        help="iterations (default: %(default)s)",
    )
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
    _add_lang(train)
    return parser


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        type=_language_code,
        default=None,
        metavar="CODE",
        help=f"the words' language: {', '.join(LANGUAGES)} (default: from LANGUAGE, LC_ALL or LANG, "
        "else English); the JSON's keys never change",
    )


def _language_code(text: str) -> str:
    code = supported(text)
    if code is None:
        raise argparse.ArgumentTypeError(f"no language {text!r}; choose from {', '.join(LANGUAGES)}")
    return code


def chosen_language(args: argparse.Namespace) -> Language:
    """``--lang``, else the environment's language as gettext reads it, else English."""
    asked = getattr(args, "lang", None)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if asked is None and os.environ.get(variable):
            asked = supported(os.environ[variable].split(":")[0])
            if asked is None and variable != "LANGUAGE":
                break  # the first variable set decides (LANGUAGE only adds a preference)
    return language(asked or ENGLISH.code)


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
        "--flip",
        nargs="+",
        default=[],
        metavar="COL",
        help="columns where a lower grade is better (German 1–6); on the result column, passed means at most the mark",
    )
    parser.add_argument(
        "--out-of",
        nargs="+",
        default=[],
        metavar="COL=TOP",
        type=_out_of,
        help="a grade column's top of scale where the file does not say it, e.g. 'Written test=50'",
    )


def _out_of(text: str) -> tuple[str, float]:
    column, sep, top = text.rpartition("=")
    try:
        return column.strip(), float(top)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not COLUMN=NUMBER") from None


def load_intake(args: argparse.Namespace):
    return load_csv(
        getattr(args, "csv", None) or args.dataset,
        args.target,
        args.features,
        args.pass_mark,
        args.pass_value,
        args.flip,
        dict(args.out_of),
    )


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


def _layer_name(trace: IterationTrace, number: int, lang: Language) -> str:
    return lang._("layer {number}", number=number) if len(trace.layers) > 1 else lang._("the output")


def describe(trace: IterationTrace, lang: Language = ENGLISH) -> str:
    """One iteration in words and numbers, in the order the article walks through it (the
    numbers in the article's own notation, whatever the language)."""
    run, _ = trace.run, lang._
    heading = _("iteration {k}", k=trace.iteration)
    lines = [f"---------- {heading} ----------", _("inputs (one row per example):"), _fmt(run.X)]
    for layer in trace.layers:
        lines.append(_("weights into {layer} (before this update):", layer=_layer_name(trace, layer.number, lang)))
        lines.append(_fmt(layer.weights))
        if run.config.bias:
            lines.append(_("biases: {values}", values=_fmt(layer.biases)))
        lines.append(_("dot products, term by term:"))
        for r in range(len(layer.inputs)):
            for o in range(layer.weights.shape[1]):
                where = (
                    _("row {row} unit {unit}", row=r + 1, unit=o + 1)
                    if layer.weights.shape[1] > 1
                    else _("row {row}", row=r + 1)
                )
                lines.append(f"  {where}: {dot_product_text(layer, r, o, run.config.bias, DECIMALS)}")
        function = layer.activation
        lines.append(
            _(
                "{activation} of each, {formula}: {values}",
                activation=_(function.title),
                formula=function.formula,
                values=_fmt(layer.outputs.T),
            )
        )
        if layer.number < len(trace.layers):  # a hidden layer: the slope its blame passes through
            lines.append(
                _(
                    "its slope, {formula}: {values}",
                    formula=function.slope_formula.format(a="a"),
                    values=_fmt(layer.slopes.T),
                )
            )
    lines.append(_("predictions ŷ: {values}", values=_fmt(trace.predictions)))
    lines.append(_("errors y − ŷ: {values}", values=_fmt(trace.errors)))
    lines.append(_("sum of |error|: {value}", value=f"{trace.abs_error_sum:.{DECIMALS}f}"))
    lines.append(f"{_(run.rule.objective_name)}: {trace.objective:.{DECIMALS}f}")
    for layer in trace.layers:
        lines.append(_("updated weights into {layer}:", layer=_layer_name(trace, layer.number, lang)))
        lines.append(_fmt(layer.new_weights))
        if run.config.bias:
            lines.append(_("updated biases: {values}", values=_fmt(layer.new_biases)))
    return "\n".join(lines)


def summary(run: Run, lang: Language = ENGLISH) -> str:
    k = run.last_iteration
    weights = "\n".join(_fmt(w) for w in run.final_params.weights)
    return lang._(
        "after {k} iterations: sum of |error| = {error}, {objective} = {value}, accuracy = {accuracy}\nfinal weights:\n"
        "{weights}",
        k=f"{k:,}",
        error=f"{run.abs_error[k]:.{DECIMALS}f}",
        objective=lang._(run.rule.objective_name),
        value=f"{run.objective[k]:.{DECIMALS}f}",
        accuracy=f"{run.accuracy[k]:.0%}",
        weights=weights,
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
        lang = chosen_language(args)
        print("\n\n".join([*(describe(trace_iteration(run, k), lang) for k in args.at), summary(run, lang)]))
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
    lang = chosen_language(args)
    _, pct = lang._, lang.percent
    percent = _("n/a") if report["test_accuracy"] is None else pct(report["test_accuracy"], 1)
    turned = ", ".join(intake.flipped)
    lines = [
        _("{file}: {used} rows used of {read}", file=intake.dataset.name, used=intake.rows_used, read=intake.rows_read),
        *("  " + _("left out {n}: {reason}", n=n, reason=said(reason, lang)) for reason, n in intake.dropped.items()),
        (
            _(
                "{rule}; grade columns: {columns} (lower is better, turned round: {turned})",
                rule=intake.rule.describe(lang),
                columns=", ".join(intake.features),
                turned=turned,
            )
            if intake.flipped
            else _(
                "{rule}; grade columns: {columns}", rule=intake.rule.describe(lang), columns=", ".join(intake.features)
            )
        ),
        *(_("note: {note}", note=said(note, lang)) for note in intake.notes),
        _(
            "scaling: (grade - class mean) / class std, with {columns}",
            columns=", ".join(
                _("{column} mean {mean} std {std}", column=c, mean=lang.decimal(m, 2), std=lang.decimal(s, 2))
                for c, m, s in zip(intake.features, report["scaler"]["mean"], report["scaler"]["std"])
            ),
        ),
        grades.memorising_sentence(result, lang),
        _(
            "kept network (iteration {k}): loss {loss}, training accuracy {train}, test accuracy {test}",
            k=lang.integer(result.best_iteration),
            loss=lang.decimal(report["final_loss"], 6),
            train=pct(report["train_accuracy"], 1),
            test=percent,
        ),
        grades.baseline_sentence(result, baseline, lang),
        _("weights:"),
        *(_fmt(np.array(w)) for w in report["weights"]),
        _(
            "raising one grade by a tenth of its scale, averaged over the class (mean, and {interval}):",
            interval=found.interval_words(lang),
        ),
        *(
            f"  {e.grade} +{lang.short(e.step)}: {_signed_pct(lang, e.change)} ({_span(lang, e.low, e.high)})"
            for e in found.effects
        ),
        *_regression_lines(found, lang),
        _("the grade that matters most: {grade}", grade=found.most_important or _no_top(found, lang)),
        guessing.sentence(found, lang) if guessing is not None else found.out_of_bag_sentence(lang),
        found.sentence(lang),
    ]
    if report["confusion"]:
        c = report["confusion"]
        lines.append(
            _(
                "held-out students: predicted to pass and passed {pass_pass}, predicted to pass but failed {pass_fail}, "
                "predicted to fail but passed {fail_pass}, predicted to fail and failed {fail_fail}",
                **c,
            )
        )
    print("\n".join(lines))
    return 0


def _signed_pct(lang: Language, share: float) -> str:
    """``+12.3%`` (the CLI's English as before), or the language's own percent."""
    return f"{share:+.1%}" if lang.code == ENGLISH.code else ("+" if share >= 0 else "") + lang.percent(share, 1)


def _span(lang: Language, low: float, high: float) -> str:
    return lang._("{low} to {high}", low=_signed_pct(lang, low), high=_signed_pct(lang, high))


def _no_top(found, lang: Language) -> str:
    return lang._("cannot tell (see below)") if found.claims else lang._("none (no better than guessing)")


def _regression_lines(found, lang: Language) -> list[str]:
    if found.regression is None:
        return [lang._("a plain logistic regression has no finite fit here (the grades separate passes from fails)")]
    return [
        lang._(
            "a plain logistic regression on the whole class (change, and its {level} interval from its standard "
            "errors):",
            level=grades.LEVEL_WORDS if lang.code == ENGLISH.code else lang.percent(grades.LEVEL),
        ),
        *(
            f"  {e.grade}: {_signed_pct(lang, e.change)} ({_span(lang, e.low, e.high)})"
            for e in found.regression_effects()
        ),
        found.agreement(lang),
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
        message = exc.args[0] if exc.args else str(exc)
        print(f"error: {said(message, chosen_language(args)) if isinstance(message, str) else exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # ``| head`` closed the pipe: stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
