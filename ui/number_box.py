"""A box for a number the teacher types (a pass mark, the top of a grade's scale), read the reader's
way: ``62,5`` on a German page, ``62.5`` on an English one (``Language.read_number``).

Streamlit's number input writes and reads the dot whatever the page's language, so a German
teacher's ``62,5`` would not be the number they meant; a text box read by the page's own reader
is, and the page says how it read it whenever that is not exactly what was typed."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.keep import keep
from ui.language import _, language
from ui.text import plain


def number_box(
    label: str, key: str, default: float, *, low: float | None = None, where: Any = st, help: str | None = None
) -> float:
    """The number typed in a text box under ``label`` (kept for the session under ``key``), or
    ``default`` with a one-line warning when it is not a number (or below ``low``)."""
    lang = language()
    text = where.text_input(label, key=keep(key, lang.typed(default)), help=help)
    try:
        value = lang.read_number(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "…"
        where.warning(plain(_("“{text}” is not a number; using {value}.", text=shown, value=lang.typed(default))))
        return default
    if low is not None and value < low:
        where.warning(
            _(
                "{value} is below {low}; using {default}.",
                value=lang.typed(value),
                low=lang.typed(low),
                default=lang.typed(default),
            )
        )
        return default
    if "".join(str(text).split()) != lang.typed(value):  # 62.5 on a German page, 1.000, 1e3: say how it was read
        where.caption(_("Read as {value}.", value=lang.short(value)))
    return value
