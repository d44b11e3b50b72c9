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
    page.goto(f"{server.url}/{path}?predict=0")
    page.get_by_role("heading", name=text).first.wait_for(timeout=60_000)
    if charts:
        page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {charts}", timeout=60_000)
        # Drawn, not just placed: every chart has its SVG layers.
        assert page.locator(".js-plotly-plot .main-svg").count() >= charts
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []


def test_a_fresh_servers_first_visit_by_deep_link_goes_through_app_py(browser):
    """With the page files in ``pages/``, Streamlit's legacy multipage mode served a fresh
    server's first deep link straight from that folder, skipping app.py's menu and titles
    (streamlit/streamlit#9624).  In ``app_pages/`` every visit goes through app.py."""
    from browser import Server

    fresh = Server()
    try:
        tab = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        tab.goto(f"{fresh.url}/grades?predict=0")
        tab.get_by_role("heading", name="Will they pass?").first.wait_for(timeout=90_000)
        menu = tab.locator("[data-testid='stSidebarNav']")
        menu.get_by_text("Start here").wait_for(timeout=30_000)  # app.py's menu, not the file names
        assert menu.get_by_text("grades", exact=True).count() == 0
        tab.context.close()
    finally:
        fresh.stop()
