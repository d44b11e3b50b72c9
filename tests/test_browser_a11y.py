"""Accessibility in real Chromium: axe-core's WCAG 2 A/AA rules on every page in the light and
the dark theme (0 violations), the home page's live thumbnails and links, every chart's text
alternative, and the walkthrough's animation driven from the keyboard alone."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
AXE = (Path(__file__).parent / "assets" / "axe-core" / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHART = ".js-plotly-plot"
PAGES = {
    "": 4,
    "walkthrough?predict=0": 3,
    "backprop?predict=0": 2,
    "descent?predict=0": 3,
    "grades?predict=0": 5,
    "walkthrough": 1,
    "teach": 0,
}


@pytest.mark.parametrize("path", list(PAGES))
def test_axe_finds_no_wcag_a_or_aa_violation(server, browser, path):
    """Both themes on one page load: Streamlit follows the system's scheme as it changes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="light")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/{path}")
        page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= {PAGES[path]}", timeout=90_000)
        page.add_script_tag(content=AXE)
        background = "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        problems, backgrounds = [], set()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(1_500)  # the theme and the charts redrawn in it
            backgrounds.add(page.evaluate(background))
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
            problems += [
                (scheme, v["id"], n["target"], n.get("failureSummary", "")[:160])
                for v in result["violations"]
                for n in v["nodes"]
            ]
        assert problems == []
        assert len(backgrounds) == 2  # the dark theme was really drawn
        # Every chart has a text alternative, said in words.
        labels = page.evaluate(
            "[...document.querySelectorAll('[data-testid=stPlotlyChart]')].map(e => e.getAttribute('aria-label'))"
        )
        assert len(labels) >= PAGES[path] and all(label and len(label) > 20 for label in labels)
    finally:
        context.close()


def test_the_home_page_shows_the_path_with_live_thumbnails_and_working_links(server, page):
    page.goto(server.url)
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 4", timeout=90_000)
    assert page.locator(f"{CHART} .main-svg").count() >= 4  # drawn, not just placed
    labels = page.evaluate(
        "[...document.querySelectorAll('[data-testid=stPlotlyChart]')].map(e => e.getAttribute('aria-label'))"
    )
    assert labels[0].startswith("The error falls from 1.82 at iteration 0 to 0.10 at iteration 1,000")
    for link, heading in (
        ("Go to page 1 · The 11-line network", "The 11-line network"),
        ("Go to page 2 · The blame game", "The blame game"),
        ("Go to page 3 · Going downhill", "Going downhill"),
        ("Go to page 4 · Will they pass?", "Will they pass?"),
    ):
        page.goto(server.url)
        page.get_by_role("link", name=link).click()
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0


def diagram_text(page):
    return (
        page.locator("[data-testid=stPlotlyChart]")
        .filter(has_text="The network, showing")
        .first.locator("g.textpoint text")
        .all_text_contents()
    )


def test_the_animation_is_driven_by_the_keyboard_alone(server, page):
    page.goto(f"{server.url}/walkthrough?predict=0")
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 3", timeout=90_000)
    before = diagram_text(page)
    assert any("0.367" in t for t in before)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(400):  # Tab through the page until the animation's iteration slider has the focus
        page.keyboard.press("Tab")
        if "Iteration shown in the animation" in (
            page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        ):
            break
    else:
        pytest.fail("the animation's iteration slider cannot be reached with Tab")
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.getAttribute('aria-valuetext') !== '0'", timeout=10_000)
    page.wait_for_function(  # the server sends the new frame: until the diagram no longer shows iteration 0's ŷ
        "(chart => { const labels = chart ? Array.from(chart.querySelectorAll('g.textpoint text')) : [];"
        " return labels.length > 0 && !labels.some(t => t.textContent.includes('0.367')); })"
        "(Array.from(document.querySelectorAll('[data-testid=stPlotlyChart]'))"
        ".find(c => c.textContent.includes('The network, showing')))",
        timeout=30_000,
    )
    after = diagram_text(page)
    assert after != before and not any("0.367" in t for t in after)
    page.keyboard.press("Tab")  # on to the Play toggle
    assert page.evaluate("document.activeElement.getAttribute('role') || document.activeElement.type") in (
        "switch",
        "checkbox",
    )
    slider = page.get_by_role("slider", name="Iteration shown in the animation (keyboard: ← →)")
    shown = slider.get_attribute("aria-valuetext")
    page.keyboard.press("Space")
    page.wait_for_function(  # Play steps the frames from the server: the slider moves on by itself
        "([v]) => { const s = document.querySelector('[aria-label^=\"Iteration shown in the animation\"]');"
        " return s && s.getAttribute('aria-valuetext') !== v; }",
        arg=[shown],
        timeout=15_000,
    )
    assert page.locator("[data-testid='stException']").count() == 0
