"""Every page in every language (AppTest): it runs clean, its text holds none of the English
page's marker sentences, its numbers are written the language's way; the language comes from
the link, then the menu, then the browser; two sessions in one server keep their own."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["home", "walkthrough", "backprop", "descent", "grades", "teach"]
# Sentences every English page shows somewhere; none may be left on a translated page.
MARKERS = [
    "The 11-line network",
    "The blame game",
    "Going downhill",
    "Will they pass?",
    "Teach a class",
    "Start here",
    "In words:",
    "Predict:",
    "How the error falls",
    "Watch it train",
    "Every weight on its way",
    "Step through one iteration",
    "Take it home",
    "Pick an iteration",
    "Learning rate α",
    "Random seed",
    "Bias on every unit",
    "Learning rule",
    "Hidden layers",
    "Iterations",
    "Network",
    "Language",
    "The class's grades",
    "What was read",
    "This year's students",
    "Open a class",
    "A lesson to hand out",
    "Error against one weight",
    "Learning rates side by side",
    "the held-out students",
    "Watch a small neural network",
    "Download",
    "iterations",
    "Show me",
    "chance of passing",
]


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(page, lang=None, **query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if lang:
        at.query_params["lang"] = lang
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"app_pages/{page}.py")
    return ok(at.run())


def shown_text(at) -> str:
    """Everything the page says: titles, text, messages, labels, help, options, metrics, tables' headers."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [e.value for e in getattr(at, kind)]
    for kind in (
        "button",
        "toggle",
        "checkbox",
        "selectbox",
        "number_input",
        "text_input",
        "slider",
        "radio",
        "multiselect",
        "select_slider",
        "expander",
        "tabs",
    ):
        for widget in getattr(at, kind):
            proto = widget.proto  # what the page sent, not AppTest's re-formatting outside the script run
            parts += [str(getattr(proto, "label", "")), str(getattr(proto, "help", "") or "")]
            if kind in ("selectbox", "radio", "multiselect"):
                parts += [str(o) for o in getattr(proto, "options", [])]
    parts += [m.label for m in at.metric]
    parts += [" ".join(map(str, frame.value.columns)) for frame in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_every_language(page, lang):
    at = open_page(page, lang, predict="1")
    text = shown_text(at)
    left = [marker for marker in MARKERS if marker in text]
    assert left == [], f"English left on {page} in {lang}: {left}"


@pytest.mark.parametrize(
    "lang,error,accuracy",
    [("de", "0,03182", "100 %"), ("fr", "0,03182", "100 %"), ("es", "0,03182", "100 %"), (None, "0.03182", "100%")],
)
def test_the_walkthroughs_numbers_in_the_languages_notation(lang, error, accuracy):
    at = open_page("walkthrough", lang, predict="0")
    values = [m.value for m in at.metric]
    assert values[1] == error and values[3].replace("\xa0", " ") == accuracy


def test_the_menu_changes_the_language_and_keeps_it_in_the_link():
    at = open_page("walkthrough", predict="0")
    assert at.title[0].value.endswith("The 11-line network")
    ok(at.selectbox(key="language.menu").set_value("fr").run())
    assert at.title[0].value.endswith("Le réseau en 11 lignes")
    assert at.query_params["lang"] == "fr"


def test_the_link_beats_the_session_and_an_unknown_language_is_english():
    at = open_page("descent", "xx", predict="0")
    assert at.title[0].value.endswith("Going downhill: gradient descent")
    at = open_page("descent", "es", predict="0")
    assert at.title[0].value.endswith("Cuesta abajo: el descenso del gradiente")


def test_two_sessions_in_one_server_each_see_their_own_language():
    """The shared caches (a drawn chart, a trained run) are the same server's: the second
    session must not be served the first one's words."""
    open_page("walkthrough", "de", predict="0")  # draws and records the charts first, in German
    english = open_page("walkthrough", predict="0")
    french = open_page("walkthrough", "fr", predict="0")
    german = open_page("walkthrough", "de", predict="0")
    words = {
        name: [
            c.value for c in at.caption if c.value.startswith(("**In Worten:**", "**In words:**", "**En mots\u202f:**"))
        ]
        for name, at in (("de", german), ("en", english), ("fr", french))
    }
    assert words["de"] and all(w.startswith("**In Worten:**") for w in words["de"])
    assert words["en"] and all(w.startswith("**In words:**") for w in words["en"])
    assert words["fr"] and all(w.startswith("**En mots\u202f:**") for w in words["fr"])
    assert "Der Fehler fällt von 1,82" in words["de"][0] and "The error falls from 1.82" in words["en"][0]


def test_a_class_question_is_one_question_whatever_the_language(tmp_path, monkeypatch):
    """A German and an English student answer the same prompt: the teacher's console has one card."""
    from nnviz.i18n import ENGLISH
    from ui import classroom

    monkeypatch.setenv("NNVIZ_CLASS_DIR", str(tmp_path))
    classroom._open_store.clear()
    try:
        teacher = open_page("teach", "de")
        ok(next(b for b in teacher.button if b.label == "Eine Live-Sitzung eröffnen").click().run())
        member = teacher.session_state[classroom.MEMBER]
        answers = []
        for lang in ("de", None):
            student = open_page("walkthrough", lang, **{"class": member.code})
            student.text_input[0].set_value(f"student{lang}")
            ok(next(b for b in student.button if b.form_id).click().run())
            pills = next(p for p in student.pills if "11" in p.label or "largest" in p.label or "größten" in p.label)
            ok(pills.set_value(pills.options[0]).run())
            answers.append(pills.options[0])
        prompts = classroom.store().prompts(member.code, member.key)
        assert len(prompts) == 1 and classroom.prompt_text(prompts[0], ENGLISH).startswith(
            "The 11-line network: which input's weight ends up largest"
        )
        assert classroom.prompt_text(prompts[0], __import__("nnviz.i18n").i18n.language("de")).startswith(
            "Das 11-Zeilen-Netz: Welches Eingabegewicht wird am Ende am größten"
        )
    finally:
        classroom._open_store.clear()


def test_a_german_teachers_links_carry_german_and_an_english_teachers_do_not():
    german = open_page("teach", "de")
    lesson_link = next(c.value for c in german.code if "lesson=" in c.value)
    assert lesson_link.endswith("&lang=de")
    english = open_page("teach")
    assert "lang=" not in next(c.value for c in english.code if "lesson=" in c.value)
