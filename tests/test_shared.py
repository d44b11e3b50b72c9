"""The server's shared caches (ui/shared.py): equal keys share, and drawn elements replay."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from nnviz.engine.training import TrainingConfig
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


# --- An upload stays in its teacher's session (issue 20 E) ---------------------------------------


def held(value, needle: str, seen: set | None = None, depth: int = 0) -> bool:
    """Whether ``needle`` is anywhere inside ``value``: containers, dataclasses, objects,
    frames, arrays of text, protobuf messages (the replayed elements)."""
    seen = set() if seen is None else seen
    if id(value) in seen or depth > 12:
        return False
    seen.add(id(value))
    if isinstance(value, str):
        return needle in value
    if isinstance(value, bytes | bytearray):
        return needle.encode() in value
    if hasattr(value, "SerializeToString"):
        return needle.encode() in value.SerializeToString()
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        return needle in value.to_csv() if not isinstance(value, pd.Index) else needle in " ".join(map(str, value))
    if isinstance(value, np.ndarray):
        return value.dtype == object and any(held(v, needle, seen, depth + 1) for v in value.ravel())
    if isinstance(value, dict):
        return any(held(k, needle, seen, depth + 1) or held(v, needle, seen, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(held(v, needle, seen, depth + 1) for v in value)
    if hasattr(value, "__dict__"):
        return held(vars(value), needle, seen, depth + 1)
    if hasattr(value, "__slots__"):
        return any(held(getattr(value, s, None), needle, seen, depth + 1) for s in value.__slots__)
    return False


def server_caches_hold(needle: str) -> bool:
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    caches = _resource_caches._function_caches.get(None, {}).values()  # the server-wide ones (scope "global")
    return any(held(dict(cache._mem_cache), needle) for cache in caches)


def test_nothing_read_or_trained_from_an_upload_waits_in_a_server_wide_cache():
    import streamlit as st

    from ui.shared import PRIVATE_RUNS, PRIVATE_VALUES

    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["predict"] = "0"
    at.switch_page("app_pages/grades.py")
    at.run()
    assert server_caches_hold("students.csv (sample)")  # the bundled sample is shared, as before
    book = ROOT / "tests" / "data" / "gradebooks" / "teacher_checkmarks.csv"
    next(u for u in at.file_uploader if u.label.startswith("Upload last years'")).upload(
        book.name, book.read_bytes(), "text/csv"
    ).run()
    next(t for t in at.toggle if "names" in t.label.lower()).set_value(True).run()  # names on the teacher's screen
    assert not at.exception
    assert held(at.session_state[PRIVATE_VALUES], "Lena N.")  # the scan finds a name where it is kept
    assert at.session_state[PRIVATE_RUNS]
    for needle in ("Lena N.", "Tess J.", "teacher_checkmarks.csv"):
        assert not server_caches_hold(needle), needle
    next(b for b in at.button if b.label == "Remove this file").click().run()
    assert PRIVATE_VALUES not in at.session_state or not held(at.session_state[PRIVATE_VALUES], "Lena N.")


def app_drawing_big_elements():
    import streamlit as st

    from ui.shared import drawn

    for i in range(st.session_state.get("how many", 6)):
        drawn(("big", i), lambda i=i: st.markdown(f"{i} " + "x" * 200_000))


def test_drawn_elements_are_bounded_in_bytes(monkeypatch):
    import streamlit as st

    import ui.shared

    st.cache_resource.clear()
    monkeypatch.setattr(ui.shared, "DRAWN_BYTES", 500_000)  # room for two of the 200 kB elements
    at = AppTest.from_function(app_drawing_big_elements).run()
    assert len(at.markdown) == 6 and not at.exception  # all drawn …
    assert 200_000 * 2 <= ui.shared.drawn_bytes() <= 500_000  # … and only the newest two kept
    assert len(ui.shared._drawn_cache()._mem_cache) == 2
    st.cache_resource.clear()
