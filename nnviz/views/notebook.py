"""A run to take home, as cells: a Jupyter notebook that redoes it in plain numpy and checks
every number the page showed, and the numpy script made from the same code cells.

The notebook's cells, in order: what it is (and how to open it in Colab), the data and
settings, the initialisation and the forward pass, a check of iteration #0's predictions,
the training loop, checks of the weights at the page's iteration and of the final error, the
error curve on a log axis with its elbow (Plotly, which Jupyter and Colab draw), and the final
weights.  A student who edits the loop and breaks it sees which of the page's numbers changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import nbformat
import numpy as np

from nnviz.engine import network as nn
from nnviz.engine.training import Run
from nnviz.i18n import ENGLISH, Language

# numpy's own dot products add in another order than the page's, so the last digits differ, and
# over many updates at a large learning rate the difference grows with the weights: the checks
# are relative (a weight of 45 may differ by 2.4e-5 after 50,000 updates at α 50), with an
# absolute floor for the numbers near zero.  A changed loop moves them by far more.
RTOL = 1e-4
ATOL = 1e-8
# Each rule's loss as a student's numpy writes it (nnviz/engine/network.py's objectives): the
# grades page finds its elbow on the loss, the others on Σ|y − ŷ|.
LOSSES = {
    "trask": """def loss(prediction):
    \"\"\"The article's objective, ½ Σ (y − ŷ)².\"\"\"
    return 0.5 * ((y - prediction) ** 2).sum()""",
    "bce": """def loss(prediction):
    \"\"\"Binary cross-entropy, the mean over the rows (ŷ clipped inside the log only).\"\"\"
    p = np.clip(prediction, 1e-15, 1 - 1e-15)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))""",
}


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    in_script: bool = False  # also a part of the plain numpy script


def _array(values: np.ndarray) -> str:
    return np.array2string(
        np.asarray(values, dtype=float), separator=", ", threshold=10**9, floatmode="unique"
    ).replace("\n", "\n    ")


def _activation_code(run: Run) -> str:
    """The layers' functions and their slopes (from the output ``a``), written from ``nn.ACTIVATIONS``."""
    used = list(dict.fromkeys(run.network.activations))
    definitions = "\n\n\n".join(
        f"def {a.name}(z):\n    return {a.script}\n\n\n"
        f'def {a.name}_slope(a):\n    """{a.name}\'s slope, written from its output a."""\n    return {a.script_slope}'
        for a in used
    )
    names = [a.name for a in run.network.activations]
    return (
        f"{definitions}\n\n\n"
        f"functions = [{', '.join(names)}]  # each layer's, the prediction's last\n"
        f"slopes = [{', '.join(name + '_slope' for name in names)}]"
    )


