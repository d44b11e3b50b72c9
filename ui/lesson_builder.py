"""The teacher's lesson builder (on the teach page): start from a ready-made lesson, tick pages,
set values, fix or hide controls, write a title and one line; then preview it as a student
sees it, and copy its link or show its QR code."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import segno
import streamlit as st

from nnviz import lesson as lessons
from nnviz.i18n import Language
from nnviz.settings import PAGES, Field
from ui.keep import keep
from ui.language import N_, _, language
from ui.network_controls import DATASETS, rule_title
from ui.text import plain

BLANK = N_("A blank lesson")
MODE_WORDS = {lessons.FREE: N_("free"), lessons.LOCKED: N_("locked"), lessons.HIDDEN: N_("hidden")}
# What a link may carry unescaped and a teacher can still read (everything else is %-escaped).
READABLE = ";=.,!~:()'*/"


def link(base_url: str, lesson: lessons.Lesson) -> str:
    """The lesson's link for students: the app's address with ``?lesson=``, and the teacher's
    language when it is not English (a class's shared link carries it; English is everyone's
    fallback, so an English teacher's link lets each browser choose)."""
    lang = language().code
    said = f"&lang={lang}" if lang != "en" else ""
    return f"{base_url}/?lesson={quote_plus(lessons.encode(lesson), safe=READABLE)}{said}"


def build() -> lessons.Lesson:
    """The builder's widgets, and the lesson they describe."""
    lang = language()
    preset = st.selectbox(
        _("Start from"),
        [*lessons.PRESETS, BLANK],
        key=keep("build.preset", next(iter(lessons.PRESETS))),
        format_func=language()._,
    )
    start = lessons.PRESETS.get(preset, lessons.Lesson())
    at = f"build.{preset}"  # every starting point keeps its own edits
    title = st.text_input(
        _("Title"), max_chars=lessons.MAX_TITLE_CHARS, key=keep(f"{at}.title", _(start.title) if start.title else "")
    )
    instructions = st.text_input(
        _("One line of instructions (every page shows it at the top)"),
        max_chars=lessons.MAX_INSTRUCTIONS_CHARS,
        key=keep(f"{at}.say", _(start.instructions) if start.instructions else ""),
    )
    pages = st.multiselect(
        _("Pages, in the order students see them"),
        list(PAGES),
        format_func=lambda p: lang._(PAGES[p].title),
        key=keep(f"{at}.pages", list(start.pages)),
    )
    prompts = st.toggle(
        _("Predict: prompts on (students guess before each chart)"), key=keep(f"{at}.prompts", start.prompts)
    )
    controls: dict[str, dict[str, lessons.Control]] = {}
    for page in pages:
        with st.expander(_("{page}: its settings and controls", page=_(PAGES[page].title)), expanded=len(pages) == 1):
            st.caption(
                _(
                    "Free: the student starts at the value and may change it. Locked: shown, fixed for this "
                    "lesson. Hidden: fixed and not shown."
                )
            )
            controls[page] = {}
            for name, field in PAGES[page].spec.items():
                if name != "predict":
                    controls[page][name] = _control(f"{at}.{page}.{name}", name, field, start.control(page, name))
    return lessons.Lesson(tuple(pages) or tuple(PAGES), controls, bool(prompts), title.strip(), instructions.strip())


def _choice_words(setting: str, field: Field, choice: str, lang: Language) -> str:
    """A choice as the page's own menu words it."""
    if setting == "rule":
        return rule_title(choice, lang)
    return lang._(DATASETS[choice]) if setting == "dataset" and choice in DATASETS else field.title(choice, lang)


def _control(key: str, name: str, field: Field, start: lessons.Control) -> lessons.Control:
    """One setting's row: its value and whether it is free, locked or hidden."""
    lang = language()
    label, value, mode = st.columns([2, 3, 3], vertical_alignment="center")
    words = _(field.label)
    label.markdown(words[:1].upper() + words[1:])
    starting = field.default if start.value is None else start.value
    chosen: Any
    if field.kind == "bool":
        chosen = value.checkbox(words, key=keep(f"{key}.value", bool(starting)), label_visibility="collapsed")
    elif field.kind == "choice":
        chosen = value.selectbox(
            words,
            field.choices,
            key=keep(f"{key}.value", starting),
            format_func=lambda choice: _choice_words(name, field, choice, lang),
            label_visibility="collapsed",
        )
    else:
        typed = value.text_input(
            words, key=keep(f"{key}.value", field.write(starting, lang)), label_visibility="collapsed"
        )
        chosen, warning = field.parse(name, typed, lang, typed=True)
        if warning:
            value.caption(plain(warning))
    shown = mode.segmented_control(
        words,
        list(MODE_WORDS),
        format_func=lambda m: lang._(MODE_WORDS[m]),
        required=True,
        key=keep(f"{key}.mode", start.mode),
        label_visibility="collapsed",
    )
    return lessons.Control(None if chosen == field.default else chosen, shown or lessons.FREE)


def hand_out(base_url: str, lesson: lessons.Lesson) -> None:
    """The link, its QR code, and the lesson as a student will see it."""
    url = link(base_url, lesson)
    left, right = st.columns([3, 1])
    left.markdown(_("**The lesson's link** (the copy button is on its right):"))
    left.code(url, language=None, wrap_lines=True)
    left.caption(
        _(
            "{n} characters. Students who open it see only its pages and controls; “Leave the lesson” in their "
            "menu gives back every page.",
            n=language().integer(len(url)),
        )
    )
    right.image(segno.make(url, error="l").svg_inline(scale=3, border=2), caption=_("Scan to open the lesson"))
    if st.toggle(_("Preview as a student"), key=keep("build.preview", True)):
        st.iframe(url, height=720)
        st.caption(_("The preview is the link itself, opened in a frame: exactly what a student gets."))
