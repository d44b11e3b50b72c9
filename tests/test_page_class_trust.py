"""A live class as a teacher really runs it (issue 32), under AppTest: the Reveal is the only way
to an answer, a question belongs to the run pinned when it was asked, a revealed round is
closed, a lesson edit reaches every student with one rerun, and the teacher's buttons survive
a class ended elsewhere or a store that is gone for a moment."""

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest
from test_page_teach import ROOT, button, elbow_prompt, join, lock, open_class, open_page, texts, updown

from nnviz import datasets
from nnviz import lesson as lessons
from nnviz.classroom.store import StoreUnavailable
from nnviz.engine.elbow import find_elbow
from nnviz.engine.training import TrainingConfig, train
from ui import classroom
from ui import lesson as ui_lesson


@pytest.fixture(autouse=True)
def class_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_CLASS_DIR", str(tmp_path))
    classroom._open_store.clear()
    yield tmp_path
    classroom._open_store.clear()


def verdicts(at) -> list[str]:
    return [e.value for e in (*at.success, *at.warning) if e.value.startswith(("Right.", "Not quite."))]


def charts_saying(at, start: str) -> list:
    return [c for c in at.get("plotly_chart") if c.proto.alt.startswith(start)]


def article_elbow(**config) -> int:
    data = datasets.trask()
    return find_elbow(train(data.X, data.y, replace(TrainingConfig(), **config)).abs_error, 0, 1_001)


class DownStore:
    """A store that cannot be reached: every call fails as a lost connection does."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise StoreUnavailable("the test stopped it")

        return fail


def largest(at):
    return next(w for w in at.get("button_group") if "which input's weight ends up largest" in w.label)


def answer(at, kind: str) -> None:
    """Answer one of the walkthrough's three kinds of prompt: a slider locked in, a choice, several at once."""
    if kind == "slider":
        lock(at, 100)
    elif kind == "choice":
        largest(at).set_value(largest(at).options[0]).run()
    else:
        for i, direction in enumerate(("up", "down", "up")):
            updown(at, i).set_value(direction).run()
    assert not at.exception, [e.value for e in at.exception]


# --- view settings --------------------------------------------------------------------------------
def test_a_student_who_changes_only_the_view_still_answers_the_class():
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    ana.toggle(key="walk.logy").set_value(True).run()  # the log error axis: the same run, drawn otherwise
    lock(ana, 100)
    assert "Your guess went to the class" in texts(ana) and not verdicts(ana)
    store = classroom.store()
    (prompt,) = store.prompts(member.code, member.key)
    assert store.tally(member.code, prompt, key=member.key).counts == {"100": 1}
    assert not charts_saying(ana, "The error falls")  # the error chart waits for the Reveal


# --- no verdict before the Reveal -------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["slider", "choice", "several"])
def test_an_answer_clicked_while_the_store_is_down_is_kept_sent_later_and_judged_only_after_the_reveal(
    kind, monkeypatch
):
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    ana.run()  # the page as the class left it (its last state is known)
    real = classroom.store()
    monkeypatch.setattr(classroom, "store", DownStore)
    answer(ana, kind)
    assert "Your answer is kept" in texts(ana), texts(ana)
    assert not verdicts(ana) and not [i for i in ana.info if i.value.startswith("The answer:")]
    assert not [b for b in ana.button if b.label == "Show me"]  # no private way round the class

    monkeypatch.setattr(classroom, "store", lambda: real)  # the store is back: the next poll sends it
    ana.run()
    asked = real.prompts(member.code, member.key)
    assert len(asked) == (3 if kind == "several" else 1)
    assert all(real.tally(member.code, p, key=member.key).answered == 1 for p in asked)
    assert not verdicts(ana) and "went to the class" in texts(ana)

    for prompt in asked:
        real.reveal(member.code, member.key, prompt)
    ana.run()
    assert verdicts(ana) or "of 3 right" in texts(ana)


