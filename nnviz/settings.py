"""Page settings that travel in a link: parsed, checked and clipped, never trusted.

A shared link is text typed by a stranger.  Every value is checked against its field: one
that cannot be read falls back to its default, one out of range is clipped to the limit,
and each gives a one-line warning for the page to show.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import re
from dataclasses import dataclass, replace
from typing import Any

from nnviz.engine.network import ACTIVATIONS
from nnviz.engine.training import MAX_SEED  # the engine's own bound on seeds
from nnviz.i18n import ENGLISH, N_, Language

MAX_ITERATIONS = 1_000_000
MAX_HIDDEN_LAYERS = 3
MAX_HIDDEN_UNITS = 8
# A public server's cores, shared out (the environment variables are for a server of one's own):
# no run trains for longer than MAX_RUN_SECONDS of working time, and no visitor's session uses
# more than SESSION_CPU_SECONDS training in any minute (30 of a machine's 60 core-seconds per
# core: a visitor who changes the seed over and over keeps at most half a core busy).
MAX_RUN_SECONDS = float(os.environ.get("NNVIZ_MAX_RUN_SECONDS", "20"))
SESSION_CPU_SECONDS = float(os.environ.get("NNVIZ_SESSION_CPU_SECONDS", "30"))
BUDGET_WINDOW_SECONDS = 60.0
# What the server-wide caches may hold, in bytes (each also bounded in entries and age): a
# worker's memory stays under about these plus its own 400 MB (Python, numba, Streamlit).
SHARED_RUNS_BYTES = int(float(os.environ.get("NNVIZ_SHARED_RUNS_MB", "200")) * 2**20)
SHARED_VALUES_BYTES = int(float(os.environ.get("NNVIZ_SHARED_VALUES_MB", "100")) * 2**20)
DRAWN_BYTES = int(float(os.environ.get("NNVIZ_DRAWN_MB", "100")) * 2**20)
# A live class (nnviz/classroom/): how long it lasts, how big it gets, and what one student may send.
CLASS_HOURS = float(os.environ.get("NNVIZ_CLASS_HOURS", "12"))
MAX_STUDENTS_PER_CLASS = 200
MAX_CLASSES = int(os.environ.get("NNVIZ_MAX_CLASSES", "500"))  # open at once on one server (or one Redis)
MAX_ANSWERS_PER_MINUTE = 30  # per student: a prompt answered, changed or asked again, never a flood
MAX_NICKNAME_CHARS = 24
MAX_STORED_CHARS = 64  # any other stored value: an answer, a page, a setting
MAX_LESSON_CHARS = 4_000  # a lesson's link text (nnviz/lesson.py), in a link or in a class
MAX_PROMPT_CHARS = 400  # a prompt is stored as its page and question in English, and the question unrendered
CLASS_POLL_SECONDS = 3.0  # how often a student's page and the teacher's console look for news
CLASS_STORE_TIMEOUT_SECONDS = 2.0  # a store call that takes longer fails: the page says so and goes on


@dataclass(frozen=True)
class ClassCaps:
    """What one stranger may do to a public server's classes, each counted in the class store
    (shared by every worker) per clock hour or minute.  Generous enough for a school whose whole
    class comes from one address; tight enough that a script can neither use up the server's
    classes, nor fill a class, nor guess its way into one."""

    classes_per_browser_per_hour: int = 5  # one visitor: their session, or their browser's cookie
    classes_per_address_per_hour: int = 20  # one client address (an IPv6 /64): a school's teachers together
    idle_minutes: float = 30.0  # a class no student joined ends this soon (else after CLASS_HOURS)
    joins_per_class_per_minute: int = 120  # a lecture hall of 100 joining at once, with retries
    joins_per_address_per_minute: int = 100  # a lecture hall behind one school address
    wrong_codes_per_address_per_minute: int = 10  # guessing codes: 14,400 a day, one hit in a month at 500 classes
    sweep_seconds: float = 300.0  # ended classes are deleted at least this often (and at every opening)


# Each cap's environment variable, for a server of one's own.
CLASS_CAPS_ENVIRONMENT = {
    "classes_per_browser_per_hour": "NNVIZ_CLASSES_PER_BROWSER_HOUR",
    "classes_per_address_per_hour": "NNVIZ_CLASSES_PER_ADDRESS_HOUR",
    "idle_minutes": "NNVIZ_CLASS_IDLE_MINUTES",
    "joins_per_class_per_minute": "NNVIZ_JOINS_PER_CLASS_MINUTE",
    "joins_per_address_per_minute": "NNVIZ_JOINS_PER_ADDRESS_MINUTE",
    "wrong_codes_per_address_per_minute": "NNVIZ_WRONG_CODES_PER_ADDRESS_MINUTE",
    "sweep_seconds": "NNVIZ_CLASS_SWEEP_SECONDS",
}


def class_caps(environ: dict[str, str] | None = None) -> ClassCaps:
    """The caps, each from its environment variable when set (read when a store is made)."""
    environ = dict(os.environ) if environ is None else environ
    given: dict[str, Any] = {}
    for name, variable in CLASS_CAPS_ENVIRONMENT.items():
        text = environ.get(variable, "").strip()
        if not text:
            continue
        kind = type(getattr(ClassCaps, name))  # each default's type: a count or a time
        try:
            value = kind(float(text)) if kind is int else float(text)
        except ValueError:
            raise ValueError(f"{variable}={text!r}: a number is needed") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{variable}={text!r}: a number above 0 is needed")
        given[name] = value
    return ClassCaps(**given)


def teacher_password() -> str | None:
    """``NNVIZ_TEACHER_PASSWORD``: when set, opening a class asks for it (a server on the open internet)."""
    return os.environ.get("NNVIZ_TEACHER_PASSWORD") or None


def trust_proxy() -> bool:
    """``NNVIZ_TRUST_PROXY=1``: the app sits behind a proxy of its own (``scripts/serve-class.sh``'s
    nginx) that sets X-Real-IP; only then is a forwarded client address believed (else anyone
    could send one, and be a new address at every request)."""
    return os.environ.get("NNVIZ_TRUST_PROXY", "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Field:
    """One setting: its kind ("int", "float", "bool", "choice", "layers"), default and limits."""

    kind: str
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    label: str = ""
    titles: tuple[str, ...] = ()  # a choice's words on a page (catalogue keys), one per choice when given
    # A view setting changes what is drawn of a run (a window, an axis, an iteration to step
    # through), never the run itself: a student who changes one stays on the class's run.
    view: bool = False
    # Typed into a text box on its page (a learning rate, a seed, a count), not picked from a menu or a
    # slider: the box holds the reader's notation (``0,5``, ``100 000``), written by ``write``.
    box: bool = False

    def parse(self, name: str, text: str, lang: Language = ENGLISH, typed: bool = False) -> tuple[Any, str | None]:
        """The value for ``text`` and a warning, or ``(default, warning)`` if unreadable. A link's text is
        in the code's notation (``0.05``, ``4,2``), whatever the reader's language, so that a German
        teacher's link works in Spain; ``typed`` text is read the reader's way (``0,05``, ``4; 2``)."""
        label = lang._(self.label) if self.label else name
        text = str(text).strip()
        if self.kind == "rates":
            return parse_rates(text, lang, typed)
        try:
            value = _READERS[self.kind](self, text, lang if typed else None)
        except (ValueError, OverflowError):
            shown = text if len(text) <= 40 else text[:40] + "…"
            value = self.show(self.default, lang)
            if typed:
                return self.default, lang._(
                    "The {setting} “{text}” is not valid here; using {value}.", setting=label, text=shown, value=value
                )
            return self.default, lang._(
                "The link's {setting} “{text}” is not valid here; using {value}.",
                setting=label,
                text=shown,
                value=value,
            )
        clipped = self.clip(value)
        if clipped != value:
            shown, limit = self.show(value, lang), self.show(clipped, lang)
            if typed:
                return clipped, lang._(
                    "The {setting} {value} is beyond the limit; using {limit}.", setting=label, value=shown, limit=limit
                )
            return clipped, lang._(
                "The link's {setting} {value} is beyond the limit; using {limit}.",
                setting=label,
                value=shown,
                limit=limit,
            )
        return value, None

    def title(self, choice: str, lang: Language = ENGLISH) -> str:
        """A choice as a menu words it: its own title when the field has titles, else its name."""
        return lang._(self.titles[self.choices.index(choice)]) if self.titles else choice

    def clip(self, value: Any) -> Any:
        if self.kind in ("int", "float"):
            value = max(self.low, value) if self.low is not None else value
            value = min(self.high, value) if self.high is not None else value
        if self.kind == "layers":
            value = tuple(min(max(int(n), 1), MAX_HIDDEN_UNITS) for n in value[:MAX_HIDDEN_LAYERS])
        return value

    def show(self, value: Any, lang: Language = ENGLISH) -> str:
        """The value in a sentence, in the reader's language."""
        if self.kind in ("layers", "rates"):
            return self.write(value, lang)
        if self.kind == "int" and abs(value) >= 10**12:
            return f"{value:.3g}"  # a link's 1e99 is not shown in 100 digits
        if lang.code != ENGLISH.code and self.kind in ("int", "float"):
            return lang.integer(value) if self.kind == "int" else lang.short(value)
        return f"{value:,}" if self.kind == "int" else str(value)

    def write(self, value: Any, lang: Language = ENGLISH) -> str:
        """The value as the reader types it into a text box (``4; 2`` and ``0,5`` in German), read back by
        ``parse(…, typed=True)``."""
        if self.kind == "layers":
            return lang.typed_list(value) if value else lang.pgettext("hidden layers", "none")
        if self.kind == "rates":
            return lang.typed_list(value)
        if self.kind == "int" and abs(value) < 10**12:
            return lang.integer(value)  # 100 000 in French, 100.000 in German: read back by parse_decimal
        if self.kind in ("int", "float"):
            return lang.typed(value)
        return self.encode(value)

    def encode(self, value: Any) -> str:
        """The value in a link: the code's notation, the same in every language."""
        if self.kind == "layers":
            return ",".join(map(str, value)) if value else "none"
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind == "float":
            return repr(float(value))
        if self.kind == "rates":
            return ",".join(f"{rate:g}" for rate in value)
        return str(value)


