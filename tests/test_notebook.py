"""nnviz/views/notebook.py: the take-home notebooks, valid, private, one source with the numpy
script, and executed top to bottom in a kernel of their own (a fresh virtual environment with
only numpy, plotly and ipykernel, as a student's Colab), where every check of the page's
numbers passes and the printed weights are the engine's."""

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import nbformat
import numpy as np
import pytest
from browser import missing

from nnviz import datasets
from nnviz.engine.elbow import find_elbow
from nnviz.engine.training import TrainingConfig, train
from nnviz.gradebook import findings
from nnviz.gradebook.intake import build, load_csv
from nnviz.gradebook.reading import read_table
from nnviz.views import export, notebook

BOOKS = Path(__file__).parent / "data" / "gradebooks"
STUDENT_REQUIREMENTS = Path(__file__).parent / "student-requirements.txt"


def article_cells(show: int = 1):
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig())
    return run, notebook.run_cells(run, "the article's run", show, find_elbow(run.abs_error, 0, 1001), elbow_stop=1001)


def test_the_notebook_is_valid_and_the_script_is_its_own_code_cells():
    run, cells = article_cells()
    book = nbformat.reads(notebook.notebook(cells), 4)
    nbformat.validate(book)
    code = "\n".join(c.source for c in book.cells if c.cell_type == "code")
    script = export.numpy_script(run, "the article's run")
    body = script.split('"""\n', 2)[2]  # past the docstring
    assert body.strip() and all(line in code for line in body.splitlines() if line.strip())
    assert "assert" not in body and "plotly" not in body  # the checks and the chart are the notebook's
    assert sum("assert" in c.source for c in book.cells if c.cell_type == "code") == 3  # #0, the weights, the elbow
    assert "File → Upload notebook" in book.cells[0].source and "http" not in book.cells[0].source


@pytest.mark.parametrize(
    "code,heading",
    [
        ("de", "Die Daten und die Einstellungen"),
        ("fr", "Les données et les réglages"),
        ("es", "Los datos y los ajustes"),
    ],
)
def test_a_notebook_explains_in_the_visitors_language_and_computes_the_same(code, heading):
    from nnviz.i18n import language

    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig(iterations=50))
    english = notebook.run_cells(run, "the article's run", 1, 10)
    translated = notebook.run_cells(run, "the article's run", 1, 10, lang=language(code))
    assert [c.source for c in translated if c.kind == "code"] == [c.source for c in english if c.kind == "code"]
    markdown = [c.source for c in translated if c.kind == "markdown"]
    assert any(heading in text for text in markdown) and not any("The data and the settings" in t for t in markdown)


def test_a_grades_notebook_holds_the_trained_columns_and_pseudonyms_only():
    table = read_table((BOOKS / "teacher_sheet.csv").read_bytes(), "teacher_sheet.csv")
    intake = build(table)
    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=3, iterations=500)
    fit = findings.fit(intake, config, 0.2)
    text = notebook.notebook(
        notebook.run_cells(fit.run, "grades", fit.best_iteration, None, "only pseudonyms", fit.train_set.row_labels)
    )
    names = [n for n in table.names() if n]
    assert names and not [n for n in names if n in text]  # no name of the file, in any cell
    assert all(p in text for p in fit.train_set.row_labels) and "Student 1" in text


@pytest.fixture(scope="module")
def student_kernel(tmp_path_factory):
    """A kernel in a fresh virtual environment with only what a student's Jupyter has."""
    folder = tmp_path_factory.mktemp("student")
    venv, prefix = folder / "venv", folder / "kernels"
    try:
        # No pip of its own and no .pyc files written ahead: our pip installs into it, and Python
        # compiles what the kernel imports as it imports it (22 s down to 6 s here).
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True, timeout=120
        )
        pip = [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--disable-pip-version-check",
            "--no-compile",
        ]
        subprocess.run([*pip, "-r", str(STUDENT_REQUIREMENTS)], check=True, capture_output=True, timeout=600)
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "ipykernel",
                "install",
                "--name",
                "nnviz-student",
                "--prefix",
                str(prefix),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.SubprocessError, OSError) as problem:
        missing(f"no student kernel (a venv with {STUDENT_REQUIREMENTS.name} could not be made: {problem})")
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    yield "nnviz-student"
    if before is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = before


def execute(cells, kernel: str) -> str:
    from nbclient import NotebookClient

    book = nbformat.reads(notebook.notebook(cells), 4)
    NotebookClient(book, kernel_name=kernel, timeout=600).execute()
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type == "display_data" and "application/vnd.plotly.v1+json" in o.data for o in outputs)
    return "".join(o.text for o in outputs if o.output_type == "stream")


def printed_weights(out: str) -> list[float]:
    after = out.split("weights after", 1)[1]
    return [float(v) for chunk in re.findall(r"\[([^\[\]]*)\]", after) for v in chunk.split()]


def test_the_articles_notebook_runs_and_prints_the_articles_numbers(student_kernel):
    run, cells = article_cells(show=1)
    out = execute(cells, student_kernel)
    assert "[0.36672394 0.27408027 0.46173529 0.35868411]" in out  # iteration #0, as the article prints it
    assert "Σ|error| at the end: 0.00994974" in out
    assert "12.00871622" in out and "-0.20447873" in out and "-5.80024997" in out


