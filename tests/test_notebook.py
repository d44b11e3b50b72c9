"""nnviz/views/notebook.py: the take-home notebooks, valid, private, one source with the numpy
script, and executed top to bottom in a kernel of their own (a fresh virtual environment with
only numpy, plotly and ipykernel, as a student's Colab), where every check of the page's
numbers passes and the printed weights are the engine's."""

import json
import os
import re
import subprocess
import sys
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
    return run, notebook.run_cells(run, "the article's run", show, find_elbow(run.abs_error, 0, 1001))


def test_the_notebook_is_valid_and_the_script_is_its_own_code_cells():
    run, cells = article_cells()
    book = nbformat.reads(notebook.notebook(cells), 4)
    nbformat.validate(book)
    code = "\n".join(c.source for c in book.cells if c.cell_type == "code")
    script = export.numpy_script(run, "the article's run")
    body = script.split('"""\n', 2)[2]  # past the docstring
    assert body.strip() and all(line in code for line in body.splitlines() if line.strip())
    assert "assert" not in body and "plotly" not in body  # the checks and the chart are the notebook's
    assert sum("assert" in c.source for c in book.cells if c.cell_type == "code") == 2
    assert "File → Upload notebook" in book.cells[0].source and "http" not in book.cells[0].source


@pytest.mark.parametrize("code,heading", [("de", "Die Daten und die Einstellungen"), ("fr", "Les données et les réglages"),
                                          ("es", "Los datos y los ajustes")])  # fmt: skip
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
    config = TrainingConfig((2,), True, "bce", 1.0, 3, 500)
    fit = findings.fit(intake, config, 0.2)
    text = notebook.notebook(notebook.run_cells(fit.run, "grades", fit.best_iteration, None, "only pseudonyms",
                                                fit.train_set.row_labels))  # fmt: skip
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
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True,
                       timeout=120)  # fmt: skip
        pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
               "--disable-pip-version-check", "--no-compile"]  # fmt: skip
        subprocess.run([*pip, "-r", str(STUDENT_REQUIREMENTS)], check=True, capture_output=True, timeout=600)
        subprocess.run([str(venv / "bin" / "python"), "-m", "ipykernel", "install", "--name", "nnviz-student",
                        "--prefix", str(prefix)], check=True, capture_output=True, timeout=120)  # fmt: skip
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
    run = train(data.X, data.y, TrainingConfig((3,), True, "bce", 2.0, 5, 3_000))
    out = execute(notebook.run_cells(run, "xor", 1_000, find_elbow(run.abs_error)), student_kernel)
    final = run.final_params
    expected = np.concatenate([final.weights[0].ravel(), final.biases[0], final.weights[1].ravel(), final.biases[1]])
    np.testing.assert_allclose(printed_weights(out), expected, atol=5e-8)


def test_the_grades_notebook_runs_and_keeps_the_pages_network(student_kernel):
    intake = load_csv(datasets.students_csv_path())
    config = TrainingConfig((2,), True, "bce", 1.0, 123, 5_000)
    fit = findings.fit(intake, config, 0.2)
    cells = notebook.run_cells(fit.run, "the grades sample", fit.best_iteration, find_elbow(fit.run.abs_error),
                               "only pseudonyms", fit.train_set.row_labels)  # fmt: skip
    out = execute(cells, student_kernel)
    assert f"Σ|error| at the end: {fit.run.abs_error[-1]:.8f}" in out
    final = fit.run.final_params
    expected = np.concatenate([final.weights[0].ravel(), final.biases[0], final.weights[1].ravel(), final.biases[1]])
    np.testing.assert_allclose(printed_weights(out), expected, atol=5e-8)
    check = next(c for c in cells if "before update" in c.source)
    assert f"before update {fit.best_iteration:,}" in check.source  # the kept network's weights are checked
    assert json.loads(notebook.notebook(cells))["nbformat"] == 4


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
