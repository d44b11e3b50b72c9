import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz import cli
from nnviz.cli import main


def run_cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_default_trace_prints_the_articles_two_iterations(capsys):
    code, out, _ = run_cli(capsys, "trace", "--at", "0", "1")
    assert code == 0
    for number in [
        "0.39293837",
        "-0.42772133",
        "-0.54629709",  # iteration 0 weights
        "0.36672394",
        "0.27408027",
        "0.46173529",
        "0.35868411",  # its predictions
        "-0.40469539",
        "-0.73942603",
        "0.26954282",
        "-0.06518782",  # iteration 1 dot products
        "0.40018475",
        "0.32312967",
        "0.56698066",
        "0.48370881",  # its predictions
        "0.90948611",
        "-0.27646878",
        "-0.33618051",  # its updated weights
        "12.00871622",
        "-0.20447873",
        "-5.80024997",  # after 100,000 iterations
    ]:
        assert number in out
    assert "(1 × 0.67423821) + (0 × -0.33473064) + (1 × -0.40469539) = 0.26954282" in out
    assert "sum of |error|: 1.82038481" in out and "sum of |error|: 1.67262494" in out
    assert "after 100,000 iterations: sum of |error| = 0.00994974" in out


def test_json_contract(capsys):
    code, out, _ = run_cli(
        capsys,
        "trace",
        "--dataset",
        "xor",
        "--hidden",
        "4",
        "--bias",
        "--seed",
        "1",
        "--iterations",
        "300",
        "--at",
        "0",
        "299",
        "--json",
    )
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"config", "iterations", "final"}
    assert doc["config"] == {
        "dataset": "xor",
        "features": ["x1", "x2", "x3"],
        "target": "y",
        "hidden": [4],
        "bias": True,
        "loss": "trask",
        "lr": 1.0,
        "seed": 1,
        "iterations": 300,
        "activation": "sigmoid",
    }
    keys = {"iteration", "weights", "biases", "predictions", "abs_error_sum", "loss", "accuracy"}
    for state in [*doc["iterations"], doc["final"]]:
        assert set(state) == keys
        assert [len(w) for w in state["weights"]] == [3, 4] and [len(w[0]) for w in state["weights"]] == [4, 1]
        assert [len(b) for b in state["biases"]] == [4, 1]
        assert len(state["predictions"]) == 4
        assert abs(sum(abs(t - p) for t, p in zip([0, 1, 1, 0], state["predictions"])) - state["abs_error_sum"]) < 1e-12
    assert [s["iteration"] for s in doc["iterations"]] == [0, 299] and doc["final"]["iteration"] == 300


def test_json_defaults_are_the_article(capsys):
    _, out, _ = run_cli(capsys, "trace", "--at", "1", "--json")
    doc = json.loads(out)
    assert doc["config"]["seed"] == 123 and doc["config"]["iterations"] == 100_000
    assert doc["iterations"][0]["biases"] == []
    assert [round(w[0], 8) for w in doc["iterations"][0]["weights"][0]] == [0.67423821, -0.33473064, -0.40469539]
    assert round(doc["final"]["abs_error_sum"], 5) == 0.00995


