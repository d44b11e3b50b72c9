import json
import subprocess
import sys

import pytest

from nnviz.cli import main


def run_cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_default_trace_prints_the_articles_two_iterations(capsys):
    code, out, _ = run_cli(capsys, "trace", "--at", "0", "1")
    assert code == 0
    for number in [
        "0.39293837", "-0.42772133", "-0.54629709",  # iteration 0 weights
        "0.36672394", "0.27408027", "0.46173529", "0.35868411",  # its predictions
        "-0.40469539", "-0.73942603", "0.26954282", "-0.06518782",  # iteration 1 dot products
        "0.40018475", "0.32312967", "0.56698066", "0.48370881",  # its predictions
        "0.90948611", "-0.27646878", "-0.33618051",  # its updated weights
        "12.00871622", "-0.20447873", "-5.80024997",  # after 100,000 iterations
    ]:  # fmt: skip
        assert number in out
    assert "(1 × 0.67423821) + (0 × -0.33473064) + (1 × -0.40469539) = 0.26954282" in out
    assert "sum of |error|: 1.82038481" in out and "sum of |error|: 1.67262494" in out
    assert "after 100,000 iterations: sum of |error| = 0.00994974" in out


def test_json_contract(capsys):
    code, out, _ = run_cli(capsys, "trace", "--dataset", "xor", "--hidden", "4", "--bias", "--seed", "1",
                           "--iterations", "300", "--at", "0", "299", "--json")  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"config", "iterations", "final"}
    assert doc["config"] == {
        "dataset": "xor", "features": ["x1", "x2", "x3"], "target": "y", "hidden": [4], "bias": True,
        "loss": "trask", "lr": 1.0, "seed": 1, "iterations": 300,
    }  # fmt: skip
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
    proc = subprocess.run([sys.executable, "-m", "nnviz", "trace", "--iterations", "2", "--at", "1"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0 and "iteration 1" in proc.stdout
