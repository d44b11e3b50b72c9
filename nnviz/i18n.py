"""Words and numbers in the reader's language.

Every sentence a page, a chart or the CLI shows is written in English in the code, whole and
with named placeholders (``_("{grade} matters most", grade=name)``), and looked up in a
gettext catalogue: ``nnviz/locale/<code>/LC_MESSAGES/nnviz.po``, one per language, kept with
Babel (``docs/TRANSLATING.md``).  The catalogues are compiled in memory the first time a
language is asked for, so a ``git pull`` can never leave a stale ``.mo`` behind and installing
needs no build step.

A ``Language`` is handed to whatever makes words (``lang=``), never installed for the whole
process: one server shows each visitor their own language.  Numbers go through Babel's
locale data: ``0,03182`` on a German page, ``0.03182`` on an English one, the same digits.
"""

from __future__ import annotations

import gettext
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberFormatError, format_decimal, format_percent, parse_decimal

from nnviz.numbers import MINUS
from nnviz.numbers import signed as signed_number

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "nnviz"
# The languages shipped, each named in itself (the menu shows these).
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    """One language's words (its catalogue) and its way of writing numbers (its Babel locale)."""

    code: str
    catalogue: gettext.NullTranslations = field(repr=False, compare=False)

    def _(self, message: str, /, **values: object) -> str:
        """``message`` in this language, its ``{placeholders}`` filled in."""
        text = self.catalogue.gettext(message)
        return text.format(**values) if values else text

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """``message`` in the role ``context`` names: one English word with two roles ("up" as an answer,
        "up" as an axis) may need two words in another language."""
        text = self.catalogue.pgettext(context, message)
        return text.format(**values) if values else text

    def n_(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The singular or the plural form for ``n`` (this language's own rule), ``{n}`` filled in."""
        return self.catalogue.ngettext(singular, plural, n).format(n=self.integer(n), **values)

    def decimal(self, value: float, digits: int = 2) -> str:
        """``value`` with exactly ``digits`` decimals, in this language's notation (grouped).
        English keeps the code's own notation (``0.03182``, ``-1.5``), as the article prints it."""
        if self.code == DEFAULT:
            return f"{value:.{digits}f}"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.code, decimal_quantization=True).replace("-", MINUS)

    def number(self, value: float, digits: int = 2) -> str:
        """A value that may be negative, to ``digits`` decimals."""
        return self.decimal(value, digits)

    def signed(self, value: float, digits: int = 2) -> str:
        """A step or a slope with its sign always written (``+0.500000``, ``-1.250000``), as the engine's
        tables do; in another language, its decimal mark and a real minus sign."""
        if self.code == DEFAULT:
            return f"{value:+.{digits}f}"
        return ("+" if value >= 0 else "") + self.decimal(value, digits)

    def change(self, value: float, digits: int = 1) -> str:
        """``+3.2``, ``−0.4``, ``0.0``: one minus sign, and a value that rounds to nothing has no sign
        (``nnviz.numbers.signed``), in this language's notation."""
        if self.code == DEFAULT:
            return signed_number(value, digits)
        rounded = round(float(value), digits)
        text = self.decimal(abs(rounded), digits)
        return text if rounded == 0 else ("+" if rounded > 0 else MINUS) + text

    def separators(self) -> str:
        """Plotly's ``layout.separators`` for this language: its decimal mark, then its thousands gap."""
        symbols = _locale(self.code).number_symbols["latn"]
        return symbols["decimal"] + symbols["group"]

    def integer(self, value: int) -> str:
        """A count or an iteration, grouped as this language groups thousands (100,000 / 100.000)."""
        return format_decimal(int(value), format="#,##0", locale=self.code)

    def percent(self, share: float, digits: int = 0) -> str:
        """A share (0.25) as a percentage in this language's notation (25%, 25 %)."""
        pattern = _locale(self.code).percent_formats[None].pattern.split(";")[0]
        if digits:  # "#,##0 %" -> "#,##0.0 %"
            pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
        return format_percent(share, format=pattern, locale=self.code, decimal_quantization=True)

    def listed(self, names: list[str]) -> str:
        """``a``, ``a and b``, ``a, b and c``, in this language's way (``a, b et c``)."""
        names = list(names)
        if not names:
            return ""
        if self.code == DEFAULT:  # the pages' English has no serial comma
            return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return format_list(names, locale=self.code)

    def auto(self, value: object) -> str:
        """A message's value in this language's notation: counts grouped, other numbers as typed,
        a sentence within a sentence in this language too."""
        if isinstance(value, Msg):
            return value.render(self)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        return self.integer(value) if isinstance(value, int) else self.short(value)

    def short(self, value: float) -> str:
        """A learning rate or a setting as the student typed it (0.5, 0,5), no trailing zeros."""
        return format_decimal(value, format="#,##0.######", locale=self.code)

    def scientific(self, value: float, digits: int = 1) -> str:
        """A tiny difference (``3.5e-08``), its decimal sign and minus this language's (``3,5e−08``)."""
        text = f"{value:.{digits}e}"
        return text if self.code == DEFAULT else text.replace(".", self.decimal_sign).replace("-", MINUS)

    # --- numbers a visitor types -----------------------------------------------------------------
    # A German teacher types 0,05 and lists 0,01; 0,1; 1. One reader for every box that takes numbers,
    # so that no box reads 0,05 as 5 (float() on "05") or splits 0,01 into 0 and 1.

    @property
    def decimal_sign(self) -> str:
        return str(_locale(self.code).number_symbols["latn"]["decimal"])

    @property
    def list_sign(self) -> str:
        """What separates typed numbers: the comma, or the semicolon where the comma is the decimal sign."""
        return ";" if self.decimal_sign == "," else ","

    def typed(self, value: float) -> str:
        """A value as this reader would type it into a box: its decimal sign, no thousands gap
        (``0,05``, ``2500``), so that it reads back as itself, in a list too."""
        return format_decimal(value, format="0.########", locale=self.code)

    def typed_list(self, values: Iterable[float]) -> str:
        """Values as this reader types a list: ``0.01, 0.1, 1`` / ``0,01; 0,1; 1``."""
        return (self.list_sign + " ").join(self.typed(value) for value in values)

    def read_number(self, text: str) -> float:
        """A number as this reader types it (``0,05`` in German, ``1.000`` a thousand there), else in the
        code's notation (``0.05``, ``1e-3``: a link, a habit from English); ``ValueError`` if neither."""
        compact = "".join(str(text).split()).replace(MINUS, "-")  # 1 000 and 1 000: the French gap
        if not compact or len(compact) > 40:
            raise ValueError(text)
        try:
            number = float(parse_decimal(compact, locale=self.code, strict=True))
        except (NumberFormatError, ValueError, ArithmeticError):
            number = float(compact)  # the dot; raises ValueError on anything else
        if not math.isfinite(number):
            raise ValueError(text)
        return number

    def read_list(self, text: str) -> tuple[list[float], list[str]]:
        """The numbers of a typed list and the parts that are not numbers. Items are separated by this
        language's list sign (``;`` where the comma is decimal) or by spaces; a part such as
        ``0.01,0.1`` (the code's notation, as in a link) is read with the dot."""
        values: list[float] = []
        bad: list[str] = []
        for part in re.split(r"[;\s]+" if self.list_sign == ";" else r"[;,\s]+", str(text)):
            if not part:
                continue
            try:
                values.append(self.read_number(part))
            except ValueError:
                pieces = part.split(",")
                try:
                    if "." not in part or len(pieces) < 2:
                        raise
                    values.extend(ENGLISH.read_number(piece) for piece in pieces if piece)
                except ValueError:
                    bad.append(part)
        return values, bad


class Msg(str):
    """A sentence not yet in a language: it *is* its English text (so it prints, compares and goes
    into JSON as before), and keeps its template and raw values to be rendered in any language
    (a class's question is one question, whatever language each student reads; an error made
    once and cached is shown to each reader in theirs)."""

    text: str
    values: tuple[tuple[str, object], ...]

    def __new__(cls, text: str, values: tuple[tuple[str, object], ...] = ()) -> Msg:
        english = text.format(**{name: _english_value(value) for name, value in values}) if values else text
        made = super().__new__(cls, english)
        made.text, made.values = text, tuple(values)
        return made

    def render(self, lang: Language) -> str:
        return lang._(self.text, **{name: lang.auto(value) for name, value in self.values})

    def as_json(self) -> str:
        return json.dumps([self.text, dict(self.values)], ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Msg | None:
        try:
            message, values = json.loads(text)
        except (ValueError, TypeError):
            return None
        if not isinstance(message, str) or not isinstance(values, dict):
            return None
        return cls(message, tuple((str(k), v) for k, v in values.items() if isinstance(v, (int, float, str))))


def _english_value(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def said(text: str, lang: Language) -> str:
    """Any text in ``lang``: a ``Msg`` rendered, a plain string as it is."""
    return text.render(lang) if isinstance(text, Msg) else text


def M_(message: str, /, **values: object) -> Msg:
    """A sentence marked for the catalogue, rendered later in the reader's language."""
    return Msg(message, tuple(values.items()))


@lru_cache(maxsize=len(LANGUAGES))
def _locale(code: str) -> Locale:
    """Babel's locale data for a shipped language, parsed once (every chart and percentage asks)."""
    return Locale.parse(code)


def NP_(context: str, message: str, /) -> str:
    """``N_`` for a message with a context (``Language.pgettext``): marked where it is defined."""
    return message


def N_(message: str, /) -> str:
    """A message marked for the catalogue where it is defined (an option, a name), translated where shown."""
    return message


@lru_cache(maxsize=len(LANGUAGES))
def language(code: str = DEFAULT) -> Language:
    """The language for ``code`` (``de``, ``de-CH``, ``de_DE``), or English when it is not shipped."""
    code = supported(code) or DEFAULT
    return Language(code, _catalogue(code))


def supported(code: str | None) -> str | None:
    """The shipped language a locale tag asks for (``de-AT`` → ``de``), or ``None``."""
    if not code:
        return None
    try:
        asked = Locale.parse(str(code).strip().split(".")[0].split("@")[0].replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    return asked.language if asked.language in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first shipped language a browser's ``Accept-Language`` header asks for, by its weights."""
    if not header:
        return None
    wanted = []
    for position, part in enumerate(str(header).split(",")[:20]):
        tag, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        wanted.append((-quality, position, tag))
    for _quality, _position, tag in sorted(wanted):
        if found := supported(tag):
            return found
    return None


def _catalogue(code: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled from its ``.po`` in memory (English: the code's own words)."""
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == DEFAULT or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


ENGLISH = language(DEFAULT)