# --- a question is the question on one run -----------------------------------------------------------
def test_a_re_pin_asks_a_new_question_with_that_runs_answer_on_the_console():
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    store = classroom.store()
    store.pin(member.code, member.key, "walkthrough", {"lr": "0.5"})
    store.bring_here(member.code, member.key, "walkthrough")
    ana.run()
    lock(ana, 100)
    teacher.run()
    slow, fast = article_elbow(learning_rate=0.5), article_elbow(learning_rate=10.0)
    assert slow != fast  # the two runs bend at different iterations: the console must name the right one
    assert f"**The answer:** {slow} (only you see it)" in texts(teacher)
    button(teacher, "Reveal the answer").click().run()

    store.pin(member.code, member.key, "walkthrough", {"lr": "10"})  # "Why the learning rate matters"
    store.bring_here(member.code, member.key, "walkthrough")
    ana.run()
    assert not elbow_prompt(ana).disabled and not verdicts(ana)  # a new question, not the revealed one
    lock(ana, 1000)
    assert "went to the class" in texts(ana) and not verdicts(ana)
    teacher.run()
    cards = [m.value for m in teacher.markdown if m.value.startswith("**The answer:")]
    assert cards[0] == f"**The answer:** {fast} (only you see it)"  # the run on the students' screens
    assert "changed their mind" not in texts(teacher)  # two runs' answers are never compared
    assert any("earlier pinned settings" in e.label for e in teacher.expander)


# --- a revealed round is closed ------------------------------------------------------------------------
def test_an_answer_after_the_reveal_is_refused_and_the_count_does_not_move():
    teacher, member = open_class()
    ana, ben = join(member.code, "Ana"), join(member.code, "Ben")
    lock(ana, 100)
    teacher.run()
    button(teacher, "Reveal the answer").click().run()
    ben.run()
    assert "This round is closed; the teacher can ask again." in texts(ben)
    assert charts_saying(ben, "The error falls")  # the answer is public now
    lock(ben, 1000)
    assert any("This round is closed" in w.value for w in ben.warning)
    assert not verdicts(ben)
    store = classroom.store()
    (prompt,) = store.prompts(member.code, member.key)
    assert store.tally(member.code, prompt).counts == {"100": 1}
    teacher.run()
    assert "1 of 2 students answered · revealed: the round is closed" in texts(teacher)


# --- nothing else gives it away ----------------------------------------------------------------------------
def test_the_animation_the_downloads_and_the_home_thumbnails_wait_for_the_reveal():
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    assert not charts_saying(ana, "An animation of training")
    assert not [b for b in ana.get("download_button")]
    assert "The animation waits for the teacher's Reveal" in texts(ana)
    lock(ana, 100)
    largest(ana).set_value("x1").run()
    store = classroom.store()
    for prompt in store.prompts(member.code, member.key):
        store.reveal(member.code, member.key, prompt)
    ana.run()
    assert charts_saying(ana, "An animation of training")
    assert not ana.get("download_button")  # the history still holds the answer to iteration 0's updates
    answer(ana, "several")
    for prompt in store.prompts(member.code, member.key):
        store.reveal(member.code, member.key, prompt)
    ana.run()
    assert ana.get("download_button")

    ana.switch_page("app_pages/home.py").run()
    assert not ana.get("plotly_chart") and "bends most" not in texts(ana)
    alone = open_page("home")
    assert len(alone.get("plotly_chart")) == 4  # a visitor in no class sees the four thumbnails


# --- lessons never loop ------------------------------------------------------------------------------------
def test_a_lesson_edit_reaches_a_following_student_with_one_rerun(monkeypatch):
    teacher = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    teacher.switch_page("app_pages/teach.py").run()
    teacher.selectbox(key="build.preset").set_value("Why the learning rate matters").run()
    button(teacher, "Open a class").click().run()
    member = teacher.session_state[classroom.MEMBER]
    teacher.toggle(key="teach.with_lesson").set_value(True).run()
    student = join(member.code, "Ada")
    student.default_timeout = 20  # a page that reruns forever fails here instead of hanging
    student.run()

    runs = []
    adopt = ui_lesson.adopt
    monkeypatch.setattr(ui_lesson, "adopt", lambda: (runs.append(1), adopt())[-1])
    for title in ("Rates, edited", "Rates, edited twice"):
        teacher.text_input(key="build.Why the learning rate matters.title").set_value(title).run()
        assert classroom.store().lesson(member.code).pinned["lesson"]["text"].find(title.split(",")[0]) >= 0
        runs.clear()
        student.run()  # the student's next poll
        assert not student.exception, [e.value for e in student.exception]
        assert len(runs) == 2, runs  # the poll's run, and one rerun with the new lesson
        assert any(title in i.value for i in student.info)
        runs.clear()
        student.run()  # and nothing more after it
        assert len(runs) == 1
    given = lessons.parse(classroom.store().lesson(member.code).pinned["lesson"]["text"])[0]
    assert given is not None and given.title == "Rates, edited twice"
    assert "lesson" not in student.query_params  # the class's lesson stays the class's: the address stays short