def test_csv_path_with_columns(tmp_path, capsys):
    path = tmp_path / "grades.csv"
    path.write_text("name,a,b,ok\nann,1,5,1\nbob,2,3,0\ncid,3,1,1\ndee,4,4,0\n")
    args = ["--dataset", str(path), "--target", "ok", "--features", "a", "b", "--hidden", "2", "--bias"]
    code, out, _ = run_cli(capsys, "trace", *args, "--loss", "bce", "--iterations", "10", "--at", "3", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["config"]["features"] == ["a", "b"] and doc["config"]["target"] == "ok"


@pytest.mark.parametrize(
    "args,message",
    [
        (["--dataset", "/no/such.csv"], "/no/such.csv"),
        (["--lr", "-1"], "learning rate"),
        (["--at", "5", "--iterations", "3"], "--at 5"),
    ],
)
def test_errors_are_one_line_with_exit_status_2(capsys, args, message):
    code, out, err = run_cli(capsys, "trace", *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_python_dash_m_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "nnviz", "trace", "--iterations", "2", "--at", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and "iteration 1" in proc.stdout


# --- Hostile arguments and files (issue 20 C, D) ------------------------------------------------

DATA = Path(__file__).parent / "data"


def _refuse_constant(name):
    raise ValueError(f"not JSON: {name}")


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "--json", "--lr", "100", "--iterations", "2000", "--at", "1999"],
        [
            "trace",
            "--json",
            "--dataset",
            "xor",
            "--hidden",
            "8",
            "8",
            "--lr",
            "100",
            "--loss",
            "bce",
            "--iterations",
            "500",
            "--at",
            "499",
        ],
        ["train", "--json", "--csv", str(DATA / "hostile" / "tiny_values.csv"), "--iterations", "300"],
        ["train", "--json", "--csv", str(DATA / "hostile" / "excel_unicode_text.txt"), "--iterations", "300"],
        [
            "train",
            "--json",
            "--csv",
            str(DATA / "gradebooks" / "teacher_sheet.csv"),
            "--iterations",
            "300",
            "--test-share",
            "0",
        ],
        [
            "train",
            "--json",
            "--csv",
            str(DATA / "gradebooks" / "excel_german.csv"),
            "--lr",
            "100",
            "--iterations",
            "300",
        ],
    ],
)
def test_every_json_parses_with_a_strict_parser(capsys, args):
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    json.loads(out, parse_constant=_refuse_constant)  # NaN, Infinity, -Infinity raise


@pytest.mark.parametrize(
    "args,message",
    [
        (["trace", "--iterations", "99999999999999999999999"], "not a number of iterations from 1 to 1,000,000"),
        (["trace", "--iterations", "1000000000000"], "not a number of iterations from 1 to 1,000,000"),
        (["trace", "--hidden", "9"], "not a layer size from 1 to 8"),
        (["trace", "--hidden", "2", "2", "2", "2"], "at most 3"),
        (["trace", "--seed", "-1"], "not a seed"),
        (["train", "--csv", str(DATA / "hostile" / "grade_1e301.csv")], "'1e301' is beyond any grade's scale"),
        (
            ["train", "--csv", str(DATA / "hostile" / "numbered_assignments.csv"), "--features", "Oral", "Oral"],
            "'Oral' is chosen twice",
        ),
        (
            [
                "train",
                "--csv",
                str(DATA / "hostile" / "numbered_assignments.csv"),
                "--target",
                "Oral",
                "--pass-mark",
                "nan",
            ],
            "the pass mark nan is not a number",
        ),
        (["train", "--csv", "/dev/zero"], "the file is over 2 MB"),
    ],
)
def test_hostile_arguments_get_one_error_line(capsys, args, message):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1, err


def test_huge_weights_print_as_numbers_not_wrapped_integers(capsys):
    code, out, _ = run_cli(capsys, "trace", "--lr", "100", "--iterations", "3", "--at", "2")
    assert code == 0 and "-9223372036854775808" not in out
    values = np.array([[2.0**70], [np.inf], [-3.0]])
    assert "1180591620717411303424" not in cli._fmt(values) and "inf" in cli._fmt(values)


def test_a_closed_pipe_and_a_diverging_run_print_no_traceback_or_warning():
    command = [
        sys.executable,
        "-m",
        "nnviz",
        "trace",
        "--lr",
        "100",
        "--hidden",
        "4",
        "--loss",
        "bce",
        "--iterations",
        "3000",
        "--at",
        *map(str, range(0, 3000, 3)),
    ]
    proc = subprocess.run(f"{shlex.join(command)} | head -1", shell=True, capture_output=True, text=True, timeout=120)
    assert proc.stdout.startswith("---------- iteration 0") and proc.stderr == ""


def test_trace_shows_each_hidden_units_activation_and_its_slope(capsys):
    code, out, _ = run_cli(
        capsys, "trace", "--dataset", "xor", "--hidden", "2", "--activation", "tanh", "--at", "0", "--iterations", "10"
    )
    assert code == 0
    assert "tanh of each, (e^z - e^-z) / (e^z + e^-z):" in out and "its slope, 1 − a²:" in out
    assert "sigmoid of each, 1 / (1 + e^-z):" in out  # the output's
    _, relu, _ = run_cli(
        capsys, "trace", "--dataset", "xor", "--hidden", "2", "--activation", "relu", "--at", "0", "--iterations", "10"
    )
    assert "ReLU of each, max(z, 0):" in relu and "its slope, 1 if z > 0 else 0:" in relu
    assert run_cli(capsys, "trace", "--activation", "swish")[0] == 2
