"""A lesson link in the app (AppTest): only its pages, its title and line on every page, hidden
controls absent, locked ones disabled and unchangeable by a link, prompts as it says, a hostile
lesson warned about; the teacher's builder gives the link of the lesson it shows, and a class
pins the same lesson's settings."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from nnviz import datasets
from nnviz import lesson as lessons
from nnviz.engine.training import TrainingConfig, train
from nnviz.settings import PAGES
from ui import classroom
from ui.lesson import LOCKED_HELP

ROOT = Path(__file__).resolve().parents[1]
# Each page's sidebar labels for its network settings (the grades page's hidden units are a slider).
NETWORK_LABELS = {
    "Learning rate α",
    "Iterations",
    "Hidden layers",
    "Hidden units",
    "Data",
    "Learning rule",
    "Bias on every unit",
    "Random seed",
    "Random seed (weights and split)",
}


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_lesson(text, page=None, **query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lesson"] = text
    for name, value in query.items():
        at.query_params[name] = value
    if page:
        at.switch_page(f"app_pages/{page}.py")
    return ok(at.run())


def sidebar_controls(at):
    """Every settings widget in the sidebar: label -> (disabled, help)."""
    widgets = [
        *at.sidebar.selectbox,
        *at.sidebar.text_input,
        *at.sidebar.checkbox,
        *at.sidebar.slider,
        *at.sidebar.toggle,
    ]
    return {w.label: (w.disabled, w.help) for w in widgets}


def title(at):
    return at.title[0].value


def test_hidden_controls_are_absent_and_locked_ones_disabled_and_the_run_uses_them():
    at = open_lesson("pages=walkthrough;walkthrough.seed=5~;walkthrough.lr=0.5!;walkthrough.k~;walkthrough.logy!")
    controls = sidebar_controls(at)
    assert "Random seed" not in controls  # hidden
    assert controls["Learning rate α"] == (True, LOCKED_HELP)  # shown, fixed, and says so
    assert controls["Iterations"][0] is False  # free
    assert next(w for w in at.text_input if w.label == "Learning rate α").value == "0.5"
    assert not [b for b in at.button if b.label in ("◀ previous", "next ▶")]  # the iteration picker is hidden
    assert next(t for t in at.toggle if t.label == "log error axis").disabled
    # The page's numbers are the lesson's run: seed 5 and α = 0.5, as an independent run has them.
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig(learning_rate=0.5, seed=5, iterations=100_000))
    assert next(m for m in at.metric if m.label == "Σ|error| at the start").value == f"{run.abs_error[0]:.5f}"
    assert at.query_params["lr"] == "0.5"


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("mode", ["!", "~"])
def test_every_pages_controls_can_be_locked_or_hidden(path, mode):
    spec = PAGES[path].spec
    text = f"pages={path};prompts=off;" + ";".join(f"{path}.{name}{mode}" for name in spec if name != "predict")
    at = open_lesson(text)
    controls = {label: state for label, state in sidebar_controls(at).items() if label in NETWORK_LABELS}
    if mode == "~":
        assert controls == {}
    else:
        assert len(controls) >= 6 and all(state == (True, LOCKED_HELP) for state in controls.values()), controls
    assert not [p for p in at.pills if p.label.startswith("Predict:")]  # prompts off


def test_a_link_cannot_change_a_locked_value_but_may_change_a_free_one():
    at = open_lesson("pages=walkthrough;walkthrough.lr=0.5!;walkthrough.seed=5", lr="2", seed="9", predict="1")
    assert next(w for w in at.text_input if w.label == "Learning rate α").value == "0.5"
    assert next(w for w in at.text_input if w.label == "Random seed").value == "9"


def test_only_the_lessons_pages_in_its_order_and_its_title_on_every_page():
    at = open_lesson("pages=descent.walkthrough;title=Rates;say=Change α only.")
    assert title(at).startswith("⛰️ Going downhill")  # the lesson's first page opens at the app's address
    assert [i.value for i in at.info][0] == "**Rates** · Change α only."
    ok(at.switch_page("app_pages/walkthrough.py").run())
    assert title(at).startswith("🔬 The 11-line network")
    assert [i.value for i in at.info][0] == "**Rates** · Change α only."
    with pytest.raises(ValueError, match=r"Known pages: \[.*/descent\.py', .*/walkthrough\.py'\]"):
        at.switch_page("app_pages/teach.py")  # the menu holds the lesson's two pages, in its order, and no other


def test_a_hostile_lesson_falls_back_with_a_visible_warning():
    at = open_lesson("pages=walkthrough;title=**big** [x](https://evil.example);walkthrough.lr=abc!;<img src=x>")
    warnings = [w.value for w in at.warning]
    assert "The lesson's learning rate “abc” is not valid here; using 1.0 (on The 11-line network)." in warnings
    assert any(w.startswith("The lesson's part “\\<img src=x\\>” is not understood") for w in warnings), warnings
    assert at.info[0].value.startswith("**\\*\\*big\\*\\* \\[x\\](https\u2060://evil.example)**")  # inert text
    assert next(w for w in at.text_input if w.label == "Learning rate α").value == "1"
    ok(at.run())
    assert not [w for w in at.warning if w.value.startswith("The lesson")]  # said once, not on every rerun


def test_the_prompts_follow_the_lesson_whatever_the_link_says():
    at = open_lesson("pages=walkthrough;prompts=off", predict="1")
    assert not [p for p in at.pills if p.label.startswith("Predict:")]
    at = open_lesson("pages=walkthrough;prompts=on", predict="0")
    assert [p for p in at.pills if p.label.startswith("Predict:")]


def test_a_students_free_change_is_kept_and_the_lesson_leaves_with_the_button():
    at = open_lesson("pages=walkthrough.descent;walkthrough.seed=5!")
    lr = next(w for w in at.text_input if w.label == "Learning rate α")
    ok(lr.set_value("0.25").run())
    for name in list(at.query_params):
        del at.query_params[name]  # the menu drops the query string
    ok(at.switch_page("app_pages/descent.py").run())
    ok(at.switch_page("app_pages/walkthrough.py").run())
    assert next(w for w in at.text_input if w.label == "Learning rate α").value == "0.25"
    assert "lesson" in at.query_params  # the address bar keeps the lesson for a reload
    ok(next(b for b in at.button if b.label.startswith("Leave the lesson")).click().run())
    assert "lesson" not in at.query_params and not [i for i in at.info if i.value.startswith("**")]
    assert sidebar_controls(at)["Random seed"][0] is False  # every control is free again


# --- the teacher's builder, and a class given the lesson ------------------------------------------
@pytest.fixture
def class_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_CLASS_DIR", str(tmp_path))
    classroom._open_store.clear()
    yield tmp_path
    classroom._open_store.clear()


def teach_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("app_pages/teach.py")
    return ok(at.run())


def link_in(at):
    return next(c.value for c in at.code if "lesson=" in c.value)


def lesson_of(url):
    return lessons.parse(parse_qs(urlsplit(url).query)["lesson"][0])


def test_the_builder_gives_the_link_of_the_lesson_it_shows():
    at = teach_page()
    ok(at.selectbox(key="build.preset").set_value("Why the learning rate matters").run())
    built, warnings = lesson_of(link_in(at))
    assert warnings == [] and built == lessons.PRESETS["Why the learning rate matters"]
    # The teacher hides the seed on the walkthrough, fixes α at 0.5 there and retitles the lesson.
    at.segmented_control(key="build.Why the learning rate matters.walkthrough.seed.mode").set_value("hidden")
    at.text_input(key="build.Why the learning rate matters.walkthrough.lr.value").set_value("0.5")
    at.segmented_control(key="build.Why the learning rate matters.walkthrough.lr.mode").set_value("locked")
    at.text_input(key="build.Why the learning rate matters.title").set_value("Rates; today")
    built, warnings = lesson_of(link_in(ok(at.run())))
    assert warnings == [] and built.title == "Rates; today"
    assert built.control("walkthrough", "seed") == lessons.Control(None, lessons.HIDDEN)
    assert built.control("walkthrough", "lr") == lessons.Control(0.5, lessons.LOCKED)
    # The student who opens that link gets exactly those controls (the preview frame is that link).
    student = open_lesson(lessons.encode(built))
    controls = sidebar_controls(student)
    assert "Random seed" not in controls and controls["Learning rate α"] == (True, LOCKED_HELP)


def test_a_class_given_the_lesson_pins_its_settings_and_every_student_follows_it(class_dir):
    teacher = teach_page()
    ok(teacher.selectbox(key="build.preset").set_value("Why the learning rate matters").run())
    ok(next(b for b in teacher.button if b.label == "Open a class").click().run())
    member = teacher.session_state[classroom.MEMBER]
    join = next(c.value for c in teacher.code if "?class=" in c.value)
    student = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    student.query_params["class"] = member.code
    ok(student.switch_page("app_pages/walkthrough.py").run())
    student.text_input[0].set_value("Ada")
    ok(next(b for b in student.button if b.label == "Join the class").click().run())
    assert sidebar_controls(student)["Random seed"] == (False, "")  # no lesson yet

    ok(teacher.toggle(key="teach.with_lesson").set_value(True).run())
    assert next(c.value for c in teacher.code if "?class=" in c.value) == join  # the join link stays short
    given = lessons.PRESETS["Why the learning rate matters"]
    pinned = classroom.store().lesson(member.code).pinned
    assert pinned["lesson"] == {"text": lessons.encode(given)}
    assert {page: pinned.get(page) for page in given.pages} == {page: given.query(page) for page in given.pages}
    assert (
        "The class's lesson fixes 7 of them: dataset, hidden layers, activation, bias, rule, seed, number of iterations."
        in [c.value for c in teacher.caption]
    )
    ok(student.run())  # the student's next poll
    ok(student.switch_page("app_pages/walkthrough.py").run())
    assert sidebar_controls(student)["Random seed"] == (True, LOCKED_HELP)
    assert not [b for b in student.button if b.label.startswith("Leave the lesson")]  # it is the teacher's
    with pytest.raises(ValueError, match="Known pages"):
        student.switch_page("app_pages/grades.py")

    ok(teacher.toggle(key="teach.with_lesson").set_value(False).run())  # the teacher gives every page back
    ok(student.run())
    assert sidebar_controls(student)["Random seed"] == (False, "")
