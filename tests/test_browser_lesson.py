"""The lesson builder in Chromium: the teacher picks a ready-made lesson and hides one control;
the preview frame shows exactly what a student who opens the copied link sees (the same menu,
the same banner, the same controls, locked or not), and that student cannot reach other pages."""

import pytest

pytestmark = pytest.mark.browser

# Every control in the sidebar, its label and whether it can be used; the menu; the lesson's banner.
STUDENT_VIEW = """() => {
    const bar = document.querySelector("[data-testid='stSidebar']");
    const controls = [...bar.querySelectorAll("input")].map(input => {
        const box = input.closest("[data-testid^='st'][class*='st-key'], .stNumberInput, .stTextInput, .stSelectbox, .stCheckbox");
        const label = input.getAttribute("aria-label") || (box && box.innerText.split("\\n")[0]) || "";
        return label + (input.disabled ? " (locked)" : "");
    });
    const menu = [...document.querySelectorAll("[data-testid='stSidebarNav'] a")].map(a => a.innerText.trim().split("\\n").pop());
    const banner = [...document.querySelectorAll("[data-testid='stAlertContentInfo']")].map(a => a.innerText)[0] || "";
    return {controls: controls.sort(), menu, banner, title: document.querySelector("h1").innerText};
}"""


def settled(frame_or_page):
    frame_or_page.get_by_role("heading", name="The 11-line network").first.wait_for(timeout=90_000)
    for label in ("Learning rate α", "Iterations"):  # the first and the last control drawn
        frame_or_page.locator(f"[data-testid='stSidebar'] input[aria-label='{label}']").wait_for(timeout=60_000)
    frame_or_page.get_by_text("Bias on every unit").wait_for(timeout=60_000)
    frame_or_page.locator("[data-testid='stMetric']").first.wait_for(timeout=60_000)


def test_the_preview_is_what_the_student_gets(server, page, browser):
    page.goto(f"{server.url}/teach")
    page.get_by_role("tab", name="A lesson to hand out").click()
    page.get_by_text("Start from").wait_for(timeout=60_000)
    page.locator(".st-key-build-preset").click()
    page.get_by_role("option", name="Why the learning rate matters").click()
    page.get_by_text("Going downhill: its settings and controls").wait_for(timeout=30_000)
    # Hide the seed on the walkthrough (its expander is the first).
    seed_hidden = page.locator(
        ".st-key-build-Why-the-learning-rate-matters-walkthrough-seed-mode button", has_text="hidden"
    )
    page.get_by_text("The 11-line network: its settings and controls").click()
    seed_hidden.click()
    page.wait_for_function(
        "[...document.querySelectorAll(\"[data-testid='stCode']\")].some(c => c.innerText.includes('walkthrough.seed~'))",
        timeout=30_000,
    )
    link = next(c for c in page.locator("[data-testid='stCode']").all_inner_texts() if "?lesson=" in c)
    link = "".join(link.split())  # the code block wraps long lines
    assert page.locator("iframe").get_attribute("src") == link

    preview = page.frame_locator("iframe")
    settled(preview)
    seen_in_preview = preview.locator("body").evaluate(STUDENT_VIEW)

    student = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    errors = []
    student.on("pageerror", lambda e: errors.append(str(e)))
    student.goto(link)
    settled(student)
    seen_by_student = student.evaluate(STUDENT_VIEW)
    student.screenshot(path="test-artifacts/lesson-student.png")
    page.screenshot(path="test-artifacts/lesson-builder.png", full_page=True)

    assert seen_in_preview == seen_by_student
    assert seen_by_student["menu"] == ["The 11-line network", "Going downhill"]
    assert (
        seen_by_student["banner"].split("\n")[-1].startswith("Why the learning rate matters · Only the learning rate")
    )
    assert "Learning rate α" in seen_by_student["controls"]  # the one free control
    assert "Iterations (locked)" in seen_by_student["controls"]
    assert not [c for c in seen_by_student["controls"] if c.startswith("Random seed")]  # hidden
    assert student.locator("[data-testid='stException']").count() == 0 and errors == []
    student.context.close()
