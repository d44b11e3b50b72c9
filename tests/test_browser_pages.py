"""Every page in real headless Chromium: it loads, its charts draw, no exception box."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path,charts,text",
    [
        ("", 0, "Watch a small neural network learn"),
        ("walkthrough", 3, "The 11-line network"),
        ("grades", 4, "Will they pass?"),
        ("backprop", 2, "The blame game"),
        ("descent", 3, "Going downhill"),
    ],
)
def test_page_loads_and_draws(server, page, path, charts, text):
    page.goto(f"{server.url}/{path}")
    page.get_by_role("heading", name=text).first.wait_for(timeout=60_000)
    if charts:
        page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {charts}", timeout=60_000)
        # Drawn, not just placed: every chart has its SVG layers.
        assert page.locator(".js-plotly-plot .main-svg").count() >= charts
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []
