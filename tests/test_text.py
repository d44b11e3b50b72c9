"""ui/text.py: user and link text made inert in every markdown path (issue 20 B).

What Streamlit's markdown makes of the escaped text is checked in Chromium
(tests/test_browser_text.py); here, the escaping itself and every path that quotes a link's
or a file's text under AppTest."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.text import plain

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_FILES = Path(__file__).parent / "data" / "hostile"

HOSTILE = [
    "[log in](https://evil.example/login)",
    "![x](http://127.0.0.1:9/pixel.png)",
    "![](//ev.il)",
    "https://evil.example/login",
    "www.evil.example",
    "bob@evil.example",
    "<img src=x onerror=alert(1)>",
    "<a href='//ev.il'>x</a>",
    ":material/home: :red[red] :smile:",
    "$x^2$ and $$y$$",
    "**bold** _it_ `code` ~~strike~~",
    "# heading",
    "1. list",
    "- item",
    "> quote",
    "<https://evil.example>",
    "a\n# b",
]

# Markdown's backslash escapes and the invisible joiner: what a reader sees of escaped text.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def seen(text: str) -> str:
    return _ESCAPE.sub(r"\1", text).replace("\u2060", "")


def active(text: str) -> list[str]:
    """What markdown (or Streamlit's autolinks and directives) would act on in ``text``."""
    found = re.findall(r"(?<!\\)[\[\]<>`*_~$]|[a-z]://|\bwww\.|\w@|:[a-z]|^\s*(?:#|-|\+|\d+\.)", text, re.I)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_inert_and_reads_as_typed(text):
    escaped = plain(text)
    assert active(escaped) == [], escaped
    assert seen(escaped) == " ".join(text.split("\n"))


def test_ordinary_text_is_left_alone():
    for text in ("Final exam (1204): 50", "Pass mark: passed when Test no. 2 is at least", "12:30, 3.5 %"):
        assert plain(text) == text


PAGES_AND_FIELDS = [
    ("walkthrough", "lr"),
    ("walkthrough", "seed"),
    ("walkthrough", "hidden"),
    ("backprop", "iterations"),
    ("backprop", "rule"),
    ("descent", "rates"),
    ("descent", "weight"),
    ("grades", "lr"),
    ("grades", "test"),
]


@pytest.mark.parametrize("page,field", PAGES_AND_FIELDS)
def test_a_links_text_in_any_warning_is_shown_as_text(page, field):
    """The app's own warning quotes the link's value: never a link, an image or an icon there."""
    for value in ("[log in](https://evil.example/login)", "![](//ev.il)", ":material/lock: www.ev.il"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["predict"] = "0"
        at.query_params[field] = value
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception
        warnings = [w.value for w in at.warning]
        assert warnings, f"{field}={value} is warned about"
        for text in warnings:
            assert active(text) == [], text
        # Quoted, as typed (a list of rates is split at its separators and spaces, and each bad part quoted).
        quoted = value.split()[0][:8] if field == "rates" else value[:12]
        assert any(quoted in seen(text) for text in warnings), (quoted, warnings)


def test_a_files_links_in_headers_and_result_values_stay_text():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["predict"] = "0"
    at.switch_page("app_pages/grades.py")
    at.run()
    path = HOSTILE_FILES / "links_in_cells.csv"
    uploader = next(u for u in at.file_uploader if u.label.startswith("Upload last years'"))
    uploader.upload(path.name, path.read_bytes(), "text/csv").run()
    assert not at.exception
    result = next(r for r in at.radio if "means passed" in r.label)
    shown = [result.label, *result.options]
    assert "https://evil.example/login" in [seen(option) for option in result.options]
    for text in [*shown, *(c.value for c in at.caption), *(m.value for m in at.markdown), *(e.value for e in at.error)]:
        assert not re.search(r"[a-z]://|\bwww\.", text, re.I), text