# Each reader takes the text and the language it is typed in, or None for a link's (the code's) notation.
def _read_int(field: Field, text: str, lang: Language | None) -> int:
    number = lang.read_number(text) if lang else float(text.replace("_", "").replace(",", ""))
    if not math.isfinite(number) or number != int(number):
        raise ValueError(text)
    return int(number)


def _read_float(field: Field, text: str, lang: Language | None) -> float:
    number = lang.read_number(text) if lang else float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _read_bool(field: Field, text: str, lang: Language | None) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


def _read_choice(field: Field, text: str, lang: Language | None) -> str:
    if text not in field.choices:
        raise ValueError(text)
    return text


def _read_layers(field: Field, text: str, lang: Language | None) -> tuple[int, ...]:
    """Sizes are whole numbers, so a comma between them is never a decimal sign: ``4,2``, ``4; 2`` and
    ``4 2`` are all two layers, in every language."""
    if text.lower() in ("", "none", "0") or (lang and text.lower() == lang.pgettext("hidden layers", "none").lower()):
        return ()
    parts = [part for part in re.split(r"[,;\s]+", text) if part]
    sizes = tuple(int(part) for part in parts)
    if not sizes or any(n < 1 for n in sizes):
        raise ValueError(text)
    return sizes


def _code_list(text: str) -> tuple[list[float], list[str]]:
    """Numbers in the code's notation, separated by commas, semicolons or spaces (a link's)."""
    values, bad = [], []
    for part in re.split(r"[,;\s]+", text):
        if part:
            try:
                values.append(ENGLISH.read_number(part))
            except ValueError:
                bad.append(part)
    return values, bad


