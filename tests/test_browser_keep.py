"""Coming back to a page in real Chromium, the three ways a student does it: the menu, the
browser's Back button and a home-page card.  The settings, the address bar, the answered
prompts and the teacher's upload must be the ones the page was left with."""

import re
from pathlib import Path

import pytest
from browser import ARTIFACTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
BOOKS = Path(__file__).parent / "data" / "gradebooks"
# Each page: its menu entry and home card, the sidebar number it changes, the value, and its heading.
PAGES = {
    "walkthrough": ("The 11-line network", "Go to page 1 · The 11-line network", "Learning rate α", "0.5", "lr"),
    "backprop": ("The blame game", "Go to page 2 · The blame game", "Random seed", "7", "seed"),
    "descent": ("Going downhill", "Go to page 3 · Going downhill", "Random seed", "7", "seed"),
    "grades": ("Will they pass?", "Go to page 4 · Will they pass?", "Random seed (weights and split)", "7", "seed"),
}
VERDICT = re.compile(r"^(Right\.|Not quite\.)")


def menu(page, entry):
    page.locator("[data-testid='stSidebarNav']").get_by_text(entry, exact=True).click()


def heading(page, text):
    page.get_by_role("heading", name=text).first.wait_for(timeout=60_000)


def first_prompt(page):
    return page.locator("[role='radiogroup'][aria-label^='Predict:']").first


def settled(page):
    """The script has finished its run (Streamlit's status widget is gone)."""
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def as_left(page, label, value, query, verdict):
    settled(page)
    page.wait_for_url(re.compile(rf"[?&]{query}={re.escape(value)}(&|$)"), timeout=60_000)
    shown = re.compile(rf"^{re.escape(value)}(\.?0*)$")  # 0.5 is shown as 0.500
    expect(page.get_by_label(label)).to_have_value(shown, timeout=30_000)  # once the widget is drawn again
    page.get_by_text(verdict, exact=True).first.wait_for(timeout=30_000)  # answered, not asked again
    assert first_prompt(page).get_attribute("aria-disabled") == "true"
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_a_page_comes_back_as_it_was_left_by_menu_back_and_card(server, page, path):
    title, card, label, value, query = PAGES[path]
    page.goto(f"{server.url}/{path}")
    heading(page, title)
    first_prompt(page).wait_for(timeout=60_000)
    box = page.get_by_label(label)
    box.fill(value)
    box.press("Enter")
    page.wait_for_url(re.compile(rf"[?&]{query}={re.escape(value)}(&|$)"), timeout=90_000)
    settled(page)
    first_prompt(page).get_by_role("radio").first.click()
    answer = page.locator(
        "[data-testid='stAlertContentSuccess'] [data-testid='stMarkdownContainer'], "
        "[data-testid='stAlertContentWarning'] [data-testid='stMarkdownContainer']"
    )
    answer.filter(has_text=VERDICT).first.wait_for(timeout=60_000)
    verdict = answer.filter(has_text=VERDICT).first.inner_text().strip()
    tally = page.locator("[data-testid='stSidebar']").get_by_text(re.compile(r"of \d+ right")).first.inner_text()

    other = "Going downhill" if path != "descent" else "The blame game"
    menu(page, other)  # away by the menu, back by the browser's Back button
    heading(page, other)
    settled(page)
    page.go_back()
    heading(page, title)
    as_left(page, label, value, query, verdict)

    menu(page, "Start here")  # away to the home page, back by its card
    heading(page, "Watch a small neural network learn")
    page.get_by_text(card).click()
    heading(page, title)
    as_left(page, label, value, query, verdict)

    menu(page, other)  # away and back by the menu
    heading(page, other)
    settled(page)
    menu(page, title)
    heading(page, title)
    as_left(page, label, value, query, verdict)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text(re.compile(r"of \d+ right")).first.inner_text() == tally  # counted once
    page.screenshot(path=str(ARTIFACTS / f"keep-{path}.png"), full_page=True)


def test_a_teachers_upload_and_pass_mark_stay_until_removed(server, page):
    page.goto(f"{server.url}/grades?predict=0")
    heading(page, "Will they pass?")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(BOOKS / "canvas_exams.csv"))
    page.get_by_text("2 columns could be the result").wait_for(timeout=60_000)
    mark = page.get_by_label("Pass mark: passed when Final exam (1204) is at least")
    mark.fill("60")
    mark.press("Enter")
    page.get_by_text(re.compile(r"passed = Final exam \(1204\) ≥ 60: \d+ of 60")).wait_for(timeout=60_000)
    settled(page)

    menu(page, "The blame game")
    heading(page, "The blame game")
    settled(page)
    menu(page, "Will they pass?")
    heading(page, "Will they pass?")
    page.get_by_text(re.compile(r"using canvas_exams\.csv")).wait_for(timeout=60_000)
    page.get_by_text(re.compile(r"passed = Final exam \(1204\) ≥ 60: \d+ of 60")).wait_for(timeout=60_000)
    assert page.get_by_text("Showing the bundled sample").count() == 0
    page.screenshot(path=str(ARTIFACTS / "keep-upload.png"), full_page=True)

    page.get_by_role("button", name="Remove this file").click()
    page.get_by_text("Showing the bundled sample").wait_for(timeout=60_000)


def test_a_prediction_is_answered_by_a_key_press_never_by_moving_the_focus(server, page):
    page.goto(f"{server.url}/walkthrough")
    group = page.get_by_role("radiogroup", name="Predict: which input's weight ends up largest (in size), and why?")
    group.wait_for(timeout=60_000)
    settled(page)
    group.get_by_role("radio", name="x1").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the focus walks to x3 …
    assert page.evaluate("document.activeElement.innerText").strip() == "x3"
    page.wait_for_timeout(1_500)
    assert [r.get_attribute("aria-checked") for r in group.get_by_role("radio").all()] == ["false"] * 3
    assert page.get_by_text(VERDICT).count() == 0  # … and answers nothing
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")  # a key press on x1 commits
    page.get_by_text("Right. x1's weight ends at +12.0087").wait_for(timeout=30_000)
    assert group.get_attribute("aria-disabled") == "true"  # and the answer is locked
