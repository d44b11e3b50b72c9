"""The walkthrough page in real headless Chromium."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHART = ".js-plotly-plot"


def wait_for_charts(page, count):
    """Until ``count`` charts have drawn their SVG and the script's run has ended (Streamlit's
    status widget gone): a condition, not a fixed second."""
    page.wait_for_function(
        f"document.querySelectorAll('{CHART} .main-svg').length >= {count}"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=60_000,
    )


def diagram_text(page):
    """The node labels of the network diagram (the second chart on the page)."""
    return page.locator(CHART).nth(1).locator("g.textpoint text").all_text_contents()


def test_page_loads_with_charts_and_no_exception(server, page):
    page.goto(f"{server.url}/walkthrough?predict=0")
    wait_for_charts(page, 3)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "The 11-line network" in nav and "Start here" in nav
    assert page.get_by_text("0.03182").count() >= 1


def test_moving_the_iteration_slider_changes_the_diagram(server, page):
    page.goto(f"{server.url}/walkthrough?predict=0")
    wait_for_charts(page, 3)
    figure = page.locator(CHART).nth(1)
    figure.scroll_into_view_if_needed()
    before = diagram_text(page)
    assert any("0.367" in t for t in before)  # ŷ for row [0 0 1] at iteration 0
    rail = figure.locator(".slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + rail["width"] * 0.95, rail["y"] + rail["height"] / 2)
    page.wait_for_function(  # Plotly redraws the frame in the browser: until iteration 0's ŷ is gone
        f"(labels => labels.length > 0 && !labels.some(t => t.textContent.includes('0.367')))"
        f"(Array.from(document.querySelectorAll('{CHART}')[1].querySelectorAll('g.textpoint text')))",
        timeout=10_000,
    )
    after = diagram_text(page)
    assert after != before
    assert not any("0.367" in t for t in after)
    shown = re.findall(r"iteration ([\d,]+)", figure.evaluate("el => el.textContent"))
    assert shown and int(shown[0].replace(",", "")) > 1_000  # the slider's read-out moved on too


def test_a_shared_link_restores_settings(server, page):
    page.goto(f"{server.url}/walkthrough?predict=0&lr=0.5&seed=7")
    wait_for_charts(page, 3)
    assert page.get_by_label("Learning rate").input_value() == "0.5"
    assert page.get_by_label("Random seed").input_value() == "7"


def test_a_german_student_types_alpha_with_a_comma_and_the_link_keeps_the_dot(server, page):
    """Issue 36: the boxes hold the reader's notation (``0,5``, ``100.000``) and read it back."""
    page.goto(f"{server.url}/walkthrough?predict=0&lang=de")
    wait_for_charts(page, 3)
    rate, iterations = page.get_by_label("Lernrate α"), page.get_by_label("Iterationen", exact=True)
    assert rate.input_value() == "1" and iterations.input_value() == "100.000"
    rate.fill("0,5")
    rate.press("Enter")  # the keyboard commits it, as in any box
    page.wait_for_url(re.compile(r"[?&]lr=0\.5(&|$)"), timeout=60_000)
    wait_for_charts(page, 3)
    page.get_by_text("0,01410").first.wait_for(timeout=60_000)  # the run of α = 0.5 (0.01410 in English)
    assert rate.input_value() == "0,5" and page.get_by_text("beyond the limit").count() == 0


def test_a_crafted_link_with_huge_values_is_clipped_not_obeyed(server, page):
    page.goto(f"{server.url}/walkthrough?predict=0&iterations=99999999999&lr=1e9&hidden=99,99,99,99")
    wait_for_charts(page, 3)
    assert page.get_by_text("beyond the limit").count() == 3
    assert page.get_by_label("Iterations", exact=True).input_value() == "1,000,000"
    assert page.get_by_label("Learning rate").input_value() == "100"
    assert page.get_by_label("Hidden layers", exact=True).input_value() == "8, 8, 8"  # as a reader types a list


def test_a_long_run_shows_progress_and_can_be_stopped(server, page):
    """The longest run the walkthrough allows takes about 5 s here: on a busy machine the click
    can land after it has ended, so a fresh seed is tried (at most five) until it lands in time."""
    stopped = page.get_by_text("Training stopped at iteration")
    for seed in (11, 12, 13, 14, 15):
        page.goto(f"{server.url}/walkthrough?predict=0&dataset=xor&hidden=8,8,8&bias=1&iterations=1000000&seed={seed}")
        stop = page.get_by_role("button", name="Stop training")
        stop.wait_for(timeout=60_000)
        expect(page.get_by_text("Training…")).to_have_count(1, timeout=10_000)  # the bar's words, redrawn as it grows
        try:
            stop.click(timeout=5_000, force=True)  # at once: the bar redraws the button as it grows
            stopped.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:  # it ended first (the button went, or the run was done): try again
            page.get_by_text("after 1,000,000 iterations").wait_for(timeout=30_000)
    stopped.wait_for(timeout=1_000)
    wait_for_charts(page, 3)
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_take_home_files_are_made_when_asked_for(server, page, tmp_path):
    """The downloads are made on the click (not on every rerun): the history has the article's
    numbers, the script redoes the run, the notebook checks the page's numbers."""
    page.goto(f"{server.url}/walkthrough?predict=0")
    wait_for_charts(page, 3)
    saved = {}
    for name, label in (
        ("history", "Download the run's history (CSV)"),
        ("script", "Download a numpy script (.py)"),
        ("notebook", "Download a notebook (.ipynb)"),
    ):
        button = page.get_by_role("button", name=label)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=60_000) as info:
            button.click()
        saved[name] = tmp_path / info.value.suggested_filename
        info.value.save_as(saved[name])
    history = saved["history"].read_text().splitlines()
    assert saved["history"].name == "nnviz_history.csv" and len(history) > 100
    assert any(line.startswith("10000,0.031818") for line in history)  # the article's 0.03182
    assert history[-1].startswith("100000,0.009949") and ",12.0087" in history[-1]
    script = saved["script"].read_text()
    assert saved["script"].name == "nnviz_run.py" and "np.random.RandomState(123)" in script
    import nbformat

    book = nbformat.read(saved["notebook"], 4)
    nbformat.validate(book)
    assert saved["notebook"].name == "nnviz_run.ipynb"
    assert any("0.3667239" in c.source and "assert" in c.source for c in book.cells)  # iteration #0, checked