def _read_text(field: Field, text: str, lang: Language | None) -> str:
    if len(text) > 200:
        raise ValueError(text)
    return text


_READERS = {
    "int": _read_int,
    "float": _read_float,
    "bool": _read_bool,
    "choice": _read_choice,
    "layers": _read_layers,
    "text": _read_text,
}


def parse_query(
    spec: dict[str, Field], query: dict[str, str], lang: Language = ENGLISH
) -> tuple[dict[str, Any], list[str]]:
    """Settings from a link's query string; unknown keys are ignored."""
    values, warnings = {}, []
    for name, field in spec.items():
        if name in query:
            values[name], warning = field.parse(name, query[name], lang)
            if warning:
                warnings.append(warning)
        else:
            values[name] = field.default
    return values, warnings


def to_query(spec: dict[str, Field], values: dict[str, Any]) -> dict[str, str]:
    """The query string for ``values``; settings at their default are left out."""
    return {name: field.encode(values[name]) for name, field in spec.items() if values[name] != field.default}


LR_LOW, LR_HIGH = 0.001, 100.0

# The fields every network page shares; each page's table starts from these, with its own defaults.
LEARNING_RATE = Field("float", 1.0, low=LR_LOW, high=LR_HIGH, label=N_("learning rate"), box=True)
SEED = Field("int", 123, low=0, high=MAX_SEED, label=N_("seed"), box=True)
BIAS = Field("bool", False, label=N_("bias"))
RULE = Field("choice", "trask", choices=("trask", "bce"), label=N_("rule"))
# The hidden layers' activation (the output's is always the sigmoid): it changes the run, so not a view.
ACTIVATION = Field(
    "choice",
    "sigmoid",
    choices=tuple(ACTIVATIONS),
    label=N_("activation"),
    titles=tuple(activation.title for activation in ACTIVATIONS.values()),
)
# A teacher turns the prediction prompts off for a demo with ?predict=0.
PREDICT = Field("bool", True, label=N_("prediction prompts"), view=True)


def iterations_field(default: int) -> Field:
    return Field("int", default, low=1, high=MAX_ITERATIONS, label=N_("number of iterations"), box=True)


