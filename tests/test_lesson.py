"""A lesson's spec (nnviz/lesson.py): it round-trips through its link text, every part is
checked against the settings table, and a hostile link falls back with one warning per part."""

from urllib.parse import parse_qs, quote_plus

import pytest

from nnviz import lesson as lessons
from nnviz.lesson import HIDDEN, LOCKED, Control, Lesson
from nnviz.settings import MAX_ITERATIONS, PAGES


def largest_lesson() -> Lesson:
    """Every page, every setting pinned away from its default and locked or hidden, the longest texts."""
    controls = {}
    for path, page in PAGES.items():
        controls[path] = {}
        for i, (name, field) in enumerate(page.spec.items()):
            if name == "predict":
                continue
            value = {
                "int": field.high,
                "float": 0.125,
                "bool": not field.default,
                "layers": (8, 8, 8),
                "text": "0.001,0.01,0.1,1,5,10,50,100",
            }.get(field.kind)
            if field.kind == "choice":
                value = field.choices[-1]
            controls[path][name] = Control(value, (LOCKED, HIDDEN)[i % 2])
    return Lesson(tuple(PAGES), controls, False, "T" * lessons.MAX_TITLE_CHARS, "; %!~ é" * 28 + "abcd")


@pytest.mark.parametrize("lesson", [*lessons.PRESETS.values(), largest_lesson(), Lesson()], ids=str)
def test_a_lesson_round_trips_through_its_link(lesson):
    text = lessons.encode(lesson)
    link = "https://example.org/?lesson=" + quote_plus(text, safe=";=.,!~:()'*/")
    back, warnings = lessons.parse(parse_qs(link.split("?", 1)[1])["lesson"][0])
    assert warnings == []
    assert back == lesson


def test_the_largest_lesson_fits_in_a_link():
    text = lessons.encode(largest_lesson())
    link = "https://nnviz.example.org/?lesson=" + quote_plus(text, safe=";=.,!~:()'*/")
    assert len(text) < lessons.MAX_LESSON_CHARS
    assert len(link) < 2_000  # the length every browser, proxy and QR reader takes
    print(len(text), len(link))


def test_the_texts_escape_the_separators():
    lesson = Lesson(("grades",), {}, True, "A; B! C~ 100%", "x")
    assert "title=A%3B B%21 C%7E 100%25" in lessons.encode(lesson)
    assert lessons.parse(lessons.encode(lesson))[0] == lesson


def test_a_readable_lesson_reads_as_written():
    lesson, warnings = lessons.parse(
        "pages=descent.walkthrough;prompts=off;title=Rates;say=Only α.;walkthrough.lr=0.5;walkthrough.seed=7!;"
        "walkthrough.iterations~;descent.hidden=3,2~"
    )
    assert warnings == []
    assert lesson.pages == ("descent", "walkthrough")  # the teacher's order
    assert lesson.prompts is False and lesson.title == "Rates" and lesson.instructions == "Only α."
    assert lesson.control("walkthrough", "lr") == Control(0.5, "free")
    assert lesson.control("walkthrough", "seed") == Control(7, LOCKED)
    assert lesson.control("walkthrough", "iterations") == Control(None, HIDDEN)
    assert lesson.control("descent", "hidden") == Control((3, 2), HIDDEN)
    # What each page starts with, what no one can change, and what a class pins:
    assert lesson.starting("walkthrough") == {"lr": 0.5, "seed": 7, "iterations": 100_000, "predict": False}
    assert lesson.fixed("walkthrough") == {"seed": 7, "iterations": 100_000, "predict": False}
    assert lesson.query("walkthrough") == {"lr": "0.5", "seed": "7", "predict": "0"}
    assert lesson.fixed("descent") == {"hidden": (3, 2), "predict": False}


