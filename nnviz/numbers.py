"""Numbers as a page prints them: one minus sign (−), and never a negative zero."""

from __future__ import annotations

MINUS = "−"


def signed(value: float, decimals: int = 1) -> str:
    """``+3.2``, ``−0.4``, ``0.0`` (never ``-0.0`` or ``+0.0``: a change that rounds to nothing has no sign)."""
    text = f"{value:+.{decimals}f}"
    if float(text) == 0:
        return f"{0:.{decimals}f}"
    return text.replace("-", MINUS)


def number(value: float, decimals: int = 1) -> str:
    """``3.2``, ``−0.4``, ``0.0``: like ``signed`` without a plus."""
    return signed(value, decimals).lstrip("+")