WALKTHROUGH = {
    "dataset": Field("choice", "trask", choices=("trask", "xor"), label=N_("dataset")),
    "hidden": Field("layers", (), label=N_("hidden layers")),
    "activation": ACTIVATION,
    "bias": BIAS,
    "rule": RULE,
    "lr": LEARNING_RATE,
    "seed": SEED,
    "iterations": iterations_field(100_000),
    "k": Field("int", 0, low=0, high=MAX_ITERATIONS, label=N_("iteration to step through"), view=True, box=True),
    "window": Field("int", 1_000, low=10, high=MAX_ITERATIONS, label=N_("error window"), view=True),
    "logy": Field("bool", False, label=N_("log error axis"), view=True),
    "predict": PREDICT,
}

GRADES = {
    "hidden": Field("int", 2, low=1, high=MAX_HIDDEN_UNITS, label=N_("hidden units")),
    "bias": replace(BIAS, default=True),
    "rule": replace(RULE, default="bce", choices=("bce", "trask")),
    "lr": LEARNING_RATE,
    "iterations": iterations_field(5_000),
    "seed": SEED,
    "test": Field("float", 0.2, low=0.0, high=0.5, label=N_("test share")),
    "predict": PREDICT,
}

_NETWORK = {
    "dataset": Field("choice", "students", choices=("students", "trask", "xor"), label=N_("dataset")),
    "hidden": Field("layers", (2,), label=N_("hidden layers")),
    "activation": ACTIVATION,
    "bias": replace(BIAS, default=True),
    "rule": replace(RULE, default="bce", choices=("bce", "trask")),
    "lr": LEARNING_RATE,
    "seed": SEED,
    "iterations": iterations_field(1_000),
    "k": Field("int", 0, low=0, high=MAX_ITERATIONS, label=N_("iteration"), view=True, box=True),
    "predict": PREDICT,
}
BACKPROP = {**_NETWORK, "blame": Field("bool", True, label=N_("colour by blame"), view=True)}
DESCENT = {
    **_NETWORK,
    "weight": Field("int", 0, low=0, high=10_000, label=N_("weight"), view=True),
    "weight2": Field("int", 1, low=0, high=10_000, label=N_("second weight"), view=True),
    # The runs beside the page's own are views of it: their question names the rate it asks about.
    "rates": Field("rates", (0.01, 0.1, 1.0, 10.0, 50.0), label=N_("learning rates"), view=True),
    "both": Field("bool", False, label=N_("both rules"), view=True),
}
MAX_RATES = 8


def parse_rates(text: str, lang: Language = ENGLISH, typed: bool = True) -> tuple[tuple[float, ...], str | None]:
    """Learning rates typed the reader's way (``0.01, 0.1, 1``; in German ``0,01; 0,1; 1``), or in a link
    the code's way (``typed=False``): each within the learning-rate field's bounds, at most 8."""
    values, bad = lang.read_list(text) if typed else _code_list(text)
    bad += [lang.typed(value) for value in values if value <= 0]
    rates = sorted({min(max(value, LR_LOW), LR_HIGH) for value in values if value > 0})[:MAX_RATES]
    warning = None
    if bad:
        warning = lang._(
            "Ignored learning rates that are not positive numbers: {rates}.", rates=", ".join(b[:12] for b in bad[:3])
        )
    if not rates:
        default = DESCENT["rates"].default
        return default, warning or lang._("No learning rate given; using {rates}.", rates=lang.typed_list(default))
    return tuple(rates), warning


@dataclass(frozen=True)
class Page:
    """A content page: its address, the name its settings keys use, its menu title and its settings."""

    url_path: str
    key: str
    title: str
    spec: dict[str, Field] = dataclasses.field(repr=False)


def run_settings(spec: dict[str, Field], values: dict[str, Any]) -> dict[str, Any]:
    """The values that define a page's run (every setting but the view settings)."""
    return {name: values[name] for name, field in spec.items() if not field.view}


def run_digest(spec: dict[str, Field], query: dict[str, str]) -> str:
    """A short name for the run a link's (or a pin's) settings give: the same for every link
    that differs only in view settings or in how it writes a value, different for another run."""
    values, _warnings = parse_query(spec, query)
    canonical = to_query({n: f for n, f in spec.items() if not f.view}, run_settings(spec, values))
    return hashlib.sha256(repr(sorted(canonical.items())).encode()).hexdigest()[:8]


# The content pages in the order that teaches (the app's menu, a lesson's choices, a class's pages).
PAGES = {
    page.url_path: page
    for page in (
        Page("walkthrough", "walk", N_("The 11-line network"), WALKTHROUGH),
        Page("backprop", "blame", N_("The blame game"), BACKPROP),
        Page("descent", "descent", N_("Going downhill"), DESCENT),
        Page("grades", "grades", N_("Will they pass?"), GRADES),
    )
}