@pytest.mark.parametrize(
    "text,expected,warning",
    [
        (
            "pages=walkthrough.nope",
            ("walkthrough",),
            "The lesson's page “nope” is not a page of nnviz; it is left out.",
        ),
        ("pages=nope", tuple(PAGES), "The lesson names no page of nnviz; it shows every page."),
        (
            "walkthrough.lr=abc!",
            tuple(PAGES),
            "The lesson's learning rate “abc” is not valid here; using 1.0 (on The 11-line network).",
        ),
        ("walkthrough.iterations=1e99", tuple(PAGES), "The lesson's number of iterations 1e+99 is beyond the limit"),
        (
            "walkthrough.iterations=5000000",
            tuple(PAGES),
            f"The lesson's number of iterations 5,000,000 is beyond the limit; using {MAX_ITERATIONS:,} (on The 11-line network).",
        ),
        (
            "walkthrough.zz=1",
            tuple(PAGES),
            "The lesson's “zz” is not a setting of The 11-line network; it is left out.",
        ),
        ("walkthrough.predict=1", tuple(PAGES), "The lesson's “predict” is not a setting of The 11-line network"),
        ("teach.key=1", tuple(PAGES), "The lesson's page “teach” is not a page of nnviz; its setting is left out."),
        ("prompts=maybe", tuple(PAGES), "The lesson's prompts “maybe” is neither on nor off; they are on."),
        ("<script>alert(1)</script>", tuple(PAGES), "The lesson's part “<script>alert(1)</script>” is not understood"),
        ("title=" + "x" * 500, tuple(PAGES), "The lesson's title is longer than 80 characters; it is cut there."),
    ],
)
def test_a_hostile_lesson_falls_back_with_a_warning(text, expected, warning):
    lesson, warnings = lessons.parse(text)
    assert lesson is not None and lesson.pages == expected
    assert len(warnings) == (2 if text == "pages=nope" else 1)  # a page that is not one, then what is shown instead
    assert warnings[-1].startswith(warning)
    assert len(lesson.title) <= lessons.MAX_TITLE_CHARS


def test_a_bad_value_is_not_kept_and_a_clipped_one_is():
    lesson, _ = lessons.parse("walkthrough.lr=abc!;walkthrough.iterations=5000000~")
    assert lesson.control("walkthrough", "lr") == Control(1.0, LOCKED)  # the default, still locked
    assert lesson.control("walkthrough", "iterations") == Control(MAX_ITERATIONS, HIDDEN)


def test_an_overlong_lesson_is_ignored_whole():
    lesson, warnings = lessons.parse("title=x;" * 1_000)
    assert lesson is None
    assert warnings == ["The lesson in the link is longer than 4,000 characters; it is ignored."]


def test_no_lesson_is_no_lesson():
    assert lessons.parse("") == (None, [])
    assert lessons.parse("   ") == (None, [])


def test_the_ready_made_lessons_are_the_issues():
    article, rate, own = (lessons.PRESETS[name] for name in lessons.PRESETS)
    assert article.pages == ("walkthrough",) and article.prompts
    assert all(article.mode("walkthrough", name) == LOCKED for name in lessons.NETWORK)
    assert article.fixed("walkthrough") == {  # the article's settings
        "dataset": "trask",
        "hidden": (),
        "activation": "sigmoid",
        "bias": False,
        "rule": "trask",
        "lr": 1.0,
        "seed": 123,
        "iterations": 100_000,
        "predict": True,
    }
    assert rate.pages == ("walkthrough", "descent")
    for page in rate.pages:
        assert [name for name in lessons.NETWORK if rate.mode(page, name) != LOCKED] == ["lr"]
    assert own.pages == ("grades",) and own.controls == {}


def test_a_lesson_pins_locks_or_hides_the_hidden_activation():
    lesson, warnings = lessons.parse(
        "pages=walkthrough.backprop.descent;walkthrough.activation=tanh!;"
        "backprop.activation=relu;descent.activation~;walkthrough.hidden=4!"
    )
    assert warnings == []
    assert lesson.control("walkthrough", "activation") == Control("tanh", LOCKED)
    assert lesson.control("backprop", "activation") == Control("relu", "free")
    assert lesson.mode("descent", "activation") == "hidden"
    assert lesson.fixed("walkthrough")["activation"] == "tanh"
    _, bad = lessons.parse("pages=walkthrough;walkthrough.activation=swish")
    assert len(bad) == 1 and "swish" in bad[0]
