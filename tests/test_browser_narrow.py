"""Narrow windows in real Chromium: the layout follows the width the browser reports, not its
user agent, and every page is photographed at 390 px with and without a phone's user agent
(``test-artifacts/narrow-*.png``, to look at)."""

import pytest
from browser import ARTIFACTS

pytestmark = pytest.mark.browser
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
PAGES = {"": 1, "walkthrough": 3, "backprop": 2, "descent": 3, "grades": 4}
# The training animation's height: its three panels stacked (narrow) or side by side.
ANIMATION_HEIGHT = """() => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.layout && p.layout.sliders && p.layout.sliders.length);
    return plot ? plot.layout.height : null;
}"""


def tab(browser, width, phone):
    height = 7000 if width < 640 else 1000  # tall, so one screenshot holds the whole page
    context = browser.new_context(
        viewport={"width": width, "height": height},
        user_agent=PHONE if phone else None,
        is_mobile=phone,
        has_touch=phone,
    )
    return context.new_page()


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop-browser"])
def test_every_page_at_390_px(server, browser, phone):
    page = tab(browser, 390, phone)
    try:
        for path, charts in PAGES.items():
            page.goto(f"{server.url}/{path}?predict=0")
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=90_000
            )
            page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
            if path == "walkthrough":  # stacked, whatever the user agent says: the width decides
                page.wait_for_function(f"({ANIMATION_HEIGHT})() === 1050", timeout=30_000)
            # No toolbar over a chart's title on a narrow screen.
            assert page.evaluate("[...document.querySelectorAll('.modebar-container')].every(m => !m.offsetParent)")
            assert page.locator("[data-testid='stException']").count() == 0
            page.screenshot(path=str(ARTIFACTS / f"narrow-{path or 'home'}-{'phone' if phone else 'desktop'}.png"))
    finally:
        page.context.close()


def test_a_wide_window_with_a_phones_user_agent_gets_the_wide_layout(server, browser):
    page = tab(browser, 1400, phone=True)  # a tablet, say, whose browser says "Mobi"
    try:
        page.goto(f"{server.url}/walkthrough?predict=0")
        page.wait_for_function(f"({ANIMATION_HEIGHT})() === 620", timeout=90_000)
    finally:
        page.context.close()
