"""Coming back to a page (AppTest): its settings, answered prompts, upload and pass rule are
the ones it was left with, and the address bar says them; a first visit still takes the link.

Leaving by the menu is a switch with no query string (Streamlit's navigation drops it)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
BOOKS = Path(__file__).parent / "data" / "gradebooks"
# Each content page, the sidebar number it changes, the value, and the question it answers.
PAGES = {
    "walkthrough": ("Learning rate α", "0.5", "lr", "which input's weight"),
    "backprop": ("Random seed", "7", "seed", "which weight gets the most blame"),
    "descent": ("Random seed", "7", "seed", "at iteration 0, which way will"),
    "grades": ("Random seed (weights and split)", "7", "seed", "will the network do better"),
}


def no_exception(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def go(at, page):
    """Leave for ``page`` as the menu does: no query string."""
    for name in list(at.query_params):
        del at.query_params[name]
    at.switch_page(page)
    return no_exception(at.run())


def number(at, label):
    return next(w for w in at.text_input if w.label == label)  # a typed box (issue 36)


def prompt(at, start):
    return next(w for w in at.pills if w.label.startswith(f"Predict: {start}"))


def verdicts(at):
    return [m.value for m in (*at.success, *at.warning) if m.value.startswith(("Right.", "Not quite."))]


def tally(at):
    return [m.value for m in at.sidebar.markdown if "Your predictions here" in m.value]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("away", ["app_pages/home.py", "app_pages/walkthrough.py", "app_pages/grades.py"])
def test_a_page_comes_back_as_it_was_left(page, away):
    label, value, query, question = PAGES[page]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page(f"app_pages/{page}.py")
    no_exception(at.run())
    number(at, label).set_value(value).run()
    options = prompt(at, question).options
    prompt(at, question).set_value(options[0]).run()
    no_exception(at)
    left_with = (verdicts(at), tally(at), at.query_params[query])
    assert left_with[1] == ["**Your predictions here:** " + left_with[1][0].split(":** ")[1]]

    if away != f"app_pages/{page}.py":
        go(at, away)
    go(at, f"app_pages/{page}.py")

    assert number(at, label).value == value  # not the widget's minimum
    assert at.query_params[query] == value  # the address bar says it again
    assert prompt(at, question).value == options[0] and prompt(at, question).disabled  # answered, not asked again
    assert (verdicts(at), tally(at), at.query_params[query]) == left_with  # the same verdict, and counted once


def test_a_first_visit_takes_the_links_values_and_a_later_one_the_students():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lr"], at.query_params["predict"] = "0.25", "0"
    at.switch_page("app_pages/walkthrough.py")
    no_exception(at.run())
    assert number(at, "Learning rate α").value == "0.25"
    number(at, "Learning rate α").set_value("0.75").run()
    go(at, "app_pages/descent.py")
    go(at, "app_pages/walkthrough.py")
    assert number(at, "Learning rate α").value == "0.75" and at.query_params["lr"] == "0.75"


def test_an_upload_and_its_pass_rule_stay_until_removed():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["predict"] = "0"
    at.switch_page("app_pages/grades.py")
    no_exception(at.run())
    canvas = BOOKS / "canvas.csv"
    at.file_uploader[0].upload(canvas.name, canvas.read_bytes(), "text/csv").run()
    no_exception(at)
    mark = next(w for w in at.text_input if w.label.startswith("Pass mark"))  # typed the reader's way (issue 36)
    mark.set_value("60").run()
    students = next(m.value for m in at.metric if m.label == "training rows / test rows")

    go(at, "app_pages/backprop.py")
    go(at, "app_pages/grades.py")

    assert any("using **canvas.csv**" in m.value for m in at.markdown)
    assert not [i for i in at.info if "bundled sample" in i.value]
    assert next(w for w in at.text_input if w.label.startswith("Pass mark")).value == "60"
    assert next(m.value for m in at.metric if m.label == "training rows / test rows") == students

    next(b for b in at.button if b.label == "Remove this file").click().run()
    no_exception(at)
    assert any("bundled sample" in i.value for i in at.info)
    assert at.file_uploader  # the uploader is back, for another file
