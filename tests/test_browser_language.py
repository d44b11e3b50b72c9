"""Languages in real Chromium: the page's ``lang`` attribute is the visitor's language (screen
readers pronounce by it), axe-core finds no WCAG A/AA violation on the walkthrough and the
grades page in German and French, a German browser gets German without ``?lang=``, and at
390 px the longer German words do not push the page sideways."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
AXE = (Path(__file__).parent / "assets" / "axe-core" / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHARTS = {"walkthrough": 3, "grades": 5}
HEADINGS = {
    ("walkthrough", "de"): "Das 11-Zeilen-Netz",
    ("grades", "de"): "Bestehen sie?",
    ("walkthrough", "fr"): "Le réseau en 11 lignes",
    ("grades", "fr"): "Vont-ils réussir\u202f?",
}


def settle(page, path):
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {CHARTS[path]}", timeout=90_000)
    page.wait_for_function("document.documentElement.lang !== 'en'", timeout=30_000)


@pytest.mark.parametrize("lang", ["de", "fr"])
@pytest.mark.parametrize("path", ["walkthrough", "grades"])
def test_a_translated_page_says_its_language_and_passes_axe(server, browser, path, lang):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/{path}?predict=0&lang={lang}")
        page.get_by_role("heading", name=HEADINGS[(path, lang)]).first.wait_for(timeout=90_000)
        settle(page, path)
        assert page.evaluate("document.documentElement.lang") == lang
        page.add_script_tag(content=AXE)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        problems = [(v["id"], n["target"]) for v in result["violations"] for n in v["nodes"]]
        assert problems == []
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=f"test-artifacts/lang-{lang}-{path}.png", full_page=True)
    finally:
        context.close()


def test_a_german_browser_gets_german_without_a_link(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/walkthrough?predict=0")
        page.get_by_role("heading", name="Das 11-Zeilen-Netz").first.wait_for(timeout=90_000)
        settle(page, "walkthrough")
        assert "0,03182" in page.locator("[data-testid='stMetric']").all_inner_texts()[1]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_a_phone_in_german_or_french_does_not_scroll_sideways(server, browser, lang):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/walkthrough?predict=1&lang={lang}")
        page.get_by_role("heading", name=HEADINGS[("walkthrough", lang)]).first.wait_for(timeout=90_000)
        page.wait_for_timeout(3_000)
        overflow = page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth")
        assert overflow <= 1
        page.screenshot(path=f"test-artifacts/lang-{lang}-phone.png", full_page=True)
    finally:
        context.close()
