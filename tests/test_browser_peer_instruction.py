"""Peer Instruction in real Chromium (issue 34): a teacher and two students (a laptop and a 390 px
phone).  They vote, the teacher shows the spread, Vote again opens round 2 (the phone says so),
they vote again; the console shows both rounds side by side.  The projector page is measured at
1400×900 and 1920×1080: the class code at least 10 % of the screen's height, the QR code at least
a third.  Screenshots land in test-artifacts/ (docs/class-projector.png is the README's)."""

import re

import pytest
from browser import ARTIFACTS, Server, laptop_and_phone_join, open_class

pytestmark = pytest.mark.browser


def guess(student, value: str) -> None:
    slider = student.get_by_role("slider", name=re.compile("Predict: over the first"))
    slider.focus()
    for _ in range(14):
        if slider.get_attribute("aria-valuetext") == value:
            break
        student.keyboard.press("ArrowRight")  # every guess here is above the middle (50)
    assert slider.get_attribute("aria-valuetext") == value
    student.get_by_role("button", name="Lock in my guess").click()


def test_vote_show_vote_again_and_the_projector_read_from_the_back_of_the_room(browser, tmp_path):
    server = Server({"NNVIZ_CLASS_DIR": str(tmp_path), "NNVIZ_PUBLIC_URL": "https://nnviz.example.org"})
    contexts = []
    try:
        teacher = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(teacher)
        console = teacher.new_page()
        code = open_class(console, server.url)
        students = laptop_and_phone_join(browser, server.url, code, contexts)
        console.get_by_text("2 students joined").wait_for(timeout=30_000)
        console.get_by_role("button", name="Bring everyone here").click()
        for student, value in zip(students, ("100", "1,000")):
            student.get_by_role("button", name="Lock in my guess").wait_for(timeout=60_000)
            guess(student, value)
            student.get_by_text("Your guess went to the class").wait_for(timeout=60_000)

        console.get_by_text("2 of 2 students answered").wait_for(timeout=30_000)
        console.get_by_role("button", name="Show the answers").click()
        for student in students:
            student.get_by_text("talk them over with your neighbours").wait_for(timeout=30_000)
            assert student.get_by_text(re.compile("^(Right|Not quite)\\.")).count() == 0
        console.get_by_role("button", name="Vote again").click()
        phone = students[1]
        phone.get_by_text("Round 2: you can change your answer.").wait_for(timeout=30_000)
        phone.screenshot(path=str(ARTIFACTS / "class-phone-round-2.png"))
        for student, value in zip(students, ("1,000", "1,000")):
            student.get_by_role("button", name="Lock in my guess").wait_for(timeout=60_000)
            guess(student, value)
            student.get_by_text("Your guess went to the class").wait_for(timeout=60_000)
        console.get_by_text("changed their mind since round 1").wait_for(timeout=30_000)
        console.screenshot(path=str(ARTIFACTS / "class-console-two-rounds.png"), full_page=True)

        console.get_by_text("Projector view").first.click()
        console.get_by_text("The class's answers are hidden until the teacher shows them.").wait_for(timeout=30_000)
        heights = {}
        for width, height in ((1400, 900), (1920, 1080)):
            console.set_viewport_size({"width": width, "height": height})
            console.wait_for_timeout(1500)
            box = console.locator(".st-key-projector-code p").bounding_box()
            qr = console.locator(".st-key-projector-qr img").bounding_box()
            heights[(width, height)] = (box["height"], qr["height"])
            assert box["height"] >= 0.10 * height, (width, height, box)
            assert qr["height"] >= height / 3, (width, height, qr)
            assert console.locator("[data-testid='stSidebar']").is_hidden()
            body = console.inner_text("body")
            assert "nnviz.example.org/?class=" in body and code in body
            assert "teacher=" not in body and "Nicknames" not in body and "Reveal" not in body
            console.screenshot(path=str(ARTIFACTS / f"class-projector-{width}x{height}.png"))
        print("code and QR heights:", heights)
        for tab in (console, *students):
            assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        for context in contexts:
            context.close()
        server.stop()
