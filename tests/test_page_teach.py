"""A live class under AppTest: a teacher and two students in one process, over one SQLite file.

The students join by the class link, answer the walkthrough's first prompt on the pinned run,
and wait; the teacher's console counts them and shows the distribution (the projector view
does not, until Reveal); after Reveal the students' pages show the class's answers with their
own marked.  "Bring everyone here" moves a following student; a wrong code and a wrong key
are refused in one line."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from nnviz import datasets
from nnviz.engine.elbow import find_elbow
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig, train
from nnviz.i18n import ENGLISH
from ui import classroom

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def class_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_CLASS_DIR", str(tmp_path))
    classroom._open_store.clear()
    yield tmp_path
    classroom._open_store.clear()


def open_page(page, query=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def open_class():
    teacher = open_page("teach")
    button(teacher, "Open a class").click().run()
    member = teacher.session_state[classroom.MEMBER]
    assert member.key and len(member.code) == 6
    return teacher, member


def join(code, nickname, page="walkthrough"):
    student = open_page(page, {"class": code})
    assert any("You are invited to class" in m.value for m in student.markdown)
    student.text_input[0].set_value(nickname)
    next(b for b in student.button if b.label == "Join the class").click().run()
    assert not student.exception, [e.value for e in student.exception]
    assert student.session_state[classroom.MEMBER].nickname == nickname
    return student


def elbow_prompt(at):
    return next(w for w in at.select_slider if w.label.startswith("Predict:"))


def lock(at, value):
    elbow_prompt(at).set_value(value)
    button(at, "Lock in my guess").click().run()
    assert not at.exception, [e.value for e in at.exception]


def texts(at):
    return " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.success, *at.warning))


def test_students_answer_the_teacher_reveals_and_each_sees_the_class(class_dir):
    teacher, member = open_class()
    assert any(member.code[:3] in m.value for m in teacher.markdown)
    ana, ben = join(member.code, "Ana"), join(member.code, "Ben")
    lock(ana, 100)
    lock(ben, 1000)
    for student in (ana, ben):
        assert "went to the class" in texts(student)
        assert "Right." not in texts(student) and "Not quite." not in texts(student)

    store = classroom.store()
    (prompt,) = store.prompts(member.code, member.key)
    assert classroom.prompt_text(prompt, ENGLISH).startswith("The 11-line network: over the first")
    assert store.tally(member.code, prompt, key=member.key).counts == {"100": 1, "1000": 1}

    # The true answer came with the first answer (the pinned run is everyone's): the article's elbow.
    article = datasets.trask()
    run = train(article.X, article.y, TrainingConfig())
    window = int(prompt.split("over the first ")[1].split(" iterations")[0].replace(",", ""))
    elbow = find_elbow(run.abs_error, 0, window + 1)
    assert store.tally(member.code, prompt, key=member.key).truth == str(elbow)

    teacher.run()
    assert "2 of 2 students answered" in texts(teacher)
    assert len(teacher.get("plotly_chart")) == 1  # the distribution, for the teacher's eyes
    assert f"**The answer:** {elbow} (only you see it)" in texts(teacher)
    assert f"The answer is {elbow}." in teacher.get("plotly_chart")[0].proto.alt
    teacher.toggle[0].set_value(True).run()  # the projector view
    assert "hidden until the teacher shows them" in texts(teacher) and len(teacher.get("plotly_chart")) == 0
    assert "The answer:" not in texts(teacher)
    assert "teacher=" not in texts(teacher) and not [b for b in teacher.button if b.label.startswith("Reveal")]
    teacher.toggle[0].set_value(False).run()

    button(teacher, "Reveal the answer").click().run()
    ana.run()
    words = [c.proto.alt for c in ana.get("plotly_chart") if c.proto.alt.startswith("2 students answered")]
    assert words and "You said 100." in words[0] and f"The answer is {elbow}." in words[0]
    teacher.toggle[0].set_value(True).run()  # revealed: the projector shows the answer too
    assert f"**The answer:** {elbow}" in texts(teacher) and "(only you see it)" not in texts(teacher)
    teacher.toggle[0].set_value(False).run()
    assert "Right." in texts(ana) or "Not quite." in texts(ana)

    button(teacher, "Vote again").click().run()  # Peer Instruction: a second vote after the discussion
    ana.run()
    assert "went to the class" not in texts(ana) and not elbow_prompt(ana).disabled
    lock(ana, 1000)
    assert "went to the class" in texts(ana)
    teacher.run()
    assert "round 2" in texts(teacher) and "1 changed their mind since round 1: 1 from 100 to 1000" in texts(teacher)


def test_bring_everyone_here_moves_a_following_student_with_the_pinned_settings():
    teacher, member = open_class()
    ana = join(member.code, "Ana", page="walkthrough")
    store = classroom.store()
    store.pin(member.code, member.key, "descent", {"seed": "7"})
    store.bring_here(member.code, member.key, "descent")
    ana.run()
    assert not ana.exception, [e.value for e in ana.exception]
    assert any("Going downhill" in t.value for t in ana.title)
    assert ana.session_state["descent.seed"] == "7"  # the seed box holds text, typed the reader's way


def a_teacher_link(monkeypatch, code: str, key: str) -> None:
    """What the browser's link reader hands the page for ``…/teach#class=CODE&teacher=KEY`` (AppTest runs no
    JavaScript; tests/test_browser_class.py opens such a link in Chromium)."""
    monkeypatch.setattr(classroom, "_teacher_link_reader", lambda **_: SimpleNamespace(link=f"{code}.{key}"))


def test_a_wrong_code_and_a_wrong_key_are_refused_in_one_line(monkeypatch):
    student = open_page("walkthrough", {"class": "0OO-III"})
    assert any("is not a class code" in w.value for w in student.warning)
    assert len(student.get("plotly_chart")) >= 1  # the page goes on alone
    _, member = open_class()
    a_teacher_link(monkeypatch, member.code, member.key[:-2] + "xx")
    wrong = open_page("teach")
    assert any("opens no class" in e.value for e in wrong.error)
    assert [b for b in wrong.button if b.label == "Open a class"]
    a_teacher_link(monkeypatch, member.code, member.key)  # the projector's machine, with the right link
    right = open_page("teach")
    assert right.session_state[classroom.MEMBER].key == member.key and not right.error
    assert any("Class code:" in m.value for m in right.markdown)


def test_a_class_store_that_is_not_there_leaves_every_page_working(monkeypatch):
    from browser import free_port

    monkeypatch.setenv("NNVIZ_CLASS_STORE", f"redis://127.0.0.1:{free_port()}/0")
    classroom._open_store.clear()
    teacher = open_page("teach")
    assert any("No class can be opened" in w.value and "not reachable" in w.value for w in teacher.warning)
    student = open_page("walkthrough", {"class": "ACD-EFG"})
    next(b for b in student.button if b.label == "Join the class").click().run()
    assert not student.exception
    assert any("not reachable" in w.value for w in student.warning)
    assert len(student.get("plotly_chart")) >= 1  # the page goes on alone


def test_a_reloaded_tab_is_the_same_student_with_their_answer(class_dir, monkeypatch):
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    lock(ana, 100)
    me = ana.session_state[classroom.MEMBER]
    monkeypatch.setattr(classroom, "browser_cookie", lambda: f"{me.code}.{me.token}")
    again = open_page("walkthrough")  # a new session, as a reloaded tab (or another worker) starts one
    assert again.session_state[classroom.MEMBER] == me
    assert "went to the class" in texts(again) and "you are Ana" in texts(again)
    assert elbow_prompt(again).disabled and elbow_prompt(again).value == 100  # the answer sent before
    teacher.run()
    assert "1 student joined" in texts(teacher) and "1 of 1 student answered" in texts(teacher)

    button(teacher, "Reveal the answer").click().run()
    again.run()
    words = [c.proto.alt for c in again.get("plotly_chart") if c.proto.alt.startswith("1 student answered")]
    assert words and "You said 100." in words[0]

    monkeypatch.setattr(classroom, "browser_cookie", lambda: f"{me.code}.not-her-token")
    stranger = open_page("walkthrough")  # a forged or stale cookie: alone, and the cookie is cleared
    assert classroom.MEMBER not in stranger.session_state and stranger.session_state[classroom.FORGET]
    assert not stranger.exception


def updown(at, i):
    return next(w for w in at.get("button_group") if f"will x{i + 1}→ŷ go up or down" in w.label)


def test_questions_asked_together_go_to_the_class_and_are_revealed_together(class_dir):
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    for i, direction in enumerate(("up", "down", "up")):
        assert "went to the class" not in texts(ana)
        updown(ana, i).set_value(direction).run()
    assert texts(ana).count("Your guess went to the class") == 1  # said once for the three
    assert " of 3 right" not in texts(ana)

    run = train(datasets.trask().X, datasets.trask().y, TrainingConfig())
    steps = trace_iteration(run, 0).layers[0].weight_steps[:, 0]
    truths = ["up" if step > 0 else "down" for step in steps]
    store = classroom.store()
    asked = [p for p in store.prompts(member.code, member.key) if "go up or down at iteration 0" in p]
    assert len(asked) == 3
    for i, prompt in enumerate(asked):
        tally = store.tally(member.code, prompt, key=member.key)
        assert tally.counts == {("up", "down", "up")[i]: 1} and tally.truth == truths[i]

    teacher.run()
    button(teacher, "Reveal all 3").click().run()
    ana.run()
    assert all(classroom.store().lesson(member.code).is_revealed(p) for p in asked)
    right = sum(g == t for g, t in zip(("up", "down", "up"), truths))
    assert any(f"{right} of 3 right" in t for t in (*[s.value for s in ana.success], *[w.value for w in ana.warning]))
    assert len([c for c in ana.get("plotly_chart") if c.proto.alt.startswith("1 student answered")]) == 3


# --- a public server (issue 33) ----------------------------------------------------------------
def classes_open() -> int:
    return len(classroom.store()._read("SELECT code FROM classes"))  # type: ignore[attr-defined]


def test_sixty_fresh_visitors_from_one_address_open_at_most_its_cap(monkeypatch):
    from ui import visitor

    monkeypatch.setattr(visitor, "client_address", lambda: "203.0.113.7")
    opened, refused = 0, []
    for _ in range(60):  # each a new session with no cookie: a script's fresh visitor
        teacher = open_page("teach")
        button(teacher, "Open a class").click().run()
        assert not teacher.exception
        if classroom.MEMBER in teacher.session_state:
            opened += 1
        else:
            refused.append(" ".join(e.value for e in teacher.error))
    assert opened == classes_open() == 20
    assert len(refused) == 40 and all("classes have been opened from your network this hour" in r for r in refused)
    monkeypatch.setattr(visitor, "client_address", lambda: "198.51.100.9")
    open_class()  # a teacher elsewhere still opens one


def test_with_a_teacher_password_a_wrong_one_opens_nothing(monkeypatch):
    monkeypatch.setenv("NNVIZ_TEACHER_PASSWORD", "correct horse")
    teacher = open_page("teach")
    for wrong in ("", "correct hors", "CORRECT HORSE"):
        teacher.text_input(key="teach.password").set_value(wrong)
        button(teacher, "Open a class").click().run()
        assert [e.value for e in teacher.error] == ["That is not this server's teacher password."]
        assert classroom.MEMBER not in teacher.session_state and classes_open() == 0
    teacher.text_input(key="teach.password").set_value("correct horse")
    button(teacher, "Open a class").click().run()
    assert teacher.session_state[classroom.MEMBER].key and classes_open() == 1


def test_a_student_who_leaves_is_not_counted_and_their_open_answer_is_gone(class_dir):
    teacher, member = open_class()
    ana, ben = join(member.code, "Ana"), join(member.code, "Ben")
    lock(ana, 100)
    lock(ben, 1000)
    leave = button(ana, "Leave the class")
    assert "not yet revealed are withdrawn" in leave.help
    leave.click().run()
    assert classroom.MEMBER not in ana.session_state
    store = classroom.store()
    (prompt,) = store.prompts(member.code, member.key)
    assert store.lesson(member.code).students == 1
    assert store.tally(member.code, prompt, key=member.key).counts == {"1000": 1}
    assert store.nicknames(member.code, member.key) == ["Ben"]
    teacher.run()
    assert "1 student joined" in texts(teacher) and "1 of 1 student answered" in texts(teacher)


def test_a_second_join_from_the_same_browser_is_the_same_student(class_dir, monkeypatch):
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    me = ana.session_state[classroom.MEMBER]
    again = open_page("walkthrough", {"class": member.code})  # a tab opened before she joined in another
    monkeypatch.setattr(classroom, "browser_cookie", lambda: f"{me.code}.{me.token}")  # her browser's cookie now
    again.text_input[0].set_value("Ana again")
    button(again, "Join the class").click().run()
    assert again.session_state[classroom.MEMBER] == me
    assert classroom.store().nicknames(member.code, member.key) == ["Ana"]


def test_the_teacher_removes_a_nickname_with_its_open_answer(class_dir):
    teacher, member = open_class()
    ana, ben = join(member.code, "Ana"), join(member.code, "Ben")
    lock(ana, 100)
    lock(ben, 1000)
    teacher.run()
    teacher.selectbox(key="teach.remove.who").set_value("Ben").run()
    button(teacher, "Remove").click().run()
    assert not teacher.exception
    store = classroom.store()
    (prompt,) = store.prompts(member.code, member.key)
    assert store.nicknames(member.code, member.key) == ["Ana"]
    assert store.tally(member.code, prompt, key=member.key).counts == {"100": 1}
    assert "1 student joined" in texts(teacher)


def test_a_class_nobody_joins_ends_after_its_idle_time(monkeypatch):
    import time

    monkeypatch.setenv("NNVIZ_CLASS_IDLE_MINUTES", "0.02")  # 1.2 s
    classroom._open_store.clear()
    teacher, member = open_class()
    time.sleep(1.5)
    teacher.run()
    assert "This class has ended." in texts(teacher)
    student = open_page("walkthrough", {"class": member.code})
    button(student, "Join the class").click().run()
    assert any("There is no class" in e.value for e in student.error)
