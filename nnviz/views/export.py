"""What a student can take home: a run's history as CSV, and a numpy script that redoes it
(made from the take-home notebook's cells)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nnviz.engine import network as nn
from nnviz.engine.training import Run
from nnviz.views import notebook


def history_frame(run: Run, feature_names: Sequence[str]) -> pd.DataFrame:
    """One row per snapshot iteration: the errors then and every weight, labelled."""
    ks = run.snapshot_iterations
    columns = {
        "iteration": ks,
        "abs_error_sum": run.abs_error[ks],
        "loss": run.objective[ks],
        "accuracy": run.accuracy[ks],
    }
    for param in nn.parameters(run.network, feature_names):
        columns[param.label if param.is_bias else f"w {param.label}"] = param.path(run)
    return pd.DataFrame(columns)


def history_csv(run: Run, feature_names: Sequence[str]) -> str:
    return history_frame(run, feature_names).to_csv(index=False, float_format="%.10g")


def numpy_script(run: Run, description: str, filename: str = "nnviz_run.py") -> str:
    """A standalone script: this run's data and settings, and Trask's loop generalised (the
    take-home notebook's own code cells, ``nnviz.views.notebook``)."""
    return notebook.script(notebook.run_cells(run, description, run.last_iteration), description, filename)
