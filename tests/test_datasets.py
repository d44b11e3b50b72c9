import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nnviz import datasets

ROOT = Path(__file__).resolve().parents[1]


def test_article_and_xor_rows():
    t, x = datasets.trask(), datasets.xor()
    assert t.X.tolist() == [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]] == x.X.tolist()
    assert t.y.tolist() == [0, 0, 1, 1] and x.y.tolist() == [0, 1, 1, 0]


def test_bundled_students_file_is_what_the_script_makes():
    spec = importlib.util.spec_from_file_location("make_students", ROOT / "scripts" / "make_students.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.make_students()
    bundled = pd.read_csv(datasets.students_csv_path())
    pd.testing.assert_frame_equal(made, bundled, check_dtype=False)
    assert len(bundled) == 200 and set(bundled["passed"]) == {0, 1}


def test_students_are_scaled_by_a_stored_scaler_that_round_trips():
    s = datasets.students()
    assert s.feature_names == ("assignments", "written_tests", "oral_tests") and s.target_name == "passed"
    np.testing.assert_allclose(s.X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(s.X.std(axis=0), 1, rtol=1e-12)
    raw = pd.read_csv(datasets.students_csv_path())[list(s.feature_names)].to_numpy(float)
    np.testing.assert_allclose(s.raw_X, raw, rtol=1e-12)
    np.testing.assert_allclose(s.scaler.transform(raw), s.X)
    assert s.row_labels[:2] == ("S001", "S002")
    assert s.scaler.to_dict()["columns"] == list(s.feature_names)


def test_a_constant_column_cannot_be_scaled():
    with pytest.raises(ValueError, match="'b' has the same value in every row"):
        datasets.Scaler.fit(["a", "b"], np.array([[1.0, 2.0], [3.0, 2.0]]))