def test_an_xor_notebook_with_a_hidden_layer_and_bias_runs_and_prints_the_engines_weights(student_kernel):
    data = datasets.xor()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(3,), bias=True, rule="bce", learning_rate=2.0, seed=5, iterations=3_000)
    )
    out = execute(notebook.run_cells(run, "xor", 1_000, find_elbow(run.abs_error)), student_kernel)
    final = run.final_params
    expected = np.concatenate([final.weights[0].ravel(), final.biases[0], final.weights[1].ravel(), final.biases[1]])
    np.testing.assert_allclose(printed_weights(out), expected, atol=5e-8)


def test_the_grades_notebook_runs_and_keeps_the_pages_network(student_kernel):
    intake = load_csv(datasets.students_csv_path())
    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=5_000)
    fit = findings.fit(intake, config, 0.2)
    cells = notebook.run_cells(
        fit.run,
        "the grades sample",
        fit.best_iteration,
        find_elbow(fit.run.objective),
        "only pseudonyms",
        fit.train_set.row_labels,
        elbow_on="loss",
    )
    out = execute(cells, student_kernel)
    assert f"Σ|error| at the end: {fit.run.abs_error[-1]:.8f}" in out
    assert "the curve bends most at iteration 174" in out  # the page's elbow, on the loss
    final = fit.run.final_params
    expected = np.concatenate([final.weights[0].ravel(), final.biases[0], final.weights[1].ravel(), final.biases[1]])
    np.testing.assert_allclose(printed_weights(out), expected, atol=5e-8)
    check = next(c for c in cells if "before update" in c.source)
    assert f"before update {fit.best_iteration:,}" in check.source  # the kept network's weights are checked
    assert json.loads(notebook.notebook(cells))["nbformat"] == 4


def checked_here(cells) -> dict:
    """The notebook's code cells but the chart, run with the tests' own numpy (every check's
    assert runs, in a second rather than a fresh kernel's minute): the names they leave."""
    code = "\n\n".join(c.source for c in cells if c.kind == "code" and "plotly" not in c.source)
    names: dict = {}
    exec(compile(code, "notebook", "exec"), names)
    return names


@pytest.mark.parametrize("show", [0, 50_000])
def test_a_correct_run_whose_weights_grow_large_passes_every_check(show):
    """XOR, 4 hidden units, cross-entropy, α 50 (one of Going downhill's rates), 50,000 iterations:
    the weights reach 107, and numpy's sums, added in another order, drift from the page's by 6.7e-4
    (6e-6 of the weight): a correct loop, which an absolute 1e-6 called "not the page's"."""
    data = datasets.xor()
    run = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(4,), bias=True, rule="bce", learning_rate=50.0, seed=123, iterations=50_000),
    )
    cells = notebook.run_cells(run, "xor", show, find_elbow(run.abs_error))
    check = next(c.source for c in cells if c.source.startswith("# Check: the weights"))
    assert "layer 1's weights at iteration 50,000 are not the page's" in check  # the last iteration's, too
    assert "layer 2's biases at iteration 50,000 are not the page's" in check
    names = checked_here(cells)
    final = run.final_params
    largest = max(np.abs(w).max() for w in final.weights)
    assert largest > 45
    drift = max(np.abs(mine - page).max() for mine, page in zip(names["weights"], final.weights))
    assert 1e-5 < drift < 1e-4 * largest  # beyond the old absolute 1e-6, within the relative 1e-4


def test_a_changed_loop_still_fails_the_checks():
    data = datasets.xor()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(3,), bias=True, rule="bce", learning_rate=2.0, seed=5, iterations=3_000)
    )
    cells = notebook.run_cells(run, "xor", 3_000, find_elbow(run.abs_error))
    checked_here(cells)  # as made, every check passes
    changed = [replace(c, source=c.source.replace("learning_rate = 2.0", "learning_rate = 2.001")) for c in cells]
    with pytest.raises(AssertionError, match="layer 1's weights at iteration 3,000 are not the page's"):
        checked_here(changed)


def test_the_grades_notebook_finds_the_pages_elbow_on_the_loss():
    """The grades page finds its elbow on the loss (174 on the bundled class), not on Σ|error| (251)."""
    fit = findings.fit(
        load_csv(datasets.students_csv_path()),
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=5_000),
        0.2,
    )
    run = fit.run
    assert (find_elbow(run.objective), find_elbow(run.abs_error)) == (174, 251)
    cells = notebook.run_cells(run, "grades", fit.best_iteration, 174, elbow_on="loss")
    names = checked_here(cells)
    assert names["found"] == 174
    np.testing.assert_allclose(names["losses"], run.objective, rtol=1e-9)  # the page's loss, iteration by iteration
    chart = next(c.source for c in cells if c.source.startswith("import plotly"))
    assert "y=losses" in chart and 'title="binary cross-entropy"' in chart
    with pytest.raises(AssertionError, match="the elbow is not the page's"):  # Σ|error|'s elbow is not the page's
        checked_here(notebook.run_cells(run, "grades", fit.best_iteration, 251, elbow_on="loss"))


def test_the_walkthroughs_notebook_finds_the_elbow_over_the_pages_window():
    run, cells = article_cells()
    names = checked_here(cells)
    assert names["found"] == find_elbow(run.abs_error, 0, 1001) != find_elbow(run.abs_error)


@pytest.mark.parametrize("page", ["walkthrough", "backprop", "grades"])
def test_each_page_offers_its_notebook(page):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.query_params["predict"] = "0"
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith("Download a notebook (.ipynb") for label in labels), labels
