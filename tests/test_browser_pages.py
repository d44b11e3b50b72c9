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


# At the moment the first chart's SVG appears: how many charts and tables the page holds.
WATCH_FIRST_SVG = """
window.atFirstSvg = null;
new MutationObserver(() => {
  if (window.atFirstSvg === null && document.querySelector('.js-plotly-plot .main-svg')) {
    window.atFirstSvg = {
      charts: document.querySelectorAll("[data-testid='stPlotlyChart']").length,
      tables: document.querySelectorAll("[data-testid='stDataFrame']").length,
    };
  }
}).observe(document, {subtree: true, childList: true});
"""


@pytest.mark.parametrize(
    "path,charts,tables_before,later",
    [
        ("walkthrough", 3, 0, "Take it home"),
        ("grades", 4, 0, "This year's students"),  # not even the sample's tables in the closed expander above
        ("", 4, 0, "For teachers"),
    ],
)
def test_a_new_tab_draws_the_first_chart_before_the_rest_arrives(server, page, path, charts, tables_before, later):
    """ui/first_paint.py: in a new tab the first chart is drawn alone, then the rest of the page comes; the next
    page in the same tab comes whole."""
    page.add_init_script(WATCH_FIRST_SVG)
    page.goto(f"{server.url}/{path}?predict=0")
    page.wait_for_function("window.atFirstSvg !== null", timeout=60_000)
    assert page.evaluate("window.atFirstSvg") == {"charts": 1, "tables": tables_before}
    page.get_by_role("heading", name=later).first.wait_for(timeout=60_000)  # the rest did come
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=60_000)
    # The next page in the same tab runs whole, once: no stop, no report, no rerun loop.
    page.locator("[data-testid='stSidebarNav']").get_by_text("The blame game").click()
    page.get_by_role("heading", name="Why the output formula is so simple").wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []
