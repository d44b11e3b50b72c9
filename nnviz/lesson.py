"""A lesson a teacher hands out in one link: which pages a student sees and in what order, the
settings each page starts with, which controls are locked or hidden, whether the *Predict:*
prompts ask, and a title with one line of instructions.

It travels as ``?lesson=`` in a short text a teacher can read::

    pages=walkthrough.descent;prompts=on;title=Why the learning rate matters;say=Change α only.;
    walkthrough.seed=123!;walkthrough.iterations=1000!;descent.rule~

Parts are separated by ``;``.  ``page.setting=value`` pins a starting value; a ``!`` after it locks
the control (shown, disabled), a ``~`` hides it; with no ``=value`` the page's default is the one
fixed.  ``%``, ``;``, ``!`` and ``~`` inside a value or a text are written ``%25``, ``%3B``, ``%21``
and ``%7E``.  A lesson comes from a stranger's link like any other value: every part is checked
against the pages' settings table (``nnviz.settings``), and whatever cannot be used is left out
with a one-line warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from nnviz.i18n import DEFAULT, ENGLISH, N_, Language
from nnviz.settings import MAX_LESSON_CHARS, PAGES

FREE, LOCKED, HIDDEN = "free", "locked", "hidden"
MODES = (FREE, LOCKED, HIDDEN)
_MARKS = {"!": LOCKED, "~": HIDDEN}
_MARK_OF = {mode: mark for mark, mode in _MARKS.items()}
MAX_TITLE_CHARS = 80
MAX_INSTRUCTIONS_CHARS = 200
# The largest lesson (every page, every setting pinned and locked, the longest title and line)
# is about 1,400 characters, its link about 1,800 (tested); a link far longer than any lesson
# (settings.MAX_LESSON_CHARS) is refused whole.
_ESCAPES = {"%": "%25", ";": "%3B", "!": "%21", "~": "%7E"}


@dataclass(frozen=True)
class Control:
    """One setting of one page in a lesson: the value it starts at (None: the page's default) and
    whether the student may change it (free), sees it fixed (locked), or does not see it (hidden)."""

    value: Any = None
    mode: str = FREE


@dataclass(frozen=True)
class Lesson:
    pages: tuple[str, ...] = tuple(PAGES)
    controls: dict[str, dict[str, Control]] = field(default_factory=dict)
    prompts: bool = True
    title: str = ""
    instructions: str = ""

    def control(self, page: str, name: str) -> Control:
        """``name``'s control on ``page`` (the page's url path); the prompts switch is the lesson's own."""
        if name == "predict":
            return Control(self.prompts, LOCKED)
        return self.controls.get(page, {}).get(name, Control())

    def mode(self, page: str, name: str) -> str:
        return self.control(page, name).mode

    def fixed(self, page: str) -> dict[str, Any]:
        """The values a student cannot change on ``page``: its locked and hidden settings, and the prompts."""
        spec = PAGES[page].spec
        fixed = {name: _value(self.control(page, name), spec[name].default) for name in spec}
        return {name: value for name, value in fixed.items() if self.mode(page, name) != FREE}

    def starting(self, page: str) -> dict[str, Any]:
        """Every value the lesson sets on ``page``: pinned starting values and the fixed ones."""
        spec = PAGES[page].spec
        return {
            name: _value(self.control(page, name), spec[name].default)
            for name in spec
            if self.control(page, name) != Control()
        }

    def query(self, page: str) -> dict[str, str]:
        """``page``'s settings as a link writes them (a class pins these), defaults left out."""
        spec = PAGES[page].spec
        return {
            name: spec[name].encode(value) for name, value in self.starting(page).items() if value != spec[name].default
        }


def _value(control: Control, default: Any) -> Any:
    return default if control.value is None else control.value


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)


def encode(lesson: Lesson) -> str:
    """The lesson as the text of ``?lesson=`` (``parse`` reads it back)."""
    parts = [f"pages={'.'.join(lesson.pages)}", f"prompts={'on' if lesson.prompts else 'off'}"]
    if lesson.title:
        parts.append(f"title={_escape(lesson.title)}")
    if lesson.instructions:
        parts.append(f"say={_escape(lesson.instructions)}")
    for page in lesson.pages:
        spec = PAGES[page].spec
        for name, control in lesson.controls.get(page, {}).items():
            if control == Control():
                continue
            part = f"{page}.{name}"
            if control.value is not None and control.value != spec[name].default:
                part += "=" + _escape(spec[name].encode(control.value))
            parts.append(part + _MARK_OF.get(control.mode, ""))
    return ";".join(parts)


def parse(text: str, lang: Language = ENGLISH) -> tuple[Lesson | None, list[str]]:
    """The lesson in ``text`` and one warning per part left out; ``None`` when there is no lesson."""
    text = str(text).strip()
    if not text:
        return None, []
    if len(text) > MAX_LESSON_CHARS:
        return None, [
            lang._(
                "The lesson in the link is longer than {n} characters; it is ignored.", n=lang.integer(MAX_LESSON_CHARS)
            )
        ]
    warnings: list[str] = []
    pages: tuple[str, ...] = tuple(PAGES)
    prompts, title, instructions = True, "", ""
    controls: dict[str, dict[str, Control]] = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        name, _, value = part.partition("=")
        name = name.strip()
        if name == "pages":
            pages = _pages(value, warnings, lang)
        elif name == "prompts":
            prompts = _prompts(value, warnings, lang)
        elif name in ("title", "say"):
            limit = MAX_TITLE_CHARS if name == "title" else MAX_INSTRUCTIONS_CHARS
            words = " ".join(unquote(value).split())
            if len(words) > limit:
                if name == "title":
                    warnings.append(
                        lang._("The lesson's title is longer than {n} characters; it is cut there.", n=limit)
                    )
                else:
                    warnings.append(
                        lang._(
                            "The lesson's line of instructions is longer than {n} characters; it is cut there.", n=limit
                        )
                    )
                words = words[:limit]
            title, instructions = (words, instructions) if name == "title" else (title, words)
        elif "." in name:
            _setting(name, value if "=" in part else None, controls, warnings, lang)
        else:
            warnings.append(lang._("The lesson's part “{part}” is not understood; it is left out.", part=_shown(part)))
    controls = {page: found for page, found in controls.items() if page in pages}
    return Lesson(pages, controls, prompts, title, instructions), warnings


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _pages(value: str, warnings: list[str], lang: Language) -> tuple[str, ...]:
    chosen: list[str] = []
    for page in value.replace(",", ".").split("."):
        page = page.strip()
        if page in PAGES and page not in chosen:
            chosen.append(page)
        elif page and page not in PAGES:
            warnings.append(
                lang._("The lesson's page “{page}” is not a page of nnviz; it is left out.", page=_shown(unquote(page)))
            )
    if not chosen:
        warnings.append(lang._("The lesson names no page of nnviz; it shows every page."))
        return tuple(PAGES)
    return tuple(chosen)


def _prompts(value: str, warnings: list[str], lang: Language) -> bool:
    lowered = value.strip().lower()
    if lowered in ("on", "1", "yes", "true"):
        return True
    if lowered in ("off", "0", "no", "false"):
        return False
    warnings.append(
        lang._("The lesson's prompts “{value}” is neither on nor off; they are on.", value=_shown(unquote(value)))
    )
    return True


def _setting(name: str, value: str | None, controls: dict, warnings: list[str], lang: Language) -> None:
    """One ``page.setting[=value][!|~]`` part, checked against the page's settings table."""
    raw = value if value is not None else name
    mode = _MARKS.get(raw[-1:], FREE) if raw else FREE
    if mode != FREE:
        raw = raw[:-1]
        if value is None:
            name = raw
        else:
            value = raw
    page_name, _, setting = name.partition(".")
    page = PAGES.get(page_name)
    if page is None:
        warnings.append(
            lang._(
                "The lesson's page “{page}” is not a page of nnviz; its setting is left out.",
                page=_shown(unquote(page_name)),
            )
        )
        return
    if setting not in page.spec or setting == "predict":
        warnings.append(
            lang._(
                "The lesson's “{setting}” is not a setting of {page}; it is left out.",
                setting=_shown(unquote(setting)),
                page=lang._(page.title),
            )
        )
        return
    parsed = None
    if value is not None:
        parsed, warning = page.spec[setting].parse(setting, unquote(value), lang)
        if warning and lang.code == DEFAULT:
            warnings.append(warning.replace("The link's", "The lesson's")[:-1] + f" (on {page.title}).")
        elif warning:
            warnings.append(lang._("In the lesson, on {page}: {warning}", page=lang._(page.title), warning=warning))
    controls.setdefault(page.url_path, {})[setting] = Control(parsed, mode)


# --- Ready-made lessons, the builder's starting points ------------------------------------------
def _locked(names: tuple[str, ...]) -> dict[str, Control]:
    """``names`` fixed at the page's defaults."""
    return {name: Control(None, LOCKED) for name in names}


# What trains, not what is viewed.
NETWORK = ("dataset", "hidden", "activation", "bias", "rule", "lr", "seed", "iterations")

PRESETS = {
    N_("The article, step by step"): Lesson(
        pages=("walkthrough",),
        controls={"walkthrough": _locked(NETWORK)},  # the article's settings are the defaults
        prompts=True,
        title=N_("The article, step by step"),
        instructions=N_(
            "Predict, then check: step through iterations #0 and #1 and find every number the article prints."
        ),
    ),
    N_("Why the learning rate matters"): Lesson(
        pages=("walkthrough", "descent"),
        controls={
            "walkthrough": _locked(tuple(n for n in NETWORK if n != "lr")),
            "descent": _locked(tuple(n for n in NETWORK if n != "lr")),
        },
        prompts=True,
        title=N_("Why the learning rate matters"),
        instructions=N_(
            "Only the learning rate α is yours to change: how fast does the error fall, and when does it stop settling?"
        ),
    ),
    N_("Your own class"): Lesson(
        pages=("grades",),
        prompts=True,
        title=N_("Your own class"),
        instructions=N_(
            "Upload your class's gradebook (or use the sample): which grades predict the final exam, and "
            "how sure can we be?"
        ),
    ),
}