# --- the teacher's buttons ------------------------------------------------------------------------------
def test_reveal_after_the_class_ended_elsewhere_says_so_in_one_line():
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    lock(ana, 100)
    teacher.run()
    classroom.store().end(member.code, member.key)  # End class, pressed in another tab
    button(teacher, "Reveal the answer").click().run()
    assert not teacher.exception, [e.value for e in teacher.exception]
    assert [e.value for e in teacher.error] == [
        f"There is no class {member.code[:3]}-{member.code[3:]} (the code is wrong, or the class has ended)."
    ]
    assert "This class has ended." in texts(teacher)


def test_ask_again_while_the_store_is_busy_says_so_and_keeps_the_console(monkeypatch):
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    lock(ana, 100)
    teacher.run()
    button(teacher, "Reveal the answer").click().run()
    real = classroom.store()

    class Busy:
        def __getattr__(self, name):
            return getattr(real, name)

        def ask_again(self, *args):
            raise StoreUnavailable("database is locked")

    monkeypatch.setattr(classroom, "store", Busy)
    button(teacher, "Vote again").click().run()
    assert not teacher.exception, [e.value for e in teacher.exception]
    assert len(teacher.error) == 1 and "not reachable (database is locked)" in teacher.error[0].value
    assert "1 of 1 student answered" in texts(teacher)  # the console stays


def test_going_downhills_landscape_waits_for_the_reveal_of_the_step_question():
    teacher, member = open_class()
    ana = join(member.code, "Ana", page="descent")
    assert not charts_saying(ana, "The error over") and "The landscape waits for the teacher's Reveal" in texts(ana)
    step = next(w for w in ana.get("button_group") if "which way will" in w.label)
    step.set_value("up").run()
    assert not charts_saying(ana, "The error over") and not verdicts(ana)
    store = classroom.store()
    for prompt in store.prompts(member.code, member.key):
        store.reveal(member.code, member.key, prompt)
    ana.run()
    assert charts_saying(ana, "The error over") and verdicts(ana)


def test_the_blame_table_waits_for_the_reveal_of_the_blame_question_even_when_the_next_one_is_revealed():
    teacher, member = open_class()
    ana = join(member.code, "Ana", page="backprop")
    after = next(w for w in ana.get("button_group") if "will the error E be lower or higher" in w.label)
    after.set_value(after.options[0]).run()
    store = classroom.store()
    (asked,) = store.prompts(member.code, member.key)
    store.reveal(member.code, member.key, asked)  # the teacher reveals the second question first
    ana.run()
    assert not ana.dataframe or not any("∂E/∂w (sum)" in d.value.columns for d in ana.dataframe)
    assert "The table waits for the teacher's Reveal" in texts(ana)


def test_the_stepper_and_the_downloads_wait_while_a_question_they_would_answer_is_open():
    """The last iteration's weights answer "which ends up largest"; the next iteration's weights answer "will
    each go up or down": while either is open, the stepper stays at the class's iteration and the downloads wait."""
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    assert ana.text_input(key="walk.k").disabled and not ana.get("download_button")
    ana.session_state["walk.k"] = "99999"  # however it gets there (a link, a kept value), the final weights wait
    ana.run()
    assert ana.session_state["walk.k"] == "0" and any(m.value == "#### Iteration #0" for m in ana.markdown)
    store = classroom.store()
    lock(ana, 100)
    largest(ana).set_value("x1").run()
    for prompt in store.prompts(member.code, member.key):
        store.reveal(member.code, member.key, prompt)
    ana.run()
    assert ana.text_input(key="walk.k").disabled  # iteration 0's updates are still open
    ana.session_state["walk.k"] = "1"  # iteration 1's weights would say which way each went
    ana.run()
    assert ana.session_state["walk.k"] == "0"
    answer(ana, "several")
    for prompt in store.prompts(member.code, member.key):
        store.reveal(member.code, member.key, prompt)
    ana.run()
    assert not ana.text_input(key="walk.k").disabled and ana.get("download_button")
    ana.text_input(key="walk.k").set_value("1").run()
    assert any(m.value == "#### Iteration #1" for m in ana.markdown)
