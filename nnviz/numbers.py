"""Numbers as a page prints them: one minus sign (−), never a negative zero, and the decimal
mark of the class's own file (a German or French gradebook writes ``0,38``)."""

from __future__ import annotations

import re

MINUS = "−"
EXACT_DECIMALS = 8  # as the article prints every weight, sum and prediction


def exact(value: float) -> str:
    """A value to the article's eight decimals (``0.36672546``), as the trace tables and the CLI print it."""
    return f"{value:.{EXACT_DECIMALS}f}"


def signed(value: float, decimals: int = 1) -> str:
    """``+3.2``, ``−0.4``, ``0.0`` (never ``-0.0`` or ``+0.0``: a change that rounds to nothing has no sign)."""
    text = f"{value:+.{decimals}f}"
    if float(text) == 0:
        return f"{0:.{decimals}f}"
    return text.replace("-", MINUS)


def number(value: float, decimals: int = 1) -> str:
    """``3.2``, ``−0.4``, ``0.0``: like ``signed`` without a plus."""
    return signed(value, decimals).lstrip("+")


# A number in a sentence: 5,000 or 12 or 0.383 or 1,234.5, not part of a name (x1, h2, 1204).
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w]|[.,]\d)")
THIN_SPACE = "\u202f"  # the thousands gap of French and of the SI (5 000), never mistaken for a decimal mark


def with_decimal_comma(text: str) -> str:
    """``text`` with every number written the continental way: ``0.383`` → ``0,383`` and
    ``5,000`` → ``5 000`` (a narrow gap: a dot would read as a decimal mark in English)."""

    def swap(match: re.Match) -> str:
        whole, decimals = match.group(1), match.group(2) or ""
        return whole.replace(",", THIN_SPACE) + decimals.replace(".", ",")

    return _NUMBER.sub(swap, str(text))


def plotly_separators(decimal_comma: bool) -> str:
    """Plotly's ``layout.separators``: the decimal mark, then the thousands gap."""
    return "," + THIN_SPACE if decimal_comma else ".,"


def is_number(text: str) -> bool:
    """Whether ``text`` reads as a number (an answer on a slider, say), not an option's words."""
    try:
        float(text)
    except ValueError:
        return False
    return True
