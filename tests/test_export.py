import re
import subprocess
import sys
from io import StringIO

import numpy as np
import pandas as pd

from nnviz import datasets
from nnviz.engine.training import TrainingConfig, train
from nnviz.views import export


def test_history_has_errors_and_labelled_weights_at_every_snapshot(article_run):
    frame = pd.read_csv(StringIO(export.history_csv(article_run, ("x1", "x2", "x3"))))
    assert list(frame.columns) == ["iteration", "abs_error_sum", "loss", "accuracy", "w x1→ŷ", "w x2→ŷ", "w x3→ŷ"]
    assert frame["iteration"].tolist() == article_run.snapshot_iterations.tolist()
    row = frame[frame["iteration"] == 1].iloc[0]
    assert round(row["w x1→ŷ"], 8) == 0.67423821 and round(row["abs_error_sum"], 8) == 1.67262494


def test_the_numpy_script_reproduces_the_run(tmp_path):
    data = datasets.xor()
    run = train(
        data.X, data.y, TrainingConfig(hidden=(3,), bias=True, rule="bce", learning_rate=2.0, seed=5, iterations=3_000)
    )
    path = tmp_path / "nnviz_run.py"
    path.write_text(export.numpy_script(run, "a test"))
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True).stdout
    inside_brackets = re.findall(r"\[([^\[\]]*)\]", out)
    printed = [float(v) for chunk in inside_brackets for v in chunk.split()]
    expected = np.concatenate(
        [
            run.final_params.weights[0].ravel(),
            run.final_params.biases[0],
            run.final_params.weights[1].ravel(),
            run.final_params.biases[1],
        ]
    )
    np.testing.assert_allclose(printed[-len(expected) :], expected, atol=5e-8)
    assert "3,000 iterations" in out


def test_the_articles_script_prints_the_articles_weights(article_run, tmp_path):
    path = tmp_path / "article.py"
    path.write_text(export.numpy_script(article_run, "the article"))
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "12.00871622" in out and "-0.20447873" in out and "-5.80024997" in out
