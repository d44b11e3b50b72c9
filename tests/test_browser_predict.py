"""A student answers the walkthrough's prompts in real Chromium: each reveals its chart with
feedback, and the sidebar keeps the tally."""

import pytest
from browser import ARTIFACTS

pytestmark = pytest.mark.browser
CHART = ".js-plotly-plot"


def test_a_student_predicts_then_sees(server, page):
    page.goto(f"{server.url}/walkthrough")
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 1", timeout=60_000)
    page.get_by_text("Make your guess, or press Show me, to see the error chart.").wait_for(timeout=30_000)
    charts = page.locator(CHART).count()
    # Which input's weight ends up largest? One click.
    group = page.get_by_role("radiogroup", name="Predict: which input's weight ends up largest (in size), and why?")
    group.get_by_text("x1", exact=True).click()
    page.get_by_text("Right. x1's weight ends at +12.0087").wait_for(timeout=30_000)
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= {charts + 1}", timeout=30_000)
    # Where does the error bend? Lock in the slider's guess.
    page.get_by_role("button", name="Lock in my guess").click()
    page.get_by_text("bends most at iteration 111").first.wait_for(timeout=30_000)
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= {charts + 2}", timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("of 2 right").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "predict-walkthrough.png"))
