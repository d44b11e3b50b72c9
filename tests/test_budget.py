"""Each visitor's share of the cores (ui/budget.py) and the time cap (issue 20 D), under AppTest."""

from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.budget
import ui.runs
from nnviz.engine.training import TrainingConfig

ROOT = Path(__file__).resolve().parents[1]


def open_page(page, query=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in {"predict": "0", **(query or {})}.items():
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def busy(at) -> bool:
    return any("This server is busy" in w.value for w in at.warning)


def test_a_spent_share_stops_new_training_but_not_runs_already_trained(monkeypatch):
    open_page("app_pages/walkthrough.py", {"iterations": "2000"})  # trained (or found) with the share intact
    monkeypatch.setattr(ui.budget, "SESSION_CPU_SECONDS", 0.0)
    again = open_page("app_pages/walkthrough.py", {"iterations": "2000"})
    assert not busy(again) and again.metric  # a run already trained costs nothing
    fresh = open_page("app_pages/walkthrough.py", {"iterations": "2000", "seed": "918273"})
    assert busy(fresh) and not fresh.metric
    assert "Try fewer iterations" in next(w.value for w in fresh.warning if "busy" in w.value)


def test_a_comparison_shares_what_is_left_of_the_minute_and_its_cut_runs_stay_in_the_session(monkeypatch):
    query = {"seed": "5550123", "iterations": "200000", "rates": "1"}
    open_page("app_pages/descent.py", query)  # the page's own run, trained in full with the share intact
    monkeypatch.setattr(ui.budget, "SESSION_CPU_SECONDS", 0.2)
    at = open_page("app_pages/descent.py", {**query, "rates": "0.01,0.1,1,10", "both": "1"})
    assert any("7 of these runs stopped before their last iteration" in i.value for i in at.info)
    spent = sum(seconds for _, seconds in at.session_state[ui.budget.KEY])
    assert spent < 0.2 + 7 * 0.15  # the share, and at most one chunk more per run
    config = TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=0.01, seed=5550123, iterations=200_000)
    assert ui.runs.shared_runs().get(("students", config)) is None  # never served to another visitor
    assert ("students", config) in at.session_state["cut_runs"]
    assert ui.runs.shared_runs().get(("students", replace(config, learning_rate=1.0))) is not None  # the full one is


def test_a_run_cut_at_the_time_cap_is_kept_for_its_session_only(monkeypatch):
    monkeypatch.setattr(ui.runs, "MAX_RUN_SECONDS", 0.0)  # ends after its first chunk
    at = open_page("app_pages/walkthrough.py", {"seed": "777001", "iterations": "1000000"})
    assert any("the time limit" in i.value for i in at.info)
    config = TrainingConfig(seed=777001, iterations=1_000_000)
    assert ui.runs.shared_runs().get(("trask", config)) is None
    assert ("trask", config) in at.session_state["stopped_runs"]


def test_the_home_page_never_records_a_progress_bar_in_its_pictures(monkeypatch):
    """The home page's runs are got outside its cached drawings: a progress bar or Stop there
    would be replayed to every later visitor."""
    st.cache_resource.clear()
    monkeypatch.setattr(ui.runs, "SHOW_PROGRESS_AFTER", -1.0)  # every run still to train shows its bar
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not first.exception and not [w for w in first.warning if "cache" in w.value.lower()]
    monkeypatch.setattr(ui.runs, "SHOW_PROGRESS_AFTER", 0.3)
    later = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not later.exception
    assert not [b for b in later.button if b.label == "Stop training"]
    assert len(later.get("plotly_chart")) == 4


@pytest.fixture(autouse=True)
def _restore_caches():
    yield
    st.cache_resource.clear()  # runs cut or refused here must not reach other tests
