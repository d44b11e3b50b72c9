"""The class's numbers, from its record of answers: who changed their mind between two rounds,
and each question's summary (the numbers Peer Instruction watches: how many were right before
the discussion and after it, and how many moved to the right answer or away from it).

Pure functions over ``store.Record`` rows; the teacher's console turns them into its cards
and its CSV download.  A student who left the class has no nickname any more (their answers
to rounds the class saw stay): they count in each round, not in who changed their mind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nnviz.classroom.store import Record, is_right


@dataclass(frozen=True)
class Move:
    """One student's answer in two rounds of a question."""

    nickname: str
    before: str
    after: str


@dataclass(frozen=True)
class Summary:
    """One question over its rounds: ``right_first`` and ``right_second`` are None without a
    true answer (``right_second`` also without a round 2); ``to_right`` and ``to_wrong`` count
    the students who answered both rounds and moved onto the true answer, or off it."""

    prompt: str
    answered: int
    right_first: int | None
    right_second: int | None
    to_right: int | None
    to_wrong: int | None


def by_round(records: Iterable[Record], prompt: str, round: int) -> dict[str, str]:
    """Each named student's answer to one round of a question."""
    return {r.nickname: r.answer for r in records if r.prompt == prompt and r.round == round and r.nickname}


def moves(records: list[Record], prompt: str, first: int, second: int) -> list[Move]:
    """The students who answered both rounds and changed their answer, in the order they answered the second."""
    before = by_round(records, prompt, first)
    return [
        Move(r.nickname, before[r.nickname], r.answer)
        for r in records
        if r.prompt == prompt and r.round == second and r.nickname in before and before[r.nickname] != r.answer
    ]


def summary(records: list[Record], prompt: str, truth: str | None) -> Summary:
    these = [r for r in records if r.prompt == prompt]
    first = [r for r in these if r.round == 1]
    second = [r for r in these if r.round == 2]
    # Every named student once; one who left is known only by their answers (counted in round 1's).
    answered = len({r.nickname for r in these if r.nickname}) + sum(r.nickname is None for r in first)
    if truth is None:
        return Summary(prompt, answered, None, None, None, None)
    right_first = sum(is_right(r.answer, truth) for r in first)
    if not second:
        return Summary(prompt, answered, right_first, None, None, None)
    before, after = by_round(these, prompt, 1), by_round(these, prompt, 2)
    both = before.keys() & after.keys()
    return Summary(
        prompt,
        answered,
        right_first,
        sum(is_right(r.answer, truth) for r in second),
        to_right=sum(not is_right(before[n], truth) and is_right(after[n], truth) for n in both),
        to_wrong=sum(is_right(before[n], truth) and not is_right(after[n], truth) for n in both),
    )


def share(right: int | None, answered: int) -> float | None:
    """The share right (0 to 1), or None when nobody answered or the true answer is not known."""
    return None if right is None or not answered else right / answered
