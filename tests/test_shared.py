"""The server's shared caches (ui/shared.py): equal keys share, and drawn elements replay."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnviz.training import TrainingConfig
from ui.shared import digest

ROOT = Path(__file__).resolve().parents[1]


def test_keys_that_differ_in_any_setting_get_different_names():
    base = ("trask", TrainingConfig(learning_rate=1.0))
    assert digest(base) == digest(("trask", TrainingConfig(learning_rate=1.0)))
    assert digest(base) != digest(("trask", TrainingConfig(learning_rate=1.0000001)))
    assert digest(base) != digest(("xor", TrainingConfig(learning_rate=1.0)))
    assert digest((base, True, 10)) != digest((base, False, 10)) != digest((base, False, 11))
    with pytest.raises(TypeError, match="numpy arrays"):
        digest(("grid", np.arange(2000)))  # printed shortened: two grids could get one name


def test_the_array_check_holds_under_python_dash_O():
    code = "import numpy as np; from ui.shared import digest; digest(np.arange(2000))"
    proc = subprocess.run([sys.executable, "-O", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "TypeError: numpy arrays" in proc.stderr


def app_drawing_twice():
    import streamlit as st

    from ui.shared import drawn

    def table():
        st.session_state["drawn"] = st.session_state.get("drawn", 0) + 1
        st.markdown("**the table**")
        st.dataframe({"x": [1, 2, 3]})

    drawn(("test", st.session_state.get("which", "a")), table)
    st.write(f"drawn {st.session_state.get('drawn', 0)} times")


def test_elements_are_drawn_once_and_replayed_on_later_runs():
    at = AppTest.from_function(app_drawing_twice)
    at.run()
    first = [m.value for m in at.markdown]
    at.run()
    assert [m.value for m in at.markdown][:1] == first[:1] == ["**the table**"]
    assert len(at.dataframe) == 1
    assert at.markdown[-1].value == "drawn 1 times"  # the second run replayed, it did not draw
    at.session_state["which"] = "b"  # another key: drawn anew
    at.run()
    assert at.markdown[-1].value == "drawn 2 times"