def run_cells(
    run: Run,
    description: str,
    show_iteration: int,
    elbow: int | None = None,
    about_data: str = "",
    row_names: Sequence[str] | None = None,
    lang: Language = ENGLISH,
    elbow_on: str = "error",
    elbow_stop: int | None = None,
) -> list[Cell]:
    """The cells that redo ``run`` and check it against the page: its iteration #0, the weights
    before update ``show_iteration`` and after the last, the final error, and the ``elbow`` the
    page found on its curve (``elbow_on``: ``"error"``, Σ|y − ŷ|, or ``"loss"``, the rule's
    objective; over iterations 0 to ``elbow_stop``, all by default).  The explanations are in
    ``lang``; the code and its comments stay as a student's Python does, in English."""
    config, rule = run.config, nn.RULES[run.config.rule]
    hidden_activation = run.network.activations[0]
    last = run.last_iteration
    show_iteration = min(max(show_iteration, 0), last)
    first = nn.forward(run.params_at(0), run.X)[-1][:, 0]
    at, final = run.params_at(show_iteration), run.final_params
    on_loss = elbow_on == "loss"
    curve, curve_name = ("losses", rule.objective_name) if on_loss else ("abs_errors", "Σ|y − ŷ|")
    stop = len(run.abs_error) if elbow_stop is None else min(elbow_stop, len(run.abs_error))
    record = "abs_errors.append(np.abs(y - prediction).sum())" + (
        "\nlosses.append(loss(prediction))" if on_loss else ""
    )
    y = run.y.astype(int).tolist() if np.all(run.y == np.round(run.y)) else run.y.tolist()
    cells = [
        Cell(
            "markdown",
            "# "
            + lang._("An nnviz run, redone in plain numpy")
            + f"\n\n{description}.\n\n"
            + (f"{about_data}\n\n" if about_data else "")
            + lang._(
                "Run the cells from the top (in Jupyter: *Run → Run All Cells*). After each step a cell checks the "
                "numbers against those the nnviz page showed: if you change the loop and break it, that cell says "
                "which number changed."
            )
            + "\n\n"
            + lang._(
                "*To open it in Google Colab:* go to colab.research.google.com, choose *File → Upload notebook* "
                "and pick this file; it needs only numpy and plotly, which Colab has."
            ),
        ),
        Cell(
            "markdown",
            "## "
            + lang._("The data and the settings")
            + "\n\n"
            + (
                lang._(
                    "Each row of `X` is one example and `y` its target. The rows are, in order: {rows}.",
                    rows=", ".join(row_names),
                )
                if row_names
                else lang._("Each row of `X` is one example and `y` its target.")
            ),
        ),
        Cell(
            "code",
            f"""import numpy as np

X = np.array({_array(run.X)})
y = np.array({y}).reshape(-1, 1)
hidden = {list(config.hidden)}
use_bias = {config.bias}
learning_rate = {float(config.learning_rate)!r}
iterations = {last}
show_iteration = {show_iteration}  # the iteration the page showed""",
            in_script=True,
        ),
        Cell(
            "markdown",
            "## "
            + lang._("The guessing game")
            + "\n\n"
            + (
                lang._(
                    "Every weight starts random (Trask's seeded generator, `2 * random - 1`); every layer is the "
                    "sigmoid of a weighted sum of the layer before."
                )
                if hidden_activation.name == "sigmoid"
                else lang._(
                    "Every weight starts random (Trask's seeded generator, `2 * random - 1`); every hidden layer is "
                    "the {activation} of a weighted sum of the layer before, the prediction the sigmoid of one.",
                    activation=lang._(hidden_activation.title),
                )
            ),
        ),
        Cell(
            "code",
            f"""rs = np.random.RandomState({config.seed})
sizes = [X.shape[1], *hidden, 1]
weights = [2 * rs.random_sample((n_in, n_out)) - 1 for n_in, n_out in zip(sizes[:-1], sizes[1:])]
biases = [np.zeros(n_out) for n_out in sizes[1:]]


{_activation_code(run)}


def forward(weights, biases):
    \"\"\"The layers' activations, from the inputs to the prediction.\"\"\"
    layers = [X]
    for w, b, f in zip(weights, biases, functions):
        layers.append(f(layers[-1].dot(w) + b))
    return layers""",
            in_script=True,
        ),
        Cell(
            "code",
            f"""# Check: iteration #0's predictions, as the page showed them.
print(forward(weights, biases)[-1].ravel())
assert np.allclose(forward(weights, biases)[-1].ravel(), {_array(first)}, rtol={RTOL}, atol={ATOL}), (
    "iteration #0's predictions are not the page's"
)""",
        ),
        Cell(
            "markdown",
            "## "
            + lang._("Learning")
            + "\n\n"
            + lang._(
                "Each iteration: predict, measure the error, blame it back through the layers (the chain rule), "
                "and move every weight a step: {rule}, `{formula}`.",
                rule=lang._(rule.title),
                formula=rule.update_formula,
            ),
        ),
        Cell(
            "code",
            (
                f"{LOSSES[config.rule]}\n\n\nlosses = []  # the loss before each update, as on the page's loss chart\n"
                if on_loss
                else ""
            )
            + f"""abs_errors = []  # Σ|y - ŷ| before each update, as on the page's error chart
for iteration in range(iterations):
    if iteration == show_iteration:
        kept = ([w.copy() for w in weights], [b.copy() for b in biases])
    layers = forward(weights, biases)
    prediction = layers[-1]
    {record.replace(chr(10), chr(10) + "    ")}

    # Output delta ({rule.title}), then blame passed back through each layer's weights.
    delta = {rule.script_delta}
    direction = {rule.direction:+.1f}  # {rule.update_formula}
    deltas = [delta]
    for w, h, slope in zip(weights[:0:-1], layers[-2:0:-1], slopes[-2::-1]):
        deltas.insert(0, deltas[0].dot(w.T) * slope(h))

    # Update every layer at once, from the deltas of the weights before the update.
    for layer in range(len(weights)):
        weights[layer] += direction * learning_rate * layers[layer].T.dot(deltas[layer])
        if use_bias:
            biases[layer] += direction * learning_rate * deltas[layer].sum(axis=0)
if show_iteration == iterations:
    kept = ([w.copy() for w in weights], [b.copy() for b in biases])
prediction = forward(weights, biases)[-1]  # after the last update
{record}""",
            in_script=True,
        ),
        Cell(
            "code",
            "\n".join(
                [
                    f"# Check: the weights before update {show_iteration:,} and after the last ({last:,}), and the error "
                    "at the end, as the page showed them.",
                    *_weight_checks("kept[0]", "kept[1]", at, show_iteration, config.bias),
                    *(_weight_checks("weights", "biases", final, last, config.bias) if show_iteration != last else ()),
                    'print(f"Σ|error| at the end: {abs_errors[-1]:.8f}")',
                    f"assert np.isclose(abs_errors[-1], {float(run.abs_error[-1])!r}, rtol={RTOL}, atol={ATOL}), "
                    '"the final error is not the page\'s"',
                ]
            ),
        ),
        Cell(
            "markdown",
            "## "
            + lang._("The error curve")
            + "\n\n"
            + (
                lang._(
                    "On a log axis, as on the page: it bends most at iteration {k} (the page's elbow).",
                    k=lang.integer(elbow),
                )
                if elbow
                else lang._("On a log axis, as on the page.")
            ),
        ),
        *([Cell("code", _elbow_check(curve, elbow, stop))] if elbow else []),
        Cell(
            "code",
            f"""import plotly.graph_objects as go

figure = go.Figure(go.Scatter(x=np.arange(1, len({curve}) + 1), y={curve}, mode="lines", name="{curve_name}"))
elbow = {elbow if elbow else "None"}
if elbow:
    figure.add_vline(x=max(elbow, 1), line_dash="dash", annotation_text=f"elbow: {{elbow:,}}")
figure.update_xaxes(type="log", title="iteration + 1")
figure.update_yaxes(title="{curve_name}")
figure.show()""",
        ),
        Cell(
            "code",
            """np.set_printoptions(precision=8, suppress=True)
for number, (w, b) in enumerate(zip(weights, biases), start=1):
    print(f"layer {number} weights after {iterations:,} iterations:")
    print(w)
    if use_bias:
        print(f"layer {number} biases:", b)""",
            in_script=True,
        ),
    ]
    return cells


