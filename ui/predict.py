"""Predict, then see: a question before the thing it is about, answered with one click.

Every prompt's widget label begins with ``Predict:``.  Until the student answers or presses
"Show me", the page leaves out the part the prompt is about (it never blocks the rest); an
answer is committed with a click (or Enter / Space), never by moving the focus, and is then
locked; then the page says whether the guess was right, with the engine's number and one sentence of why
(``nnviz.views.prompts``).  Answers live in the student's session only; a small tally in the
sidebar counts them.  ``?predict=0`` in a link turns every prompt off.

In a live class (``ui/classroom.py``), on the teacher's pinned run, an answer also goes to the
class, and the page waits for the teacher's Reveal instead of judging it at once (Peer
Instruction: the vote, the discussion, then the answer).  The reveal shows the class's answers
with the student's own marked, then the verdict.  There is no "Show me" there: a student who
has not answered is asked first.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import cache, partial

import streamlit as st

from nnviz.numbers import is_number
from nnviz.views import describe, figures
from nnviz.views.prompts import Answer, answer_in_a_sentence
from ui import classroom
from ui.keep import keep
from ui.language import Question, _, language, said
from ui.text import plain

TALLY = "predictions"
# A class question's state on a student's page: waiting, the class's spread shown (no verdict, no
# true answer: Peer Instruction's discussion), judged, or revealed without this student's answer.
WAIT, SPREAD, VERDICT, CLOSED = "wait", "spread", "verdict", "closed"
ANSWERS = "prediction answers"  # committed answers by prompt key: kept for the session


class Prompts:
    """The prompts of one page.  ``context`` (the run's settings, say) makes a new question
    of each prompt when it changes: a new run, a new prediction."""

    def __init__(self, page: str, enabled: bool, context: Hashable, say: Callable[[str], str] = str):
        self.page = page
        self.enabled = enabled
        self.context = abs(hash(context)) % 10**10
        self.say = say  # the answers' numbers as the page writes them (the grades page: the file's decimal mark)
        self.open_questions: list[classroom.SharedPrompt] = []

    def _key(self, name: str, shared: classroom.SharedPrompt | None = None) -> str:
        """The prompt's widget key; a class's second round (the teacher's Ask again) is a new question."""
        round = f".round{shared.round}" if shared is not None and shared.round > 1 else ""
        return f"predict.{self.page}.{name}.{self.context}{round}"

    def _record(self, name: str, right: bool) -> None:
        st.session_state.setdefault(TALLY, {}).setdefault(self.page, {})[f"{name}.{self.context}"] = right

    def _skip_button(self, key: str, what: str) -> bool:
        """The "Show me" button; True once pressed (for this question)."""
        if self._skipped(key):
            return True
        st.button(
            _("Show me"),
            key=f"{key}.skip",
            on_click=lambda: st.session_state.update({f"{key}.skipped": True}),
            help=_("Skip the guess and see {what}", what=what),
        )
        st.caption(_("Make your guess, or press Show me, to see {what}.", what=what))
        return False

    def _verdict(self, name: str, right: bool, why: str) -> None:
        self._record(name, right)
        if right:
            st.success(_("Right. {why}", why=plain(self.say(why))), icon="✅")
        else:
            st.warning(_("Not quite. {why}", why=plain(self.say(why))), icon="🤔")

    def choice(
        self,
        name: str,
        question: Question,
        options: Sequence[str],
        answer: Callable[[], Answer],
        what: str,
        format_func: Callable[[str], str] | None = None,
    ) -> bool:
        # Options are the prompts' English words: said in the visitor's language, bound here (a
        # widget's options are formatted again outside the script run, by AppTest and on a rerun).
        format_func = format_func or language()._
        """One question, one click.  True when the page may show ``what``.

        ``answer`` is worked out only once the student has answered or asked to see it (some
        answers replay part of a run, and an unanswered prompt needs none)."""
        if not self.enabled:
            return True
        shared = self._shared(question)
        key = self._key(name, shared)
        if shared is not None:
            self._restore(shared, key, options)
        guess = self._pills(key, question, options, self._skipped(key) and shared is None, format_func)
        if shared is not None:
            step = self._class_step(shared, guess, what, lambda: str(answer().truth))
            if step == WAIT:
                return False
            if step == SPREAD:
                self._class_answers(shared, question, classroom.counted(shared), None, format_func)
                return False
            truth = answer()
            self._class_answers(shared, question, None if step == CLOSED else str(guess), str(truth.truth), format_func)
            if step == CLOSED:
                st.info(
                    plain(self.say(_("The answer: {answer}. {why}", answer=format_func(truth.truth), why=truth.why))),
                    icon="💡",
                )
            else:
                self._verdict(name, guess == truth.truth, truth.why)
            return True
        if guess is None:
            if not self._skip_button(key, what):
                return False
            truth = answer()
            st.info(
                plain(self.say(_("The answer: {answer}. {why}", answer=format_func(truth.truth), why=truth.why))),
                icon="💡",
            )
            return True
        truth = answer()
        self._verdict(name, guess == truth.truth, truth.why)
        return True

    @staticmethod
    def _restore(shared: classroom.SharedPrompt, key: str, options: Sequence[str]) -> None:
        """The answer an earlier session of this student sent (a reloaded tab, a worker that died), locked in."""
        if (earlier := classroom.earlier_answer(shared)) in options:
            st.session_state.setdefault(ANSWERS, {}).setdefault(key, earlier)

    @staticmethod
    def _class_step(shared: classroom.SharedPrompt, guess, what: str, truth: Callable[[], str] | None = None) -> str:
        """In a class: send the answer (and the true one, for the teacher's console).  ``WAIT``
        until the teacher reveals the round (also while the answer waits for an unreachable store,
        or was refused: nothing is judged alone); ``VERDICT`` once revealed, for an answer the
        round counted; ``CLOSED`` for a revealed round this student's answer did not reach."""
        if guess is None:
            if shared.shown:
                st.caption(_("This round is closed; the teacher can ask again."))
                if not shared.revealed:
                    classroom.wait_for_reveal(shared, say=False)
                return CLOSED if shared.revealed else SPREAD
            if shared.round > 1:
                st.info(_("Round {n}: you can change your answer.", n=shared.round), icon="🔁")
            st.caption(
                _("Answer to send your guess to the class; you see {what} when the teacher reveals it.", what=what)
            )
            return WAIT
        outcome = classroom.send(shared, str(guess), truth)
        if outcome is classroom.Sent.CLOSED:
            return CLOSED if shared.revealed else SPREAD
        if outcome is classroom.Sent.SENT and shared.revealed:
            return VERDICT
        if outcome is not classroom.Sent.REFUSED:
            classroom.wait_for_reveal(shared, say=outcome is classroom.Sent.SENT)
        if outcome is classroom.Sent.SENT and shared.shown:
            return SPREAD
        return WAIT

    def _class_answers(
        self,
        shared: classroom.SharedPrompt,
        question: Question,
        mine: str | None,
        truth: str | None,
        format_func: Callable[[str], str] | None = None,
    ) -> None:
        format_func = format_func or language()._
        counts = classroom.revealed_counts(shared)
        if not counts:
            return
        shown = {plain(format_func(a)) if not is_number(a) else a: n for a, n in counts.items()}
        mine_shown = None if mine is None else mine if is_number(mine) else plain(format_func(mine))
        truth_shown = None if truth is None else truth if is_number(truth) else plain(format_func(truth))
        lang = language()
        figure = figures.class_answers_figure(
            shown, _("The class's answers: {question}", question=said(question)), mine_shown, truth_shown, lang=lang
        )
        st.plotly_chart(
            figure,
            key=f"class.{shared.prompt}.{shared.round}",
            alt=describe.class_answers(shown, mine_shown, truth_shown, lang=lang),
        )

    def _shared(self, question: Question) -> classroom.SharedPrompt | None:
        """The class's copy of a question this page asks (remembered while it is open: ``any_open_in_class``)."""
        shared = classroom.shared_prompt(self.page, question)
        if shared is not None and not shared.revealed:
            self.open_questions.append(shared)
        return shared

    def any_open_in_class(self) -> bool:
        """Whether any question this page has asked so far waits for the teacher's Reveal."""
        return bool(self.open_questions)

    def open_in_class(self, *questions: Question) -> bool:
        """Whether any of these questions waits for the teacher's Reveal in the student's class:
        then everything else on the page that would answer it (an animation, a download) waits too."""
        if not self.enabled:
            return False
        return any((one := classroom.shared_prompt(self.page, q)) is not None and not one.revealed for q in questions)

    def held_iteration(self, questions_at: Callable[[int], Sequence[Question]]) -> int | None:
        """In a live class, the iteration a page's stepper stays at: the class's own (its pinned
        ``k``) while a question about it is open, since the iterations after it would answer it
        (the next one's weights say which way each moved, the last one's which ended largest)."""
        if not self.enabled or (pinned := classroom.class_values(self.page)) is None:
            return None
        k = int(pinned.get("k", 0))
        return k if self.open_in_class(*questions_at(k)) else None

    @staticmethod
    def _skipped(key: str) -> bool:
        return bool(st.session_state.get(f"{key}.skipped"))

    @staticmethod
    def _pills(
        key: str,
        question: Question,
        options: Sequence[str],
        skipped: bool,
        format_func: Callable[[str], str] | None = None,
    ):
        """One question's options as buttons: Tab moves between them without answering, a click
        (or Enter / Space) commits the answer.  A radio group would answer on the first arrow key.

        The committed answer lives in a plain session entry (``ANSWERS``), which Streamlit keeps
        when the page is left, and is shown locked: it cannot be changed, nor given after "Show me"."""
        format_func = format_func or language()._
        answers = st.session_state.setdefault(ANSWERS, {})
        committed = answers.get(key)
        shown = _("Predict: {question}", question=plain(said(question)))
        if committed is not None or skipped:
            st.pills(
                shown,
                list(options),
                default=committed,
                disabled=True,
                key=f"{key}.answered",
                format_func=lambda option: plain(format_func(option)),
            )
            return committed

        def commit() -> None:
            if st.session_state.get(key) is not None:
                answers[key] = st.session_state[key]

        st.pills(shown, list(options), key=key, on_change=commit, format_func=lambda option: plain(format_func(option)))
        return None

    def several(
        self,
        name: str,
        questions: Sequence[Question],
        options: Sequence[str],
        answers: Callable[[], Sequence[Answer]],
        what: str,
        labels: Sequence[str],
        note: str = "",
    ) -> bool:
        """A few questions answered together (one per weight, say); judged once all are answered
        (``answers``, like ``choice``'s, worked out only then).  The verdict names each question
        by its ``labels`` entry, and says ``note`` (what the answers share) once."""
        if not self.enabled:
            return True
        shared = [self._shared(question) for question in questions]
        if all(one is not None for one in shared):  # in a class, on the teacher's run: each question is the class's
            return self._several_in_class(name, questions, options, answers, what, labels, note, shared)
        key = self._key(name)
        columns = st.columns(len(questions))
        guesses = []
        for i, (column, question) in enumerate(zip(columns, questions)):
            with column:
                guesses.append(self._pills(f"{key}.{i}", question, options, self._skipped(key)))
        if any(g is None for g in guesses):
            if not self._skip_button(key, what):
                return False
            st.info(
                plain(" ".join(f"{_(a.truth).capitalize()}: {a.why}" for a in answers()) + f" {note}".rstrip()),
                icon="💡",
            )
            return True
        self._several_verdict(name, guesses, answers(), labels, note)
        return True

    def _several_verdict(
        self, name: str, guesses: Sequence, truths: Sequence[Answer], labels: Sequence[str], note: str
    ) -> None:
        right = [g == a.truth for g, a in zip(guesses, truths)]
        each = "; ".join(
            _("{label} {answer} (right)", label=lab, answer=_(a.truth))
            if r
            else _(
                "{label} {answer} (you said {guess})",
                label=lab,
                answer=_(a.truth),
                guess=answer_in_a_sentence(str(g), language()),
            )
            for lab, g, a, r in zip(labels, guesses, truths, right)
        )
        why = (
            _("{right} of {n} right: {each}.", right=sum(right), n=len(right), each=each)
            + " "
            + " ".join(a.why for a in truths)
            + f" {note}".rstrip()
        )
        self._verdict(name, all(right), why)

    def _several_in_class(
        self,
        name: str,
        questions: Sequence[Question],
        options: Sequence[str],
        answers: Callable[[], Sequence[Answer]],
        what: str,
        labels: Sequence[str],
        note: str,
        shared: Sequence[classroom.SharedPrompt | None],
    ) -> bool:
        """``several`` in a class: every question goes to the class once all are answered (with its
        true answer, for the teacher's console), and the page waits until the teacher has revealed
        them all; then each question's class answers, and the verdict."""
        rounds = [one for one in shared if one is not None]
        truths = cache(answers)  # worked out once, and only when needed

        columns = st.columns(len(questions))
        guesses = []
        for i, (column, question, one) in enumerate(zip(columns, questions, rounds)):
            key = self._key(f"{name}.{i}", one)
            self._restore(one, key, options)
            with column:
                guesses.append(self._pills(key, question, options, False))
        if all(one.shown and not one.revealed for one in rounds):  # the spread: talk it over, no verdict yet
            if any(g is None for g in guesses):
                st.caption(_("This round is closed; the teacher can ask again."))
            else:
                for i, (one, guess) in enumerate(zip(rounds, guesses)):
                    classroom.send(one, str(guess), partial(_truth_text, truths, i))
            for i, (one, question) in enumerate(zip(rounds, questions)):
                classroom.wait_for_reveal(one, say=i == 0)
                self._class_answers(one, question, classroom.counted(one), None)
            return False
        closed = all(one.revealed for one in rounds) and any(g is None for g in guesses)
        if any(g is None for g in guesses) and not closed:
            if rounds and rounds[0].round > 1:
                st.info(_("Round {n}: you can change your answer.", n=rounds[0].round), icon="🔁")
            st.caption(
                _(
                    "Answer every one to send your guesses to the class; you see {what} when the teacher reveals them.",
                    what=what,
                )
            )
            return False
        if closed:
            st.caption(_("This round is closed; the teacher can ask again."))
        else:
            outcomes = [
                classroom.send(one, str(guess), partial(_truth_text, truths, i))
                for i, (one, guess) in enumerate(zip(rounds, guesses))
            ]
            closed = classroom.Sent.CLOSED in outcomes
            if not closed and (
                classroom.Sent.REFUSED in outcomes
                or classroom.Sent.KEPT in outcomes
                or not all(one.revealed for one in rounds)
            ):
                if classroom.Sent.REFUSED not in outcomes:
                    for i, one in enumerate(rounds):
                        classroom.wait_for_reveal(one, say=i == 0 and classroom.Sent.KEPT not in outcomes)
                return False
        for one, question, guess, answer in zip(rounds, questions, guesses, truths()):
            self._class_answers(one, question, None if closed or guess is None else str(guess), str(answer.truth))
        if closed:
            st.info(
                plain(" ".join(f"{_(a.truth).capitalize()}: {a.why}" for a in truths()) + f" {note}".rstrip()),
                icon="💡",
            )
        else:
            self._several_verdict(name, guesses, truths(), labels, note)
        return True

    def number(
        self,
        name: str,
        question: Question,
        options: Sequence[int],
        judge: Callable[[int], tuple[bool, str]],
        what: str,
        reveal_text: str,
        truth: int | None = None,
    ) -> bool:
        """A guess on a (log) slider, locked in with a button; ``judge`` says right or not, and why;
        ``truth``, the number itself, is marked among the class's guesses."""
        if not self.enabled:
            return True
        shared = self._shared(question)
        key = self._key(name, shared)
        if shared is not None and (earlier := classroom.earlier_answer(shared)) is not None and earlier.isdigit():
            st.session_state.setdefault(f"{key}.locked", int(earlier))  # sent by an earlier session
            st.session_state.setdefault(key, int(earlier))
        locked = st.session_state.get(f"{key}.locked")
        st.select_slider(
            _("Predict: {question}", question=plain(said(question))),
            options=list(options),
            key=keep(key, options[len(options) // 2]),
            format_func=language().integer,
            disabled=locked is not None,
        )
        if locked is None:
            st.button(
                _("Lock in my guess"),
                key=f"{key}.lock",
                on_click=lambda: st.session_state.update({f"{key}.locked": st.session_state[key]}),
            )
            if shared is None and not self._skip_button(key, what):
                return False
            if shared is not None:
                step = self._class_step(shared, None, what)
                if step == SPREAD:
                    self._class_answers(shared, question, None, None)
                if step in (WAIT, SPREAD):
                    return False
                self._class_answers(shared, question, None, None if truth is None else str(truth))
            st.info(plain(reveal_text), icon="💡")
            return True
        if shared is not None:
            step = self._class_step(shared, int(locked), what, None if truth is None else lambda: str(truth))
            if step == SPREAD:
                self._class_answers(shared, question, classroom.counted(shared), None)
            if step in (WAIT, SPREAD):
                return False
            self._class_answers(
                shared, question, None if step == CLOSED else str(int(locked)), None if truth is None else str(truth)
            )
            if step == CLOSED:
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
                st.markdown(
                    _("**Your predictions here:** {right} of {n} right", right=sum(answers.values()), n=len(answers))
                )
                if len(everything) > len(answers):
                    st.caption(_("On every page: {right} of {n} right.", right=sum(everything), n=len(everything)))
            else:
                st.caption(
                    _("Predict before you look: each *Predict:* question hides what it asks about until you answer.")
                )


def _truth_text(truths: Callable[[], Sequence[Answer]], i: int) -> str:
    return str(truths()[i].truth)


def log_options(high: int) -> list[int]:
    """1, 2, 5, 10, 20, 50 … up to ``high``: a slider for guessing an iteration."""
    out: list[int] = []
    base = 1
    while base <= high:
        out.extend(v for v in (base, 2 * base, 5 * base) if v <= high)
        base *= 10
    return out or [1]
