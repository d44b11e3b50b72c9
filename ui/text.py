"""User and link text (column names, cells, a link's values) shown inside Streamlit markdown, made inert.

Streamlit renders markdown in messages, captions, widget labels and radio or pill options.
Backslash escapes stop emphasis, links, images, HTML, code and LaTeX ``$``, but not all of
it: Streamlit turns a bare ``https://…``, ``www.…`` or ``bob@example.org`` into a link, and
``:material/home:`` into an icon, whatever the escapes.  Those are broken with an invisible
word joiner, so the text still reads (and copies) as typed, and never acts.
"""

import re

# Characters that start markdown anywhere (emphasis, links and images, HTML, code, strike,
# tables, maths, entities), and at the start only (headings, lists, quotes).
_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$&#])")
_LINE_START = re.compile(r"^\s*(\d+(?=[.)])|[-+=])")  # 1. 1) - + =
_JOINER = "\u2060"  # WORD JOINER: invisible, and no line may break at it
_ACTIVE = re.compile(
    r"(?<=[a-z])(?=://)"  # https://  ftp://
    r"|(?<=\bwww)(?=\.)"  # www.example
    r"|(?=@)"  # bob@example.org
    r"|(?<=:)(?=[a-z])",  # :material/home:  :red[…]  :smile:
    re.I,
)


def plain(text: object) -> str:
    """``text`` for any markdown Streamlit renders, shown exactly as typed: no link, image,
    autolink, HTML, icon, maths or formatting can come of it."""
    one_line = " ".join(str(text).split("\n")).replace("\r", " ").lstrip()  # a quoted cell may hold line breaks
    escaped = _SPECIAL.sub(r"\\\1", _ACTIVE.sub(_JOINER, one_line))
    return _LINE_START.sub(_escape_start, escaped, count=1)


def _escape_start(match: re.Match) -> str:
    start = match.group(1)
    return start + "\\" if start[0].isdigit() else "\\" + start
