"""Predict, then see: a question before the thing it is about, answered with one click.

Every prompt's widget label begins with ``Predict:``.  Until the student answers or presses
"Show me", the page leaves out the part the prompt is about (it never blocks the rest); then
it says whether the guess was right, with the engine's number and one sentence of why
(``nnviz.predictions``).  Answers live in the student's session only; a small tally in the
sidebar counts them.  ``?predict=0`` in a link turns every prompt off.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import streamlit as st

from nnviz.predictions import Answer
from ui.text import label, plain

TALLY = "predictions"


class Prompts:
    """The prompts of one page.  ``context`` (the run's settings, say) makes a new question
    of each prompt when it changes: a new run, a new prediction."""

    def __init__(self, page: str, enabled: bool, context: Hashable):
        self.page = page
        self.enabled = enabled
        self.context = abs(hash(context)) % 10**10

    def _key(self, name: str) -> str:
        return f"predict.{self.page}.{name}.{self.context}"

    def _record(self, name: str, right: bool) -> None:
        st.session_state.setdefault(TALLY, {}).setdefault(self.page, {})[f"{name}.{self.context}"] = right

    def _skip_button(self, key: str, what: str) -> bool:
        """The "Show me" button; True once pressed (for this question)."""
        if st.session_state.get(f"{key}.skipped"):
            return True
        st.button("Show me", key=f"{key}.skip", on_click=lambda: st.session_state.update({f"{key}.skipped": True}),
                  help=f"Skip the guess and see {what}")  # fmt: skip
        st.caption(f"Make your guess, or press Show me, to see {what}.")
        return False

    def _verdict(self, name: str, right: bool, why: str) -> None:
        self._record(name, right)
        if right:
            st.success(f"Right. {plain(why)}", icon="✅")
        else:
            st.warning(f"Not quite. {plain(why)}", icon="🤔")

    def choice(self, name: str, question: str, options: Sequence[str], answer: Callable[[], Answer], what: str,
               format_func: Callable[[str], str] = str) -> bool:  # fmt: skip
        """One question, one click.  True when the page may show ``what``.

        ``answer`` is worked out only once the student has answered or asked to see it (some
        answers replay part of a run, and an unanswered prompt needs none)."""
        if not self.enabled:
            return True
        key = self._key(name)
        guess = st.radio(f"Predict: {label(question)}", list(options), index=None, key=key, horizontal=True,
                         format_func=lambda option: label(format_func(option)))  # fmt: skip
        if guess is None:
            if not self._skip_button(key, what):
                return False
            truth = answer()
            st.info(plain(f"The answer: {format_func(truth.truth)}. {truth.why}"), icon="💡")
            return True
        truth = answer()
        self._verdict(name, guess == truth.truth, truth.why)
        return True

    def several(self, name: str, questions: Sequence[str], options: Sequence[str],
                answers: Callable[[], Sequence[Answer]], what: str) -> bool:  # fmt: skip
        """A few questions answered together (one per weight, say); judged once all are answered
        (``answers``, like ``choice``'s, worked out only then)."""
        if not self.enabled:
            return True
        key = self._key(name)
        columns = st.columns(len(questions))
        guesses = [
            column.radio(f"Predict: {label(q)}", list(options), index=None, key=f"{key}.{i}")
            for i, (column, q) in enumerate(zip(columns, questions))
        ]
        if any(g is None for g in guesses):
            if not self._skip_button(key, what):
                return False
            st.info(plain(" ".join(f"{a.truth.capitalize()}: {a.why}" for a in answers())), icon="💡")
            return True
        truths = answers()
        right = [g == a.truth for g, a in zip(guesses, truths)]
        self._verdict(name, all(right), f"{sum(right)} of {len(right)} right. " + " ".join(a.why for a in truths))
        return True

    def number(self, name: str, question: str, options: Sequence[int], judge: Callable[[int], tuple[bool, str]],
               what: str, reveal_text: str) -> bool:  # fmt: skip
        """A guess on a (log) slider, locked in with a button; ``judge`` says right or not, and why."""
        if not self.enabled:
            return True
        key = self._key(name)
        locked = st.session_state.get(f"{key}.locked")
        st.select_slider(f"Predict: {label(question)}", options=list(options), value=options[len(options) // 2], key=key,
                         format_func=lambda v: f"{v:,}", disabled=locked is not None)  # fmt: skip
        if locked is None:
            st.button("Lock in my guess", key=f"{key}.lock",
                      on_click=lambda: st.session_state.update({f"{key}.locked": st.session_state[key]}))  # fmt: skip
            if not self._skip_button(key, what):
                return False
            st.info(plain(reveal_text), icon="💡")
            return True
        right, why = judge(int(locked))
        self._verdict(name, right, why)
        return True

    def tally(self) -> None:
        """This page's running count, in the sidebar."""
        if not self.enabled:
            return
        answers = st.session_state.get(TALLY, {}).get(self.page, {})
        everything = [r for page in st.session_state.get(TALLY, {}).values() for r in page.values()]
        with st.sidebar:
            st.divider()
            if answers:
                st.markdown(f"**Your predictions here:** {sum(answers.values())} of {len(answers)} right")
                if len(everything) > len(answers):
                    st.caption(f"On every page: {sum(everything)} of {len(everything)} right.")
            else:
                st.caption("Predict before you look: each *Predict:* question hides what it asks about until you answer.")


def log_options(high: int) -> list[int]:
    """1, 2, 5, 10, 20, 50 … up to ``high``: a slider for guessing an iteration."""
    out: list[int] = []
    base = 1
    while base <= high:
        out.extend(v for v in (base, 2 * base, 5 * base) if v <= high)
        base *= 10
    return out or [1]
