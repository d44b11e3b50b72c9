"""A live class in real Chromium: a teacher and two students (a laptop and a 390 px phone) in
three browser contexts on one server.  They join by the class link, follow the teacher to the
walkthrough, lock their guesses; the console counts them, the projector view hides the answers
and the key, Reveal brings the class's answers to both students by itself.  Screenshots of the
console, the projector view and the phone land in test-artifacts/."""

import re

import pytest
from browser import ARTIFACTS, Server, laptop_and_phone_join, open_class

pytestmark = pytest.mark.browser


def test_a_teacher_and_two_students_run_a_question_together(browser, tmp_path):
    server = Server({"NNVIZ_CLASS_DIR": str(tmp_path)})
    contexts = []
    try:
        teacher = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(teacher)
        console = teacher.new_page()
        code = open_class(console, server.url)
        assert "teacher=" not in console.url
        students = laptop_and_phone_join(browser, server.url, code, contexts)
        console.get_by_text("2 students joined").wait_for(timeout=30_000)

        console.get_by_role("button", name="Bring everyone here").click()  # the walkthrough, first in the list
        for student, guess in zip(students, ("100", "1,000")):
            student.get_by_role("button", name="Lock in my guess").wait_for(timeout=60_000)  # followed by itself
            assert student.url.split("?")[0].endswith("/walkthrough")
            slider = student.get_by_role("slider", name=re.compile("Predict: over the first"))
            slider.focus()
            for _ in range(12):  # the options run 1, 2, 5, 10 … 1,000; it starts in the middle
                if slider.get_attribute("aria-valuetext") == guess:
                    break
                student.keyboard.press("ArrowRight")  # both guesses are above the middle (50)
            assert slider.get_attribute("aria-valuetext") == guess
            student.get_by_role("button", name="Lock in my guess").click()
            student.get_by_text("Your guess went to the class").wait_for(timeout=60_000)
            assert student.get_by_text(re.compile("^(Right|Not quite)\\.")).count() == 0  # no verdict before Reveal
        students[1].screenshot(path=str(ARTIFACTS / "class-phone-waiting.png"))

        console.get_by_text("2 of 2 students answered").wait_for(timeout=30_000)
        console.screenshot(path=str(ARTIFACTS / "class-console.png"), full_page=True)
        console.get_by_text("Projector view").click()
        console.get_by_text("hidden until the teacher shows them").wait_for(timeout=30_000)
        body = console.inner_text("body")
        assert "teacher=" not in body and "Reveal" not in body and "Nicknames" not in body
        console.screenshot(path=str(ARTIFACTS / "class-projector.png"), full_page=True)
        console.get_by_text("Projector view").click()
        console.get_by_role("button", name="Reveal the answer").click()

        for student, mine in zip(students, ("100", "1000")):
            chart = student.locator("[data-testid=stPlotlyChart]").filter(has_text="The class's answers")
            chart.wait_for(timeout=30_000)  # the reveal arrives by itself
            assert f"You said {mine}." in chart.get_attribute("aria-label")
            student.get_by_text(re.compile("^(Right|Not quite)\\.")).first.wait_for(timeout=30_000)
        students[1].screenshot(path=str(ARTIFACTS / "class-phone-revealed.png"))
        for tab in (console, *students):
            assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        for context in contexts:
            context.close()
        server.stop()