def _weight_checks(weights: str, biases: str, params: nn.Params, iteration: int, bias: bool) -> list[str]:
    """Asserts that the notebook's ``weights`` and ``biases`` (at ``iteration``) are the page's ``params``."""
    checks = [
        f"assert np.allclose({weights}[{i}], {_array(w)}, rtol={RTOL}, atol={ATOL}), "
        f"\"layer {i + 1}'s weights at iteration {iteration:,} are not the page's\""
        for i, w in enumerate(params.weights)
    ]
    if bias:
        checks += [
            f"assert np.allclose({biases}[{i}], {_array(b)}, rtol={RTOL}, atol={ATOL}), "
            f"\"layer {i + 1}'s biases at iteration {iteration:,} are not the page's\""
            for i, b in enumerate(params.biases)
        ]
    return checks


def _elbow_check(curve: str, elbow: int, stop: int) -> str:
    """The page's elbow rule (nnviz/engine/elbow.py) in plain numpy, on the page's curve, and a
    check that it bends where the page said (or, on a near tie, as much there)."""
    return f"""# Check: the elbow, found as the page finds it on the same curve.
def find_elbow(curve, stop):
    \"\"\"The iteration farthest from the straight line joining the first and last point, both axes scaled to 0…1.\"\"\"
    window = np.asarray(curve[:stop])
    x = np.linspace(0, 1, len(window))
    e = (window - window.min()) / (window.max() - window.min())
    distance = np.abs((e[-1] - e[0]) * x - e + e[0])
    return int(np.argmax(distance)), distance


found, distance = find_elbow({curve}, {stop})
print(f"the curve bends most at iteration {{found:,}}")
assert found == {elbow} or np.isclose(distance[{elbow}], distance[found], rtol={RTOL}, atol={ATOL}), (
    "the elbow is not the page's"
)"""


def notebook(cells: Sequence[Cell]) -> str:
    """The cells as a Jupyter notebook (nbformat 4), ready to save as ``.ipynb``."""
    book = nbformat.v4.new_notebook()
    book.cells = [
        nbformat.v4.new_markdown_cell(c.source) if c.kind == "markdown" else nbformat.v4.new_code_cell(c.source)
        for c in cells
    ]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.validate(book)
    return nbformat.writes(book)


def script(cells: Sequence[Cell], description: str, filename: str) -> str:
    """The plain numpy script: the notebook's code cells marked for it, one after another."""
    header = f'"""Reproduces an nnviz run in plain numpy: {description}.\n\nRun it with `python {filename}`; it prints the same final weights as the page.\n"""\n'
    return header + "\n\n".join(c.source for c in cells if c.in_script and c.kind == "code") + "\n"
